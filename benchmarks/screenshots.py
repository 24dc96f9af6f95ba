"""The README's pictures of the web app, taken in Debian's Chromium (not a benchmark: a script).

Builds a store of the bundled example story, serves it on 127.0.0.1 (``newsfuse.web``), and saves
screenshots of the story list, the story page (desktop, and a phone at 400 px with a citation's
passage previewed) and an article page into ``docs/screenshots/``.

    python benchmarks/screenshots.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
TOKEN = "screenshots-token-0123456789"
STORED_AT = datetime(2025, 11, 14, 9, 30, tzinfo=UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default=os.environ.get("NEWSFUSE_TEST_CHROMIUM"))
    args = parser.parse_args()
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: no Chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    import uvicorn
    from playwright.sync_api import sync_playwright

    from newsfuse.config import load_settings
    from newsfuse.corpus.ingest import ingest
    from newsfuse.store import Store
    from newsfuse.web.app import create_app
    from newsfuse.web.config import WebConfig

    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "example.db"
        settings = load_settings(None, [])
        # A fixed clock for the stored times the pages show, so the pictures change only when
        # the pages do.
        with Store.open(store, clock=lambda: STORED_AT) as opened:
            ingest([str(ROOT / "examples" / "harbour-strike")], opened, settings)
        app = create_app(WebConfig(store=str(store), settings=settings, token=TOKEN))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        OUT.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                desktop = browser.new_page(
                    viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
                )
                desktop.goto(base + "/")
                desktop.screenshot(path=OUT / "story-list.png")
                desktop.click("a.story-link")
                desktop.wait_for_selector("#sources")
                desktop.screenshot(path=OUT / "story.png")
                citation = desktop.locator("ol.brief a.cite").nth(2)
                citation.click()
                desktop.wait_for_selector("#back-to-brief:not([hidden])")
                desktop.wait_for_function("() => document.querySelector('.hit') !== null")
                desktop.screenshot(path=OUT / "story-cited-passage.png")
                phone = browser.new_context(
                    viewport={"width": 400, "height": 800},
                    has_touch=True,
                    is_mobile=True,
                    reduced_motion="reduce",
                ).new_page()
                phone.goto(desktop.url.split("#")[0])
                phone.locator("ol.brief a.cite").first.tap()
                phone.wait_for_selector("#preview:not([hidden])")
                phone.screenshot(path=OUT / "story-phone.png")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(30)
    for picture in sorted(OUT.glob("*.png")):
        print(f"{picture.relative_to(ROOT)}  {picture.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
