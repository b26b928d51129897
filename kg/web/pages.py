"""The web explorer's pages: home, query editor, named-query forms, entity
pages (with content negotiation), search, the network view, downloads.

Server-rendered with Jinja2 (autoescaping on): the pages carry no script at
all; only ``/graph`` (the network view) runs its own inline, hash-pinned JS.
"""

from __future__ import annotations

import urllib.parse
from functools import cached_property
from typing import TYPE_CHECKING, Any

import jinja2
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kg import __version__
from kg.core.i18n import Text, current_lang, labelled, parse_lang
from kg.core.namespaces import ID, LZ, OA, PROV, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SKOS
from kg.documents.spans import editorial_triples_of
from kg.errors import KGError, UsageError
from kg.graph.stats import curie
from kg.rdf.load import offset

if TYPE_CHECKING:
    from kg.sparql.queries import NamedQuery

SITE_TITLE = "临淄区政府工作报告知识图谱"


class NotFound(KGError):
    http_status = 404


def setup(app: Any, site: Any) -> None:
    """Templates, and what the pages reuse: stats, search index, the network page."""
    from kg.sparql.queries import list_queries

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["urlencode"] = lambda s: urllib.parse.quote(str(s), safe="")
    from kg.core import i18n

    # The language of each request (``?lang=``, the ``lang`` cookie) for every
    # template below, error pages included: see kg/i18n.py.
    i18n.install(env)
    app.add_middleware(i18n.LanguageMiddleware)
    app.state.templates = env
    app.state.page_context = {
        "site_title": SITE_TITLE,
        "version": __version__,
        "lang": "zh",
        "q": "",
        "footer_note": "English labels are translations; dashed/editorial links are classification by linzi-kg.",
    }
    app.state.named = list_queries()
    app.state.browse = _Browse(site.kg, texts=site.settings.texts)
    app.state.graph_pages = {}


class _Browse:
    """What the pages walk in Python, made on the first page that needs it:
    the SPARQL endpoint of a large on-disk store starts without it."""

    def __init__(self, kg: Any, *, texts: tuple[str, ...] = ()) -> None:
        self.kg = kg
        self.texts = texts

    @cached_property
    def stats(self) -> Any:
        from kg.graph.stats import graph_stats

        return graph_stats(self.kg.asserted, self.kg.ontology)

    @cached_property
    def full(self) -> Any:
        return self.kg.full_graph()

    @cached_property
    def checks(self) -> Any:
        """The consistency checks over the served graph (kg.checks), run once."""
        from kg.checks import check

        return check(self.kg, texts=self.texts)

    @cached_property
    def followups(self) -> Any:
        from kg.checks import read_texts
        from kg.checks.figures import fetch_figures
        from kg.checks.followup import follow_up

        return follow_up(fetch_figures(self.kg, texts=read_texts(self.texts)))

    @cached_property
    def search_index(self) -> list[tuple[URIRef, list[str]]]:
        asserted = self.kg.asserted
        index = []
        for node in set(asserted.subjects(LZ.sourceTerm, None)) | set(asserted.subjects(RDF.type, QB.Observation)):
            if isinstance(node, URIRef):
                names = [str(o) for p in (RDFS.label, LZ.sourceTerm, SKOS.altLabel) for o in asserted.objects(node, p)]
                index.append((node, names))
        return sorted(index)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(**{**request.app.state.page_context, "status": status, **context})
    return HTMLResponse(html, status_code=status)


def _label(request: Request, node: Any, lang: str | None = None) -> Text:
    """The node's label in ``lang`` (default: the page's language), knowing its own language."""
    wanted = parse_lang(lang) or current_lang()
    if not isinstance(node, URIRef):
        return Text(node, getattr(node, "language", None))
    pairs = [(str(o), getattr(o, "language", None)) for o in request.app.state.browse.full.objects(node, RDFS.label)]
    return labelled(pairs, wanted) or Text(curie(node).replace("<", "").replace(">", ""))


def local_href(node: Any) -> str | None:
    """The explorer's path for an IRI of this graph (``/id/...``), else None."""
    text = str(node)
    if isinstance(node, URIRef) and text.startswith(str(ID)):
        return "/id/" + urllib.parse.quote(text[len(str(ID)) :], safe="/-_.")
    return None


