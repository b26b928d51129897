"""RDF: building each document's graph from its records, the ontology and its
SHACL shapes, RDFS inference, reading users' RDF files and serializing.
"""
