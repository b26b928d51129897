"""PNG pictures of a network page, taken by headless Chromium (Debian's
``/usr/bin/chromium`` driven by Playwright; Playwright's own browser download
is not used). Needs the ``playwright`` package and a CJK font such as Debian's
``fonts-wqy-microhei`` for Chinese labels."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.errors import KGError

CHROMIUM = Path(os.environ.get("LINZI_KG_CHROMIUM", "/usr/bin/chromium"))


class SnapshotError(KGError):
    """The picture could not be taken (no browser, no Playwright, page error)."""


def snapshot(
    html: str | os.PathLike[str], png: str | os.PathLike[str], *, width: int = 1600, height: int = 1000
) -> float:
    """Open ``html`` with every http(s) request blocked, wait until the layout
    has settled, and save a screenshot to ``png``. Returns the settle time in seconds."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SnapshotError("taking a PNG needs the playwright package (pip install playwright)") from None
    if not CHROMIUM.exists():
        raise SnapshotError(f"taking a PNG needs Chromium at {CHROMIUM} (apt-get install chromium)")
    import time

    from kg.rdf.export import write_atomic

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            started = time.monotonic()
            page.goto(Path(html).resolve().as_uri())
            page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled === true", timeout=120_000)
            settled = time.monotonic() - started
            write_atomic(png, page.screenshot(full_page=False))
        except PlaywrightError as exc:
            raise SnapshotError(f"the browser failed: {str(exc).splitlines()[0]}") from None
        finally:
            browser.close()
    return settled