# -- home, search, downloads -------------------------------------------------------


async def home(request: Request) -> Response:
    site = request.app.state.site
    stats = request.app.state.browse.stats
    kg = site.kg
    from kg.core.namespaces import DCTERMS

    dataset = ID["catalog"]
    sources = []
    from kg.web.article_page import article_href

    for doc in sorted(kg.asserted.subjects(RDF.type, LZ.Document), key=str):
        text_node = kg.asserted.value(doc, LZ.text)
        area = kg.asserted.value(doc, DCTERMS.spatial)
        figures_ds = ID[str(doc)[len(str(ID)) :] + "/dataset/figures"]
        sources.append(
            {
                "href": article_href(doc),
                "label": _label(request, doc),
                "entity_href": local_href(doc),
                "area": _label(request, area) if isinstance(area, URIRef) else "",
                "area_href": local_href(area) if isinstance(area, URIRef) else None,
                "level": str(kg.asserted.value(doc, LZ.areaLevel) or ""),
                "year": str(kg.asserted.value(doc, LZ.reportYear) or ""),
                "kind": str(kg.asserted.value(doc, LZ.documentKind) or ""),
                "figures": sum(1 for _ in kg.asserted.subjects(QB.dataSet, figures_ds)),
                "note": f"{kg.asserted.value(text_node, LZ.fileName)} · sha256 "
                f"{str(kg.asserted.value(text_node, LZ.sha256))[:16]}…"
                if text_node
                else "",
            }
        )
    classes = [c for c in stats.classes if c.curie.startswith(("lz:", "schema:", "org:", "qb:"))]

    def in_lang(p: Any, lang: str) -> str:
        values = list(kg.asserted.objects(dataset, p))
        return next((str(t) for t in values if getattr(t, "language", None) == lang), "")

    untagged = str(kg.asserted.value(dataset, DCTERMS.description) or "")
    return _page(
        request,
        "home.html",
        title_zh=in_lang(DCTERMS.title, "zh") or SITE_TITLE,
        title_en=in_lang(DCTERMS.title, "en")
        or next((str(t) for t in kg.asserted.objects(dataset, DCTERMS.title) if not getattr(t, "language", None)), ""),
        description=in_lang(DCTERMS.description, "en") or untagged,
        description_zh=in_lang(DCTERMS.description, "zh"),
        sources=sources,
        classes=classes,
        triples=stats.triples,
        figures=stats.observations,
        spans=stats.spans,
        statements=stats.statements,
        editorial=stats.editorial,
        named=request.app.state.named,
        downloads=["ttl", "nt", "jsonld", "rdf"],
    )


async def search(request: Request) -> Response:
    from kg.web.browse_pages import search as search_page

    return await search_page(request)


async def download(request: Request) -> Response:
    from kg.rdf.export import Format, serialize

    fmt = request.path_params["fmt"]
    formats = {"ttl": Format.TURTLE, "nt": Format.NTRIPLES, "jsonld": Format.JSONLD, "rdf": Format.XML}
    if fmt not in formats:
        raise NotFound(f"no download linzi.{fmt}; offered: {', '.join(formats)}")
    cache = request.app.state.__dict__.setdefault("downloads", {})
    if fmt not in cache:
        cache[fmt] = serialize(request.app.state.site.kg.asserted, formats[fmt])
    return Response(
        cache[fmt],
        media_type=formats[fmt].media_type + "; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="linzi.{fmt}"'},
    )


# -- queries ---------------------------------------------------------------------------


def _cells(request: Request, result: Any) -> list[list[dict[str, Any]]]:
    rows = []
    for row in result.rows:
        cells = []
        for term in row:
            if term is None:
                cells.append({"text": "", "href": None, "iri": ""})
            elif isinstance(term, URIRef):
                cells.append({"text": _label(request, term), "href": local_href(term), "iri": str(term)})
            else:
                cells.append({"text": Text(term, getattr(term, "language", None)), "href": None, "iri": ""})
        rows.append(cells)
    return rows


