"""The ``linzi-kg`` command: a thin layer over the ``kg`` library.

Errors from the library (:class:`kg.errors.KGError`) are turned into one
``error: ...`` message on stderr and the error's exit code here, in
:class:`_Group`; nothing below prints a traceback for a user's mistake.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KGError

_SOURCE_HELP = (
    "A source text, or a directory of texts, where the documents' texts are looked for "
    "(by SHA-256) before $LINZI_KG_SOURCES and shared/seeds, shared/corpus beside or above "
    "the working directory or the checkout; repeatable."
)
_DOCUMENT_HELP = (
    "Only this document (an id such as linzi-2023; `linzi-kg documents` lists them). Default: every document."
)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


_extra_data_option = click.option(
    "--data",
    "extra",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Add your own RDF file (Turtle, N-Triples, JSON-LD or RDF/XML, by extension) to the graph; repeatable.",
)


_text_option = click.option(
    "--text",
    "texts",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The source text of a --data report (matched by its SHA-256), to show its sentences; repeatable.",
)


_STORE_HELP = (
    "The on-disk store the graph is kept in: built on first use, reopened read-only "
    "afterwards, rebuilt when the inputs (data, texts' digests, ontology, queries, --data "
    "files) change. Default: $LINZI_KG_STORE, else the cache ($LINZI_KG_CACHE, "
    "$XDG_CACHE_HOME/linzi-kg or ~/.cache/linzi-kg)."
)


def _remember_no_store(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["linzi_kg.no_store"] = value
    return value


def _store_option(func: Any) -> Any:
    func = click.option(
        "--store",
        metavar="DIR",
        envvar="LINZI_KG_STORE",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=_STORE_HELP,
    )(func)
    return click.option(
        "--no-store",
        is_flag=True,
        expose_value=False,
        callback=_remember_no_store,
        help="Build the graph in memory for this run instead (writes nothing to disk).",
    )(func)


def _remember_document(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    ctx.meta["linzi_kg.document"] = value
    return value


def _document() -> str | None:
    """The ``--document`` of the running command (None: every document)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("linzi_kg.document") if ctx is not None else None


def _data_options(func: Any) -> Any:
    func = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Data directory: shared/ and one folder per document, or one document's folder "
        "(default: the data shipped with linzi-kg).",
    )(func)
    func = click.option(
        "--source",
        "--sources",
        "source",
        multiple=True,
        type=click.Path(path_type=Path),
        help=_SOURCE_HELP,
    )(func)
    # Read through _document(), so that the commands' signatures stay as they are.
    func = click.option(
        "--document",
        metavar="ID",
        default=None,
        expose_value=False,
        callback=_remember_document,
        help=_DOCUMENT_HELP,
    )(func)
    return func


def _graph_options(func: Any) -> Any:
    """Options of the commands that load the queryable graph."""
    return _data_options(_extra_data_option(_store_option(func)))


def _load(
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
    *,
    memory_by_default: bool = False,
) -> Any:
    """The queryable graph for a command: from ``--store``, else the prepared
    store in the cache, else (``--no-store``, or ``memory_by_default``) in memory."""
    from kg.graph.persist import default_store
    from kg.graph.store import load_graph

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("linzi_kg.no_store"):
        if store is not None and ctx.get_parameter_source("store") is click.core.ParameterSource.COMMANDLINE:
            from kg.errors import UsageError

            raise UsageError("--store and --no-store: give one of them")
        store = None
    elif store is None and not memory_by_default:
        store = default_store()  # None when the cache cannot be written: then in memory
    return load_graph(data_dir=data_dir, source=source, extra=list(extra), store=store, document=_document())


def run_build(**options: Any) -> Any:
    """:func:`kg.rdf.pipeline.build` for the command's ``--document``."""
    from kg.rdf.pipeline import build

    return build(document=_document(), **options)


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
    from kg.graph.stats import graph_stats
    from kg.rdf.ontology import load_ontology

    stats = graph_stats(result.graph, load_ontology())
    width = max(len(c.curie) for c in stats.classes)
    for c in stats.classes:
        click.echo(f"  {c.count:5d}  {c.curie.ljust(width)}  {c.label_zh}")
    click.echo(
        f"{stats.triples} triples; {stats.observations} figures; {stats.statements} reified relations "
        f"({stats.editorial} editorial); {stats.spans} distinct source spans"
    )


def _check_warnings(graph: Any, data_dir: Path | None, source: tuple[Path, ...]) -> None:
    """The consistency checks as warnings under the validation report (they never fail it)."""
    from kg.checks import check
    from kg.checks.report import to_table
    from kg.graph.store import as_queryable

    del data_dir  # the graph is already built from it
    report = check(as_queryable(graph, source=source))
    alarms = report.alarms
    if not alarms:
        click.echo(f"checks: no warnings ({len(report.findings)} relations among {report.figures} figures hold)")
        return
    click.echo(f"checks: {len(alarms)} warning(s) (`linzi-kg check` for every finding)")
    from dataclasses import replace

    for line in to_table(replace(report, findings=alarms), alarms_only=True).splitlines()[:-1]:
        click.echo(f"  warning: {line}" if line.startswith("[") else f"  {line}" if line else "")


