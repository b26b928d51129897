"""Read the authored YAML into checked records, with file and line for every problem.

The YAML format is described at the head of ``kg/data/context.yaml`` and in
the README. This module knows nothing of RDF: it checks shape, types, ids and
references, and collects every problem before raising one
:class:`~kg.errors.DataError`, so an analyst sees all mistakes at once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from kg.core import model
from kg.errors import DataError, Problem

Span = tuple[int, int]
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTH_DAY = re.compile(r"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class _Map(dict[Any, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class _List(list[Any]):
    line: int = 0


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        self.key, self.line = key, line


#: Input limits of the YAML loader: a file is read whole, so its size is
#: capped; aliases are refused (an 8.9 KB anchor bomb expands to gigabytes);
#: nesting is capped below Python's recursion limit; integers are capped
#: below Python's 4,300-digit conversion limit.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 50
MAX_INT_DIGITS = 40


class _Loader(yaml.SafeLoader):
    """SafeLoader with the input limits: no aliases, bounded nesting and integers."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in the data files", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"an integer of {digits} digits (at most {MAX_INT_DIGITS})", node.start_mark
            )
        return int(super().construct_yaml_int(node))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, dt.date)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain text or number", key_node.start_mark
            )
        if key in out:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _List:
    out = _List(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


@dataclass(frozen=True)
class Where:
    file: str
    line: int
    record: str | None


@dataclass(frozen=True)
class Link:
    """One stated (or editorial) relation from a record to another.

    A stated link has spans, each of which names both ends. An editorial link
    (``classifiedUnder``, or any link written ``{to: id, editorial: reason}``)
    has none: it is linzi-kg's reading, kept apart from what the text says.
    """

    field: str
    target: str
    spans: tuple[Span, ...]
    where: Where
    editorial: bool = False
    note: str | None = None

    @property
    def concept(self) -> model.Concept | None:
        """The ontology concept a concept link (``stage``, ``modality``) points to."""
        table = model.CONCEPT_LINK_FIELDS.get(self.field)
        return model.CONCEPTS[table].get(self.target) if table else None


@dataclass
class Entity:
    id: str
    types: tuple[str, ...]
    zh: str
    en: str
    term: str
    aliases: tuple[str, ...]
    spans: tuple[Span, ...]
    values: dict[str, Any]
    links: list[Link]
    members: str | None
    where: Where

    annotations: dict[str, Any] = field(default_factory=dict)
    #: Defined in ``shared/`` (one node for every document that mentions it);
    #: in a document's dataset, ``mentioned`` says whether this document does.
    shared: bool = False
    mentioned: bool = True

    @property
    def family(self) -> str:
        return model.TYPES[self.types[0]].family

    @property
    def wordings(self) -> tuple[str, ...]:
        """What the article calls this entity: its term and aliases."""
        return (self.term, *self.aliases)


@dataclass
class Observation:
    id: str
    indicator: str
    year: int | None
    status: str
    value: Decimal
    unit: str
    comparator: str
    modality: str | None
    wording: str
    about: Link | None
    area: Link
    spans: tuple[Span, ...]
    where: Where
    basis: str | None = None  # the basis the text declares (同口径, 可比价), as written

    def links(self) -> tuple[Link, ...]:
        """The figure's links that its spans must name: what it is about, and an area given explicitly.

        The default area is the report's own, which the document states once,
        not in every figure's span.
        """
        return tuple(link for link in (self.about, self.area) if link is not None and link.spans)

    annotations: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceInfo:
    id: str
    file: str
    sha256: str
    characters: int
    text_of: str
    where: Where


@dataclass
class DocumentInfo:
    """A document's catalogue metadata (``document:`` in its folder)."""

    id: str
    title: dict[str, str]
    kind: str
    area: str
    level: str
    report_year: int
    where: Where
    issuer: str | None = None
    publisher: str | None = None
    delivered: dt.date | None = None
    address: str | None = None


@dataclass
class Dataset:
    """One document: its text's identity, metadata and records, checked for shape and references."""

    entities: dict[str, Entity] = field(default_factory=dict)
    observations: dict[str, Observation] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    source: SourceInfo | None = None
    document: DocumentInfo | None = None

    @property
    def id(self) -> str:
        """The document's id (``linzi-2023``), which scopes its spans, figures and statements."""
        assert self.document is not None
        return self.document.id

    def links(self) -> Iterable[tuple[Entity, Link]]:
        for entity in self.entities.values():
            for link in entity.links:
                yield entity, link

    def own_entities(self) -> Iterable[Entity]:
        """Entities this document defines or mentions (not shared ones it never names)."""
        return (e for e in self.entities.values() if e.mentioned)


@dataclass
class Corpus:
    """Every document of a data directory, and the entities they share."""

    documents: dict[str, Dataset] = field(default_factory=dict)
    shared: dict[str, Entity] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def document(self, doc_id: str) -> Dataset:
        """One document by id; :class:`~kg.errors.UsageError` naming the known ones."""
        from kg.errors import UsageError

        if doc_id not in self.documents:
            raise UsageError(f"no document {doc_id!r}; documents: {', '.join(self.documents) or 'none'}")
        return self.documents[doc_id]

    def only(self, doc_id: str | None) -> Corpus:
        """The corpus narrowed to one document (``None``: all of it)."""
        if doc_id is None:
            return self
        data = self.document(doc_id)
        used = {e.id for e in data.own_entities()}
        return Corpus({doc_id: data}, {k: v for k, v in self.shared.items() if k in used}, self.metadata)


class _Reader:
    """Collects problems while reading one or more YAML files."""

    def __init__(self, shared: dict[str, Entity] | None = None, *, shared_mode: bool = False) -> None:
        self.problems: list[Problem] = []
        self.data = Dataset()
        self._first_seen: dict[str, Where] = {}
        #: Reading ``shared/``: entities with no spans, editorial links only.
        self.shared_mode = shared_mode
        self.shared = shared or {}
        for sid, entity in self.shared.items():
            # A copy per document: this document's mention adds its own spans and links.
            self.data.entities[sid] = Entity(
                **{**entity.__dict__, "spans": (), "links": [], "values": {}, "mentioned": False, "shared": True}
            )

    def problem(self, where: Where, fld: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(where.file, line or where.line, where.record, fld, message))

    # -- files -----------------------------------------------------------------

    def read_file(self, path: Path, label: str) -> None:
        try:
            if not path.is_file():
                self.problems.append(Problem(label, None, None, None, "not a regular file"))
                return
            if path.stat().st_size > MAX_FILE_BYTES:
                self.problems.append(Problem(label, None, None, None, f"larger than {MAX_FILE_BYTES} bytes"))
                return
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(label, None, None, None, f"not UTF-8 text ({exc.reason})"))
            return
        except OSError as exc:
            self.problems.append(Problem(label, None, None, None, f"cannot read: {exc.strerror or exc}"))
            return
        try:
            doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except _DuplicateKey as exc:
            self.problems.append(Problem(label, exc.line, None, str(exc.key), "duplicate key"))
            return
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            reason = getattr(exc, "problem", None) or str(exc)
            self.problems.append(Problem(label, line, None, None, f"not valid YAML: {reason}"))
            return
        except RecursionError:
            self.problems.append(Problem(label, None, None, None, "not valid YAML: nested too deep"))
            return
        if doc is None:
            return
        top = Where(label, 1, None)
        if not isinstance(doc, _Map):
            self.problem(top, None, "the file must be a mapping with 'records:' (or 'dataset:'/'source:')")
            return
        for key in doc:
            where = Where(label, doc.key_lines[key], None)
            if key == "records":
                self._records(doc[key], where)
            elif key == "dataset":
                self._dataset(doc[key], where)
            elif key == "source" and not self.shared_mode:
                self._source(doc[key], where)
            elif key == "document" and not self.shared_mode:
                self._document(doc[key], where)
            else:
                expected = "records" if self.shared_mode else "records, document, source or dataset"
                self.problem(where, str(key), f"unknown top-level key (expected {expected})")

    def _records(self, items: Any, where: Where) -> None:
        if not isinstance(items, list):
            self.problem(where, "records", "must be a list of records")
            return
        for item in items:
            if not isinstance(item, _Map):
                self.problem(where, "records", f"each record must be a mapping, got {item!r}")
                continue
            if "mention" in item and "id" not in item and not self.shared_mode:
                self._mention(item, Where(where.file, item.line, str(item["mention"])))
                continue
            rid = item.get("id")
            rwhere = Where(where.file, item.line, rid if isinstance(rid, str) else None)
            if not isinstance(rid, str) or not _ID.match(rid):
                self.problem(
                    rwhere,
                    "id",
                    f"must be a lower-case slug such as 'qilu-petrochemical', got {rid!r}",
                    item.key_lines.get("id"),
                )
                continue
            if rid in self._first_seen:
                first = self._first_seen[rid]
                self.problem(
                    rwhere, "id", f"duplicate id, first defined at {first.file}:{first.line}", item.key_lines.get("id")
                )
                continue
            if rid in self.shared:
                first = self.shared[rid].where
                self.problem(
                    rwhere,
                    "id",
                    f"{rid!r} is a shared entity ({first.file}:{first.line}); name it here with 'mention: {rid}'",
                    item.key_lines.get("id"),
                )
                continue
            self._first_seen[rid] = rwhere
            if item.get("type") == model.OBSERVATION:
                if self.shared_mode:
                    self.problem(rwhere, "type", "a figure belongs to its document's folder, not to shared/")
                    continue
                self._observation(item, rwhere)
            else:
                self._entity(item, rwhere)

    # -- field helpers -------------------------------------------------------------

    def _line(self, item: _Map, key: str) -> int:
        return item.key_lines.get(key, item.line)

    def _text(self, item: _Map, key: str, where: Where, *, required: bool = True) -> str | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(where, key, "missing")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, key, f"must be a non-empty text, got {value!r}", self._line(item, key))
            return None
        return value

    def _spans(self, value: Any, where: Where, fld: str, line: int) -> tuple[Span, ...] | None:
        if not isinstance(value, list) or not value:
            self.problem(where, fld, "must be a non-empty list of [start, end] pairs", line)
            return None
        spans: list[Span] = []
        for pair in value:
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
            ):
                self.problem(
                    where,
                    fld,
                    f"each span must be [start, end] with two integers, got {pair!r}",
                    getattr(pair, "line", line),
                )
                return None
            start, end = pair
            if start < 0 or end <= start:
                self.problem(
                    where, fld, f"span [{start}, {end}] must have 0 <= start < end", getattr(pair, "line", line)
                )
                return None
            spans.append((start, end))
        return tuple(spans)

    # -- records ---------------------------------------------------------------------

    def _entity(self, item: _Map, where: Where) -> None:
        ok = True
        for key in model.ENTITY_REQUIRED:
            if key not in item and not (self.shared_mode and key == "spans"):
                self.problem(where, key, "missing")
                ok = False
        if self.shared_mode and "spans" in item:
            self.problem(
                where,
                "spans",
                "a shared entity has no spans: each document that names it gives them with 'mention: <id>'",
                self._line(item, "spans"),
            )
            ok = False
        raw_types = item.get("type")
        types = tuple(raw_types) if isinstance(raw_types, list) else (raw_types,)
        for t in types:
            if not isinstance(t, str) or t not in model.TYPES:
                known = ", ".join(sorted([*model.TYPES, model.OBSERVATION]))
                self.problem(where, "type", f"unknown type {t!r}; known types: {known}", self._line(item, "type"))
                ok = False
        for key in item:
            known_key = key in model.ENTITY_FIELDS or key in model.ANNOTATION_FIELDS
            if not known_key and key not in model.VALUE_FIELDS and key not in model.LINK_FIELDS:
                self.problem(where, str(key), "unknown field", self._line(item, key))
                ok = False
        zh = self._text(item, "zh", where)
        en = self._text(item, "en", where)
        term = self._text(item, "term", where, required=False) or zh
        aliases_raw = item.get("aliases", [])
        if not isinstance(aliases_raw, list) or not all(isinstance(a, str) and a for a in aliases_raw):
            self.problem(where, "aliases", "must be a list of texts", self._line(item, "aliases"))
            ok = False
            aliases_raw = []
        spans = self._spans(item.get("spans"), where, "spans", self._line(item, "spans")) if "spans" in item else None
        if self.shared_mode:
            spans = ()
        members = item.get("members")
        if members is not None and (not isinstance(members, str) or members not in model.MEMBER_CLASSES):
            self.problem(
                where, "members", f"must be one of {', '.join(model.MEMBER_CLASSES)}", self._line(item, "members")
            )
            ok = False
        values: dict[str, Any] = {}
        for key, spec in model.VALUE_FIELDS.items():
            if key in item:
                value = self._value(item[key], spec, where, key, self._line(item, key))
                if value is None:
                    ok = False
                else:
                    values[key] = value
        links: list[Link] = []
        for key in model.LINK_FIELDS:
            if key in item:
                parsed = self._links(item[key], where, key, self._line(item, key), spans or ())
                if parsed is None:
                    ok = False
                else:
                    links.extend(parsed)
        if self.shared_mode:
            for link in links:
                if not link.editorial:
                    self.problem(
                        link.where,
                        link.field,
                        "a shared entity's links are stated by a document: give it under 'mention: "
                        f"{where.record}' there (or write {{to: id, editorial: reason}})",
                    )
                    ok = False
            for key in values:
                self.problem(where, key, "a value is stated by a document: give it under 'mention:' there")
                ok = False
        annotations = self._annotations(item, where)
        if not ok or zh is None or en is None or term is None or spans is None or annotations is None:
            return
        self.data.entities[where.record or ""] = Entity(
            id=where.record or "",
            types=types,
            zh=zh,
            en=en,
            term=term,
            aliases=tuple(aliases_raw),
            spans=spans,
            values=values,
            links=links,
            members=members,
            where=where,
            annotations=annotations,
        )

    def _mention(self, item: _Map, where: Where) -> None:
        """``mention: <shared id>``: this document names a shared entity, with its spans and links."""
        sid = item["mention"]
        if not isinstance(sid, str) or sid not in self.shared:
            close = _close_matches(str(sid), self.shared)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            self.problem(where, "mention", f"no shared entity {sid!r} in shared/{hint}", self._line(item, "mention"))
            return
        if sid in self._first_seen:
            first = self._first_seen[sid]
            self.problem(where, "mention", f"mentioned twice, first at {first.file}:{first.line}")
            return
        self._first_seen[sid] = where
        ok = True
        allowed = {"mention", "term", "aliases", "spans", *model.ANNOTATION_FIELDS}
        for key in item:
            if key not in allowed and key not in model.VALUE_FIELDS and key not in model.LINK_FIELDS:
                self.problem(where, str(key), "unknown field for a mention", self._line(item, key))
                ok = False
        if "spans" not in item:
            self.problem(where, "spans", "missing (where this document names the entity)")
            return
        spans = self._spans(item["spans"], where, "spans", self._line(item, "spans"))
        term = self._text(item, "term", where, required=False)
        aliases_raw = item.get("aliases", [])
        if not isinstance(aliases_raw, list) or not all(isinstance(a, str) and a for a in aliases_raw):
            self.problem(where, "aliases", "must be a list of texts", self._line(item, "aliases"))
            ok, aliases_raw = False, []
        values: dict[str, Any] = {}
        for key, spec in model.VALUE_FIELDS.items():
            if key in item:
                value = self._value(item[key], spec, where, key, self._line(item, key))
                ok = ok and value is not None
                values[key] = value
        links: list[Link] = []
        for key in model.LINK_FIELDS:
            if key in item:
                parsed = self._links(item[key], where, key, self._line(item, key), spans or ())
                ok = ok and parsed is not None
                links.extend(parsed or [])
        annotations = self._annotations(item, where)
        if not ok or spans is None or annotations is None:
            return
        base = self.data.entities[sid]
        aliases = tuple(dict.fromkeys((*base.aliases, *aliases_raw)))
        self.data.entities[sid] = Entity(
            **{
                **base.__dict__,
                "term": term or base.term,
                "aliases": aliases,
                "spans": spans,
                "values": values,
                "links": links,
                "where": where,
                "annotations": annotations,
                "mentioned": True,
            }
        )

    def _document(self, raw: Any, where: Where) -> None:
        if not isinstance(raw, _Map):
            self.problem(where, "document", "must be a mapping")
            return
        dwhere = Where(where.file, raw.line, "document")
        fields = {"id", "title", "kind", "area", "level", "reportYear", "issuer", "publisher", "delivered", "address"}
        for key in raw:
            if key not in fields:
                self.problem(dwhere, str(key), "unknown field of a document", raw.key_lines[key])
        ok = True
        doc_id = raw.get("id")
        if not isinstance(doc_id, str) or not _ID.match(doc_id) or doc_id in model.RESERVED_DOCUMENT_IDS:
            self.problem(
                dwhere,
                "id",
                f"must be a lower-case slug such as 'zibo-2023', not one of {', '.join(model.RESERVED_DOCUMENT_IDS)}"
                f"; got {doc_id!r}",
            )
            ok = False
        title = raw.get("title")
        if (
            not isinstance(title, dict)
            or not title
            or not all(k in ("zh", "en") and isinstance(v, str) and v for k, v in title.items())
        ):
            self.problem(dwhere, "title", "must be {zh: ..., en: ...}")
            ok = False
        kind = raw.get("kind")
        if kind not in model.DOCUMENT_KINDS:
            self.problem(dwhere, "kind", f"must be one of {', '.join(model.DOCUMENT_KINDS)}, got {kind!r}")
            ok = False
        level = raw.get("level")
        if level not in model.AREA_LEVELS:
            self.problem(dwhere, "level", f"must be one of {', '.join(model.AREA_LEVELS)}, got {level!r}")
            ok = False
        year = raw.get("reportYear")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            self.problem(dwhere, "reportYear", f"must be a year such as 2023, got {year!r}")
            ok = False
        refs: dict[str, str | None] = {}
        for key in ("area", "issuer", "publisher", "address"):
            value = raw.get(key)
            if value is not None and not (isinstance(value, str) and value):
                self.problem(dwhere, key, f"must be a text, got {value!r}")
                ok = False
            refs[key] = value
        if refs["area"] is None:
            self.problem(dwhere, "area", "missing (the place the report is of: a record id)")
            ok = False
        delivered = raw.get("delivered")
        if isinstance(delivered, str):
            try:
                delivered = dt.date.fromisoformat(delivered)
            except ValueError:
                pass
        if delivered is not None and not isinstance(delivered, dt.date):
            self.problem(dwhere, "delivered", f"must be a date such as 2022-12-28, got {delivered!r}")
            ok = False
        if self.data.document is not None:
            first = self.data.document.where
            self.problem(dwhere, "document", f"a second 'document:' section (first at {first.file}:{first.line})")
            ok = False
        if ok:
            self.data.document = DocumentInfo(
                id=str(doc_id),
                title=dict(title),  # type: ignore[arg-type]
                kind=str(kind),
                area=str(refs["area"]),
                level=str(level),
                report_year=int(year),  # type: ignore[arg-type]
                where=dwhere,
                issuer=refs["issuer"],
                publisher=refs["publisher"],
                delivered=delivered if isinstance(delivered, dt.date) else None,
                address=refs["address"],
            )

    def _value(self, raw: Any, spec: model.ValueField, where: Where, key: str, line: int) -> Any:
        items = raw if spec.many and isinstance(raw, list) else [raw]
        out = []
        for value in items:
            if spec.kind is model.ValueKind.INTEGER:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    self.problem(where, key, f"must be a non-negative integer, got {value!r}", line)
                    return None
            elif spec.kind is model.ValueKind.DATE:
                # "--02-02" (xsd:gMonthDay) when the text gives day and month only.
                if isinstance(value, str) and not _MONTH_DAY.match(value):
                    try:
                        value = dt.date.fromisoformat(value)
                    except ValueError:
                        pass
                if not isinstance(value, dt.date) and not (isinstance(value, str) and _MONTH_DAY.match(value)):
                    self.problem(
                        where, key, f"must be a date such as 2023-02-02, or --02-02 without a year, got {value!r}", line
                    )
                    return None
            else:
                if isinstance(value, int) and not isinstance(value, bool):
                    value = str(value)
                if not isinstance(value, str) or not value:
                    self.problem(where, key, f"must be a text, got {value!r}", line)
                    return None
            out.append(value)
        return out if spec.many else out[0]

    def _links(self, raw: Any, where: Where, key: str, line: int, default: tuple[Span, ...]) -> list[Link] | None:
        items = raw if isinstance(raw, list) else [raw]
        editorial = key in model.LINK_FIELDS and model.LINK_FIELDS[key].editorial
        out: list[Link] = []
        for item in items:
            item_line = getattr(item, "line", line)
            target: Any
            if isinstance(item, str):
                target, spans = item, default
            elif isinstance(item, _Map):
                extra = set(item) - {"to", "spans", "editorial"}
                if extra:
                    self.problem(
                        where,
                        key,
                        f"unknown key(s) {', '.join(map(str, sorted(extra)))} in link "
                        "(a link has 'to' and optional 'spans' or 'editorial')",
                        item_line,
                    )
                    return None
                target = item.get("to")
                if not isinstance(target, str):
                    self.problem(where, key, "a link needs 'to: <record id>'", item_line)
                    return None
                if "editorial" in item:
                    note = item["editorial"]
                    if "spans" in item or not isinstance(note, str) or not note.strip():
                        self.problem(
                            where,
                            key,
                            "an editorial link has no spans and says why in 'editorial: <reason>'",
                            item_line,
                        )
                        return None
                    out.append(Link(key, target, (), Where(where.file, item_line, where.record), True, note))
                    continue
                if "spans" in item:
                    parsed = self._spans(item["spans"], where, key, item.key_lines["spans"])
                    if parsed is None:
                        return None
                    spans = parsed
                else:
                    spans = default
            else:
                self.problem(
                    where,
                    key,
                    f"must be a record id, a list of ids or {{to: id, spans: [...]}}, got {item!r}",
                    item_line,
                )
                return None
            link_where = Where(where.file, item_line, where.record)
            out.append(Link(key, target, () if editorial else spans, link_where, editorial))
        return out

    def _observation(self, item: _Map, where: Where) -> None:
        ok = True
        for key in item:
            if key not in model.OBSERVATION_FIELDS:
                self.problem(where, str(key), "unknown field for an Observation", self._line(item, key))
                ok = False
        for key in model.OBSERVATION_REQUIRED:
            if key not in item:
                self.problem(where, key, "missing")
                ok = False
        if not ok:
            return
        # A figure with no year of its own (a plant's design capacity) leaves
        # `year` out rather than borrowing the report's.
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100):
            self.problem(where, "year", f"must be a year such as 2023, got {year!r}", self._line(item, "year"))
            ok = False
        if year is None and item.get("status") != "specification":
            self.problem(where, "year", "missing (only a specification, such as a capacity, may have no year)")
            ok = False
        choices = {"status": model.STATUSES, "comparator": model.COMPARATORS, "modality": model.MODALITIES}
        for key, allowed in choices.items():
            if key in item and (not isinstance(item[key], str) or item[key] not in allowed):
                self.problem(
                    where, key, f"must be one of {', '.join(allowed)}, got {item[key]!r}", self._line(item, key)
                )
                ok = False
        unit = item["unit"]
        if not isinstance(unit, str) or unit not in model.UNITS:
            self.problem(
                where, "unit", f"unknown unit {unit!r}; known units: {' '.join(model.UNITS)}", self._line(item, "unit")
            )
            ok = False
        raw_value = item["value"]
        value: Decimal | None = None
        if isinstance(raw_value, (int, float)) and not isinstance(raw_value, bool):
            try:
                value = Decimal(str(raw_value))
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite():
            self.problem(where, "value", f"must be a number, got {raw_value!r}", self._line(item, "value"))
            ok = False
        wording = self._text(item, "wording", where)
        basis = self._text(item, "basis", where, required=False)
        indicator = self._text(item, "indicator", where)
        spans = self._spans(item["spans"], where, "spans", self._line(item, "spans"))
        about: Link | None = None
        # The document's own area, filled in once its 'document:' section is read.
        area = Link("area", "", (), where)
        for key in ("about", "area"):
            if key not in item:
                continue
            parsed = self._links(item[key], where, key, self._line(item, key), spans or ())
            if parsed is None or len(parsed) != 1:
                if parsed is not None:
                    self.problem(where, key, "a figure has one " + key, self._line(item, key))
                ok = False
                continue
            if key == "about":
                about = parsed[0]
            else:
                area = parsed[0]
        annotations = self._annotations(item, where)
        if not ok or wording is None or indicator is None or spans is None or value is None or annotations is None:
            return
        self.data.observations[where.record or ""] = Observation(
            id=where.record or "",
            indicator=indicator,
            year=year,
            status=item["status"],
            value=value,
            unit=unit,
            comparator=item.get("comparator", "="),
            modality=item.get("modality"),
            wording=wording,
            about=about,
            area=area,
            spans=spans,
            where=where,
            basis=basis,
            annotations=annotations,
        )

    def _annotations(self, item: _Map, where: Where) -> dict[str, Any] | None:
        """The draft annotations of a record (see model.ANNOTATION_FIELDS); None on a problem."""
        out: dict[str, Any] = {}
        ok = True
        for key in model.ANNOTATION_FIELDS:
            if key not in item:
                continue
            value, line = item[key], self._line(item, key)
            if key == "draft" and value not in model.DRAFT_STATES:
                self.problem(where, key, f"must be one of {', '.join(model.DRAFT_STATES)}, got {value!r}", line)
                ok = False
            elif key == "rule" and not (isinstance(value, str) and value):
                self.problem(where, key, f"must be a text, got {value!r}", line)
                ok = False
            elif key == "confidence" and not (
                isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
            ):
                self.problem(where, key, f"must be a number from 0 to 1, got {value!r}", line)
                ok = False
            elif key == "review" and not (isinstance(value, list) and all(isinstance(r, str) for r in value)):
                self.problem(where, key, f"must be a list of texts, got {value!r}", line)
                ok = False
            out[key] = value
        return out if ok else None

    def _dataset(self, raw: Any, where: Where) -> None:
        if not isinstance(raw, _Map):
            self.problem(where, "dataset", "must be a mapping")
            return
        allowed = {"title", "description", "license", "version"}
        for key in raw:
            if key not in allowed:
                self.problem(where, f"dataset.{key}", "unknown field", raw.key_lines[key])
        self.data.metadata = dict(raw)

    def _source(self, raw: Any, where: Where) -> None:
        if not isinstance(raw, _Map):
            self.problem(where, "source", "must be a mapping")
            return
        swhere = Where(where.file, raw.line, "source")
        for key in raw:
            if key not in {"id", "file", "sha256", "characters", "textOf"}:
                self.problem(swhere, str(key), "unknown field", raw.key_lines[key])
        sha = raw.get("sha256")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            self.problem(swhere, "sha256", "must be 64 lower-case hex digits")
            return
        chars = raw.get("characters")
        if not isinstance(chars, int) or chars <= 0:
            self.problem(swhere, "characters", "must be a positive integer")
            return
        sid, fname, text_of = raw.get("id", "text"), raw.get("file"), raw.get("textOf")
        if not all(isinstance(x, str) for x in (sid, fname, text_of)):
            self.problem(swhere, None, "needs file and textOf as texts")
            return
        self.data.source = SourceInfo(str(sid), str(fname), sha, chars, str(text_of), swhere)

    # -- references ----------------------------------------------------------------

    def check_references(self) -> None:
        data = self.data
        ids = set(data.entities)

        def need(where: Where, fld: str, target: str, families: tuple[str, ...] | None = None) -> None:
            if target not in ids:
                hint = ""
                close = _close_matches(target, ids)
                if close:
                    hint = f" (did you mean {', '.join(close)}?)"
                self.problem(where, fld, f"refers to unknown record {target!r}{hint}")
            elif families and data.entities[target].family not in families:
                self.problem(
                    where,
                    fld,
                    f"{target!r} is a {data.entities[target].types[0]}, expected one of: {', '.join(families)}",
                )

        for _entity, link in data.links():
            table = model.CONCEPT_LINK_FIELDS.get(link.field)
            if table is None:
                need(link.where, link.field, link.target)
            elif link.concept is None:
                known = ", ".join(model.CONCEPTS[table])
                self.problem(link.where, link.field, f"unknown {table} {link.target!r}; known: {known}")
        self._check_cycles()
        if self.shared_mode:
            return
        doc = data.document
        if doc is None:
            self.problems.append(Problem("(data)", None, None, "document", "no 'document:' section in any file"))
            return
        need(doc.where, "area", doc.area, ("place",))
        if doc.area in data.entities:
            expected = model.AREA_LEVELS[doc.level][2]
            if not set(expected) & set(data.entities[doc.area].types):
                area_type = data.entities[doc.area].types[0]
                self.problem(doc.where, "level", f"{doc.level!r}, but the area {doc.area!r} is a {area_type}")
        for key in ("issuer", "publisher"):
            value = getattr(doc, key)
            if value is not None:
                need(doc.where, key, value, ("org",))
        for obs in data.observations.values():
            if not obs.area.target:
                obs.area = Link("area", doc.area, (), obs.area.where)
        for obs in data.observations.values():
            need(obs.where, "indicator", obs.indicator, ("indicator",))
            need(obs.area.where, "area", obs.area.target, ("place",))
            if obs.about is not None:
                need(obs.about.where, "about", obs.about.target)
        if data.source is None:
            self.problems.append(Problem("(data)", None, None, "source", "no 'source:' section in any file"))
        else:
            # The text is a news article on a report, or the report itself (a draft of linzi-kg ingest).
            need(data.source.where, "textOf", data.source.text_of, ("article", "report"))

    def _check_cycles(self) -> None:
        """A hierarchy (within, partOf, ...) that loops back is a data error."""
        for fld in HIERARCHIES:
            up: dict[str, list[Link]] = {}
            for entity, link in self.data.links():
                if link.field == fld and link.target in self.data.entities:
                    up.setdefault(entity.id, []).append(link)
            found = _cycle(up)
            if found is not None:
                loop, closing = found
                self.problem(closing.where, fld, "forms a cycle: " + " -> ".join(loop[:12]))