def _result_context(site: Any) -> dict[str, Any]:
    """What results.html expects when there is no result yet."""
    return {
        "result": None,
        "error": None,
        "cells": [],
        "truncated": False,
        "formats": [],
        "graph_text": "",
        "share_url": None,
        "headers": [],
        "row_limit": site.settings.row_limit,
        "timeout": site.settings.timeout,
    }


async def _run_for_page(request: Request, text: str, bindings: dict[str, Any] | None = None) -> dict[str, Any]:
    site = request.app.state.site
    context = _result_context(site)
    try:
        result, truncated = await site.query(text, bindings)
    except KGError as exc:
        context["error"] = str(exc)
        return context
    context.update(result=result, truncated=truncated, cells=_cells(request, result) if result.kind == "select" else [])
    if result.kind == "select":
        context["headers"] = _headers(result.variables)
    if result.kind == "graph":
        from kg.web.server import render_result

        context["graph_text"] = render_result(result, "turtle")[0].decode("utf-8")
    return context


def _headers(variables: list[str], named: Any = None) -> list[dict[str, Any]]:
    """Column headers: a named query's own label for each variable (its ``#+ column:``
    header) in the page's language, else the variable's name."""
    from kg.core.i18n import Lang, text

    lang = current_lang()
    out = []
    for v in variables:
        pair = named.column(v) if named is not None else None
        if pair is None and v == "sentence" and named is not None:
            pair = (text("col_sentence", Lang.ZH), text("col_sentence", Lang.EN))
        label = Text(pair[0] if lang.value == "zh" else pair[1], lang.value) if pair else Text(v)
        out.append({"name": v, "label": label})
    return out


def _param_fields(named: Any) -> list[dict[str, Any]]:
    """The form's fields: each parameter's label and help in the page's language,
    and the ``<datalist>`` that suggests its values."""
    lang = current_lang().value
    out = []
    for p in named.params:
        pair = named.column(p.name)
        label = Text(pair[0] if lang == "zh" else pair[1], lang) if pair else Text(p.name)
        zh_help = named.param_zh.get(p.name, "")
        help_text = Text(zh_help, "zh") if lang == "zh" and zh_help else Text(p.description, "en")
        lists = {"entity": "entity-names", "document": "document-ids"}
        out.append({"name": p.name, "label": label, "help": help_text, "list": lists.get(p.type)})
    return out


async def query_page(request: Request) -> Response:
    text = request.query_params.get("query", "")
    named = request.app.state.named
    context = _result_context(request.app.state.site)
    if text.strip():
        context = await _run_for_page(request, text)
        encoded = urllib.parse.quote(text, safe="")
        context["share_url"] = f"/query?query={encoded}"
        kinds = (
            ["turtle", "ntriples", "jsonld"]
            if context["result"] and context["result"].kind == "graph"
            else ["csv", "json", "tsv", "xml"]
        )
        context["formats"] = [{"href": f"/sparql?query={encoded}&format={k}", "label": k.upper()} for k in kinds]
    status = 400 if context["error"] else 200
    from kg.web.workbench import workbench_context

    context.update(workbench_context(request, text))
    return _page(request, "query.html", status=status, query=text or named[0].text, named=named, **context)


async def named_list(request: Request) -> Response:
    return _page(request, "named_list.html", named=request.app.state.named)


def named_request(request: Request) -> tuple[NamedQuery, dict[str, str]]:
    """The named query a ``/queries/NAME...`` request names (404 when none
    has that name; never a path) and the parameters the request gives it."""
    from kg.errors import QueryNotFound
    from kg.sparql.queries import get_query

    name = request.path_params["name"]
    named = get_query(name) if "/" not in name and not name.endswith(".rq") else None
    if named is None:
        raise QueryNotFound(f"no named query {name!r}")
    return named, {p.name: request.query_params[p.name] for p in named.params if p.name in request.query_params}


