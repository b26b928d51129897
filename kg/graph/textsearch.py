"""Search that finds text: over the names of entities and figures and over
the documents' own sentences.

A name that equals the query comes first, then names that start with it,
then names that contain it; then the entities stated in a sentence that
contains the query (a phrase such as 污水处理设施 finds its sentence and
the works named there). Each sentence is a :class:`Passage` with the facts
whose spans lie in it (``kg.graph.article.facts_of``: the same index the annotated
article is drawn from); its ``**`` markers are dropped for matching and
display, and a match maps back to code-point offsets of the text as
published, so that it can be marked there.

>>> text = "甲乙丙。**丁**戊己；"
>>> [(p.text, p.start, p.end) for p in split_passages(text)]
[('甲乙丙。', 0, 4), ('丁戊己；', 6, 12)]
>>> split_passages(text)[1].original(0, 2)
(6, 10)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import ID, LZ, QB, SKOS

#: Where a sentence ends (as kg.documents.texts.SourceText.sentence cuts them).
STOPS = frozenset("。!?！？;；\n")
#: What the search looks at at most, so that a long query costs nothing.
MAX_QUERY = 200


@dataclass(frozen=True)
class Passage:
    """A sentence of a document: its text without ``**``, where it is, and what it states."""

    document: URIRef | None
    start: int
    end: int
    text: str
    #: For each character of ``text``, its offset in the document's text.
    positions: tuple[int, ...]
    #: (start, end, node) of every entity or figure stated in it, in text order.
    facts: tuple[tuple[int, int, URIRef], ...] = ()

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The document offsets of ``text[start:end]`` (end exclusive)."""
        return self.positions[start], self.positions[end - 1] + 1


#: A line at least this long that ends without a stop is a paragraph broken
#: in the middle of a sentence (the seed article breaks 统 from 筹): the
#: sentence goes on past the break. Headlines are short lines.
LONG_LINE = 60


def split_passages(text: str, document: URIRef | None = None) -> list[Passage]:
    """The text cut into sentences (and short lines such as headlines), blank ones left out."""
    out: list[Passage] = []
    begin = line_start = 0
    joining = False
    for i, char in enumerate(text):
        cut = False
        if char == "\n":
            line = text[line_start:i].strip()
            line_start = i + 1
            if not joining and len(line) >= LONG_LINE and line[-1] not in STOPS:
                joining = True
            elif not joining:
                cut = True
        else:
            joining = False
            cut = char in STOPS
        if cut or i == len(text) - 1:
            out.extend(_passage(text, begin, i + 1, document))
            begin = i + 1
    return out


def _passage(text: str, start: int, end: int, document: URIRef | None) -> list[Passage]:
    shown: list[str] = []
    positions: list[int] = []
    i = start
    while i < end:
        if text.startswith("**", i) and i + 1 < end:
            i += 2
            continue
        if text[i] != "\n":
            shown.append(text[i])
            positions.append(i)
        i += 1
    while shown and shown[0].isspace():
        shown.pop(0)
        positions.pop(0)
    while shown and shown[-1].isspace():
        shown.pop()
        positions.pop()
    if not shown:
        return []
    return [Passage(document, positions[0], positions[-1] + 1, "".join(shown), tuple(positions))]


@dataclass(frozen=True)
class Entry:
    """Something with a page that a name finds."""

    node: URIRef
    label: str
    #: Every name, casefolded: labels in both languages, the text's own wording, other labels.
    names: tuple[str, ...]
    shown: tuple[str, ...]
    classes: tuple[URIRef, ...]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    #: ``exact``, ``prefix``, ``part`` (the name) or ``text`` (stated where the text has it)
    how: str
    #: The name that matched, when it is not the entry's label.
    matched: str | None = None


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    start: int  # the match, in passage.text
    end: int
    #: The entities and figures stated in the sentence; True for those whose span overlaps the match.
    stated: tuple[tuple[URIRef, bool], ...]

    @property
    def marked(self) -> tuple[int, int]:
        """The match's offsets in the document's text."""
        return self.passage.original(self.start, self.end)


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    passages: list[PassageHit] = field(default_factory=list)
    #: (class, number of hits of that class), most first, over every hit (before a class filter).
    facets: list[tuple[URIRef, int]] = field(default_factory=list)
    #: How many hits are by name (exact, prefix or part).
    by_name: int = 0
    #: Hits before a class filter, and after it.
    unfiltered: int = 0
    total: int = 0


_RANK = {"exact": 0, "prefix": 1, "part": 2, "text": 3}
_SKIP_CLASSES = {RDF.Statement}


def _fold(text: str) -> str:
    folded = text.casefold()
    return folded if len(folded) == len(text) else text.lower() if len(text.lower()) == len(text) else text