def _cycle(up: dict[str, list[Link]]) -> tuple[list[str], Link] | None:
    """A cycle in the links ``up`` (record -> its links), by iterative depth-first search."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(up):
        if start in state:
            continue
        path = [start]
        stack = [iter(up.get(start, []))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step.target) == 1:
                return [*path[path.index(step.target) :], step.target], step
            elif step.target not in state:
                state[step.target] = 1
                path.append(step.target)
                stack.append(iter(up.get(step.target, [])))
    return None


#: Link fields that form a hierarchy, where a cycle is an error.
HIERARCHIES = ("within", "partOf", "unitOf", "subOrganizationOf", "broader")


def _close_matches(word: str, candidates: Iterable[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, sorted(candidates), n=3, cutoff=0.6)


#: The folder of entities that several documents mention, in a corpus directory.
SHARED_FOLDER = "shared"
#: The corpus directory's own file: the catalogue's title, description, licence.
CATALOG_FILE = "catalog.yaml"


def _yaml_files(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.glob("*.yaml") if p.name != CATALOG_FILE)
    except OSError:
        return []


def is_document_folder(root: Path) -> bool:
    """Whether ``root`` holds one document's records (not a corpus of document folders)."""
    return any(not p.is_dir() for p in _yaml_files(root)) and not (root / SHARED_FOLDER).is_dir()