async def named_page(request: Request) -> Response:
    from kg.sparql.queries import bindings_for

    named, given = named_request(request)
    name = named.name
    site = request.app.state.site
    values = {p.name: given.get(p.name, p.default) for p in named.params}
    from kg.graph.lookup import AmbiguousEntity, EntityNotFound
    from kg.web.browse_pages import candidates_context, suggestions

    form: dict[str, Any] = {
        "params": _param_fields(named),
        "suggestions": suggestions(request, named.params),
        "candidates": [],
    }
    try:
        bindings = bindings_for(named, given, site.kg.asserted)
    except (AmbiguousEntity, EntityNotFound) as exc:
        if request.query_params.get("format") is not None:
            raise
        # The form again, with the entities the name may mean as links that run the query with each.
        param = next(
            (
                p.name
                for p in named.params
                if p.type == "entity" and str(getattr(exc, "name", "")) == values[p.name].strip()
            ),
            None,
        )

        def href(node: URIRef) -> str:
            chosen = {**values, **({param: str(node)} if param else {})}
            return f"/queries/{name}?" + urllib.parse.urlencode(chosen)

        candidates, note = candidates_context(request, exc, href=href)
        context = _result_context(site)
        context["error"] = None if candidates else str(exc)
        form.update(candidates=candidates, candidates_note=note)
        return _page(request, "named.html", status=exc.http_status, named=named, values=values, **form, **context)
    from kg.core.terms import to_cell

    cells = {k: to_cell(v) for k, v in bindings.items()}
    fmt = request.query_params.get("format")
    if fmt is not None:
        from kg.web.server import negotiate, render_result

        result, truncated = await site.query(named.text, cells)
        result = _with_sentence(site, named, result)
        body, media_type = render_result(
            result, negotiate(request, result.kind if result.kind == "graph" else "select")
        )
        return Response(body, media_type=media_type, headers={"X-Linzi-Truncated": str(truncated).lower()})
    context = await _run_for_page(request, named.text, cells)
    if context["result"] is not None:
        context["result"] = _with_sentence(site, named, context["result"])
        if context["result"].kind == "select":
            context["cells"] = _cells(request, context["result"])
            context["headers"] = _headers(context["result"].variables, named)
    query = urllib.parse.urlencode(values)
    context["share_url"] = f"/queries/{name}?{query}"
    context["formats"] = [
        {"href": f"/queries/{name}?{query}&format={k}", "label": k.upper()} for k in ("csv", "json", "tsv", "xml")
    ]
    status = 400 if context["error"] else 200
    from kg.web.workbench import download_context

    context.update(download_context(name, values))
    return _page(request, "named.html", status=status, named=named, values=values, **form, **context)


def _with_sentence(site: Any, named: Any, result: Any) -> Any:
    from kg.sparql.queries import with_sentences

    if named.sentence and site.kg.texts and result.kind == "select":
        return with_sentences(result, named.sentence, site.kg)
    return result


# -- entities ------------------------------------------------------------------------------


