"""Turn checked records into the RDF graph.

Every node gets a readable IRI under ``https://w3id.org/linzi-kg/id/`` (no
blank nodes), so the export is deterministic and every fact can be linked to.
Each link is also reified as an ``rdf:Statement`` carrying its source spans
(``prov:wasDerivedFrom``), or, for editorial classification, typed
``lz:EditorialClassification`` and attributed to the linzi-kg editors.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.core import model
from kg.core.namespaces import (
    DCAT,
    DCTERMS,
    ID,
    LZ,
    OA,
    ONTOLOGY_IRI,
    PREFIXES,
    PROV,
    QB,
    SDMX_ATTR,
    SDMX_DIM,
    SDMX_MEASURE,
    SKOS,
)
from kg.documents.records import Corpus, Dataset, Entity, Link, Observation, Span

#: The catalogue of every document's data set.
CATALOG = ID["catalog"]
EDITORS = ID["agent/linzi-kg-editors"]


def entity_iri(entity: Entity) -> URIRef:
    """``id/<family>/<record id>``, e.g. ``id/enterprise/qilu-petrochemical``: one IRI in every document."""
    return ID[f"{entity.family}/{entity.id}"]


def document_iri(doc: str) -> URIRef:
    """``id/<document>``, e.g. ``id/linzi-2023``: the document (an ``lz:Document``)."""
    return ID[doc]


def scoped(doc: str, path: str) -> URIRef:
    """``id/<document>/<path>``: spans, figures, statements and data sets belong to their document."""
    return ID[f"{doc}/{path}"]


def text_iri(doc: str) -> URIRef:
    return scoped(doc, "text")


def dataset_iri(doc: str) -> URIRef:
    return scoped(doc, "dataset")


def figures_iri(doc: str) -> URIRef:
    return scoped(doc, "dataset/figures")


def specifications_iri(doc: str) -> URIRef:
    """Figures with no year of their own (a plant's capacity): a data set of
    their own, whose structure has no period dimension, so every observation
    of a data set has all its dimensions (RDF Data Cube IC-11)."""
    return scoped(doc, "dataset/specifications")


def observation_iri(doc: str, obs: Observation) -> URIRef:
    return scoped(doc, f"observation/{obs.id}")


def span_iri(doc: str, span: Span) -> URIRef:
    return scoped(doc, f"span/{span[0]}-{span[1]}")


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


class _Builder:
    """Builds one document into ``graph``; shared entities only where this document names them."""

    def __init__(self, data: Dataset, graph: Graph) -> None:
        self.data = data
        self.doc: str | None = data.id
        self.g = graph
        self.source = text_iri(data.id)
        self.iris = {e.id: entity_iri(e) for e in data.entities.values()}

    def add_spans(self, subject: URIRef, spans: tuple[Span, ...]) -> None:
        g = self.g
        assert self.doc is not None, "shared records have no spans"
        for span in spans:
            node = span_iri(self.doc, span)
            selector = scoped(self.doc, f"selector/{span[0]}-{span[1]}")
            g.add((subject, PROV.wasDerivedFrom, node))
            g.add((node, RDF.type, OA.SpecificResource))
            g.add((node, OA.hasSource, self.source))
            g.add((node, OA.hasSelector, selector))
            g.add((selector, RDF.type, OA.TextPositionSelector))
            # xsd:integer, not nonNegativeInteger: stores such as Oxigraph keep
            # only primitive numeric types, and the shapes check the range.
            g.add((selector, OA.start, Literal(span[0], datatype=XSD.integer)))
            g.add((selector, OA.end, Literal(span[1], datatype=XSD.integer)))

    def add_annotations(self, node: URIRef, annotations: dict[str, object]) -> None:
        for key, value in annotations.items():
            predicate = model.ANNOTATION_FIELDS[key]
            for v in value if isinstance(value, list) else [value]:
                if key == "confidence":
                    self.g.add((node, predicate, _decimal(Decimal(str(v)))))
                else:
                    self.g.add((node, predicate, Literal(str(v))))

    def metadata(self) -> None:
        g, data = self.g, self.data
        doc = data.document
        assert doc is not None and data.source is not None
        node, dataset, figures = document_iri(self.data.id), dataset_iri(self.data.id), figures_iri(self.data.id)
        # The document and its catalogue metadata (kind, level, year) are the
        # editors' record of what the text is, not facts the text states.
        g.add((node, RDF.type, LZ.Document))
        g.add((node, RDF.type, PROV.Entity))
        for lang, text in doc.title.items():
            g.add((node, DCTERMS.title, Literal(text, lang=lang)))
            g.add((node, RDFS.label, Literal(text, lang=lang)))
        g.add((node, LZ.documentKind, Literal(doc.kind)))
        g.add((node, LZ.areaLevel, Literal(doc.level)))
        g.add((node, LZ.reportYear, Literal(str(doc.report_year), datatype=XSD.gYear)))
        g.add((node, DCTERMS.spatial, self.iris[doc.area]))
        if doc.issuer:
            g.add((node, LZ.issuingBody, self.iris[doc.issuer]))
        if doc.publisher:
            g.add((node, DCTERMS.publisher, self.iris[doc.publisher]))
        if doc.delivered:
            g.add((node, DCTERMS.date, Literal(doc.delivered.isoformat(), datatype=XSD.date)))
        if doc.address:
            g.add((node, LZ.webAddress, Literal(doc.address, datatype=XSD.anyURI)))
        g.add((node, LZ.text, self.source))
        g.add((node, PROV.wasAttributedTo, EDITORS))
        g.add((node, RDFS.comment, Literal("catalogue metadata recorded by the linzi-kg editors", lang="en")))

        g.add((CATALOG, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, RDF.type, PROV.Entity))
        for lang, text in doc.title.items():
            g.add((dataset, DCTERMS.title, Literal(text, lang=lang)))
            g.add((dataset, RDFS.label, Literal(text, lang=lang)))
        g.add((dataset, LZ.document, node))
        g.add((dataset, DCTERMS.conformsTo, ONTOLOGY_IRI))
        g.add((dataset, PROV.wasDerivedFrom, self.source))
        g.add((dataset, DCTERMS.source, self.iris[data.source.text_of]))
        g.add((CATALOG, DCAT.dataset, figures))
        g.add((figures, RDF.type, QB.DataSet))
        g.add((figures, RDF.type, DCAT.Dataset))
        g.add((figures, QB.structure, LZ.figuresStructure))
        g.add((figures, DCTERMS.isPartOf, dataset))
        g.add((figures, LZ.document, node))
        g.add((figures, RDFS.label, Literal(f"数据：{doc.title.get('zh', self.data.id)}", lang="zh")))
        g.add((figures, RDFS.label, Literal(f"Figures: {doc.title.get('en', self.data.id)}", lang="en")))
        if any(o.year is None for o in data.observations.values()):
            specs = specifications_iri(self.data.id)
            g.add((CATALOG, DCAT.dataset, specs))
            g.add((specs, RDF.type, QB.DataSet))
            g.add((specs, RDF.type, DCAT.Dataset))
            g.add((specs, QB.structure, LZ.specificationsStructure))
            g.add((specs, DCTERMS.isPartOf, dataset))
            g.add((specs, LZ.document, node))
            g.add((specs, RDFS.label, Literal(f"无年份的规模数据：{doc.title.get('zh', self.data.id)}", lang="zh")))
            g.add(
                (
                    specs,
                    RDFS.label,
                    Literal(f"Specifications with no year: {doc.title.get('en', self.data.id)}", lang="en"),
                )
            )
        src = data.source
        g.add((self.source, RDF.type, LZ.SourceText))
        g.add((self.source, RDFS.label, Literal(src.file)))
        g.add((self.source, LZ.fileName, Literal(src.file)))
        g.add((self.source, LZ.sha256, Literal(src.sha256, datatype=XSD.hexBinary)))
        g.add((self.source, LZ.characterCount, Literal(src.characters, datatype=XSD.integer)))
        g.add((self.source, DCTERMS["format"], Literal("text/plain; charset=utf-8")))
        g.add((self.source, LZ.textOf, self.iris[src.text_of]))

    def shared_entity(self, e: Entity, *, links: bool = True) -> None:
        """What a shared entity is, whoever names it: types, labels, scheme, editorial links."""
        g = self.g
        node = self.iris[e.id]
        for t in e.types:
            g.add((node, RDF.type, model.TYPES[t].cls))
        g.add((node, RDFS.label, Literal(e.zh, lang="zh")))
        g.add((node, RDFS.label, Literal(e.en, lang="en")))
        if e.family in model.SCHEMES:
            g.add((node, SKOS.inScheme, ID[f"scheme/{model.SCHEMES[e.family][0]}"]))
        if e.members:
            g.add((node, LZ.memberClass, model.MEMBER_CLASSES[e.members]))
        for link in e.links if links else ():
            self.link(e.id, node, link)

    def entity(self, e: Entity) -> None:
        g = self.g
        node = self.iris[e.id]
        if not e.shared:
            self.shared_entity(e, links=False)
        g.add((node, LZ.sourceTerm, Literal(e.term, lang="zh")))
        for alias in e.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        self.add_spans(node, e.spans)
        self.add_annotations(node, e.annotations)
        for key, value in e.values.items():
            vspec = model.VALUE_FIELDS[key]
            for v in value if vspec.many else [value]:
                g.add((node, vspec.predicate, _literal(v, vspec.kind)))
        for link in e.links:
            self.link(e.id, node, link)

    def link(self, record: str, node: URIRef, link: Link, *, predicate: URIRef | None = None) -> None:
        """The triple of a link and its reification: spans, or editorial attribution."""
        g = self.g
        spec = None if predicate is not None else model.LINK_FIELDS[link.field]
        predicate = predicate if spec is None else spec.predicate
        assert predicate is not None
        concept = link.concept
        target = concept.iri if concept is not None else self.iris[link.target]
        g.add((node, predicate, target))
        local = predicate.split("#")[-1].split("/")[-1]
        name = f"statement/{record}.{local}.{link.target}"
        stmt = ID[name] if self.doc is None else scoped(self.doc, name)
        g.add((stmt, RDF.type, RDF.Statement))
        g.add((stmt, RDF.subject, node))
        g.add((stmt, RDF.predicate, predicate))
        g.add((stmt, RDF.object, target))
        if spec is not None and spec.editorial:
            g.add((stmt, RDF.type, LZ.EditorialClassification))
        if link.editorial or (spec is not None and spec.editorial):
            g.add((stmt, RDF.type, LZ.EditorialStatement))
            g.add((stmt, PROV.wasAttributedTo, EDITORS))
            note = link.note or "editorial classification by linzi-kg: the article does not place it under this action"
            g.add((stmt, RDFS.comment, Literal(note, lang="en")))
        else:
            self.add_spans(stmt, link.spans)

    def observation(self, o: Observation) -> None:
        g = self.g
        node = observation_iri(self.data.id, o)
        indicator = self.data.entities[o.indicator]
        unit = model.UNITS[o.unit]
        status_zh = {"actual": "实际", "target": "目标", "specification": "规模", "estimate": "预计"}[o.status]
        g.add((node, RDF.type, QB.Observation))
        g.add((node, QB.dataSet, figures_iri(self.data.id) if o.year is not None else specifications_iri(self.data.id)))
        when_zh, when_en = (f"{o.year}年", f"{o.year} ") if o.year is not None else ("", "")
        g.add((node, RDFS.label, Literal(f"{indicator.zh}（{when_zh}{status_zh}）：{o.wording}", lang="zh")))
        g.add((node, RDFS.label, Literal(f"{indicator.en} ({when_en}{o.status}): {o.wording}", lang="en")))
        g.add((node, SDMX_DIM.refArea, self.iris[o.area.target]))
        if o.year is not None:
            g.add((node, SDMX_DIM.refPeriod, Literal(str(o.year), datatype=XSD.gYear)))
        g.add((node, LZ.indicator, self.iris[o.indicator]))
        g.add((node, LZ.valueStatus, model.STATUSES[o.status]))
        g.add((node, SDMX_MEASURE.obsValue, _decimal(o.value)))
        g.add((node, SDMX_ATTR.unitMeasure, unit.iri))
        g.add((node, LZ.comparator, model.COMPARATORS[o.comparator]))
        if o.modality:
            g.add((node, LZ.modality, model.MODALITIES[o.modality]))
        g.add((node, LZ.originalWording, Literal(o.wording, lang="zh")))
        g.add((node, LZ.normalizedValue, _decimal(o.value * unit.multiplier)))
        g.add((node, LZ.normalizedUnit, unit.base))
        if o.basis:
            g.add((node, LZ.declaredBasis, Literal(o.basis, lang="zh")))
        self.add_spans(node, o.spans)
        if o.about is not None:
            self.link(o.id, node, o.about, predicate=LZ.aboutEntity)
        self.add_annotations(node, o.annotations)


def _decimal(value: Decimal) -> Literal:
    # The XSD canonical decimal form (no exponent, no trailing zeros, at least
    # one digit after the point: 277800000000.0, 45.1) is what Turtle writers
    # print, so the graph survives every round trip unchanged.
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _literal(value: object, kind: model.ValueKind) -> Literal:
    if kind is model.ValueKind.ZH:
        return Literal(str(value), lang="zh")
    if kind is model.ValueKind.INTEGER:
        return Literal(int(str(value)), datatype=XSD.integer)
    if kind is model.ValueKind.DATE:
        text = str(value)
        return Literal(text, datatype=XSD.gMonthDay if text.startswith("--") else XSD.date)
    return Literal(str(value))


def build_graph(data: Dataset | Corpus) -> Graph:
    """The RDF graph of a checked corpus, or of one document (without the ontology).

    >>> from kg.documents.records import load_corpus
    >>> g = build_graph(load_corpus())
    >>> from kg.core.namespaces import ID, LZ
    >>> str(g.value(ID["enterprise/juheshun"], LZ.sourceTerm))
    '聚合顺'
    >>> (ID["linzi-2023/dataset/figures"], None, None) in g
    True
    """
    corpus = data if isinstance(data, Corpus) else Corpus({data.id: data}, {}, data.metadata)
    graph = new_graph()
    catalog_metadata(graph, corpus)
    shared = _SharedBuilder(graph, corpus)
    for entity in corpus.shared.values():
        shared.shared_entity(entity)
    for doc in corpus.documents.values():
        builder = _Builder(doc, graph)
        builder.metadata()
        for entity in doc.own_entities():
            if entity.shared and not isinstance(data, Corpus):
                builder.shared_entity(entity, links=False)
            builder.entity(entity)
        for obs in doc.observations.values():
            builder.observation(obs)
    return graph


class _SharedBuilder(_Builder):
    """Shared entities' own triples; their editorial statements are not scoped by a document."""

    def __init__(self, graph: Graph, corpus: Corpus) -> None:
        self.g = graph
        self.doc = None
        self.iris = {e.id: entity_iri(e) for e in corpus.shared.values()}
        for doc in corpus.documents.values():
            self.iris.update((e.id, entity_iri(e)) for e in doc.entities.values())


def catalog_metadata(graph: Graph, corpus: Corpus) -> None:
    """The catalogue, the editors, and the concept schemes that some entity joins."""
    g = graph
    meta = corpus.metadata
    g.add((CATALOG, RDF.type, DCAT.Catalog))
    for lang, text in (meta.get("title") or {}).items():
        g.add((CATALOG, DCTERMS.title, Literal(text, lang=lang)))
        g.add((CATALOG, RDFS.label, Literal(text, lang=lang)))
    for lang, text in (meta.get("description") or {}).items():
        g.add((CATALOG, DCTERMS.description, Literal(text, lang=lang)))
    if meta.get("license"):
        g.add((CATALOG, DCTERMS.license, URIRef(str(meta["license"]))))
    if meta.get("version"):
        g.add((CATALOG, OWL.versionInfo, Literal(str(meta["version"]))))
    g.add((CATALOG, DCTERMS.conformsTo, ONTOLOGY_IRI))
    g.add((EDITORS, RDF.type, PROV.Agent))
    g.add((EDITORS, RDFS.label, Literal("linzi-kg 编辑", lang="zh")))
    g.add((EDITORS, RDFS.label, Literal("linzi-kg editors", lang="en")))
    families = {e.family for e in corpus.shared.values()}
    for doc in corpus.documents.values():
        families |= {e.family for e in doc.own_entities()}
    for family, (slug, zh, en) in model.SCHEMES.items():
        if family in families:
            scheme = ID[f"scheme/{slug}"]
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            g.add((scheme, RDFS.label, Literal(zh, lang="zh")))
            g.add((scheme, RDFS.label, Literal(en, lang="en")))
