"""The HTTP app on top: the SPARQL 1.1 endpoint with its sandboxed workers and
the explorer's pages.
"""