async def entity(request: Request) -> Response:
    path = request.path_params["path"]
    node = URIRef(str(ID) + path)
    site = request.app.state.site
    kg = site.kg
    full = request.app.state.browse.full
    if (node, None, None) not in kg.asserted and (None, None, node) not in kg.asserted:
        raise NotFound(f"nothing is known about {node}")
    from kg.web.server import negotiate

    fmt = "html" if request.query_params.get("format") == "html" else negotiate(request, "graph", allow_html=True)
    if fmt != "html":
        from kg.rdf.build import new_graph
        from kg.sparql.engines import QueryResult
        from kg.web.server import render_result

        description = new_graph()
        for t in kg.asserted.triples((node, None, None)):
            description.add(t)
        for t in kg.asserted.triples((None, None, node)):
            description.add(t)
        body, media_type = render_result(QueryResult("graph", graph=description), fmt)
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})
    facts, outgoing, incoming = [], [], []
    skip = {RDFS.label, RDF.type, PROV.wasDerivedFrom}
    editorial = editorial_triples_of(kg.asserted, node)
    for p, o in sorted(kg.asserted.predicate_objects(node)):
        if p in skip:
            continue
        if isinstance(o, Literal):
            facts.append({"p": _label(request, p), "value": str(o)})
        elif isinstance(o, URIRef):
            outgoing.append(
                {
                    "p": _label(request, p),
                    "href": local_href(o),
                    "label": _label(request, o),
                    "editorial": (node, p, o) in editorial,
                }
            )
    for s, p in sorted(kg.asserted.subject_predicates(node)):
        if p in (RDF.subject, RDF.object, PROV.wasDerivedFrom, LZ.aboutEntity, SDMX_DIM.refArea, LZ.indicator):
            continue
        if isinstance(s, URIRef):
            incoming.append(
                {
                    "p": _label(request, p),
                    "href": local_href(s),
                    "label": _label(request, s),
                    "editorial": (s, p, node) in editorial,
                }
            )
    from kg.web.article_page import article_href
    from kg.web.browse_pages import counterparts_context, indicator_context

    spans: list[dict[str, Any]] = []
    for span in kg.asserted.objects(node, PROV.wasDerivedFrom):
        selector = kg.asserted.value(span, OA.hasSelector)
        first, last = kg.asserted.value(selector, OA.start), kg.asserted.value(selector, OA.end)
        if selector is None or not offset(first) or not offset(last):
            continue  # derived from something that is not a span of the article (e.g. the dataset)
        start, end = int(str(first)), int(str(last))
        text = kg.text_of(span)
        sentence = text.sentence(start, end) if text is not None else None
        document = kg.asserted.value(span, OA.hasSource)
        href = article_href(document, start, end) if isinstance(document, URIRef) else None
        doc = kg.asserted.value(None, LZ.text, document) if isinstance(document, URIRef) else None
        spans.append(
            {
                "start": start,
                "end": end,
                "sentence": sentence,
                "href": href,
                "document": _label(request, doc) if isinstance(doc, URIRef) else "",
                "document_href": article_href(doc) if isinstance(doc, URIRef) else None,
            }
        )
    spans.sort(key=lambda s: (s["document"], s["start"]))
    mentioned_in = sorted(
        {(s["document"], s["document_href"]) for s in spans if s["document_href"]}, key=lambda d: str(d[0])
    )
    figures = _figures(request, node)
    checks = _checks_for(request, node) if (node, RDF.type, QB.Observation) in kg.asserted else []
    asserted_types = set(kg.asserted.objects(node, RDF.type))
    types = [
        {
            "label": _label(request, t),
            "href": f"/class/{urllib.parse.quote(curie(t), safe=':')}" if t in asserted_types else None,
        }
        for t in sorted(full.objects(node, RDF.type))
        if isinstance(t, URIRef) and str(t).startswith(str(LZ._NS))
    ]
    graph_href = (
        f"/graph?focus={urllib.parse.quote(str(node), safe='')}" if (node, LZ.sourceTerm, None) in kg.asserted else None
    )
    readable = node if (node, RDF.type, LZ.SourceText) in kg.asserted else kg.asserted.value(None, LZ.textOf, node)
    response = _page(
        request,
        "entity.html",
        read_href=article_href(readable) if isinstance(readable, URIRef) else None,
        iri=str(node),
        path=request.url.path,
        label_zh=_label(request, node, "zh"),
        label_en=_label(request, node, "en"),
        types=sorted(types, key=lambda t: (t["href"] is None, str(t["label"]))),
        indicator=indicator_context(request, node),
        counterparts=counterparts_context(request, node),
        facts=facts,
        outgoing=outgoing,
        incoming=incoming,
        spans=spans,
        mentioned_in=[{"label": label, "href": href} for label, href in mentioned_in],
        figures=figures,
        checks=checks,
        graph_href=graph_href,
    )
    response.headers["Vary"] = "Accept"
    return response


