"""End to end in real headless Chromium: open the page, pick XOR, press play, watch it learn.

Needs Debian's ``chromium`` and Playwright for Python. Without them the test is skipped, unless
``NEURALAB_REQUIRE_BROWSER=1`` (as in CI), which turns a missing browser into a failure. The
screenshot is saved as ``test-artifacts/playground-xor.png``.
"""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_browser():
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "Playwright for Python is not installed (pip install playwright)"
    if problem is None and not shutil.which(CHROMIUM):
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if problem is not None:
        if os.environ.get("NEURALAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEURALAB_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)


@pytest.fixture
def server_url():
    """A real uvicorn server on a free loopback port, in a thread; stopped after the test."""
    import uvicorn

    from neuralab.playground import create_app

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the playground server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()
    assert not thread.is_alive(), "the playground server did not stop"


@pytest.fixture
def page():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            yield tab
            assert errors == [], f"the page raised JavaScript errors: {errors}"
        finally:
            browser.close()


def boundary(page) -> str:
    return page.evaluate("document.getElementById('heatmap').toDataURL()")


def test_xor_is_learned_live_in_the_browser(server_url, page):
    page.goto(server_url)
    page.wait_for_function("document.querySelector('#dataset option') !== null")
    page.select_option("#dataset", "xor")
    page.wait_for_function("location.hash.includes('dataset=xor')")
    page.wait_for_function("document.getElementById('epoch').textContent === '0'")
    page.wait_for_timeout(200)
    before = boundary(page)
    assert page.inner_text("#test-loss") != "–"

    page.click("#play")
    page.wait_for_function(
        "parseFloat(document.getElementById('test-loss').textContent) < 0.1", timeout=30_000)
    page.click("#play")  # pause
    assert float(page.inner_text("#test-loss")) < 0.1
    assert int(page.inner_text("#epoch")) > 0
    assert boundary(page) != before

    page.click("#heatmap", position={"x": 5, "y": 5})  # a corner without points: no trace
    page.fill("#trace-index", "3")
    page.click("#trace-go")
    page.wait_for_function("document.getElementById('trace').textContent.includes('train point 3')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-xor.png"), full_page=True)
