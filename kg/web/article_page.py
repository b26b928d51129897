"""The explorer's page for a document: ``/article`` (the first document) and
``/article/{id}``; ``?mark=START-END`` marks a span and ``#mark`` scrolls to it.

The page needs no script: the mark is rendered by the server, the scrolling is
the browser's own fragment navigation.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import Response

from kg.core.namespaces import ID, LZ


def document_id(node: URIRef) -> str:
    """The document id of a document-scoped IRI: ``id/linzi-2023/text`` -> ``linzi-2023``."""
    return str(node)[len(str(ID)) :].split("/", 1)[0]


def article_href(document: URIRef, start: int | None = None, end: int | None = None) -> str:
    """The page of a document (given by its text, its IRI or any node of it), with a span marked when given.

    >>> article_href(ID["linzi-2023/text"], 87, 90)
    '/article/linzi-2023?mark=87-90#mark'
    """
    href = "/article/" + urllib.parse.quote(document_id(document), safe="-_.")
    return href if start is None else f"{href}?mark={start}-{end}#mark"


def _cache(request: Request) -> dict[Any, Any]:
    cache: dict[Any, Any] = request.app.state.__dict__.setdefault("article_facts", {})
    return cache


async def article(request: Request) -> Response:
    from kg.graph.article import annotate, documents, facts_of, parse_mark
    from kg.web.pages import NotFound, _label, _page, local_href

    kg = request.app.state.site.kg
    graph = kg.asserted
    slug = request.path_params.get("doc")
    if slug is None:
        docs = documents(graph)
        if not docs:
            raise NotFound("the graph holds no document (no lz:SourceText)")
        document = docs[0]
    else:
        document = ID[f"{slug}/text"]
        if document not in documents(graph):
            raise NotFound(f"no document {slug!r}")
    source = kg.texts.get(document_id(document))
    expected = str(graph.value(document, LZ.sha256) or "")
    name = str(graph.value(document, LZ.fileName) or slug)
    if source is None or source.sha256 != expected:
        raise NotFound(f"the text of {name} is not loaded here; start the server with --sources DIR")
    mark = parse_mark(request.query_params.get("mark"), len(source.text))
    cache = _cache(request)
    if document not in cache:
        cache[document] = facts_of(graph, document, label=lambda n: _label(request, n), href=local_href)
    facts = cache[document]
    paragraphs = annotate(source.text, facts, mark=mark)
    of = graph.value(document, LZ.textOf)
    counts = {k: sum(1 for f in facts if f.kind.value == k) for k in ("entity", "figure", "relation")}
    return _page(
        request,
        "article.html",
        title=_label(request, of) if isinstance(of, URIRef) else name,
        of_href=local_href(of),
        doc_href=local_href(document),
        name=name,
        sha256=expected,
        paragraphs=paragraphs,
        counts=counts,
        mark=mark,
    )
