"""A missing optional package is named, with the pip command that installs it."""

import pytest

from neuralab._optional import require


def test_present_modules_are_imported_and_the_first_returned():
    import json

    assert require("json", "math", install="nothing", purpose="a test") is json


def test_missing_modules_are_named_with_the_install_command():
    with pytest.raises(ImportError, match=r'The lab needs no-such-module, not-there, which are '
                                          r'not installed\. Install it with: pip install '
                                          r'"neuralab\[lab\]"'):
        require("json", "no_such_module", "not_there", install='"neuralab[lab]"',
                purpose="The lab")