class SearchIndex:
    """Names and sentences of a graph, made once; :meth:`search` answers a query."""

    def __init__(
        self,
        graph: Graph,
        *,
        text_of: Callable[[URIRef], str | None],
        documents: Iterable[URIRef] | None = None,
    ) -> None:
        from kg.graph.article import Kind, facts_of
        from kg.graph.article import documents as source_texts
        from kg.graph.lookup import label

        self.entries: dict[URIRef, Entry] = {}
        nodes = set(graph.subjects(LZ.sourceTerm, None)) | set(graph.subjects(RDF.type, QB.Observation))
        for node in sorted(n for n in nodes if isinstance(n, URIRef)):
            shown = tuple(
                dict.fromkeys(
                    str(o) for p in (RDFS.label, LZ.sourceTerm, SKOS.altLabel) for o in graph.objects(node, p)
                )
            )
            classes = tuple(
                sorted(t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef) and t not in _SKIP_CLASSES)
            )
            self.entries[node] = Entry(
                node, label(graph, node) or str(node), tuple(_fold(n) for n in shown), shown, classes
            )
        self.passages: list[Passage] = []
        for document in documents if documents is not None else source_texts(graph):
            text = text_of(document)
            if text is None:
                continue
            facts = [
                f
                for f in facts_of(graph, document, label=lambda n: "", href=lambda n: None)
                if f.kind is not Kind.RELATION
            ]
            for passage in split_passages(text, document):
                inside = tuple(
                    (f.start, f.end, f.node) for f in facts if f.start < passage.end and passage.start < f.end
                )
                self.passages.append(
                    Passage(passage.document, passage.start, passage.end, passage.text, passage.positions, inside)
                )
        self._folded = [_fold(p.text) for p in self.passages]

    def search(self, query: str, *, cls: URIRef | None = None) -> SearchResult:
        """Hits by name (exact, prefix, part) then by text, and the passages that contain ``query``."""
        q = " ".join(query.split())[:MAX_QUERY]
        result = SearchResult(q)
        if not q:
            return result
        wanted = _fold(q)
        hits: dict[URIRef, tuple[tuple[int, int, str, str], Hit]] = {}
        for entry in self.entries.values():
            how, matched = None, None
            for folded, shown in zip(entry.names, entry.shown, strict=True):
                kind = "exact" if folded == wanted else "prefix" if folded.startswith(wanted) else None
                kind = kind or ("part" if wanted in folded else None)
                if kind is not None and (how is None or _RANK[kind] < _RANK[how]):
                    how, matched = kind, shown
            if how is not None:
                hit = Hit(entry, how, matched if matched != entry.label else None)
                hits[entry.node] = ((_RANK[how], len(entry.label), entry.label, str(entry.node)), hit)
        passages: list[PassageHit] = []
        for passage, folded in zip(self.passages, self._folded, strict=True):
            at = folded.find(wanted)
            if at < 0:
                continue
            end = at + len(wanted)
            first, last = passage.original(at, end)
            stated: dict[URIRef, bool] = {}
            for s, e, node in passage.facts:
                stated[node] = stated.get(node, False) or (s < last and first < e)
            passages.append(PassageHit(passage, at, end, tuple(stated.items())))
        for order, ph in enumerate(passages):
            for node, _at_match in ph.stated:
                stated_entry = self.entries.get(node)
                if stated_entry is not None and node not in hits:
                    key = (_RANK["text"], order, stated_entry.label, str(node))
                    hits[node] = (key, Hit(stated_entry, "text"))
        ranked = [h for _key, h in sorted(hits.values(), key=lambda kv: kv[0])]
        counts: Counter[URIRef] = Counter(c for h in ranked for c in h.entry.classes)
        result.facets = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        result.by_name = sum(1 for h in ranked if h.how != "text")
        result.unfiltered = len(ranked)
        if cls is not None:
            ranked = [h for h in ranked if cls in h.entry.classes]
            passages = [
                p for p in passages if any(cls in getattr(self.entries.get(n), "classes", ()) for n, _ in p.stated)
            ]
        result.hits = ranked
        result.total = len(ranked)
        result.passages = passages
        return result


def network_passages(kg: Any, nodes: set[str]) -> list[dict[str, Any]]:
    """The sentences the network view searches (visualize.render.page_data's
    ``passages``): each one's text, document id, offsets and the drawn nodes stated in it."""
    index = SearchIndex(kg.asserted, text_of=lambda d: getattr(kg.text_of(d), "text", None))
    out = []
    for p in index.passages:
        stated = [str(n) for _s, _e, n in p.facts if str(n) in nodes]
        out.append(
            {
                "doc": str(p.document)[len(str(ID)) :].split("/", 1)[0] if p.document is not None else "",
                "start": p.start,
                "end": p.end,
                "text": p.text,
                "nodes": list(dict.fromkeys(stated)),
            }
        )
    return out