def _figures(request: Request, node: URIRef) -> list[dict[str, Any]]:
    kg = request.app.state.site.kg
    g = kg.asserted
    figs = set(g.subjects(LZ.aboutEntity, node)) | {
        f for f in g.subjects(SDMX_DIM.refArea, node) if g.value(f, LZ.aboutEntity) is None
    }
    if (node, RDF.type, QB.Observation) in g:
        figs = {node}
    by_indicator: dict[Any, list[list[dict[str, Any]]]] = {}
    order = {LZ.Actual: 0, LZ.Target: 1, LZ.Specification: 2}
    from kg.core.terms import canonical

    for fig in sorted(figs):
        indicator = g.value(fig, LZ.indicator)
        row = by_indicator.setdefault(indicator, [[], [], []])
        comparator = g.value(fig, LZ.comparator)
        row[order.get(g.value(fig, LZ.valueStatus), 2)].append(
            {
                "href": local_href(fig),
                "wording": str(g.value(fig, LZ.originalWording)),
                "value": str(canonical(g.value(fig, SDMX_MEASURE.obsValue))),
                "unit": _label(request, g.value(fig, SDMX_ATTR.unitMeasure)),
                "comparator": str(request.app.state.browse.full.value(comparator, SKOS.notation))
                if comparator not in (None, LZ.Equal)
                else "",
            }
        )
    return [
        {"indicator": _label(request, k), "cells": v}
        for k, v in sorted(by_indicator.items(), key=lambda kv: str(kv[0]))
    ]


# -- the network view ------------------------------------------------------------------------


async def graph_page(request: Request) -> Response:
    focus = request.query_params.get("focus")
    depth_text = request.query_params.get("depth", "2")
    if not (depth_text.isascii() and depth_text.isdigit()) or not 0 <= int(depth_text) <= 5:
        raise UsageError("depth must be a whole number from 0 to 5")
    from starlette.concurrency import run_in_threadpool

    from kg.graph.lookup import AmbiguousEntity, EntityNotFound, find_entity

    kg = request.app.state.site.kg
    try:
        centre = str(find_entity(kg.asserted, focus)) if focus else None
    except (AmbiguousEntity, EntityNotFound) as exc:
        from kg.web.browse_pages import candidates_context

        def href(node: URIRef) -> str:
            return "/graph?" + urllib.parse.urlencode({"focus": str(node), "depth": depth_text})

        candidates, note = candidates_context(request, exc, href=href)
        return _page(
            request, "error.html", status=exc.http_status, message=str(exc), candidates=candidates, candidates_note=note
        )
    lang = current_lang()
    # Keyed by the resolved entity, so that spellings share one page.
    key = (centre, int(depth_text), lang.value)
    cache = request.app.state.graph_pages
    if key not in cache:
        if len(cache) >= 32:
            cache.pop(next(iter(cache)))
        cache[key] = await run_in_threadpool(_graph_html, kg, centre, int(depth_text), lang.value)
    return HTMLResponse(cache[key])


def _graph_html(kg: Any, centre: str | None, depth: int, lang: str = "zh") -> str:
    from kg.core.i18n import Lang, text
    from kg.graph.textsearch import network_passages
    from visualize.network import neighbourhood, to_networkx
    from visualize.render import render_html

    net = to_networkx(kg.asserted, kg.ontology, source_text=lambda span: getattr(kg.text_of(span), "text", None))
    if centre is not None:
        net = neighbourhood(net, centre, depth)
    from visualize.picture import source_line

    cited_zh, cited_en = source_line(kg.asserted)
    return render_html(
        net,
        title_zh=text("site_title", Lang.ZH),
        title_en=text("site_title", Lang.EN),
        focus=centre,
        lang=lang,
        passages=network_passages(kg, set(net.nodes)),
        source_zh=cited_zh,
        source_en=cited_en,
    )


# -- consistency checks, follow-up, comparison ----------------------------------------


def _cited(request: Request, figure: Any) -> dict[str, Any]:
    return {
        "href": local_href(URIRef(figure.iri)),
        "label": f"{figure.area_label} {figure.indicator_label} {figure.year} {figure.status}",
        "wording": figure.shown,
        "spans": [{"start": s.start, "end": s.end, "sentence": s.sentence} for s in figure.spans],
    }


def _finding(request: Request, finding: Any) -> dict[str, Any]:
    return {
        "id": finding.id,
        "rule": finding.rule.id,
        "kind": finding.rule.kind.value,
        "severity": finding.rule.severity.value,
        "verdict": finding.verdict.value,
        "verdict_zh": finding.verdict.zh,
        "alarm": finding.alarm,
        "formula": finding.formula,
        "explanation": finding.explanation,
        "suppressed": finding.suppressed,
        "figures": [dict(_cited(request, c.figure), role=c.role, interval=c.interval.text()) for c in finding.cited],
    }


