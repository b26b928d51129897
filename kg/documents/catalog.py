"""What the documents of a data directory are: their metadata and counts (knows no RDF).

>>> rows = describe()
>>> [r["id"] for r in rows][:1], rows[0]["level"]
(['linzi-2023'], 'district')
"""

from __future__ import annotations

import os
from typing import Any

from kg.documents.records import Corpus, Dataset, load_corpus


def _counts(data: Dataset) -> dict[str, int]:
    own = list(data.own_entities())
    spans: set[tuple[int, int]] = set()
    links = 0
    for entity in own:
        spans.update(entity.spans)
        for link in entity.links:
            links += 1
            spans.update(link.spans)
    for obs in data.observations.values():
        spans.update(obs.spans)
    return {
        "entities": len(own),
        "shared": sum(1 for e in own if e.shared),
        "figures": len(data.observations),
        "links": links,
        "spans": len(spans),
    }


def describe(*, data_dir: str | os.PathLike[str] | None = None, corpus: Corpus | None = None) -> list[dict[str, Any]]:
    """One JSON-ready mapping per document, in id order."""
    corpus = corpus or load_corpus(data_dir)
    rows = []
    for data in corpus.documents.values():
        doc, src = data.document, data.source
        assert doc is not None and src is not None
        area = data.entities[doc.area]
        rows.append(
            {
                "id": doc.id,
                "title": doc.title,
                "kind": doc.kind,
                "area": {"id": area.id, "zh": area.zh, "en": area.en},
                "level": doc.level,
                "reportYear": doc.report_year,
                "delivered": doc.delivered.isoformat() if doc.delivered else None,
                "issuer": doc.issuer,
                "publisher": doc.publisher,
                "address": doc.address,
                "text": {"file": src.file, "sha256": src.sha256, "characters": src.characters},
                "counts": _counts(data),
            }
        )
    return sorted(rows, key=lambda r: r["id"])
