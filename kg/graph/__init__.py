"""The queryable graph: asserted data + ontology + entailments in a pyoxigraph
store (in memory or prepared on disk), with rdflib views read from the store,
look-ups by name, statistics and the entity network.
"""
