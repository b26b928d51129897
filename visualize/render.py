"""Draw the entity network as one self-contained, offline HTML page.

pyvis assembles the vis-network node and edge records; the page is our own
template (``templates/explorer.html`` + ``explorer.js``) with the
vis-network build shipped inside the pyvis wheel embedded inline, the graph
data in a JSON script block, and a Content-Security-Policy that allows only
those scripts (by hash) and no network at all. pyvis's own templates load
vis-network and Bootstrap from CDNs and put data into ``innerHTML``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg import __version__
from kg.core.namespaces import ID

#: Above this many nodes the page starts from the most connected ones and
#: expands on double-click.
LARGE = 300
SHAPES = {
    "enterprise": "diamond",
    "group": "square",
    "park": "triangle",
    "chain": "hexagon",
    "action": "star",
    "framework": "star",
    "challenge": "triangleDown",
    "goal": "triangleDown",
    "indicator": "dot",
    "place": "square",
    "person": "dot",
    "event": "square",
    "org": "dot",
}


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8"
    )


def _template(name: str) -> str:
    return resources.files("visualize").joinpath("templates", name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    # Inside <script type="application/json"> only "</script" can end the
    # block; escaping <, > and & (and the JS line separators) rules it out.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def page_data(
    net: nx.MultiDiGraph,
    *,
    title_zh: str,
    title_en: str,
    lang: str = "zh",
    focus: str | None = None,
    initial_count: int = 120,
    cap: int = 25,
    passages: list[dict[str, Any]] | None = None,
    source_zh: str = "",
    source_en: str = "",
) -> dict[str, Any]:
    """The JSON the page runs on: nodes and edges as pyvis builds them, the
    legend, the details of each node, and where a large graph starts.
    ``passages`` are the documents' sentences the search looks in (``text``,
    ``doc``, ``start``, ``end`` and the ``nodes`` stated there;
    kg.web.browse_pages.network_passages)."""
    from pyvis.network import Network

    pv = Network(directed=True, cdn_resources="in_line")
    degree = dict(net.to_undirected(as_view=True).degree())
    for node, d in net.nodes(data=True):
        pv.add_node(
            node,
            label=d["label_zh"],
            shape=SHAPES.get(d["group"], "dot"),
            color=d["colour"],
            value=max(1, degree.get(node, 0)),
        )
    edge_records = []
    for i, (s, o, d) in enumerate(sorted(net.edges(data=True), key=lambda e: (e[0], e[2]["predicate"], e[1]))):
        pv.add_edge(s, o, title=d["label_en"], label=d["label_zh"])
        edge_records.append(
            {
                "id": f"e{i}",
                "from": s,
                "to": o,
                "label_zh": d["label_zh"],
                "label_en": d["label_en"],
                "predicate": d["predicate"],
                "editorial": bool(d["editorial"]),
            }
        )
    pv_nodes, _edges, *_ = pv.get_network_data()
    nodes = []
    for record in pv_nodes:
        d = net.nodes[record["id"]]
        nodes.append(
            {
                "id": record["id"],
                "label_zh": d["label_zh"],
                "label_en": d["label_en"],
                "group": d["group"],
                "group_zh": d["group_zh"],
                "group_en": d["group_en"],
                "colour": record["color"],
                "shape": record["shape"],
                "size": record["value"],
                "degree": degree.get(record["id"], 0),
            }
        )
    groups: dict[str, dict[str, Any]] = {}
    for n in nodes:
        g = groups.setdefault(
            n["group"],
            {
                "key": n["group"],
                "zh": n["group_zh"],
                "en": n["group_en"],
                "colour": n["colour"],
                "shape": n["shape"],
                "count": 0,
            },
        )
        g["count"] += 1
    large = len(nodes) > LARGE
    if focus is not None:
        initial = sorted(nx.single_source_shortest_path_length(net.to_undirected(as_view=True), focus, cutoff=1))
    else:
        initial = sorted(n["id"] for n in sorted(nodes, key=lambda n: (-n["degree"], n["id"]))[:initial_count])
    details = {
        node: {"classes": d["classes"], "facts": d["facts"], "figures": d["figures"], "spans": d["spans"]}
        for node, d in net.nodes(data=True)
    }
    return {
        "title_zh": title_zh,
        "title_en": title_en,
        "lang": lang,
        "nodes": nodes,
        "edges": edge_records,
        "groups": sorted(groups.values(), key=lambda g: (-g["count"], g["key"])),
        "details": details,
        "large": large,
        "initial": initial if large else [],
        "focus": focus,
        "cap": cap,
        "passages": passages or [],
        # Served, the page links nodes of this namespace to their /id/ pages.
        "id_prefix": str(ID),
        # Bounded layout work: the page stops physics after this many steps.
        "iterations": 300 if len(nodes) <= LARGE else 150,
        # The pictures' source line (picture.js).
        "source_zh": source_zh,
        "source_en": source_en,
        "version": __version__,
    }


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_html(net: nx.MultiDiGraph, **kwargs: Any) -> str:
    """The whole page as one string (see :func:`page_data` for the options)."""
    data = page_data(net, **kwargs)
    vis_js, vis_css = _vis_assets()
    app_js = _template("explorer.js")
    picture_js = _template("picture.js")
    page = _template("explorer.html")
    title = data["title_zh"] if data["lang"] == "zh" else data["title_en"]
    replacements = {
        "{{SCRIPT_HASHES}}": f"{_csp_hash(vis_js)} {_csp_hash(app_js)} {_csp_hash(picture_js)}",
        "{{TITLE}}": html.escape(title),
        "{{VIS_CSS}}": vis_css,
        "{{DATA}}": _json_for_script(data),
        "{{VIS_JS}}": vis_js,
        "{{APP_JS}}": app_js,
        "{{PICTURE_JS}}": picture_js,
    }
    # One pass, so that text inside the data can never be taken for a placeholder.
    return re.sub(r"\{\{[A-Z_]+\}\}", lambda m: replacements[m.group(0)], page)


def write_html(path: str | os.PathLike[str], net: nx.MultiDiGraph, **kwargs: Any) -> int:
    """Write the page atomically; returns its size in bytes."""
    from kg.rdf.export import write_atomic

    data = render_html(net, **kwargs).encode("utf-8")
    write_atomic(path, data)
    return len(data)
