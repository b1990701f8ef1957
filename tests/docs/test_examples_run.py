"""The Python examples of the site's getting-started and guide pages run as they are written.

Each page's ``python`` code blocks run in order in one namespace (a later block may use what an
earlier one defined), in a temporary folder, so that a change of the API that breaks an example
fails here rather than on a reader.
"""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["index.md", "getting-started.md", "guide/engine.md", "guide/training.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(page: str) -> list[str]:
    return BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_of_the_page_run(page, tmp_path, monkeypatch):
    blocks = python_blocks(page)
    assert blocks, f"docs/{page} has no python example"
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for number, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"docs/{page}, block {number}", "exec"), namespace)
        except Exception as err:  # the page and block make the failure findable
            pytest.fail(f"docs/{page}, python block {number} raised {err!r}:\n{code}")