def _checks_for(request: Request, node: URIRef) -> list[dict[str, Any]]:
    report = request.app.state.browse.checks
    return [_finding(request, f) for f in report.for_figure(str(node))]


async def checks_page(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    browse = request.app.state.browse
    report = await run_in_threadpool(lambda: browse.checks)
    findings = [_finding(request, f) for f in report.findings]
    return _page(
        request,
        "checks.html",
        findings=findings,
        counts=report.counts(),
        alarms=len(report.alarms),
        total=report.figures,
    )


async def followup_page(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    browse = request.app.state.browse
    rows = await run_in_threadpool(lambda: browse.followups)
    items = [
        {
            "outcome": r.outcome.value,
            "outcome_zh": r.outcome.zh,
            "explanation": r.explanation,
            "target": _cited(request, r.target),
            "result": _cited(request, r.actual) if r.actual is not None else None,
        }
        for r in rows
    ]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.outcome.value] = counts.get(r.outcome.value, 0) + 1
    return _page(request, "followup.html", items=items, counts=sorted(counts.items()))


def _indicators(request: Request) -> list[dict[str, str]]:
    g = request.app.state.site.kg.asserted
    seen = {i for i in g.objects(None, LZ.indicator) if isinstance(i, URIRef)}
    return sorted(({"iri": str(i), "label": _label(request, i)} for i in seen), key=lambda d: d["label"])


async def compare_page(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from kg.checks.compare import LEVELS, STATUS_ZH, comparison, level_pairs, svg_chart

    indicator = request.query_params.get("indicator", "地区生产总值增长率").strip()
    if len(indicator) > 300:
        raise UsageError("the indicator is longer than 300 characters")
    from kg.graph.lookup import find_entity

    kg = request.app.state.site.kg
    iri = find_entity(kg.asserted, indicator)
    title = _label(request, iri)
    points = await run_in_threadpool(comparison, kg, str(iri))
    if request.url.path.endswith(".svg"):
        return Response(
            svg_chart(points, title=title),
            media_type="image/svg+xml; charset=utf-8",
            headers={"Content-Disposition": 'inline; filename="compare.svg"'},
        )
    pairs = [p for p in await run_in_threadpool(level_pairs, kg) if p.indicator == str(iri)]
    rows = [
        {
            "area": p.area_label,
            "level": LEVELS.get(p.level, ""),
            "year": p.year,
            "status": STATUS_ZH.get(p.status, p.status),
            "wording": p.wording,
            "href": local_href(URIRef(p.figure)),
        }
        for p in points
    ]
    return _page(
        request,
        "compare.html",
        indicator=indicator,
        title=title,
        svg=svg_chart(points, title=title),
        svg_href=f"/compare.svg?indicator={urllib.parse.quote(indicator, safe='')}",
        rows=rows,
        pairs=[
            dict(
                p.__dict__,
                lower_href=local_href(URIRef(p.lower_figure)),
                upper_href=local_href(URIRef(p.upper_figure)) if p.upper_figure else None,
            )
            for p in pairs
        ],
        indicators=_indicators(request),
    )


def routes() -> list[Route]:
    from kg.web import figures_page, workbench
    from kg.web.article_page import article
    from kg.web.browse_pages import class_page

    return [
        *workbench.routes(),
        *figures_page.routes(),
        Route("/checks", checks_page),
        Route("/followup", followup_page),
        Route("/compare", compare_page),
        Route("/compare.svg", compare_page),
        Route("/", home),
        Route("/article", article),
        Route("/article/{doc}", article),
        Route("/query", query_page),
        Route("/queries", named_list),
        Route("/queries/{name}", named_page),
        Route("/id/{path:path}", entity),
        Route("/graph", graph_page),
        Route("/search", search),
        Route("/class/{curie}", class_page),
        Route("/download/linzi.{fmt}", download),
        Route("/favicon.ico", lambda _request: Response(status_code=204)),
    ]