@main.command()
@_data_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the graph as Turtle to this file (atomically).",
)
def build(data_dir: Path | None, source: tuple[Path, ...], output: Path | None) -> None:
    """Build the graph, resolve every span against the article, run the SHACL
    shapes, and print counts per class. Fails (exit 1) on any problem, naming
    the file, line, record and field, and writes nothing."""
    from kg.rdf.export import Format, serialize, write_atomic

    result = run_build(data_dir=data_dir, source=source)
    for doc_id, text in result.texts.items():
        click.echo(f"{doc_id}: spans checked against {text.path}")
    click.echo(f"built {len(result.corpus.documents)} document(s); SHACL conforms")
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
def validate(data_dir: Path | None, source: tuple[Path, ...], graph_file: Path | None) -> None:
    """Run the SHACL shapes (pySHACL) and the span check, and print a readable
    report. Exit 0 when everything conforms, 1 otherwise."""
    from kg.errors import ValidationError
    from kg.rdf.shacl import ValidationReport, shacl_violations

    if graph_file is None:
        result = run_build(data_dir=data_dir, source=source, validate=False)
        report = result.report or ValidationReport()
        graph = result.graph
    else:
        from kg.rdf.load import parse_file

        graph = parse_file(graph_file)
        report = ValidationReport()
    report.shacl_results = shacl_violations(graph)
    click.echo(report.text())
    _check_warnings(graph, data_dir, source)
    if not report.ok:
        raise ValidationError("the graph does not conform; see the report above", report)


_CHECK_FORMATS = ("table", "json", "turtle", "ntriples", "jsonld", "xml")


@main.command("check")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rules file (YAML; default: the packaged kg/checks/rules.yaml, whose head explains the fields).",
)
@click.option(
    "--suppressions",
    "suppressions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reviewed findings to put aside, each with reason and reviewer (default: kg/checks/suppressions.yaml).",
)
@_text_option
@click.option(
    "--about",
    type=click.FloatRange(0, 1),
    default=None,
    help="Relative tolerance of 左右 (0.05 = ±5%; default: the rules file's setting).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_CHECK_FORMATS),
    default="table",
    show_default=True,
    help="table for people, json for machines, or the findings as RDF quality annotations.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--alarms", is_flag=True, help="Show only the alarms: loose bounds and contradictions not suppressed.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any alarm (for CI).")
