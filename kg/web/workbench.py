"""The explorer's SPARQL workbench and table downloads (HTTP edge).

- ``/query`` is the workbench: YASGUI's editor and result table (vendored in
  ``kg/static/vendor/yasgui/``, driven by ``kg/static/workbench.js``) over the
  plain form, which stays for browsers without scripts. Its policy allows
  scripts and connections to this server only (:data:`WORKBENCH_CSP`).
- ``/query/vocabulary.json``: what the editor completes (:mod:`kg.vocabulary`).
- ``/query/download`` and ``/queries/NAME/download``: the answer as a table
  with names beside IRIs (:mod:`kg.tables`): ``as=csv|tsv|excel|xlsx``,
  ``labels=beside|only|none``; the names in the page's language (``?lang=en``).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.core.i18n import current_lang
from kg.core.i18n_catalogue import CATALOGUE
from kg.core.namespaces import ID
from kg.errors import UsageError

#: /query runs the vendored editor: scripts and connections from this server
#: only; no eval, no inline script. The two style sheets YASGUI's column
#: resizer writes into the page are pinned by hash (its grips, and the cursor
#: while dragging); tests/test_workbench.py fails on any CSP violation.
WORKBENCH_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # .grip-resizable{table-layout:fixed;} ...
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # *{cursor:col-resize!important}
)
WORKBENCH_CSP = (
    f"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' {' '.join(WORKBENCH_STYLE_HASHES)}; "
    "img-src 'self' data:; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)


def _json_for_script(data: Any) -> str:
    from visualize.render import _json_for_script as encode

    return encode(data)


#: The catalogue's keys the workbench's script shows.
SCRIPT_TEXTS = (
    "running",
    "took",
    "table_info",
    "table_info_empty",
    "table_filtered",
    "table_empty",
    "table_none",
    "table_filter",
    "table_page_size",
)


def workbench_context(request: Request, text: str) -> dict[str, Any]:
    """What query.html needs besides the plain form: the workbench's settings
    as a JSON block (read by workbench.js), and the download form."""
    lang = current_lang()
    named = request.app.state.named
    config = {
        "endpoint": "/sparql",
        "vocabulary": "/query/vocabulary.json",
        "query": text or named[0].text,
        "run": bool(text.strip()),
        "id_prefix": str(ID),
        "lang": lang.value,
        # Templates as they are: the script fills in {ms} and DataTables its _START_ and _END_.
        "strings": {k: CATALOGUE[k][0 if lang.value == "zh" else 1] for k in SCRIPT_TEXTS},
    }
    return {
        "workbench_json": _json_for_script(config),
        "download_action": "/query/download",
        "download_hidden": [{"name": "query", "value": text or named[0].text}],
    }


def download_context(name: str, values: dict[str, str]) -> dict[str, Any]:
    """The download form of a named query's page."""
    return {
        "download_action": f"/queries/{urllib.parse.quote(name, safe='-_')}/download",
        "download_hidden": [{"name": k, "value": v} for k, v in values.items()],
    }


async def vocabulary_json(request: Request) -> Response:
    state = request.app.state
    if getattr(state, "vocabulary", None) is None:
        from kg.sparql.vocabulary import vocabulary

        data = await run_in_threadpool(vocabulary, state.site.kg)
        state.vocabulary = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(state.vocabulary, media_type="application/json; charset=utf-8")


def _label_of(request: Request, lang: str) -> Any:
    from kg.graph.lookup import label

    kg = request.app.state.site.kg
    return lambda iri: label(kg, URIRef(iri), lang)


async def _send_table(request: Request, result: Any, truncated: bool, *, filename: str, title: str) -> Response:
    from kg.sparql.tables import parse_format, parse_labels, render

    fmt = parse_format(request.query_params.get("as"))
    labels = parse_labels(request.query_params.get("labels"))
    lang = current_lang().value  # ?lang=en gives the English names, as it gives the English page
    body = await run_in_threadpool(
        lambda: render(result, fmt, labels=labels, label_of=_label_of(request, lang), title=title)
    )
    return Response(
        body,
        media_type=fmt.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}.{fmt.extension}"',
            "X-Linzi-Truncated": str(truncated).lower(),
        },
    )


async def query_download(request: Request) -> Response:
    text = request.query_params.get("query", "")
    if not text.strip():
        raise UsageError("missing 'query' parameter")
    result, truncated = await request.app.state.site.query(text)
    return await _send_table(request, result, truncated, filename="query", title="query")


async def named_download(request: Request) -> Response:
    from kg.core.terms import to_cell
    from kg.sparql.queries import bindings_for, with_sentences
    from kg.web.pages import named_request

    named, given = named_request(request)
    site = request.app.state.site
    bindings = bindings_for(named, given, site.kg.asserted)
    result, truncated = await site.query(named.text, {k: to_cell(v) for k, v in bindings.items()})
    if named.sentence and site.kg.texts and result.kind == "select":
        result = with_sentences(result, named.sentence, site.kg)  # as the page shows it
    return await _send_table(request, result, truncated, filename=named.name, title=named.name)


def routes() -> list[Route]:
    return [
        Route("/query/vocabulary.json", vocabulary_json),
        Route("/query/download", query_download),
        Route("/queries/{name}/download", named_download),
    ]