def _read_folder(root: Path, shared: dict[str, Entity], problems: list[Problem]) -> Dataset | None:
    files = _yaml_files(root)
    if not files:
        problems.append(Problem(_display(root), None, None, None, "no *.yaml files in the document folder"))
        return None
    reader = _Reader(shared)
    for path in files:
        reader.read_file(path, _display(path))
    if not reader.problems:
        reader.check_references()
    problems += reader.problems
    return None if reader.problems else reader.data


def load_corpus(directory: str | os.PathLike[str] | None = None) -> Corpus:
    """Read a data directory: ``shared/`` and one folder per document (default: the packaged data).

    A directory whose ``*.yaml`` files hold one document (a draft of
    ``linzi-kg ingest``) is read as a corpus of that one document. Raises
    :class:`~kg.errors.DataError` listing every problem found.

    >>> corpus = load_corpus()
    >>> corpus.shared["linzi"].zh, "linzi-2023" in corpus.documents
    ('临淄区', True)
    """
    from kg.resources import data_dir

    root = Path(directory) if directory is not None else data_dir()
    if not root.is_dir():
        raise DataError([Problem(str(root), None, None, None, "data directory not found")])
    problems: list[Problem] = []
    corpus = Corpus()
    if is_document_folder(root):
        data = _read_folder(root, {}, problems)
        if data is None:
            raise DataError(problems)
        corpus.documents[data.id] = data
        corpus.metadata = data.metadata
        return corpus
    catalog = root / CATALOG_FILE
    if catalog.exists():
        reader = _Reader(shared_mode=True)
        reader.read_file(catalog, _display(catalog))
        problems += reader.problems
        corpus.metadata = reader.data.metadata
    shared_dir = root / SHARED_FOLDER
    if shared_dir.is_dir():
        reader = _Reader(shared_mode=True)
        for path in _yaml_files(shared_dir):
            reader.read_file(path, _display(path))
        if not reader.problems:
            reader.check_references()
        problems += reader.problems
        corpus.shared = {k: e for k, e in reader.data.entities.items()}
    for stray in _yaml_files(root):
        problems.append(
            Problem(
                _display(stray),
                None,
                None,
                None,
                f"a data file at the top of the data directory belongs to no document; move it into a "
                f"document's folder or into {SHARED_FOLDER}/",
            )
        )
    folders = sorted(p for p in root.iterdir() if p.is_dir() and p.name != SHARED_FOLDER and not p.name.startswith("."))
    if not folders:
        problems.append(Problem(_display(root), None, None, None, "no document folders (each with a document.yaml)"))
    if problems:
        raise DataError(problems)
    defined: dict[str, tuple[str, Where]] = {}
    for folder in folders:
        data = _read_folder(folder, corpus.shared, problems)
        if data is None:
            continue
        if data.id in corpus.documents:
            problems.append(Problem(_display(folder), None, None, "document.id", f"duplicate document id {data.id!r}"))
            continue
        for entity in data.entities.values():
            if entity.shared:
                continue
            if entity.id in defined:
                other, where = defined[entity.id]
                problems.append(
                    Problem(
                        entity.where.file,
                        entity.where.line,
                        entity.id,
                        "id",
                        f"also defined by document {other} ({where.file}:{where.line}); "
                        "an entity that two documents name goes in shared/, and each document writes 'mention:'",
                    )
                )
            defined[entity.id] = (data.id, entity.where)
        corpus.documents[data.id] = data
    for sid, entity in corpus.shared.items() if not problems else ():
        if not any(d.entities[sid].mentioned for d in corpus.documents.values()):
            problems.append(
                Problem(entity.where.file, entity.where.line, sid, None, "no document mentions this shared entity")
            )
    if problems:
        raise DataError(problems)
    return corpus


def load_dataset(directory: str | os.PathLike[str] | None = None, *, document: str | None = None) -> Dataset:
    """One document's records: the folder ``directory``, or ``document`` of a corpus directory.

    Raises :class:`~kg.errors.DataError` listing every problem found.

    >>> data = load_dataset(document="linzi-2023")
    >>> data.entities["qilu-petrochemical"].zh
    '齐鲁石化'
    """
    corpus = load_corpus(directory)
    if document is None:
        if len(corpus.documents) != 1:
            from kg.errors import UsageError

            raise UsageError(
                f"the data holds {len(corpus.documents)} documents; name one of {', '.join(corpus.documents)}"
            )
        return next(iter(corpus.documents.values()))
    return corpus.document(document)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
