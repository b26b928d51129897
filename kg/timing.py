"""Median latency of every named query on both embedded engines, in-process.

    python -m kg.timing [--repeat 5]

A first measure, not the benchmark suite: the graph is loaded once, each
query runs ``--repeat`` times per engine, and the median is printed in ms.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and engine (default 5)")
    args = parser.parse_args()
    from kg.queries import bindings_for, list_queries
    from kg.sparql import run_query
    from kg.store import Engine, load_graph

    kg = load_graph()
    kg.oxigraph()
    kg.full_graph()
    print("| query | pyoxigraph (ms) | rdflib (ms) |")
    print("|---|---|---|")
    for query in list_queries():
        bindings = bindings_for(query, {}, kg.asserted)
        cells = []
        for engine in Engine:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                run_query(kg, query.text, bindings, engine=engine)
                times.append(time.perf_counter() - started)
            cells.append(f"{statistics.median(times) * 1000:.1f}")
        print(f"| `{query.name}` | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
