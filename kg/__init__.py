"""linzi-kg: the 2023 government work report of Linzi District as a knowledge graph.

The library holds the logic; ``kg.cli`` is a thin command-line layer over it.

>>> from kg.rdf.pipeline import build
>>> graph = build(validate=False).graph
>>> from kg.core.namespaces import ID, LZ
>>> str(graph.value(ID["enterprise/qilu-petrochemical"], LZ.sourceTerm))
'齐鲁石化'
"""

__version__ = "0.1.0"
