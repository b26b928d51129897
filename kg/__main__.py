"""``python -m kg`` is ``linzi-kg``."""

from kg.cli import main

main(prog_name="linzi-kg")
