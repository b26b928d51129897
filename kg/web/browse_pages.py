"""The explorer's pages for browsing without dead ends and for search: a
class's members (``/class/lz:Enterprise``, linked from the home page's
counts), what an indicator's and a figure's pages add (figures by year and
status with a small chart; counterparts), the names a parameter form
suggests (an HTML ``<datalist>``, no script), the candidates an ambiguous
name offers as links, and ``/search`` over names and the text.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

from markupsafe import escape
from rdflib import URIRef
from rdflib.namespace import RDF
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.core.i18n import Lang, Text, current_lang, text
from kg.core.namespaces import LZ, PREFIXES, QB
from kg.errors import KGError, UsageError
from kg.graph.stats import curie

#: Hits listed on one page at most (the counts cover them all).
PAGE_HITS = 100


def _web() -> Any:
    # kg.web.pages imports this module's handlers; importing it back at call time keeps the two apart.
    from kg.web import pages as web

    return web


def _page(request: Request, template: str, **context: Any) -> Response:
    page: Response = _web()._page(request, template, **context)
    return page


def class_iri(name: str) -> URIRef:
    """``lz:Enterprise`` (or a full IRI) as the class's IRI; unknown prefixes are a UsageError."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and "/" not in local and local:
        return URIRef(PREFIXES[prefix] + local)
    if name.startswith(("http://", "https://")):
        return URIRef(name)
    raise UsageError(f"no class {name!r}")


def kind_label(request: Request, node: URIRef) -> Text:
    """The node's most telling class (from the ontology's own namespace first), labelled."""
    web = _web()
    g = request.app.state.site.kg.asserted
    types = sorted(t for t in g.objects(node, RDF.type) if isinstance(t, URIRef) and t != RDF.Statement)
    ours = [t for t in types if str(t).startswith(str(LZ._NS))] or types
    if not ours:
        return Text("")
    label = web._label(request, ours[0])
    return label if isinstance(label, Text) else Text(label)


async def class_page(request: Request) -> Response:
    from kg.web.browse import class_members

    web = _web()
    name = request.path_params["curie"]
    cls = class_iri(name)
    site = request.app.state.site
    members = class_members(site.kg.asserted, cls)
    if not members:
        raise web.NotFound(f"no class {name!r}")
    rows = [
        {
            "href": web.local_href(m),
            "label_zh": web._label(request, m, "zh"),
            "label_en": web._label(request, m, "en"),
            "kind": kind_label(request, m),
        }
        for m in members
    ]
    rows.sort(key=lambda r: (str(r["label_zh"]), str(r["href"])))
    return _page(
        request,
        "class_list.html",
        curie=curie(cls),
        label_zh=web._label(request, cls, "zh"),
        label_en=web._label(request, cls, "en"),
        members=rows,
        broader=False,
    )


# -- indicator and figure pages -------------------------------------------------------


def _status(row: Any) -> str:
    return text(f"status_{row.status_key}", current_lang()) if row.status_key else ""


def _figure_cells(request: Request, row: Any) -> dict[str, Any]:
    from kg.web.article_page import article_href

    web = _web()
    return {
        "href": web.local_href(row.figure),
        "year": row.year,
        "status": _status(row),
        "wording": Text(row.wording, "zh") if row.wording else Text(""),
        "value": row.value,
        "unit": web._label(request, row.unit) if row.unit is not None else "",
        "area": web._label(request, row.area) if row.area is not None else "",
        "area_href": web.local_href(row.area) if row.area is not None else None,
        "document": web._label(request, row.document) if row.document is not None else "",
        "document_href": article_href(row.document) if row.document is not None else None,
    }


def indicator_context(request: Request, node: URIRef) -> dict[str, Any] | None:
    """For an indicator's page: its figures by year and status, and a small chart."""
    from kg.web.browse import indicator_figures

    g = request.app.state.site.kg.asserted
    if (node, RDF.type, LZ.Indicator) not in g:
        return None
    rows = indicator_figures(g, node)
    if not rows:
        return None
    web = _web()
    cells = [_figure_cells(request, r) for r in rows]
    title = text("indicator_chart_title", current_lang(), name=web._label(request, node))
    return {"rows": cells, "svg": small_chart(cells, title=title)}


