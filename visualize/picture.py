"""Pictures to publish of the network view: SVG and PNG at print resolution.

The picture is drawn by the page itself (``templates/picture.js``: the
current filtered view laid out afresh, with a title, a legend and a source
line), so ``linzi-kg viz --svg/--png`` open the page in headless Chromium and
ask it for the same picture its buttons save. Chromium is Debian's
``/usr/bin/chromium`` driven by Playwright (no browser download).
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import LZ, SCHEMA
from visualize.snapshot import CHROMIUM, SnapshotError


def _label(graph: Graph, node: object, lang: str) -> str:
    found = ""
    for lit in graph.objects(node, RDFS.label):  # type: ignore[arg-type]
        if isinstance(lit, Literal):
            if lit.language == lang:
                return str(lit)
            found = found or str(lit)
    return found


def source_line(graph: Graph) -> tuple[str, str]:
    """Where the graph's facts come from, for the picture's foot: the news
    article(s) with their publisher, in Chinese and in English.

    >>> from kg.rdf.pipeline import build
    >>> zh, en = source_line(build(validate=False, check_source=False).graph)
    >>> zh.startswith("大众日报《") and en.startswith("Dazhong Daily")
    True
    """
    zh_parts, en_parts = [], []
    for article in sorted(a for a in graph.subjects(RDF.type, LZ.NewsArticle) if isinstance(a, URIRef)):
        publisher = graph.value(article, SCHEMA.publisher)
        pub_zh = _label(graph, publisher, "zh") if publisher is not None else ""
        pub_en = _label(graph, publisher, "en") if publisher is not None else ""
        zh_parts.append(f"{pub_zh}《{_label(graph, article, 'zh')}》")
        en_parts.append(f"{pub_en}, “{_label(graph, article, 'en')}”".lstrip(", "))
    return "；".join(zh_parts), "; ".join(en_parts)


def save_pictures(
    html: str | os.PathLike[str],
    *,
    svg: str | os.PathLike[str] | None = None,
    png: str | os.PathLike[str] | None = None,
    width: int | None = None,
    isolated: bool = False,
    lang: str = "zh",
) -> None:
    """Open the network page ``html`` offline, wait for its layout, and save
    the picture its export buttons make: ``svg`` and/or ``png`` (at 300 dpi
    on A4 landscape, or A3 for a view of more than 90 nodes, unless ``width``
    gives the pixels). ``isolated`` keeps the indicator nodes that have no
    link (left out by default)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SnapshotError("drawing a picture needs the playwright package (pip install playwright)") from None
    if not CHROMIUM.exists():
        raise SnapshotError(
            f"drawing a picture needs Chromium at {CHROMIUM} (apt-get install chromium; or set LINZI_KG_CHROMIUM)"
        )
    from kg.output import write_atomic

    options: dict[str, object] = {"isolated": isolated}
    if width is not None:
        options["width"] = width
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(Path(html).resolve().as_uri())
            page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled === true", timeout=120_000)
            if lang != page.evaluate("() => document.documentElement.lang").split("-")[0]:  # zh-Hans is zh
                page.click("#lang")
            if svg is not None:
                text = page.evaluate("(o) => window.kgPicture.svg(o)", options)
                write_atomic(svg, text.encode("utf-8"))
            if png is not None:
                data = page.evaluate("(o) => window.kgPicture.pngBase64(o)", options)
                write_atomic(png, base64.b64decode(data))
        except PlaywrightError as exc:
            raise SnapshotError(f"the browser failed: {str(exc).splitlines()[0]}") from None
        finally:
            browser.close()
