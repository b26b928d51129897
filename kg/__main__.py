"""``python -m kg`` runs the ``linzi-kg`` command."""

from kg.cli import main

main()
