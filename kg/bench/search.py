"""How long the explorer's text search takes: building its index (names and
sentences) and answering a query, on the shipped graph (``python -m kg.bench.search``)."""

from __future__ import annotations

import statistics
import time

QUERIES = ("污水处理设施", "临淄区", "石化", "Juheshun", "2023")


def main() -> None:
    from kg.graph.store import load_graph
    from kg.graph.textsearch import SearchIndex

    kg = load_graph()
    builds = []
    for _ in range(5):
        t = time.perf_counter()
        index = SearchIndex(kg.asserted, text_of=lambda d: getattr(kg.text_of(d), "text", None))
        builds.append(time.perf_counter() - t)
    times = []
    for q in QUERIES:
        for _ in range(20):
            t = time.perf_counter()
            index.search(q)
            times.append(time.perf_counter() - t)
    print(
        f"index: {len(index.entries)} names, {len(index.passages)} sentences, built in "
        f"{statistics.median(builds) * 1000:.0f} ms (median of 5); a query "
        f"{statistics.median(times) * 1000:.2f} ms (median over {len(QUERIES)} queries x 20)"
    )


if __name__ == "__main__":
    main()
