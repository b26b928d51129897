"""A draft as RDF in the project's model (``linzi-kg ingest --format turtle``).

Each figure is a ``qb:Observation`` with ``sdmx-measure:obsValue`` (the number
as printed), ``sdmx-attribute:unitMeasure`` (a unit whose zh label is the unit
as printed), ``lz:originalWording``, ``lz:indicator`` (an ``lz:Indicator``
labelled in zh), ``sdmx-dimension:refPeriod``, ``lz:valueStatus``,
``lz:comparator``, ``lz:modality``, the normalized value, and a
``prov:wasDerivedFrom`` span whose ``oa:TextPositionSelector`` covers the
number with its unit. Entities carry their ontology class, zh label,
``lz:sourceTerm`` and spans; relations are stated and reified with a span that
names both ends. Every drafted node carries ``lz:draftStatus "draft"``,
``lz:draftRule``, ``lz:draftConfidence`` and its ``lz:reviewReason``s.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.core.model import COMPARATORS, MODALITIES, STATUSES
from kg.core.namespaces import ID, LZ, OA, ORG, PROV, QB, QUDT, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SKOS
from kg.ingest.draft import Draft, DraftEntity, Span
from kg.rdf.build import new_graph

#: Gold entity types as ontology classes; places get their level from the name.
CLASSES: dict[str, URIRef] = {
    "person": SCHEMA.Person,
    "government": LZ.GovernmentOrganization,
    "media": LZ.MediaOrganization,
    "school": LZ.School,
    "hospital": LZ.Hospital,
    "enterprise": LZ.Enterprise,
    "park": LZ.IndustrialPark,
    "project": LZ.Project,
    "road": LZ.Road,
    "facility": LZ.Facility,
    "other": SKOS.Concept,
}
RELATIONS: dict[str, URIRef] = {
    "carriedOutBy": LZ.carriedOutBy,
    "memberOfGroup": LZ.memberOfGroup,
    "holds": ORG.holds,
}


def entity_class(entity: DraftEntity) -> URIRef:
    """The ontology class of a drafted entity."""
    if entity.type == "place":
        last = entity.label[-1:]
        return {"省": LZ.Province, "市": LZ.City, "区": LZ.District, "县": LZ.District}.get(
            last, LZ.AdministrativeDivision
        )
    if entity.type == "government":
        if "人民代表大会" in entity.label or "人大" in entity.label:
            return LZ.PeoplesCongress
        if entity.label.endswith("委") or entity.label in ("党中央", "中共中央"):
            return LZ.PartyCommittee
    return CLASSES.get(entity.type, SKOS.Concept)


def _decimal(value: Decimal) -> Literal:
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


class _Writer:
    def __init__(self, draft: Draft) -> None:
        self.d = draft
        self.g = new_graph()
        # The draft is a document of its own: its IRIs are scoped like a built document's.
        self.doc = f"draft-{draft.sha256[:8]}"
        self.source = ID[f"{self.doc}/text"]

    def spans(self, node: URIRef, spans: list[Span]) -> None:
        g = self.g
        for start, end in spans:
            res = ID[f"{self.doc}/span/{start}-{end}"]
            sel = ID[f"{self.doc}/selector/{start}-{end}"]
            g.add((node, PROV.wasDerivedFrom, res))
            g.add((res, RDF.type, OA.SpecificResource))
            g.add((res, OA.hasSource, self.source))
            g.add((res, OA.hasSelector, sel))
            g.add((sel, RDF.type, OA.TextPositionSelector))
            g.add((sel, OA.start, Literal(start, datatype=XSD.integer)))
            g.add((sel, OA.end, Literal(end, datatype=XSD.integer)))

    def draft_marks(self, node: URIRef, rule: str, confidence: float, reasons: list[str]) -> None:
        g = self.g
        g.add((node, LZ.draftStatus, Literal("draft")))
        g.add((node, LZ.draftRule, Literal(rule)))
        g.add((node, LZ.draftConfidence, Literal(str(confidence), datatype=XSD.decimal)))
        for reason in reasons:
            g.add((node, LZ.reviewReason, Literal(reason)))

    def build(self) -> Graph:
        g, d = self.g, self.d
        g.add((self.source, RDF.type, LZ.SourceText))
        g.add((self.source, LZ.fileName, Literal(d.source_name)))
        g.add((self.source, LZ.sha256, Literal(d.sha256, datatype=XSD.hexBinary)))
        g.add((self.source, LZ.characterCount, Literal(d.characters, datatype=XSD.integer)))
        document = ID[self.doc]
        g.add((document, RDF.type, LZ.Document))
        g.add((document, RDFS.label, Literal(f"{d.source_name} 草稿", lang="zh")))
        g.add((document, LZ.text, self.source))
        g.add((document, LZ.documentKind, Literal("work-report")))
        if d.report_year > 0:
            g.add((document, LZ.reportYear, Literal(str(d.report_year), datatype=XSD.gYear)))
        dataset = ID[f"{self.doc}/dataset/figures"]
        g.add((dataset, RDF.type, QB.DataSet))
        g.add((dataset, LZ.document, document))
        g.add((dataset, QB.structure, LZ.figuresStructure))
        g.add((dataset, RDFS.label, Literal(f"{d.source_name} 草稿数据", lang="zh")))
        g.add((dataset, PROV.wasDerivedFrom, self.source))
        units = {}
        for ind in d.indicators:
            node = ID[f"indicator/draft-{d.sha256[:8]}-{ind.id}"]
            g.add((node, RDF.type, LZ.Ranking if ind.ranking else LZ.Indicator))
            g.add((node, RDFS.label, Literal(ind.label, lang="zh")))
            reasons = [] if ind.known else ["indicator not seen before"]
            if ind.similar_to:
                reasons.append(f"similar to known indicator {ind.similar_to}")
            self.draft_marks(node, "known indicator" if ind.known else "label from the clause", 0.9, reasons)
        for fig in d.figures:
            node = ID[f"{self.doc}/observation/{fig.span[0]}-{fig.span[1]}"]
            ind_node = ID[f"indicator/draft-{d.sha256[:8]}-{fig.indicator.id}"]
            g.add((node, RDF.type, QB.Observation))
            g.add((node, QB.dataSet, dataset))
            g.add((node, RDFS.label, Literal(f"{fig.indicator.label}（{fig.year}）：{fig.wording}", lang="zh")))
            g.add((node, LZ.indicator, ind_node))
            if fig.year > 0:  # 0: the text names no year and none was given (--year)
                g.add((node, SDMX_DIM.refPeriod, Literal(str(fig.year), datatype=XSD.gYear)))
            g.add((node, LZ.valueStatus, STATUSES[fig.status]))
            value = Decimal(fig.value)
            g.add((node, SDMX_MEASURE.obsValue, _decimal(value)))
            g.add((node, SDMX_ATTR.unitMeasure, fig.unit.iri))
            g.add((node, LZ.comparator, COMPARATORS[fig.comparator]))
            if fig.modality:
                g.add((node, LZ.modality, MODALITIES[fig.modality]))
            g.add((node, LZ.originalWording, Literal(fig.wording, lang="zh")))
            g.add((node, LZ.normalizedValue, _decimal(value * fig.unit.multiplier)))
            g.add((node, LZ.normalizedUnit, fig.unit.base))
            if fig.about:
                g.add((node, LZ.aboutEntity, self.entity_iri(d.entity(fig.about))))
            self.spans(node, [fig.span])
            self.draft_marks(node, fig.rule, fig.confidence, fig.reasons)
            units[fig.unit.iri] = fig.unit
        for iri, unit in units.items():
            # The unit's label as printed travels with the draft, so a reader of
            # this file alone sees 个 and 亿元, not just the IRIs.
            g.add((iri, RDF.type, QUDT.Unit))
            if unit.printed:
                g.add((iri, RDFS.label, Literal(unit.printed, lang="zh")))
            g.add((iri, RDFS.label, Literal(unit.en, lang="en")))
        for ent in d.entities:
            node = self.entity_iri(ent)
            g.add((node, RDF.type, entity_class(ent)))
            g.add((node, RDFS.label, Literal(ent.label, lang="zh")))
            g.add((node, LZ.sourceTerm, Literal(ent.label, lang="zh")))
            for alias in ent.aliases:
                g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
            self.spans(node, ent.spans)
            self.draft_marks(node, ent.rule, ent.confidence, ent.reasons)
        for rel in d.relations:
            pred = RELATIONS[rel.predicate]
            subj = self.entity_iri(rel.subject)
            if isinstance(rel.object, str):
                obj = ID[f"post/draft-{d.sha256[:8]}-{rel.id}"] if rel.predicate == "holds" else None
                if obj is None:
                    group = ID[f"project/draft-{d.sha256[:8]}-group-{rel.span[1]}"]
                    g.add((group, RDF.type, LZ.ProjectGroup))
                    g.add((group, RDFS.label, Literal(rel.object, lang="zh")))
                    obj = group
                else:
                    g.add((obj, RDF.type, ORG.Post))
                    g.add((obj, RDFS.label, Literal(rel.object, lang="zh")))
            else:
                obj = self.entity_iri(rel.object)
            g.add((subj, pred, obj))
            stmt = ID[f"{self.doc}/statement/{rel.id}"]
            g.add((stmt, RDF.type, RDF.Statement))
            g.add((stmt, RDF.subject, subj))
            g.add((stmt, RDF.predicate, pred))
            g.add((stmt, RDF.object, obj))
            self.spans(stmt, [rel.span])
            self.draft_marks(stmt, rel.rule, 0.6, ["relation found by a pattern"])
        return g

    def entity_iri(self, ent: DraftEntity) -> URIRef:
        return ID[f"{ent.id.split('-')[0]}/draft-{self.d.sha256[:8]}-{ent.id}"]


def draft_graph(draft: Draft) -> Graph:
    """The RDF graph of a draft."""
    return _Writer(draft).build()
