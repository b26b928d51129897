"""SPARQL: named queries with their headers, the engines (pyoxigraph, rdflib,
remote endpoints), results in one type, the query guard and pushing to stores.
"""
