"""How long the network page takes to settle in headless Chromium.

    python -m visualize.bench [--nodes 164,1000] [--all-visible]

Prints one line per size: nodes drawn at start, and seconds from navigation
until the bounded layout has stopped (median of 3). Synthetic graphs are
trees with a few cross links, shaped like the Linzi graph (mean degree ~2).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path

import networkx as nx


def synthetic(n: int, seed: int = 7, *, fanout: int | None = None) -> nx.MultiDiGraph:
    """A drawable tree of ``n`` nodes: node i hangs under a random earlier
    node (reproducible from ``seed``), or under node (i-1) // ``fanout``."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible layout test, not security
    net = nx.MultiDiGraph()
    for i in range(n):
        net.add_node(
            f"urn:n{i}",
            label_zh=f"节点{i}",
            label_en=f"node {i}",
            group=f"g{i % 8}",
            group_zh=f"类{i % 8}",
            group_en=f"class {i % 8}",
            colour="#888888",
            classes=[],
            facts=[],
            figures=[],
            spans=[],
        )
    for i in range(1, n):
        parent = (i - 1) // fanout if fanout else rng.randrange(i)
        net.add_edge(
            f"urn:n{i}", f"urn:n{parent}", key="p", predicate="p", label_zh="属于", label_en="in", editorial=False
        )
    return net


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", default="164,1000", help="comma-separated sizes; 0 means the Linzi graph")
    parser.add_argument("--all-visible", action="store_true", help="draw every node at start (no overview mode)")
    args = parser.parse_args()
    from visualize import render
    from visualize.render import write_html
    from visualize.snapshot import snapshot

    if args.all_visible:
        render.LARGE = 10**9
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.nodes.split(",")):
            if size == 0:
                from kg.graph.store import load_graph
                from kg.rdf.ontology import load_ontology
                from visualize.network import to_networkx

                kg = load_graph()
                net = to_networkx(kg.asserted, load_ontology())
            else:
                net = synthetic(size)
            html = Path(tmp) / "page.html"
            write_html(html, net, title_zh="测试", title_en="bench")
            data = render.page_data(net, title_zh="", title_en="")
            shown = len(data["initial"]) if data["large"] else len(data["nodes"])
            times = [snapshot(html, Path(tmp) / "page.png") for _ in range(3)]
            print(
                f"{net.number_of_nodes():6d} nodes, {shown:5d} drawn at start: settled in "
                f"{statistics.median(times):.2f} s (median of 3)"
            )


if __name__ == "__main__":
    main()