@click.option("--timing", is_flag=True, help="Also print, on stderr, how long fetching the figures and the rules took.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to FILE (atomically)."
)
@_graph_options
def check_command(
    rules_file: Path | None,
    suppressions_file: Path | None,
    texts: tuple[Path, ...],
    about: float | None,
    fmt: str,
    as_json: bool,
    alarms: bool,
    strict: bool,
    timing: bool,
    output: Path | None,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Check which figures fit together: growth rates against their levels,
    shares, completion rates, components and totals, 分别 lists, percentage
    points, figures stated twice, results worded as targets, units, targets
    below last year's result. Interval arithmetic respects printed precision
    (94.3% is [94.25, 94.35)) and 以上/突破/以内/左右. Each finding has a verdict
    (consistent, consistent-within-rounding, loose-bounds, declared-basis,
    contradiction), cites the figures with their spans and sentences, the
    formula and the numbers. Examples:

    \b
      linzi-kg check
      linzi-kg check --json
      linzi-kg check --data report-2024.ttl --text report-2024.txt --alarms
      linzi-kg check -f turtle -o build/findings.ttl   # dqv:QualityAnnotation per finding
    """
    from kg.checks import check
    from kg.checks.report import to_json, to_table

    if as_json:
        fmt = "json"
    kg = _load(data_dir, source, extra, store)
    report = check(kg, rules=rules_file, suppressions=suppressions_file, texts=texts, about=about)
    if timing:
        fetch, judge = report.seconds["fetch"], report.seconds["rules"]
        click.echo(
            f"checks: {report.figures} figures, {len(report.rules.rules)} rules: figures fetched by SPARQL in "
            f"{fetch:.2f} s, rules run in {judge:.2f} s, {fetch + judge:.2f} s in all",
            err=True,
        )
    if fmt == "table":
        data = (to_table(report, alarms_only=alarms) + "\n").encode("utf-8")
    elif fmt == "json":
        data = (json.dumps(to_json(report, alarms_only=alarms), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        from kg.checks.annotate import findings_graph
        from kg.rdf.export import Format, serialize

        data = serialize(findings_graph(report), Format(fmt))
    if output is not None:
        from kg.rdf.export import write_atomic

        write_atomic(output, data)
        click.echo(f"wrote {output} ({len(report.findings)} findings, {len(report.alarms)} alarms)")
    else:
        click.echo(data.decode("utf-8"), nl=False)
    if strict and report.alarms:
        ctx = click.get_current_context()
        click.echo(f"error: {len(report.alarms)} alarm(s)", err=True)
        ctx.exit(1)


@main.command()
@_text_option
@click.option(
    "--about",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Relative tolerance of a 左右 target.",
)
@click.option("--year", type=int, default=None, help="Only the targets of this year.")
@click.option(
    "--outcome",
    type=click.Choice(["met", "met-within-tolerance", "missed", "not-reported", "not-comparable"]),
    multiple=True,
    help="Only these outcomes (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
@_graph_options
def followup(
    texts: tuple[Path, ...],
    about: float,
    year: int | None,
    outcome: tuple[str, ...],
    as_json: bool,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Follow each target to its result: the target of year N in one report
    and the actual of year N (same area and indicator) in a later one, loaded
    with --data. Outcomes: met, met-within-tolerance, missed, not-reported,
    not-comparable (base changed), with both figures' spans and sentences.
    Example: linzi-kg followup --data report-2024.ttl --text report-2024.txt
    """
    from kg.checks import read_texts
    from kg.checks.figures import fetch_figures
    from kg.checks.followup import follow_up, followup_json, followup_table

    kg = _load(data_dir, source, extra, store)
    rows = follow_up(fetch_figures(kg, texts=read_texts(texts)), about=about)
    rows = [r for r in rows if (year is None or r.target.year == year) and (not outcome or r.outcome in outcome)]
    if as_json:
        click.echo(json.dumps(followup_json(rows), ensure_ascii=False, indent=2))
    else:
        click.echo(followup_table(rows))


def _rdf_format_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A name, alias or media type of kg.formats' RDF table (``ttl``, ``nt``, ``json-ld``, ``rdf``, …)."""
    if value is None:
        return None
    from kg.core.formats import Kind, by_name
    from kg.rdf.export import Format

    found = by_name(value, Kind.GRAPH)
    if found is None:
        offered = ", ".join(f"{f.value} ({f.extension})" for f in Format)
        raise click.BadParameter(f"{value!r} is not an RDF format; offered: {offered}", ctx=ctx, param=param)
    return found.name


@main.command()
@_data_options
@click.option(
    "--format",
    "-f",
    "fmt",
    default=None,
    metavar="FORMAT",
    callback=_rdf_format_option,
    help="turtle (ttl), ntriples (nt), jsonld (json-ld) or xml (rdf). "
    "Default: from the --output file's extension, else turtle on standard output.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (atomically); its extension (.ttl .nt .jsonld .json .rdf .xml .owl) gives the format "
    "unless --format does. Default: standard output.",
)
@click.option("--include-ontology", is_flag=True, help="Add the ontology's triples to the export.")
@click.option(
    "--inferred",
    is_flag=True,
    help="Add the RDFS entailments the queries use (subclass types, super-properties, inverses).",
)
def export(
    data_dir: Path | None,
    source: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    include_ontology: bool,
    inferred: bool,
) -> None:
    """Export the graph: what the article states, without inferred triples
    unless --inferred. The output is byte-identical from run to run; every
    format parses back into the same graph. JSON-LD is compacted, with a
    context of the prefixes it uses.

    \b
    Examples:
      linzi-kg export -o build/linzi.jsonld      JSON-LD, from the extension
      linzi-kg export -f nt > linzi.nt           N-Triples on standard output
    """
    from kg.documents.texts import find_source
    from kg.rdf.export import Format, format_for_output, serialize, write_atomic

    chosen = format_for_output(output, fmt)

    check = True
    if source is None:
        try:
            find_source(None)
        except KGError:
            check = False
            click.echo("note: source text not found; spans were not re-checked", err=True)
    graph = run_build(data_dir=data_dir, source=source, check_source=check, validate=False).graph
    if include_ontology or inferred:
        from kg.rdf.inference import entailments
        from kg.rdf.ontology import load_ontology

        ontology = load_ontology()
        extra = entailments(graph, ontology) if inferred else None
        for part in (ontology if include_ontology else None, extra):
            for triple in part if part is not None else ():
                graph.add(triple)
    data = serialize(graph, chosen)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
        click.echo(f"wrote {output} ({len(data)} bytes, {Format(chosen).value})", err=True)


@main.command()
@_data_options
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(data_dir: Path | None, source: tuple[Path, ...], as_json: bool) -> None:
    """What the graph holds: instances per class, figures, spans, relations, and per document."""
    from kg.documents.catalog import describe
    from kg.graph.stats import graph_stats
    from kg.rdf.ontology import load_ontology

    result = run_build(data_dir=data_dir, source=source, check_source=False, validate=False)
    s = graph_stats(result.graph, load_ontology())
    per_document = {row["id"]: row["counts"] for row in describe(corpus=result.corpus)}
    if as_json:
        payload = {
            "triples": s.triples,
            "observations": s.observations,
            "spans": s.spans,
            "statements": s.statements,
            "editorial": s.editorial,
            "facts_with_spans": s.facts_with_spans,
            "classes": {c.curie: c.count for c in s.classes},
            "documents": per_document,
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
    for doc_id, c in per_document.items():
        click.echo(
            f"{doc_id}: {c['entities']} entities ({c['shared']} shared), {c['figures']} figures, "
            f"{c['links']} links, {c['spans']} spans"
        )


@main.command()
@click.argument("wording")
@click.option(
    "--document",
    metavar="ID",
    default=None,
    help="Search this document's text (found by its digest). Default: the seed article.",
)
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Search this text file instead (any UTF-8 text: a report you are authoring).",
)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Data directory.")
@click.option(
    "--context",
    "width",
    type=click.IntRange(0, 200),
    default=12,
    show_default=True,
    help="Characters of context shown on each side.",
)
def locate(wording: str, document: str | None, source: Path | None, data_dir: Path | None, width: int) -> None:
    """Print the spans [start, end] of WORDING in a document's text, to paste
    into the YAML data. Whitespace and the ** emphasis markers are ignored when
    matching, so a name broken across a line is still found."""
    from kg.documents.spans import locate as find_all
    from kg.documents.spans import read_source
    from kg.documents.texts import load_text, read_text
    from kg.errors import UsageError

    if source is not None:
        src = read_text(source)
    elif document is not None:
        from kg.documents.records import load_corpus

        info = load_corpus(data_dir).document(document).source
        assert info is not None
        src = load_text(info.sha256, name=info.file)
    else:
        src = read_source()
    hits = find_all(src.text, wording)
    if not hits:
        raise UsageError(f"{wording!r} does not occur in {src.path}")
    for start, end in hits:
        before = src.text[max(0, start - width) : start].replace("\n", "⏎")
        after = src.text[end : end + width].replace("\n", "⏎")
        click.echo(f"[{start}, {end}]  …{before}【{src.text[start:end]}】{after}…")


@main.command()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Data directory.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per document) instead of a table.")
def documents(data_dir: Path | None, as_json: bool) -> None:
    """List the documents of the data: id, title, kind, area and level, report
    year, text digest and file, and counts of entities, figures, links and spans."""
    from kg.documents.catalog import describe

    rows = describe(data_dir=data_dir)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['title']['zh']}")
        click.echo(
            f"  {row['kind']} · {row['area']['zh']} ({row['level']}) · report year {row['reportYear']}"
            + (f" · delivered {row['delivered']}" if row["delivered"] else "")
        )
        click.echo(
            f"  text {row['text']['file']} sha256 {row['text']['sha256'][:16]}… {row['text']['characters']} chars"
        )
        c = row["counts"]
        click.echo(
            f"  {c['entities']} entities ({c['shared']} shared) · {c['figures']} figures · "
            f"{c['links']} links · {c['spans']} spans"
        )