def counterparts_context(request: Request, node: URIRef) -> list[dict[str, Any]]:
    """For a figure's page: the same indicator's other years and statuses, and the related level's."""
    from kg.web.browse import counterparts

    g = request.app.state.site.kg.asserted
    if (node, RDF.type, QB.Observation) not in g:
        return []
    web = _web()
    lang = current_lang()
    out = []
    for c in counterparts(g, node):
        cells = _figure_cells(request, c.row)
        cells.update(
            this=c.this,
            indicator=web._label(request, c.row.indicator),
            indicator_href=web.local_href(c.row.indicator),
            relation={"level": text("related_level", lang), "growth": text("related_growth", lang)}.get(c.relation, ""),
        )
        out.append(cells)
    return out


def small_chart(cells: list[dict[str, Any]], *, title: str, width: int = 460) -> str:
    """One horizontal bar a figure (value as printed, scaled to the largest of
    the same unit), labelled with year, status and wording. Plain SVG, no
    script or font fetched; its title names it for screen readers."""
    units = [str(c["unit"]) for c in cells]
    rows = [c for c in cells if c["value"] and str(c["unit"]) == max(set(units), key=units.count)]
    if not rows:
        return ""
    top = max(float(c["value"]) for c in rows) or 1.0
    bar_h, gap, left, label_w = 18, 6, 8, 170
    height = 34 + len(rows) * (bar_h + gap)
    plot = width - left - label_w - 90
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="indicator-chart-title" font-family="sans-serif" font-size="12">',
        f'<title id="indicator-chart-title">{escape(title)}</title>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold" fill="#222222">{escape(title)}</text>',
    ]
    colours = {"actual": "#0072B2", "estimate": "#56B4E9", "target": "#E69F00", "specification": "#999999"}
    for i, c in enumerate(rows):
        y = 28 + i * (bar_h + gap)
        w = max(1.0, plot * float(c["value"]) / top)
        key = next((k for k in colours if text(f"status_{k}", current_lang()) == c["status"]), "")
        caption = f"{c['year'] or ''} {c['status']}"
        colour = colours.get(key, "#777777")
        out.append(
            f'<text x="{left}" y="{y + 13}" fill="#222222">{escape(caption)}</text>'
            f'<rect x="{left + label_w - 80}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{left + label_w - 76 + w:.1f}" y="{y + 13}" fill="#222222">{escape(c["wording"])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


# -- forms: suggestions and candidates -------------------------------------------------


def suggestions(request: Request, params: Any) -> list[dict[str, Any]]:
    """The ``<datalist>``s a named query's form needs: entity names, document ids."""
    from kg.graph.lookup import documents
    from kg.web.browse import entity_names

    kinds = {p.type for p in params}
    cache = request.app.state.__dict__.setdefault("suggestions", {})
    lang = current_lang()
    out = []
    if "entity" in kinds:
        key = ("entity", lang)
        if key not in cache:
            g = request.app.state.site.kg.asserted
            cache[key] = [
                {"value": n.value, "label": kind_label(request, n.node)}
                for n in entity_names(g)
                if (n.lang or "zh") == lang.value or (lang is Lang.ZH and n.lang is None)
            ]
        out.append({"id": "entity-names", "options": cache[key]})
    if "document" in kinds:
        g = request.app.state.site.kg.asserted
        out.append(
            {
                "id": "document-ids",
                "options": [
                    {"value": str(d).rsplit("/", 1)[-1], "label": _web()._label(request, d)} for d in documents(g)
                ],
            }
        )
    return out


def candidates_context(
    request: Request, exc: KGError, *, href: Callable[[URIRef], str]
) -> tuple[list[dict[str, Any]], str]:
    """For a name that is ambiguous or finds nothing: the entities it may mean,
    each linked by ``href`` (the same request with that entity), and a note."""
    from kg.graph.lookup import AmbiguousEntity, EntityNotFound
    from kg.web.browse import close_names

    web = _web()
    lang = current_lang()
    if isinstance(exc, AmbiguousEntity):
        nodes, note = list(exc.candidates), text("ambiguous_note", lang, name=exc.name)
    elif isinstance(exc, EntityNotFound) and exc.name:
        nodes = close_names(request.app.state.site.kg.asserted, exc.name)
        note = text("not_found_note", lang, name=exc.name)
    else:
        return [], ""
    rows = [
        {
            "href": href(n),
            "label": web._label(request, n),
            "alt": web._label(request, n, lang.other.value),
            "kind": kind_label(request, n),
            "entity_href": web.local_href(n),
        }
        for n in nodes[:30]
    ]
    for r in rows:
        if str(r["alt"]) == str(r["label"]):
            r["alt"] = ""
    return rows, note


# -- search -----------------------------------------------------------------------------


def _index(request: Request) -> Any:
    browse = request.app.state.browse
    if getattr(browse, "_text_index", None) is None:
        from kg.graph.textsearch import SearchIndex

        kg = browse.kg
        browse._text_index = SearchIndex(kg.asserted, text_of=lambda d: getattr(kg.text_of(d), "text", None))
    return browse._text_index


async def search(request: Request) -> Response:
    from kg.web.article_page import article_href

    web = _web()
    q = request.query_params.get("q", "").strip()
    if len(q) > 200:
        raise UsageError("the search text is longer than 200 characters")
    chosen_name = request.query_params.get("class", "")
    chosen = class_iri(chosen_name) if chosen_name else None
    index = _index(request)
    found = index.search(q, cls=chosen)
    lang = current_lang()
    how = {k: text(f"match_{k}", lang) for k in ("exact", "prefix", "part", "text")}
    hits = []
    for h in found.hits:
        node = h.entry.node
        hits.append(
            {
                "iri": str(node),
                "href": web.local_href(node) or "",
                "label_zh": web._label(request, node, "zh"),
                "label_en": web._label(request, node, "en"),
                "kind": ", ".join(sorted(curie(t) for t in h.entry.classes)),
                "kind_label": kind_label(request, node),
                "match": h.how,
                "how": how[h.how],
                "matched": Text(h.matched) if h.matched else "",
            }
        )
    if "application/json" in request.headers.get("accept", "") or request.query_params.get("format") == "json":
        return JSONResponse([{k: str(v) for k, v in h.items()} for h in hits[:PAGE_HITS]])
    passages = []
    for p in found.passages[:PAGE_HITS]:
        shown = p.passage.text
        before, match, after = shown[: p.start], shown[p.start : p.end], shown[p.end :]
        if len(before) > 60:
            before = "…" + before[-60:]
        if len(after) > 80:
            after = after[:80] + "…"
        start, end = p.marked
        doc = p.passage.document
        of = request.app.state.site.kg.asserted.value(doc, LZ.textOf) if doc is not None else None
        passages.append(
            {
                "before": before,
                "match": match,
                "after": after,
                "start": start,
                "end": end,
                "href": article_href(doc, start, end) if doc is not None else "",
                "document": web._label(request, of) if isinstance(of, URIRef) else "",
                "entities": [
                    {"href": web.local_href(n), "label": web._label(request, n), "at_match": at}
                    for n, at in sorted(p.stated, key=lambda s: not s[1])
                    if web.local_href(n)
                ],
            }
        )

    def href_for(cls: URIRef | None) -> str:
        params = {"q": q} if cls is None else {"q": q, "class": curie(cls)}
        return "/search?" + urllib.parse.urlencode(params)

    facets = [
        {"href": href_for(c), "label": web._label(request, c), "count": n, "chosen": c == chosen}
        for c, n in found.facets
    ]
    return _page(
        request,
        "search.html",
        q=q,
        error=None,
        found={"names": found.by_name, "entities": found.unfiltered, "passages": len(found.passages)},
        facets=facets,
        chosen=chosen,
        all_href=href_for(None),
        hits=hits[:PAGE_HITS],
        more=max(0, len(hits) - PAGE_HITS),
        passages=passages,
    )
