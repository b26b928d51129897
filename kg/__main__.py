"""``python -m kg`` is ``linzi-kg``."""

from kg.cli import main

# Guarded: the benchmark's client processes are spawned and re-import __main__.
if __name__ == "__main__":
    main(prog_name="linzi-kg")