# -- queries ---------------------------------------------------------------------


@main.command("queries")
def list_named() -> None:
    """List the named queries with their titles and parameters."""
    from kg.sparql.queries import list_queries

    named = list_queries()
    width = max(len(q.name) for q in named)
    for q in named:
        click.echo(f"{q.name.ljust(width)}  {q.title}")
        for p in q.params:
            click.echo(f"{'':{width}}    --param {p.name}=… ({p.type}, default {p.default}): {p.description}")


_ENDPOINT_HELP = "Run on this SPARQL 1.1 query endpoint (e.g. http://127.0.0.1:7878/query) instead of embedded."


def _auth_options(timeout: float) -> Callable[[Any], Any]:
    def decorate(func: Any) -> Any:
        func = click.option("--user", default=None, help="User for HTTP authentication (default $LINZI_KG_USER).")(func)
        func = click.option(
            "--password",
            default=None,
            help="Password (default $LINZI_KG_PASSWORD; prefer the variable: options show in ps).",
        )(func)
        func = click.option(
            "--auth",
            type=click.Choice(["basic", "digest"]),
            default=None,
            help="HTTP authentication scheme [default: the one the store asks for].",
        )(func)
        func = click.option(
            "--timeout",
            type=click.FloatRange(0.1, 86400),
            default=timeout,
            show_default=True,
            help="Seconds the whole exchange with the store may take.",
        )(func)
        return func

    return decorate


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", "sparql_text", default=None, help="Run this SPARQL text instead of a named query.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter (repeatable).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "xlsx"]),
    default="table",
    show_default=True,
    help="table for people; json, xml, csv, tsv are the W3C SPARQL 1.1 results formats "
    "(CONSTRUCT and DESCRIBE answers: RDF/XML for xml, JSON-LD for json, Turtle otherwise); "
    "xlsx a spreadsheet (needs --output), with labels beside IRIs.",
)
@click.option(
    "--labels",
    type=click.Choice(["beside", "only", "none"]),
    default=None,
    help="With csv, tsv or xlsx: a NAME_label column beside every IRI column (beside), "
    "names instead of IRIs (only), or IRIs only (none). Without it csv and tsv are the W3C formats.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the answer to this file (atomically) instead of standard output.",
)
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="Embedded engine.",
)
@click.option("--endpoint", default=None, help=_ENDPOINT_HELP)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    help="With --endpoint: query this named graph as the default graph (default-graph-uri), "
    "as pushed with push --graph; needed on Virtuoso, whose default graph holds its own system graphs too.",
)
@_auth_options(timeout=30.0)
@_graph_options
def query(
    name: str | None,
    sparql_text: str | None,
    params: tuple[str, ...],
    fmt: str,
    labels: str | None,
    output: Path | None,
    engine: str,
    endpoint: str | None,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    auth: str | None,
    timeout: float,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Run a named query (see `linzi-kg queries`), a .rq file, or --sparql TEXT.

    \b
    Examples:
      linzi-kg query targets-2023
      linzi-kg query enterprise-projects --param enterprise=聚合顺
      linzi-kg query --sparql 'SELECT ?e WHERE { ?e a lz:Enterprise }' -f csv
      linzi-kg query chains-456 --endpoint http://127.0.0.1:7878/query
      linzi-kg query chains-456 --endpoint http://127.0.0.1:8890/sparql --graph https://example.org/linzi
    Parameters are bound as RDF terms (never pasted into the query). The
    project's prefixes (lz:, org:, qb:, …) are predeclared for inline queries.
    """
    from kg.errors import UsageError
    from kg.graph.lookup import label
    from kg.sparql.queries import get_query, inline, parse_assignments, run
    from kg.sparql.results import ResultFormat, render

    if (name is None) == (sparql_text is None):
        raise UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both and not neither")
    if labels is not None and fmt not in ("csv", "tsv", "xlsx"):
        raise UsageError("--labels goes with --format csv, tsv or xlsx")
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx writes a binary file: give --output FILE.xlsx")
    named = inline(sparql_text) if sparql_text is not None else get_query(name or "")
    graph = _load(data_dir, source, extra, store)
    credentials = None
    if graph_iri is not None and not endpoint:
        raise UsageError("--graph goes with --endpoint (the embedded graph has no named graphs to choose)")
    if endpoint:  # kept off the start-up path of embedded queries
        from kg.sparql.remote import AuthScheme, credentials_from

        credentials = credentials_from(user, password, AuthScheme(auth) if auth else None)
    result = run(
        named,
        parse_assignments(list(params)),
        kg=graph,
        engine=engine,
        endpoint=endpoint,
        timeout=timeout,
        credentials=credentials,
        graph_iri=graph_iri,
    )
    if fmt == "xlsx" or labels is not None:
        from rdflib import URIRef

        from kg.sparql.tables import Labels, TableFormat
        from kg.sparql.tables import render as render_table

        data = render_table(
            result,
            TableFormat(fmt),
            labels=Labels(labels or "beside"),
            label_of=lambda iri: label(graph, URIRef(iri)),
            title=name or "query",
        )
    else:
        data = render(result, ResultFormat(fmt), lambda iri: label(graph, iri)).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from kg.output import write_atomic

        write_atomic(output, data)
        click.echo(f"wrote {output} ({len(data)} bytes, {fmt})", err=True)


@main.command()
@click.option(
    "--endpoint", required=True, help="The store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store."
)
@click.option("--graph", "graph_iri", default=None, help="Named graph to replace (default: the default graph).")
@click.option(
    "--asserted-only",
    is_flag=True,
    help="Push only what the article states; by default the ontology and RDFS entailments go too, "
    "so that the named queries answer the same on the store.",
)
@click.option(
    "--query-endpoint",
    default=None,
    help="SPARQL endpoint to count the stored triples on afterwards "
    "[default: beside the store's, for Oxigraph, Virtuoso, Fuseki, GraphDB URLs].",
)
@_auth_options(timeout=600.0)
@_graph_options
def push(
    endpoint: str,
    graph_iri: str | None,
    asserted_only: bool,
    query_endpoint: str | None,
    user: str | None,
    password: str | None,
    auth: str | None,
    timeout: float,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Load the graph into a SPARQL 1.1 store (Graph Store HTTP Protocol, PUT),
    replacing what a previous push wrote there.

    \b
    Example (Oxigraph server):
      oxigraph serve --bind 127.0.0.1:7878 &
      linzi-kg push --endpoint http://127.0.0.1:7878/store
      linzi-kg query chains-456 --endpoint http://127.0.0.1:7878/query
    \b
    Example (Virtuoso; it has no default graph to replace):
      LINZI_KG_USER=dba LINZI_KG_PASSWORD=... linzi-kg push \\
        --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --graph https://example.org/linzi
    The push succeeds only when the store acknowledges it and (where its
    query endpoint is known) holds as many triples as were sent.
    """
    from kg.sparql.remote import AuthScheme, credentials_from
    from kg.sparql.remote import push as do_push

    graph = _load(data_dir, source, extra, store)
    # The whole graph straight from the store (no rdflib copy, however large).
    payload = graph.asserted if asserted_only else graph.oxigraph()
    credentials = credentials_from(user, password, AuthScheme(auth) if auth else None)
    report = do_push(
        payload,
        endpoint,
        graph_iri=graph_iri,
        credentials=credentials,
        timeout=timeout,
        query_endpoint=query_endpoint,
    )
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    counted = report.counted
    checked = f"{counted:,} counted there" if counted is not None else f"not counted: {report.not_counted}"
    click.echo(f"pushed {report.triples:,} triples into {target} of {endpoint} (HTTP {report.status}; {checked})")


# -- network analytics ---------------------------------------------------------------


def _labels(graph: Any, lang: str) -> dict[Any, str]:
    """Every IRI's label in ``lang`` (else any), for printing paths."""
    from rdflib import URIRef

    from kg.graph.lookup import label

    out: dict[Any, str] = {}
    for s in set(graph.subjects()):
        if isinstance(s, URIRef):
            text = label(graph, s, lang)
            if text:
                out[s] = text
    return out


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Label language.")
@click.option(
    "--editorial",
    is_flag=True,
    help="Also walk editorial links (linzi-kg's classification and the links its editors add, "
    "such as Zibo in Shandong), which the article does not state.",
)
@_graph_options
def path(
    a: str,
    b: str,
    lang: str,
    editorial: bool,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Print the shortest chain of relations between entities A and B.

    A and B are Chinese or English names, or IRIs. Only relations the article
    states are walked unless --editorial is given. Example:
    linzi-kg path 聚合顺 临淄区
    """
    from kg.graph.analytics import describe_path, label_nodes, network_of, shortest_path
    from kg.graph.lookup import find_entity

    graph = _load(data_dir, source, extra, store)
    start, end = find_entity(graph, a), find_entity(graph, b)
    net = network_of(graph, editorial=editorial)
    steps = shortest_path(net, start, end)
    label_nodes(net, graph, {start, end, *(s.source for s in steps), *(s.target for s in steps)})
    key = "label" if lang == "zh" else "label_en"
    names = {node: data.get(key) or data.get("label") or str(node) for node, data in net.nodes(data=True)}
    from kg.rdf.ontology import load_ontology

    click.echo(describe_path(steps, start, names, _labels(load_ontology(), lang)))
    click.echo(f"({len(steps)} link{'s' if len(steps) != 1 else ''})")


@main.command()
@click.option("--top", type=click.IntRange(1, 10000), default=10, show_default=True, help="How many to show.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Label language.")
@_graph_options
def central(
    top: int,
    lang: str,
    data_dir: Path | None,
    source: tuple[Path, ...],
    extra: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Rank entities by betweenness centrality in the network of stated relations."""
    from kg.graph.analytics import centrality, label_nodes, network_of

    graph = _load(data_dir, source, extra, store)
    net = network_of(graph)
    ranked = centrality(net, top=top)
    label_nodes(net, graph, [node for node, _, _ in ranked])
    key = "label" if lang == "zh" else "label_en"
    for rank, (node, score, degree) in enumerate(ranked, start=1):
        name = net.nodes[node].get(key) or net.nodes[node].get("label") or node
        click.echo(f"{rank:3d}  {score:.4f}  degree {degree:3d}  {name}")


# -- network view ------------------------------------------------------------------


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("linzi-kg.html"),
    show_default=True,
    help="The HTML file to write (one self-contained file that works offline).",
)
@click.option("--focus", default=None, help="Draw only the neighbourhood of this entity (name in zh or en, or IRI).")
@click.option(
    "--depth", type=click.IntRange(0, 10), default=2, show_default=True, help="Links around --focus to include."
)
@click.option(
    "--classes",
    default=None,
    metavar="CLASS,...",
    help="Only nodes of these classes or legend groups (e.g. lz:Enterprise,IndustrialProject,chain).",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Initial label language."
)
@click.option("--schema", is_flag=True, help="Also draw classes and rdf:type links.")
@click.option("--provenance", is_flag=True, help="Also draw source spans and prov:wasDerivedFrom links.")
@click.option("--figures", is_flag=True, help="Also draw figures (observations) as nodes.")
@click.option("--no-editorial", is_flag=True, help="Leave out editorial classification links.")
@click.option(
    "--png",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also save the picture to publish as PNG (300 dpi, A4 or A3 landscape): the view laid out afresh, with "
    "title, legend and source line, as the page's Export PNG button draws it (headless Chromium).",
)
@click.option(
    "--svg",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also save the same picture as SVG.",
)
@click.option(
    "--png-width",
    type=click.IntRange(400, 20000),
    default=None,
    help="Width of the PNG in pixels. Default: 300 dpi on A4 landscape (3508), or A3 (4961) past 90 nodes.",
)
@click.option(
    "--keep-isolated", is_flag=True, help="In the pictures, keep the indicator nodes that have no link (left out)."
)
@_graph_options
def viz(
    output: Path,
    focus: str | None,
    depth: int,
    classes: str | None,
    extra: tuple[Path, ...],
    lang: str,
    schema: bool,
    provenance: bool,
    figures: bool,
    no_editorial: bool,
    png: Path | None,
    svg: Path | None,
    png_width: int | None,
    keep_isolated: bool,
    data_dir: Path | None,
    source: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Write an interactive network view of the graph as one HTML file.

    \b
    The page needs no network: vis-network is embedded. Search, class
    filter, details with figures and source spans, zh/en labels, shortest
    path between two nodes, PNG export. Examples:
      linzi-kg viz -o build/linzi-graph.html
      linzi-kg viz --focus 齐鲁石化 --depth 2 -o qilu.html
      linzi-kg viz --classes lz:Enterprise,lz:Project --data mine.ttl
      linzi-kg viz --focus 齐鲁石化 --png qilu.png --svg qilu.svg
    """
    from kg.errors import UsageError
    from kg.graph.lookup import find_entity
    from kg.graph.textsearch import network_passages
    from visualize.network import Options, neighbourhood, restrict_to_groups, to_networkx
    from visualize.render import write_html

    graph = _load(data_dir, source, extra, store)
    options = Options(schema=schema, provenance=provenance, figures=figures, editorial=not no_editorial)
    net = to_networkx(
        graph.asserted,
        graph.ontology,
        options=options,
        source_text=lambda span: getattr(graph.text_of(span), "text", None),
    )
    centre = None
    if focus is not None:
        centre = str(find_entity(graph.asserted, focus))
        net = neighbourhood(net, centre, depth)
    if classes is not None:
        net = restrict_to_groups(net, classes.split(","))
        if net.number_of_nodes() == 0:
            raise UsageError(f"--classes {classes!r} matches no node")
        if centre is not None and centre not in net:
            centre = None
    from visualize.picture import save_pictures, source_line

    cited_zh, cited_en = source_line(graph.asserted)
    size = write_html(
        output,
        net,
        title_zh="临淄区2023年政府工作报告知识图谱",
        title_en="Linzi District 2023 work report: knowledge graph",
        lang=lang,
        focus=centre,
        passages=network_passages(graph, set(net.nodes)),
        source_zh=cited_zh,
        source_en=cited_en,
    )
    click.echo(f"wrote {output} ({size} bytes; {net.number_of_nodes()} nodes, {net.number_of_edges()} links)")
    if png is not None or svg is not None:
        save_pictures(output, svg=svg, png=png, width=png_width, isolated=keep_isolated, lang=lang)
        for path in (p for p in (svg, png) if p is not None):
            click.echo(f"wrote {path} ({path.stat().st_size} bytes)")


# -- the HTTP server ------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=5.0, show_default=True, help="Seconds a query may run."
)
@click.option(
    "--row-limit", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True, help="Rows returned at most."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Query worker processes (default: twice the cores, at least 2).",
)
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN", help="Allow cross-origin requests from ORIGIN.")
@_text_option
@click.option(
    "--worker-memory",
    type=click.IntRange(0, 1_000_000),
    default=None,
    metavar="MB",
    help="Address space each query worker may use (RLIMIT_AS; default 1024; 0: no limit).",
)
@click.option(
    "--queue",
    type=click.IntRange(0, 100_000),
    default=64,
    show_default=True,
    help="Requests that may wait for a busy worker; more get 503 at once.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="Open connections at most; more are closed at once (raised open-file limit permitting).",
)
@click.option(
    "--allow-network-workers",
    is_flag=True,
    help="Serve even where workers can be kept off the network only in Python (no namespaces, no seccomp).",
)
@_graph_options
def serve(
    host: str,
    port: int,
    texts: tuple[Path, ...],
    extra: tuple[Path, ...],
    timeout: float,
    row_limit: int,
    workers: int | None,
    cors: tuple[str, ...],
    worker_memory: int | None,
    queue: int,
    allow_network_workers: bool,
    max_connections: int,
    data_dir: Path | None,
    source: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Serve the SPARQL 1.1 endpoint (/sparql) and the web explorer (/).

    \b
    Read-only and safe by default: no updates, no SERVICE/FROM, queries in
    network-less worker processes with a time limit and a row cap, CORS off.
    Example:
      linzi-kg serve --port 8000        # then open http://127.0.0.1:8000/
    """
    import socket

    import uvicorn

    from kg.errors import UsageError
    from kg.web.frontend import FrontLimits, raise_file_limit, uvicorn_options
    from kg.web.sandbox import WORKER_MEMORY_MB, worker_count
    from kg.web.server import Settings, create_app

    # Say so before the graph is built, and in one line, if the port is taken.
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    from kg.checks import read_texts

    read_texts(texts)  # a missing or non-UTF-8 text is an error now, not on the first check page
    # serve keeps the graph in memory unless --store is given: under the query workers'
    # address-space cap, workers on the cache's store failed to start their threads.
    graph = _load(data_dir, source, extra, store, memory_by_default=True)
    settings = Settings(
        timeout=timeout,
        row_limit=row_limit,
        workers=workers or worker_count(),
        cors_origins=tuple(cors),
        texts=tuple(str(t) for t in texts),
        worker_memory_mb=WORKER_MEMORY_MB if worker_memory is None else worker_memory,
        queue=queue,
        allow_network=allow_network_workers,
    )
    app = create_app(graph, settings=settings, exit_on_startup_error=True)
    # Each connection is a descriptor: keep room for the workers' pipes and the store.
    files = raise_file_limit()
    limits = FrontLimits(max_connections=max(1, min(max_connections, files - 64 - 8 * settings.workers)))
    click.echo(f"linzi-kg: serving http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, **uvicorn_options(limits))


@main.command()
@click.option("--reports", type=click.IntRange(1, 100_000), required=True, help="How many reports (report 0 is Linzi).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed; the same seed gives the same bytes.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="N-Triples file to write."
)
def synth(reports: int, seed: int, output: Path) -> None:
    """Write a synthetic graph for benchmarks: N reports of imaginary districts,
    each shaped like the Linzi graph (figures, projects, enterprises, chains,
    spans), reproducible from --seed. Example:
    linzi-kg synth --reports 100 --seed 1 -o build/synth-100.nt
    """
    from kg.bench.synth import write_synthetic

    count = write_synthetic(output, reports, seed=seed)
    click.echo(f"wrote {output} ({reports} reports, {count} triples)")


def _counts(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r}: give whole numbers separated by commas, e.g. 1,10,100") from None
    if not values:
        raise click.BadParameter("give at least one number")
    return values


@main.command()
@click.option(
    "--sizes",
    default="1,10,100,1000",
    show_default=True,
    metavar="N,...",
    help="Report counts to measure (report 0 is Linzi; each adds about 6,600 triples).",
)
@click.option("--repeats", type=click.IntRange(1, 1000), default=5, show_default=True, help="Runs per query (median).")
@click.option(
    "--cap",
    type=click.FloatRange(0.1, 3600),
    default=10.0,
    show_default=True,
    help="Seconds a query may take before it is reported as '> cap' instead.",
)
@click.option(
    "--load-cap",
    type=click.FloatRange(1, 36000),
    default=120.0,
    show_default=True,
    help="Seconds rdflib may take to load a size; larger sizes are skipped when the projection passes it.",
)
@click.option("--no-rdflib", is_flag=True, help="Skip rdflib's engine.")
@click.option("--no-endpoint", is_flag=True, help="Skip the Oxigraph server and the serve throughput runs.")
@click.option("--no-explore", is_flag=True, help="Skip `query` and `path` end to end and the entity page.")
@click.option(
    "--clients", default="1,8", show_default=True, metavar="N,...", help="Concurrent clients for the throughput runs."
)
@click.option(
    "--seconds", type=click.FloatRange(0.5, 3600), default=10.0, show_default=True, help="Length of a throughput run."
)
@click.option(
    "--rounds",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="Turns a throughput run is cut into, alternating between the two servers.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthetic reports.")
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/bench-work"),
    show_default=True,
    help="Scratch directory for the synthetic files and stores (several GB at 1000 reports).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/bench"),
    show_default=True,
    help="Where results.json, results.md and latency.png are written.",
)
def bench(
    sizes: str,
    repeats: int,
    cap: float,
    load_cap: float,
    no_rdflib: bool,
    no_endpoint: bool,
    no_explore: bool,
    clients: str,
    seconds: float,
    rounds: int,
    seed: int,
    work: Path,
    out: Path,
) -> None:
    """Measure build, load, memory, named-query latency and endpoint throughput
    on synthetic graphs of growing size, beside rdflib and an Oxigraph server.

    \b
    Needs the bench extra (pip install 'linzi-kg[bench]': the Oxigraph server
    and matplotlib). The full default run takes about 15 minutes and 5 GB of
    disk under --work. Examples:
      linzi-kg bench                                  # the published numbers
      linzi-kg bench --sizes 1,10 --repeats 3 --seconds 2 --out /tmp/b
    """
    from kg.bench.report import write_results
    from kg.bench.run import BenchConfig, run_benchmark

    config = BenchConfig(
        sizes=_counts(sizes),
        repeats=repeats,
        cap=cap,
        load_cap=load_cap,
        rdflib=not no_rdflib,
        endpoint=not no_endpoint,
        explore=not no_explore,
        clients=_counts(clients),
        seconds=seconds,
        rounds=rounds,
        seed=seed,
        work=work,
    )
    results = run_benchmark(config, log=lambda line: click.echo(line, err=True))
    results["command"] = "linzi-kg bench " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["bench"] else "linzi-kg bench"
    for path in write_results(results, out):
        click.echo(f"wrote {path}")


_KNOWN_HELP = (
    "A data folder (authored YAML, e.g. a reviewed draft) whose names and indicators the draft links to; "
    "repeatable. The data shipped with linzi-kg is always used unless --no-known."
)


@main.command()
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "jsonld", "xml"]),
    default=None,
    help="Print (or write to --output) the draft graph in this RDF format. "
    "Default: turtle, unless --out or --evaluate is given.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft graph here (atomically)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the draft as an authoring data folder that `linzi-kg build --data-dir DIR --source TEXT` accepts.",
)
@click.option("--force", is_flag=True, help="Replace the draft folder --out if it already holds one.")
@click.option(
    "--evaluate",
    "gold",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score the draft against a gold file (format of shared/corpus/README.md) and print the scores.",
)
@click.option("--json", "as_json", is_flag=True, help="With --evaluate: the scores as JSON.")
@click.option("--known", multiple=True, type=click.Path(file_okay=False, path_type=Path), help=_KNOWN_HELP)
@click.option("--no-known", is_flag=True, help="Do not link to the names and indicators of the shipped data.")
@click.option("--year", type=click.IntRange(1949, 2100), help="The report's year, when the text does not say it.")
def ingest(
    text: Path,
    fmt: str | None,
    output: Path | None,
    out_dir: Path | None,
    force: bool,
    gold: Path | None,
    as_json: bool,
    known: tuple[Path, ...],
    no_known: bool,
    year: int | None,
) -> None:
    """Draft a document from a report's TEXT (UTF-8 text or a saved HTML page):
    every figure as a qb:Observation with indicator, year, status, comparator
    and modality, entities and relations, each with its source span (code
    points of TEXT as given), the rule that found it, a confidence and review
    reasons, marked draft until reviewed.

    \b
    Examples:
      linzi-kg ingest report.txt --format turtle -o draft.ttl
      linzi-kg ingest report.txt --out drafts/report     # a data folder; then:
      linzi-kg build --data-dir drafts/report --source report.txt
      linzi-kg ingest report.txt --evaluate report.json  # scores against your gold

    Exit status: 0 (also with a warning, e.g. no figures found), 1 for a file
    that cannot be read (empty, binary, not UTF-8, over 20 MB) or a draft folder
    that exists, 2 for a bad option.
    """
    from kg.errors import UsageError
    from kg.ingest.run import ingest_file
    from kg.rdf.export import Format, serialize, write_atomic

    if fmt is None and out_dir is None and gold is None:
        fmt = "turtle"
    if fmt is not None and gold is not None and output is None:
        raise UsageError("--evaluate prints scores; give --output FILE for the draft graph as well")
    draft = ingest_file(text, known=list(known), use_shipped=not no_known, year=year)
    for warning in draft.warnings:
        click.echo(f"warning: {text}: {warning}", err=True)
    if out_dir is not None:
        from kg.ingest.folder import write_folder

        write_folder(draft, out_dir, source=text, force=force)
        click.echo(
            f"wrote draft folder {out_dir}: {len(draft.figures)} figures, {len(draft.entities)} entities, "
            f"{len(draft.relations)} relations (build it with: linzi-kg build --data-dir {out_dir} --source {text})",
            err=True,
        )
    if fmt is not None:
        from kg.ingest.rdf import draft_graph

        data = serialize(draft_graph(draft), Format(fmt))
        if output is not None:
            write_atomic(output, data)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(data.decode("utf-8"), nl=False)
    if gold is not None:
        from kg.ingest.evaluate import load_gold, score_draft

        result = score_draft(draft, load_gold(gold))
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if as_json else result.report())


