"""The benchmark's results as files: ``results.json`` (everything measured),
``results.md`` (tables, targets met or not) and ``latency.png`` (latency
against size, one panel per way of querying)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.output import atomic_output
from kg.rdf.export import write_atomic

#: The issue's targets: (key, wording).
TARGETS = (
    ("linzi_queries", "Linzi graph: every named query under 10 ms in-process"),
    ("cli_query", "`linzi-kg query NAME` with no options (the prepared store) under 0.2 s median end to end"),
    ("explore_path", "50 reports: `linzi-kg path A B` under 1 s, memory within 1.5x of `query`'s"),
    ("explore_page", "50 reports: an entity page under 50 ms"),
    ("large_load", "largest size: load under 15 s"),
    ("large_queries", "largest size: every named query under 1 s"),
    ("large_memory", "largest size: peak memory under 2 GB"),
    (
        "serve_throughput",
        "serve endpoint at least 0.8 of Oxigraph server's answers per second (both queries, 1 and 8 clients, "
        "Linzi and 100 reports)",
    ),
)


def _ms(entry: dict[str, Any] | None, cap: float) -> str:
    if not entry:
        return "–"
    if "capped" in entry:
        return f"> {entry['capped']:g} s"
    ms = entry["median_ms"]
    return f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def _qps(value: float) -> str:
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def _worst(queries: dict[str, Any]) -> tuple[str, float]:
    name, entry = max(queries.items(), key=lambda kv: kv[1].get("median_ms", float("inf")))
    return name, entry.get("median_ms", float("inf"))


def _slowest(queries: dict[str, Any]) -> tuple[str, str, bool]:
    """The slowest query as text, and whether it finished under a second."""
    name, ms = _worst(queries)
    if ms == float("inf"):
        return name, f"over the {queries[name]['capped']:g} s cap", False
    return name, f"{ms:,.0f} ms", ms < 1000


def _throughput_rows(sizes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(size, run, clients, ours qps, theirs qps, ratio) for every throughput run measured."""
    rows = []
    for size in sizes:
        for run in size.get("endpoint", {}).get("throughput", []):
            for clients, ours in run.get("linzi", {}).items():
                theirs = run["oxigraph"][clients]
                a, b = ours["answers"] / ours["seconds"], theirs["answers"] / theirs["seconds"]
                rows.append((size, run, clients, a, b, a / b if b else 0.0))
    return rows


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with what was measured and whether it is met."""
    sizes = results["sizes"]
    out: list[dict[str, Any]] = []
    one = next((s for s in sizes if s["reports"] == 1), None)
    if one is not None:
        name, ms = _worst(one["oxigraph"]["queries"])
        out.append({"key": "linzi_queries", "measured": f"slowest {name}: {ms:.1f} ms", "met": ms < 10})
    cli = results.get("cli_query_s")
    if cli is not None:
        out.append({"key": "cli_query", "measured": f"{cli:.3f} s (median, prepared store)", "met": cli < 0.2})
    explored = [s for s in sizes if "explore" in s]
    if explored:
        at = min(explored, key=lambda s: abs(s["reports"] - 50))
        ex, n50 = at["explore"], f"{at['reports']} reports"
        out.append(
            {
                "key": "explore_path",
                "measured": f"{n50}: path {ex['path']['median_s']:.2f} s, {ex['path']['peak_mb']:,.0f} MiB; "
                f"query {ex['query']['median_s']:.2f} s, {ex['query']['peak_mb']:,.0f} MiB "
                f"(ratio {ex['path_memory_ratio']:.2f})",
                "met": ex["path"]["median_s"] < 1 and ex["path_memory_ratio"] <= 1.5,
            }
        )
        page = ex["entity_page"]
        out.append(
            {
                "key": "explore_page",
                "measured": f"{n50}: `{page['path']}` median {page['median_ms']:.1f} ms "
                f"(first {page['first_ms']:.0f} ms)",
                "met": page["median_ms"] < 50,
            }
        )
    large = max(sizes, key=lambda s: s["reports"])
    ox = large["oxigraph"]
    n = f"{large['reports']} reports, {large['triples']:,} triples"
    build_s = large["build"]["build_s"]
    out.append(
        {
            "key": "large_load",
            "measured": f"{n}: opening the prepared store {ox['load_s']:.2f} s; "
            f"building it (first load) {build_s:.1f} s",
            "met": ox["load_s"] < 15,
            "note": None
            if build_s < 15
            else f"the one-time build is past 15 s: {build_s / large['triples'] * 1e6:.1f} s per million triples",
        }
    )
    name, text, met = _slowest(ox["queries"])
    over = sum(1 for e in ox["queries"].values() if e.get("median_ms", float("inf")) >= 1000)
    out.append(
        {
            "key": "large_queries",
            "measured": f"{n}: {over} of {len(ox['queries'])} over 1 s; slowest {name}: {text}",
            "met": met,
            "note": None if met else "their answers grow with the reports; see Performance in the README",
        }
    )
    peak = max(ox["peak_mb"], large["build"]["peak_mb"])
    out.append(
        {
            "key": "large_memory",
            "measured": f"{n}: queries {ox['peak_mb']:,.0f} MiB, build {large['build']['peak_mb']:,.0f} MiB",
            "met": peak < 2048,
        }
    )
    rows = _throughput_rows(sizes)
    ratios = [(r, size["reports"], run["query"], c) for size, run, c, _, _, r in rows if size["reports"] in (1, 100)]
    if ratios:
        worst = min(ratios)
        out.append(
            {
                "key": "serve_throughput",
                "measured": f"lowest ratio {worst[0]:.2f} (`{worst[2]}`, {worst[1]} reports, {worst[3]} clients); "
                f"{sum(r[0] >= 0.8 for r in ratios)} of {len(ratios)} at 0.8 or more",
                "met": worst[0] >= 0.8,
            }
        )
    wording = dict(TARGETS)
    for t in out:
        t["target"] = wording[t["key"]]
    return out


def markdown(results: dict[str, Any]) -> str:
    """The results as Markdown tables."""
    cfg, m = results["config"], results["machine"]
    cap = float(cfg["cap"])
    lines = [
        "# linzi-kg benchmark",
        "",
        f"Run {results['started']} on {m['cpu'] or 'an unknown CPU'}, {m['cores']} cores, {m['memory_gb']} GB; "
        f"Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, {m['oxigraph server']}.",
        f"Medians of {cfg['repeats']} runs; rdflib queries capped at {cap:g} s, its loads at {cfg['load_cap']:g} s.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for t in targets(results):
        note = f" ({t['note']})" if t.get("note") else ""
        lines.append(f"| {t['target']} | {t['measured']}{note} | {'yes' if t['met'] else '**no**'} |")
    lines += [
        "",
        "## Size, build, load, memory",
        "",
        "| reports | triples | quads in store | generate (s) | build store (s) | build peak (MiB) "
        "| open store (s) | query peak (MiB) | rdflib load (s) | rdflib peak (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["sizes"]:
        rl = s.get("rdflib", {})
        rl_load = f"{rl['load_s']:.1f}" if "load_s" in rl else ("> cap" if "load_capped" in rl else "skipped")
        rl_peak = f"{rl['peak_mb']:,.0f}" if "peak_mb" in rl else "–"
        lines.append(
            f"| {s['reports']:,} | {s['triples']:,} | {s['build']['quads']:,} | {s['generate_s']:.1f} "
            f"| {s['build']['build_s']:.1f} | {s['build']['peak_mb']:,.0f} | {s['oxigraph']['load_s']:.2f} "
            f"| {s['oxigraph']['peak_mb']:,.0f} | {rl_load} | {rl_peak} |"
        )
    sizes = results["sizes"]
    names = list(sizes[0]["oxigraph"]["queries"])
    lines += ["", "## Named query latency (median ms)", ""]
    header = "| query | " + " | ".join(
        f"{s['reports']:,}: {engine}" for s in sizes for engine in ("oxigraph", "rdflib", "endpoint")
    )
    lines += [header + " |", "|---|" + "---:|" * (3 * len(sizes))]
    for name in names:
        cells = []
        for s in sizes:
            cells.append(_ms(s["oxigraph"]["queries"].get(name), cap))
            cells.append(_ms(s.get("rdflib", {}).get("queries", {}).get(name), cap))
            cells.append(_ms(s.get("endpoint", {}).get("queries", {}).get(name), cap))
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    skipped = [f"{s['reports']:,} reports: {s['rdflib']['skipped']}" for s in sizes if "skipped" in s.get("rdflib", {})]
    if skipped:
        lines += ["", "rdflib not run at " + "; ".join(skipped) + "."]
    lines += [
        "",
        "oxigraph: `run_query` on the store in-process; rdflib: the same on rdflib's engine, in memory; "
        "endpoint: `linzi-kg query --endpoint` path (SPARQLWrapper) to `oxigraph serve-read-only` on the same store.",
    ]
    traffic = _throughput_rows(sizes)
    skipped_runs = [
        f"`{run['query']}` at {size['reports']:,} reports ({run['skipped']})"
        for size in sizes
        for run in size.get("endpoint", {}).get("throughput", [])
        if "skipped" in run
    ]
    if traffic or skipped_runs:
        seconds = traffic[0][1]["seconds"] if traffic else 0
        lines += [
            "",
            f"## Endpoint throughput (answers per second, {seconds:g} s per run"
            + (
                f" in up to {cfg['rounds']} turns alternating between the servers, fewer for a slow query)"
                if cfg.get("rounds")
                else ")"
            ),
            "",
            "| query | reports | clients | turns | linzi-kg serve | Oxigraph server | ratio | errors (ours / theirs) |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for size, run, clients, a, b, ratio in traffic:
            ours, theirs = run["linzi"][clients], run["oxigraph"][clients]
            turns = run.get("rounds", cfg.get("rounds", 1))
            lines.append(
                f"| `{run['query']}` | {size['reports']:,} | {clients} | {turns} | {_qps(a)} "
                f"| {_qps(b)} | {ratio:.2f} | {ours['errors']} / {theirs['errors']} |"
            )
        if skipped_runs:
            lines += ["", "Not measured: " + "; ".join(skipped_runs) + "."]
    costs = [(size, entry) for size in sizes for entry in size.get("endpoint", {}).get("cost", [])]
    costs = [(s, e) for s, e in costs if "front_us" in e["oxigraph"] and "front_us" in e["linzi"]]
    if costs:
        lines += [
            "",
            "## Where the time goes (CPU µs per answer, one client, from /proc)",
            "",
            "| query | reports | Oxigraph server | linzi-kg serve: HTTP front | workers | total "
            "| wall per answer (ours / theirs) | client CPU (ours / theirs) |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for size, entry in costs:
            ox, lz = entry["oxigraph"], entry["linzi"]
            theirs, total = ox["front_us"] + ox["workers_us"], lz["front_us"] + lz["workers_us"]
            lines.append(
                f"| `{entry['query']}` | {size['reports']:,} | {theirs:,.0f} | {lz['front_us']:,.0f} "
                f"| {lz['workers_us']:,.0f} | {total:,.0f} | {lz['wall_us']:,.0f} / {ox['wall_us']:,.0f} "
                f"| {lz['client_us']:,.0f} / {ox['client_us']:,.0f} |"
            )
    lines += ["", f"Command: `{results.get('command', 'linzi-kg bench')}`", ""]
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    """Latency against size, log-log, one line per named query and one panel per way of querying."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("the plot needs matplotlib: pip install 'linzi-kg[bench]'") from None
    sizes = results["sizes"]
    panels = [("oxigraph", "pyoxigraph, in-process"), ("rdflib", "rdflib, in-process"), ("endpoint", "Oxigraph server")]
    fig, axes = plt.subplots(1, 3, figsize=(15, 5), sharey=True)
    names = list(sizes[0]["oxigraph"]["queries"])
    # Eleven queries: tab20's pairs of shades, and markers, keep every line apart.
    colours = [plt.get_cmap("tab20")(i) for i in range(0, 20, 2)] + [plt.get_cmap("tab20")(i) for i in range(1, 20, 2)]
    markers = "osD^v<>ph*X"
    for ax, (key, title) in zip(axes, panels, strict=True):
        for index, name in enumerate(names):
            xs, ys = [], []
            for s in sizes:
                entry = s.get(key, {}).get("queries", {}).get(name)
                if entry and "median_ms" in entry:
                    xs.append(s["reports"])
                    ys.append(max(entry["median_ms"], 0.01))
            if xs:
                style = {"color": colours[index % len(colours)], "marker": markers[index % len(markers)]}
                ax.plot(xs, ys, label=name, **style)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("reports (about 6,600 triples each)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("median latency (ms)")
    axes[-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    with atomic_output(path) as fh:
        fig.savefig(fh, format="png", dpi=100)
    plt.close(fig)


def write_results(results: dict[str, Any], out: Path) -> list[Path]:
    """Write results.json, results.md and latency.png into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": targets(results)}
    files = [out / "results.json", out / "results.md", out / "latency.png"]
    write_atomic(files[0], (json.dumps(results, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    write_atomic(files[1], markdown(results).encode("utf-8"))
    plot(results, files[2])
    return files


BEGIN = "<!-- benchmark results: copied from docs/benchmarks/results.md by `make bench` -->"
END = "<!-- end of benchmark results -->"


def readme_block(results_md: str) -> str:
    """The results as they appear in the README: without the title, headings
    two levels down."""
    lines = results_md.strip().splitlines()[1:]
    body = "\n".join(("##" + line) if line.startswith("## ") else line for line in lines).strip()
    return f"{BEGIN}\n\n{body}\n\n{END}"


def update_readme(readme: Path, results_md: Path) -> None:
    """Replace the README's results block with ``results_md`` (atomically)."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise UsageError(f"{readme}: no benchmark results block ({BEGIN} ... {END})")
    block = readme_block(results_md.read_text(encoding="utf-8"))
    write_atomic(readme, (text[:start] + block + text[end + len(END) :]).encode("utf-8"))


if __name__ == "__main__":
    import sys

    update_readme(Path(sys.argv[1]), Path(sys.argv[2]))
