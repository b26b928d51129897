"""The ``linzi-kg`` command: a thin layer over the ``kg`` library.

Errors from the library (:class:`kg.errors.KGError`) are turned into one
``error: ...`` message on stderr and the error's exit code here, in
:class:`_Group`; nothing below prints a traceback for a user's mistake.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KGError

_SOURCE_HELP = (
    "The article text the spans point into. Default: $LINZI_KG_SOURCE, "
    "else shared/seeds/000_4d8ee72d9e714460.txt beside or above the working "
    "directory or the checkout."
)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _data_options(func: Any) -> Any:
    func = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Directory of authored *.yaml files (default: the data shipped with linzi-kg).",
    )(func)
    func = click.option("--source", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_SOURCE_HELP)(
        func
    )
    return func


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="linzi-kg")
def main() -> None:
    """linzi-kg: the 2023 government work report of 临淄区 (Linzi District) as
    an RDF knowledge graph, every fact traced to a span of the news article.

    \b
    Typical use:
      linzi-kg build                      build, check every span, run SHACL
      linzi-kg export -o build/linzi.ttl  write the graph as Turtle
      linzi-kg stats                      what the graph holds
      linzi-kg locate 聚合顺              offsets of a wording, for editing data
    """


def _print_counts(result: Any) -> None:
    from kg.schema import load_ontology
    from kg.stats import graph_stats

    stats = graph_stats(result.graph, load_ontology())
    width = max(len(c.curie) for c in stats.classes)
    for c in stats.classes:
        click.echo(f"  {c.count:5d}  {c.curie.ljust(width)}  {c.label_zh}")
    click.echo(
        f"{stats.triples} triples; {stats.observations} figures; {stats.statements} reified relations "
        f"({stats.editorial} editorial); {stats.spans} distinct source spans"
    )


@main.command()
@_data_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the graph as Turtle to this file (atomically).",
)
def build(data_dir: Path | None, source: Path | None, output: Path | None) -> None:
    """Build the graph, resolve every span against the article, run the SHACL
    shapes, and print counts per class. Fails (exit 1) on any problem, naming
    the file, line, record and field, and writes nothing."""
    from kg.export import Format, serialize, write_atomic
    from kg.pipeline import build as run_build

    result = run_build(data_dir=data_dir, source=source)
    click.echo(f"built from {result.source.path if result.source else '?'} (spans checked, SHACL conforms)")
    _print_counts(result)
    if output is not None:
        write_atomic(output, serialize(result.graph, Format.TURTLE))
        click.echo(f"wrote {output}")


@main.command()
@_data_options
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Validate this RDF file (Turtle, N-Triples, JSON-LD or RDF/XML by extension) "
    "instead of the graph built from the data.",
)
def validate(data_dir: Path | None, source: Path | None, graph_file: Path | None) -> None:
    """Run the SHACL shapes (pySHACL) and the span check, and print a readable
    report. Exit 0 when everything conforms, 1 otherwise."""
    from kg.errors import ValidationError
    from kg.pipeline import build as run_build
    from kg.validate import ValidationReport, shacl_violations

    if graph_file is None:
        result = run_build(data_dir=data_dir, source=source, validate=False)
        report = result.report or ValidationReport()
        graph = result.graph
    else:
        from kg.load import parse_file

        graph = parse_file(graph_file)
        report = ValidationReport()
    report.shacl_results = shacl_violations(graph)
    click.echo(report.text())
    if not report.ok:
        raise ValidationError("the graph does not conform; see the report above", report)


@main.command()
@_data_options
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "jsonld", "xml"]),
    default="turtle",
    show_default=True,
    help="RDF serialization.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (atomically). Default: standard output.",
)
@click.option("--include-ontology", is_flag=True, help="Add the ontology's triples to the export.")
def export(data_dir: Path | None, source: Path | None, fmt: str, output: Path | None, include_ontology: bool) -> None:
    """Export the graph. The output is byte-identical from run to run; every
    format parses back into the same graph."""
    from kg.export import Format, serialize, write_atomic
    from kg.pipeline import build as run_build
    from kg.resources import find_source

    check = True
    if source is None:
        try:
            find_source(None)
        except KGError:
            check = False
            click.echo("note: source text not found; spans were not re-checked", err=True)
    graph = run_build(data_dir=data_dir, source=source, check_source=check, validate=False).graph
    if include_ontology:
        from kg.schema import load_ontology

        graph = graph + load_ontology()
        from kg.build import new_graph

        merged = new_graph()
        for triple in graph:
            merged.add(triple)
        graph = merged
    data = serialize(graph, Format(fmt))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
        click.echo(f"wrote {output} ({len(data)} bytes, {fmt})", err=True)


@main.command()
@_data_options
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(data_dir: Path | None, source: Path | None, as_json: bool) -> None:
    """What the graph holds: instances per class, figures, spans, relations."""
    from kg.pipeline import build as run_build
    from kg.schema import load_ontology
    from kg.stats import graph_stats

    result = run_build(data_dir=data_dir, source=source, check_source=False, validate=False)
    s = graph_stats(result.graph, load_ontology())
    if as_json:
        payload = {
            "triples": s.triples,
            "observations": s.observations,
            "spans": s.spans,
            "statements": s.statements,
            "editorial": s.editorial,
            "facts_with_spans": s.facts_with_spans,
            "classes": {c.curie: c.count for c in s.classes},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    width = max(len(c.curie) for c in s.classes)
    for c in s.classes:
        click.echo(f"{c.count:5d}  {c.curie.ljust(width)}  {c.label_zh} {c.label_en}".rstrip())
    click.echo(f"triples: {s.triples}")
    click.echo(f"figures (qb:Observation): {s.observations}")
    click.echo(f"reified relations: {s.statements} ({s.editorial} editorial classification)")
    click.echo(f"distinct source spans: {s.spans}; nodes with a span: {s.facts_with_spans}")


@main.command()
@click.argument("wording")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_SOURCE_HELP)
@click.option(
    "--context",
    "width",
    type=click.IntRange(0, 200),
    default=12,
    show_default=True,
    help="Characters of context shown on each side.",
)
def locate(wording: str, source: Path | None, width: int) -> None:
    """Print the spans [start, end] of WORDING in the article, to paste into
    the YAML data. Whitespace and the article's ** markers are ignored when
    matching, so a name broken across a line is still found."""
    from kg.errors import UsageError
    from kg.provenance import locate as find_all
    from kg.provenance import read_source

    src = read_source(source)
    hits = find_all(src.text, wording)
    if not hits:
        raise UsageError(f"{wording!r} does not occur in {src.path}")
    for start, end in hits:
        before = src.text[max(0, start - width) : start].replace("\n", "⏎")
        after = src.text[end : end + width].replace("\n", "⏎")
        click.echo(f"[{start}, {end}]  …{before}【{src.text[start:end]}】{after}…")
