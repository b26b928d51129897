"""The document layer: source texts (found by digest), the authored records
of each document and the entities they share, and the span check. It makes
no triples; :mod:`kg.rdf` turns its records into RDF.
"""
