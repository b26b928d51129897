"""``linzi-kg ingest``: draft a document from a report's text, every fact with its span.

The pipeline: :mod:`kg.ingest.text` reads the file and keeps an offset map,
:mod:`kg.ingest.figures` finds the figures, :mod:`kg.ingest.structure` reads
the report year and each section's role, :mod:`kg.ingest.fields` gives each
figure its indicator, year, status, comparator and modality,
:mod:`kg.ingest.entities` finds names, :mod:`kg.ingest.draft` holds the result,
:mod:`kg.ingest.rdf` writes it in the project's model, :mod:`kg.ingest.folder`
as an authoring folder, and :mod:`kg.ingest.evaluate` scores it against gold.
"""