@main.command()
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    help="Score every NAME.txt that has a NAME.json gold file beside it in this folder, as a table.",
)
@click.option("--json", "as_json", is_flag=True, help="The scores as JSON.")
@click.option("--known", multiple=True, type=click.Path(file_okay=False, path_type=Path), help=_KNOWN_HELP)
@click.option("--no-known", is_flag=True, help="Do not link to the names and indicators of the shipped data.")
def evaluate(
    draft: Path | None, gold: Path | None, corpus: Path | None, as_json: bool, known: tuple[Path, ...], no_known: bool
) -> None:
    """Score a DRAFT against a GOLD file by the rules of shared/corpus/README.md:
    span recall and precision, tight spans, fact-level F1, entity recall, with
    the misses listed. DRAFT is a draft graph (.ttl, .nt, .jsonld, .rdf, as
    `linzi-kg ingest` writes it) or a report text, which is ingested first.

    \b
    Examples:
      linzi-kg evaluate draft.ttl report.json
      linzi-kg evaluate report.txt report.json
      linzi-kg evaluate --corpus ../shared/corpus
    """
    from kg.errors import UsageError
    from kg.ingest.evaluate import evaluate_corpus, evaluate_file

    if corpus is not None:
        if draft is not None or gold is not None:
            raise UsageError("give either DRAFT GOLD or --corpus DIR, not both")
        rows = evaluate_corpus(corpus, known=list(known), use_shipped=not no_known)
        if as_json:
            click.echo(json.dumps({name: s.as_dict() for name, s in rows}, ensure_ascii=False, indent=2))
            return
        click.echo("text                        figures  span R  span P  tight  fact F1  entities  entity R")
        for name, s in rows:
            click.echo(
                f"{name:<28}{s.gold_figures:>7}  {s.span_recall:6.3f}  {s.span_precision:6.3f}  {s.tight_rate:5.3f}"
                f"  {s.fact_f1:7.3f}  {s.gold_entities:>8}  {s.entity_recall:8.3f}"
            )
        return
    if draft is None or gold is None:
        raise UsageError("give DRAFT and GOLD (or --corpus DIR); see linzi-kg evaluate --help")
    result = evaluate_file(draft, gold, known=list(known), use_shipped=not no_known)
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if as_json else result.report())


@main.command()
@click.argument("draft", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--source", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The report text of the draft."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port to listen on.")
def review(draft: Path, source: Path, host: str, port: int) -> None:
    """Review a DRAFT folder (written by `linzi-kg ingest TEXT --out DRAFT`) in
    the browser: the text with every drafted span highlighted, the records
    beside it. Keys: j/k or arrows move, a accepts, x rejects, e edits (Enter
    saves, Escape cancels). Every action saves the YAML atomically; reviewed
    names feed the next ingest through --known DRAFT.

    \b
    Example:
      linzi-kg review drafts/report --source report.txt   # then open http://127.0.0.1:8001/
    """
    import socket

    import uvicorn

    from kg.errors import UsageError
    from kg.ingest.review import DraftFolder, review_app

    folder = DraftFolder(draft, source)
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"linzi-kg: reviewing {draft} at http://{host}:{port}/ ; Ctrl-C stops", err=True)
    uvicorn.run(review_app(folder), host=host, port=port, log_level="warning", access_log=False)
