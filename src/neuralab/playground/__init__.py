"""The playground: a browser lab where you watch a network learn, trained by neuralab itself.

Run it with ``neuralab playground`` (``pip install "neuralab[playground]"`` first), or build the
application yourself::

    from neuralab.playground import Limits, create_app
    app = create_app(Limits(max_sessions=2))      # serve with uvicorn

Each browser tab gets its own network and training loop on the server (one WebSocket per tab);
the page is plain HTML, CSS and JavaScript modules from ``static/`` with no build step. The
server is :mod:`.server` (routes and protocol), :mod:`.security` (host names, token, headers,
Origin, bounded uploads), :mod:`.connection` (one tab), :mod:`.session` (its run, as
messages), :mod:`.catalogue` and :mod:`.task` (datasets and their problems), :mod:`.trainer`
(training with neuralab), :mod:`.views` (maps), :mod:`.teaching` (diagnostics, traces, the
perceptron's notice), :mod:`.csvdata` (the learner's CSV), :mod:`.export` (Export as Python),
:mod:`.modelfile` (download and upload), :mod:`.config` (settings and limits).
"""

from ._require import require_playground

require_playground()  # an ImportError naming `pip install "neuralab[playground]"` if missing

from .config import Limits, PlaygroundConfig  # noqa: E402
from .server import create_app  # noqa: E402

__all__ = ["Limits", "PlaygroundConfig", "create_app"]
