"""The documentation site: ``mkdocs build --strict`` passes offline, and its pages are whole.

The site is built once per test session (about 15-20 s on 2 cores) from the repository's
``mkdocs.yml``. Skipped only where MkDocs is not installed; the ``dev`` extra installs it, so CI
builds the site. Where this machine allows it (root, as in CI), the build runs in a network
namespace of its own with no network at all, so a plugin that downloads anything fails it.
"""

import fcntl
import functools
import http.server
import importlib
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


def _offline_prefix() -> list[str]:
    """``["unshare", "-n"]`` where a network-less namespace can be made here, else ``[]``."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ["unshare", "-n"] if probe.returncode == 0 else []


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built site; under pytest-xdist the workers share one build (the first one makes it)."""
    pytest.importorskip("mkdocs", reason="MkDocs is not installed (pip install -e '.[docs]')")
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return _build(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, common to the workers
    with open(shared / "docs-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        out, done = shared / "docs-site", shared / "docs-site.built"
        if not done.exists():
            _build(out)
            done.touch()
    return out


def _build(out: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    command = [*_offline_prefix(), sys.executable, "-m", "mkdocs", "build", "--strict",
               "--site-dir", str(out)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


def test_site_builds_strictly_without_the_network(site):
    assert (site / "index.html").is_file()
    assert (site / "getting-started" / "index.html").is_file()


def test_every_lesson_has_a_page_with_its_figure_tables_notebook_and_exercises(site):
    from neuralab import exercises, lessons

    for name in lessons.NAMES:
        figure = site / "course" / "figures" / f"{name}.png"
        assert figure.read_bytes().startswith(PNG), f"no figure for the lesson {name}"
        page = (site / "course" / name / "index.html").read_text(encoding="utf-8")
        assert f'src="../figures/{name}.png"' in page, f"course/{name} does not show its figure"
        title = lessons.get(name).tables(lessons.get(name).run())[0].title
        assert _text(title) in _text(page), f"course/{name} lacks its first table"
        assert f"neuralab lesson {name}" in _text(page), f"course/{name} lacks its run section"
        if (ROOT / "notebooks").is_dir():
            assert 'href="../../notebooks/' in page, f"course/{name} links no notebook"
        for exercise in exercises.for_lesson(name):
            assert f"<code>{exercise.name}</code>" in page, f"course/{name} lacks {exercise.name}"


def test_api_reference_has_a_page_per_public_module(site):
    import neuralab

    names = [name for name in neuralab.__all__ if name != "__version__"]
    index = (site / "reference" / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert f"nl.{name}</code>" in index, f"nl.{name} missing from the API index"
    for module in ("nn", "optim", "train", "data", "estimators", "lessons", "autograd.ops"):
        page = (site / "reference" / module / "index.html").read_text(encoding="utf-8")
        assert f'id="neuralab.{module}"' in page, f"reference/{module} documents nothing"


def test_docstring_roles_become_links_in_the_api_reference(site):
    for page in site.rglob("*.html"):
        roles = re.findall(r":(?:class|func|meth|mod|attr|exc|data):", page.read_text("utf-8"))
        assert roles == [], f"{page.relative_to(site)} shows reST roles"
    nn = (site / "reference" / "nn" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="#neuralab\.nn\.module\.Module"', nn)


def test_site_loads_nothing_from_other_hosts(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], f"{page.relative_to(site)} loads {external}"
    assert (site / "assets" / "katex" / "katex.min.js").is_file()


def test_generated_blocks_list_the_ops_and_the_commands(site):
    engine = (site / "guide" / "engine" / "index.html").read_text(encoding="utf-8")
    for op in ("matmul", "sigmoid", "binary_cross_entropy_with_logits", "batch_norm"):
        assert f"<code>{op}</code>" in engine
    cli = (site / "guide" / "cli" / "index.html").read_text(encoding="utf-8")
    from neuralab.cli import COMMANDS

    for command in COMMANDS:
        assert f"usage: neuralab {command}" in cli


@pytest.fixture
def site_url(site):
    """The built site served on a free loopback port (search needs http, not file://)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_math_renders_with_the_vendored_katex_in_a_browser(site_url):
    from tests.playground.test_playground_browser import CHROMIUM, _require_browser

    _require_browser()
    from playwright.sync_api import sync_playwright

    pages = ["course/backprop-221/", "course/gates/", "guide/engine/", "guide/training/"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        try:
            tab = browser.new_page()
            errors, requests = [], []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.on("request", lambda request: requests.append(request.url))
            for page in pages:
                tab.goto(site_url + page)
                tab.wait_for_function("document.querySelectorAll('.katex').length > 0")
                assert tab.evaluate("document.querySelectorAll('.katex-error').length") == 0, page
                assert tab.evaluate(
                    "document.querySelectorAll('.arithmatex:not(:has(.katex))').length") == 0, page
        finally:
            browser.close()
    assert errors == [], f"the pages raised JavaScript errors: {errors}"
    assert [url for url in requests if not url.startswith(site_url)] == []


def test_notebook_boxes_link_each_lesson_to_its_notebook(tmp_path):
    pytest.importorskip("mkdocs")
    notebooks = _hook("notebooks")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "05-gates.ipynb").write_text(
        '{"cells": [{"cell_type": "markdown", "source": ["# Logic gates\\n"]}]}')
    (folder / "your-first-network.ipynb").write_text('{"cells": []}')
    files = notebooks.on_files(_Files(), _config(tmp_path))
    assert [file.src_uri for file in files] == ["notebooks/05-gates.ipynb",
                                                "notebooks/your-first-network.ipynb"]
    assert notebooks.notebook_for("gates") == "05-gates.ipynb"
    assert notebooks.notebook_for("sigmoid-derivative") is None
    page = _Page("course/gates.md", {"lesson": "gates"})
    box = notebooks.on_page_markdown(notebooks.LESSON_MARKER, page, None, None)
    assert "[`notebooks/05-gates.ipynb`](../notebooks/05-gates.ipynb): Logic gates" in box
    listing = notebooks.on_page_markdown(notebooks.LIST_MARKER, _Page("course/index.md", {}),
                                         None, None)
    assert "(../notebooks/your-first-network.ipynb)" in listing


def test_a_lesson_without_its_notebook_fails_the_strict_build(tmp_path, caplog):
    pytest.importorskip("mkdocs")
    notebooks = _hook("notebooks")
    (tmp_path / "notebooks").mkdir()
    notebooks.on_files(_Files(), _config(tmp_path))
    page = _Page("course/gates.md", {"lesson": "gates"})
    assert notebooks.on_page_markdown(notebooks.LESSON_MARKER, page, None, None) == ""
    assert "no notebook for the lesson 'gates'" in caplog.text


def _text(html: str) -> str:
    """Text without tags, entities unescaped and whitespace collapsed (for comparisons)."""
    import html as html_module

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _hook(name: str):
    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


class _Files(list):
    pass


def _config(root: Path):
    """A validated MkDocs configuration for a project in ``root``."""
    from mkdocs.config.defaults import MkDocsConfig

    (root / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig(config_file_path=str(root / "mkdocs.yml"))
    config.load_dict({"site_name": "test", "docs_dir": str(root / "docs")})
    errors, _ = config.validate()
    assert errors == []
    config.plugins._current_plugin = None  # set by MkDocs while it runs a plugin's event
    return config


class _Page:
    def __init__(self, src_uri: str, meta: dict):
        self.file = type("File", (), {"src_uri": src_uri})()
        self.meta = meta
