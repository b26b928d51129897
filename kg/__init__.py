"""linzi-kg: local government work reports (Linzi District's 2023 report first,
with Zibo's and Shandong's beside it) as one knowledge graph.

The library holds the logic, by stage: ``kg.core`` (vocabulary) ->
``kg.documents`` -> ``kg.rdf`` -> ``kg.graph`` -> ``kg.sparql``; ``kg.web``,
``kg.cli`` and ``kg.bench`` are thin layers on top.

>>> from kg.rdf.pipeline import build
>>> graph = build(validate=False).graph
>>> from kg.core.namespaces import ID, LZ
>>> str(graph.value(ID["enterprise/qilu-petrochemical"], LZ.sourceTerm))
'齐鲁石化'
"""

__version__ = "0.1.0"
