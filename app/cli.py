"""The `modelatlas` commands: parse flags, call the Atlas, print. app/program.py runs them and reports errors."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from modelatlas.atlas import Atlas
from modelatlas.config import Config, default_home
from modelatlas.graph.errors import AmbiguousNameError, CatalogError, QuestionError, ViewError
from modelatlas.graph.types import NodeKind, Relation

CHECKPOINTS_SHOWN = 10  # a method's checkpoints listed by `papers`; --json lists them all

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Ask which AI models and papers fit what you did to your images, from a graph of tasks, models, papers and code.",
)


@dataclass
class Session:
    """One run of the program: the Atlas its command uses, and how failures and library output are shown."""

    atlas: Atlas | None = None
    debug: bool = False


@app.callback()
def configure(
    ctx: typer.Context,
    home: Annotated[Optional[Path], typer.Option(help="Catalog folder [default: $MODELATLAS_HOME or ~/.local/share/modelatlas]")] = None,
    no_default_catalog: Annotated[bool, typer.Option("--no-default-catalog", help="Leave out the shipped default catalog")] = False,
    store: Annotated[Optional[str], typer.Option(help="Read the catalog from a triple store: oxigraph:PATH or a SPARQL query URL")] = None,
    progress: Annotated[bool, typer.Option("--progress", help="Draw progress bars even when stderr is not a terminal")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Let the libraries' own messages and warnings through to stderr")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="On an error, print the Python traceback too")] = False,
) -> None:
    session = ctx.ensure_object(Session)
    session.debug = debug
    quiet_libraries(not verbose)
    config = Config(home=home or default_home(), include_default_catalog=not no_default_catalog, store=store, progress=progress or sys.stderr.isatty())
    session.atlas = Atlas(config)


def quiet_libraries(quiet: bool) -> None:
    """Keep the libraries' log lines, warnings and progress bars off stderr, which carries only ModelAtlas's own lines."""
    import logging
    import warnings

    if quiet:
        logging.disable(logging.CRITICAL)
        warnings.simplefilter("ignore")
    else:
        logging.disable(logging.NOTSET)
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        warnings.simplefilter("default")


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[Optional[str], typer.Argument(help="The question, in your own words; - reads it from stdin")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per answer (same as --format json)")] = False,
    output: Annotated[str, typer.Option("--format", help="md: the Markdown answer; json: one JSON object; prompt: the seed prompt layout")] = "md",
    why: Annotated[bool, typer.Option("--why", help="Show the path of edges and the scores behind each recommendation")] = False,
    batch: Annotated[Optional[Path], typer.Option(help="Answer each non-empty line of FILE, loading the model once")] = None,
) -> None:
    """Answer a question: the task, how the recommended models work, and the papers and code behind them."""
    atlas: Atlas = ctx.obj.atlas
    if (question is None) == (batch is None):
        raise QuestionError("give either a QUESTION or --batch FILE")
    output = "json" if as_json else output
    if output not in ("md", "json", "prompt"):
        raise QuestionError(f"--format {output!r}: choose md, json or prompt")
    if question == "-":
        question = sys.stdin.read()
    questions = [question] if batch is None else _read_batch(batch)
    chunk = 64
    for start in range(0, len(questions), chunk):
        for answer in atlas.ask_many(questions[start : start + chunk], why=why):
            if output == "json":
                _print_json(answer.to_json())
            elif output == "prompt":
                from modelatlas.explain.prompt import render_prompt

                sys.stdout.write(render_prompt(answer) + ("\n" if batch else ""))
            else:
                sys.stdout.write(answer.markdown + ("\n" if batch else ""))
        sys.stdout.flush()


def _read_batch(path: Path) -> list[str]:
    """The questions of a batch file, all checked before any is answered."""
    from modelatlas.ingest.reading import read_document_text
    from modelatlas.query.question import clean_question

    questions = []
    for number, line in enumerate(read_document_text(path).split("\n"), 1):
        if line.strip():
            try:
                questions.append(clean_question(line))
            except QuestionError as err:
                raise QuestionError(f"{path}:{number}: {err}") from None
    if not questions:
        raise QuestionError(f"{path}: no questions in the file")
    return questions


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    sets: Annotated[list[Path], typer.Argument(help="JSONL files, one case per line (question, category, tasks, models, methods, papers, abstain); e.g. data/eval/tune.jsonl data/eval/test.jsonl")],
    compare: Annotated[bool, typer.Option("--compare", help="Also run the BM25 and dense-only baselines")] = False,
    calibrate: Annotated[bool, typer.Option("--calibrate", help="Also sweep the abstention threshold and print the one the set supports")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Measure task@1, model and method hit@1, paper recall@5, MRR and abstention on evaluation sets, per category too."""
    atlas: Atlas = ctx.obj.atlas
    results = [(path, atlas.evaluate(path, compare)) for path in sets]
    if as_json:
        rows = []
        for path, reports in results:
            for r in reports:
                row = {"set": str(path), "system": r.system, "metrics": r.metrics, "categories": r.categories, "failures": r.failures}
                if calibrate and r.calibration:
                    row["calibration"] = {"threshold": r.calibration.threshold, "sweep": [list(s) for s in r.calibration.sweep]}
                rows.append(row)
        _print_json(rows)
        return
    for number, (path, reports) in enumerate(results):
        print(("\n" if number else "") + f"## {path}\n")
        _print_reports(reports, calibrate)
    if len(results) > 1:
        (first, a), (second, b) = results[0], results[1]
        print(f"\ngap ({a[0].system}, {first.name} - {second.name}): " + ", ".join(
            f"{name} {a[0].metrics[name] - b[0].metrics[name]:+.3f}" for name in ("task@1", "method_hit@1", "abstain_recall")
            if a[0].metrics[name] == a[0].metrics[name] and b[0].metrics[name] == b[0].metrics[name]  # both measured (not NaN)
        ))


def _print_reports(reports: list, calibrate: bool) -> None:
    names = list(reports[0].metrics)
    print("| metric | " + " | ".join(r.system for r in reports) + " |")
    print("|---|" + "---|" * len(reports))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r.metrics[name]:.3f}" for r in reports) + " |")
    print("\n| category | questions | " + " | ".join(f"{r.system} right" for r in reports) + " |")
    print("|---|---|" + "---|" * len(reports))
    for category, row in reports[0].categories.items():
        print(f"| {category} | {row['n']} | " + " | ".join(f"{r.categories[category]['right']:.3f}" for r in reports) + " |")
    print(f"\n{len(reports[0].failures)} questions with a problem ({reports[0].system}):")
    for failure in reports[0].failures:
        print(f"  line {failure['line']} ({failure['category']}): {failure['question'][:70]}: {'; '.join(failure['problems'])}")
    if calibrate:
        for r in reports:
            if r.calibration is None:
                continue
            print(f"\nabstention threshold the set supports ({r.system}): {r.calibration.threshold:.4f}")
            print("| below | abstain precision | abstain recall |\n|---|---|---|")
            for cut, precision, recall in r.calibration.sweep:
                if abs(cut - r.calibration.threshold) <= 0.1:
                    print(f"| {cut:.4f} | {precision:.3f} | {recall:.3f} |")


@app.command()
def viz(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The file to write: .html (interactive), .png or .svg (static), .graphml or .gexf")],
    model: Annotated[Optional[str], typer.Option(help="Centre on a model (id, name, or a unique part of its name)")] = None,
    task: Annotated[Optional[str], typer.Option(help="Centre on a task (id or name)")] = None,
    paper: Annotated[Optional[str], typer.Option(help="Centre on a paper (id, title, or a unique part of it)")] = None,
    depth: Annotated[int, typer.Option(help="How many edges out from the centre")] = 2,
    kind: Annotated[Optional[list[str]], typer.Option(help="Whole graph only: keep nodes of this kind (repeatable)")] = None,
    max_nodes: Annotated[int, typer.Option(help="Draw at most this many nodes, nearest the centre first")] = 400,
    checkpoints: Annotated[bool, typer.Option("--checkpoints", help="Draw every checkpoint instead of one node per method")] = False,
) -> None:
    """Draw the graph, or the neighbourhood of a model, task or paper, to an HTML page, an image or a graph file."""
    from modelatlas.explain.viz import write_view
    from modelatlas.graph.views import neighbourhood, whole

    atlas: Atlas = ctx.obj.atlas
    centres = [(k, v) for k, v in ((NodeKind.MODEL, model), (NodeKind.TASK, task), (NodeKind.PAPER, paper)) if v is not None]
    if len(centres) > 1:
        raise ViewError("give at most one of --model, --task and --paper")
    catalog = atlas.catalog
    if centres:
        node = catalog.find(*centres[0])
        view = neighbourhood(catalog, node.id, depth, max_nodes, methods=not checkpoints)
        title = f"{node.name}: its {node.kind} neighbourhood, {depth} edges out"
    else:
        view = whole(catalog, set(kind) if kind else None, max_nodes=max_nodes, methods=not checkpoints)
        title = "The ModelAtlas catalog" + (f" ({', '.join(kind)})" if kind else "")
    write_view(catalog, view, out, title)
    shown = f"{len(view.node_ids)} of {view.total} nodes" if view.truncated else f"{len(view.node_ids)} nodes"
    print(f"wrote {out} ({shown})")


@app.command()
def export(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Argument(help="The file to write; - or nothing writes to stdout")] = None,
    file_format: Annotated[Optional[str], typer.Option("--format", help="ttl, jsonld, nt or graphml [default: from OUT's ending, else ttl]")] = None,
) -> None:
    """Write the whole catalog as RDF (Turtle, JSON-LD, N-Triples) or GraphML; `ingest` reads the RDF back."""
    from modelatlas.graph.export import SUFFIXES
    from modelatlas.graph.store import replacing

    to_file = out is not None and str(out) != "-"
    chosen = file_format or (SUFFIXES.get(out.suffix.lower()) if to_file else None) or "ttl"
    if to_file:
        with replacing(out) as handle:
            ctx.obj.atlas.export(chosen, handle)
        print(f"wrote {out} ({out.stat().st_size:,} bytes, {chosen})")
    else:
        ctx.obj.atlas.export(chosen, sys.stdout.buffer)
        sys.stdout.flush()


@app.command()
def sparql(
    ctx: typer.Context,
    query: Annotated[Optional[str], typer.Argument(help="A SPARQL 1.1 query; prefixes ma, mls, schema, dcterms, prov, skos are declared")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Read the query from this file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print SPARQL 1.1 JSON results")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let SERVICE and FROM <http://…> reach other machines (refused by default)")] = False,
) -> None:
    """Query the catalog's RDF view with SPARQL (read-only, never reaching other machines); SELECT prints a table."""
    from modelatlas.graph.sparql import SparqlError

    if (query is None) == (file is None):
        raise SparqlError("give either a QUERY or --file FILE")
    if file is not None:
        from modelatlas.ingest.reading import read_document_text

        query = read_document_text(file)
    result = ctx.obj.atlas.sparql(query, allow_service)
    if result.kind == "graph":
        sys.stdout.write(result.turtle)
    elif as_json:
        sys.stdout.write(result.json.decode("utf-8") + "\n")
    elif result.kind == "ask":
        print("yes" if result.boolean else "no")
    else:
        print("\t".join(result.columns))
        for row in result.rows:
            print("\t".join("" if v is None else " ".join(v.split()) for v in row))
        if sys.stdout.isatty():  # for a person reading; a pipe gets the bare table
            print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")


@app.command()
def push(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="oxigraph:PATH (an on-disk store) or a SPARQL endpoint's query URL")],
    update_url: Annotated[Optional[str], typer.Option("--update-url", help="The endpoint's update URL [default: the query URL with /query -> /update]")] = None,
) -> None:
    """Write the catalog (its RDF view) into a triple store, replacing what the store held."""
    name, count = ctx.obj.atlas.push(target, update_url)
    print(f"wrote {count:,} triples to {name}")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the question page, model, task and paper pages, the graph page and the JSON API (read-only)."""
    from modelatlas.web.server import serve as run_server

    run_server(ctx.obj.atlas, host, port)


@app.command()
def papers(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A method (SwinIR, \"Mask R-CNN\"), a model id or name, or a unique part of one")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the papers related to a method or a model, and why each is related."""
    atlas: Atlas = ctx.obj.atlas
    try:
        data = atlas.papers_json(name)
    except AmbiguousNameError as ambiguous:  # an answer, not a failure: the methods and models the name may mean
        _print_candidates(name, ambiguous.candidates, as_json)
        return
    if as_json:
        _print_json(data)
        return
    found, rows = data.get("method") or data["model"], data["papers"]
    tasks = ", ".join(t["name"] for t in found["tasks"]) or "no task known"
    if found["kind"] == "method":
        count = len(found["checkpoints"])
        print(f"{found['name']}, a method ({tasks}), {count} checkpoint{'s' if count != 1 else ''}: {len(rows)} related paper{'s' if len(rows) != 1 else ''}")
    else:
        of = f", a checkpoint of {found['method']['name']}" if found["method"] else ""
        print(f"{found['name']}{of} ({tasks}): {len(rows)} related paper{'s' if len(rows) != 1 else ''}")
    for number, row in enumerate(rows, 1):
        print(f"\n{number}. {row['title']}")
        if row["url"]:
            print(f"   {row['url']}")
        for url in row["code_urls"]:
            print(f"   code: {url}")
        print(f"   why: {'; '.join(row['reasons'])}")
    if found["kind"] == "method":
        shown = found["checkpoints"][:CHECKPOINTS_SHOWN]
        more = f" (and {count - len(shown)} more: --json lists all)" if count > len(shown) else ""
        print(f"\ncheckpoints{more}:")
        for checkpoint in shown:
            print(f"  {checkpoint.removeprefix('model:')}")


def _print_candidates(name: str, candidates: list[dict], as_json: bool) -> None:
    if as_json:
        _print_json({"candidates": [{k: v for k, v in c.items() if k != "label"} for c in candidates]})
        return
    print(f"{name!r} matches {len(candidates)} methods or models; name one to see its papers:")
    for candidate in candidates:
        matched = candidate["matched"]
        if candidate["kind"] == "method":
            example = f"; {len(matched)} matching checkpoint{'s' if len(matched) != 1 else ''}, e.g. {matched[0].removeprefix('model:')}" if matched else ""
            print(f"  method {candidate['label']}{example}")
        else:
            print(f"  {candidate['label']}")


@app.command()
def leaderboard(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="A task: its id, name or an alias (\"instance segmentation\", image-classification)")],
    dataset: Annotated[Optional[str], typer.Option(help="Rank on this dataset (name or alias) [default: the one with most results]")] = None,
    metric: Annotated[Optional[str], typer.Option(help="Rank by this metric [default: the task's main metric]")] = None,
    max_params: Annotated[Optional[str], typer.Option("--max-params", help="Keep checkpoints with at most this many parameters (5M, 2.5e7)")] = None,
    max_flops: Annotated[Optional[str], typer.Option("--max-flops", help="Keep checkpoints with at most this many FLOPs (1G)")] = None,
    max_ms: Annotated[Optional[float], typer.Option("--max-ms", help="Keep checkpoints whose stated inference time is at most this many ms")] = None,
    commercial: Annotated[bool, typer.Option("--commercial", help="Keep checkpoints whose licence allows commercial use")] = False,
    checkpoints: Annotated[bool, typer.Option("--checkpoints", help="One row per checkpoint instead of per method")] = False,
    plot: Annotated[Optional[Path], typer.Option(help="Also write the accuracy-versus-size scatter: .html, .png or .svg")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """A task's methods (or checkpoints) ranked by a metric on a dataset, within size, speed and licence bounds."""
    from modelatlas.explain.leaderboard import leaderboard_json, leaderboard_text, write_plot
    from modelatlas.graph.facts import count_value
    from modelatlas.query.leaderboard import LICENCE, Constraint, build_leaderboard, find_task

    atlas: Atlas = ctx.obj.atlas
    catalog = atlas.catalog
    found = find_task(catalog, task)
    constraints = []
    for quantity, text in (("parameters", max_params), ("flops", max_flops)):
        if text is not None:
            limit = count_value(text.strip())
            if limit is None:
                raise typer.BadParameter(f"{text!r} is not a number such as 5M or 2.5e7", param_hint=f"--max-{'params' if quantity == 'parameters' else quantity}")
            constraints.append(Constraint(quantity, limit, text))
    if max_ms is not None:
        constraints.append(Constraint("inference_ms", max_ms, f"{max_ms:g} ms"))
    if commercial:
        constraints.append(Constraint(LICENCE, None, "--commercial"))
    datasets = (catalog.find(NodeKind.DATASET, dataset).id,) if dataset else ()
    board = build_leaderboard(catalog, found, datasets=datasets, metric=metric, constraints=tuple(constraints), by_method=not checkpoints)
    if board is None:
        on = f" on {dataset}" if dataset else ""
        by = f" by {metric}" if metric else ""
        raise CatalogError(f"no checkpoint of {found.name} reports results{on}{by} in the catalog")
    if plot is not None:
        write_plot(board, plot)
    if as_json:
        _print_json(leaderboard_json(board))
    else:
        print(leaderboard_text(board), end="")


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to add to your catalog")],
    format_name: Annotated[Optional[str], typer.Option("--format", help="Read every file in this format instead of guessing")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what the documents would add, and change nothing")] = False,
) -> None:
    """Add documents to your catalog; on any error, or a document that adds nothing, nothing is added."""
    atlas: Atlas = ctx.obj.atlas
    report = atlas.ingest(paths, format_name, dry_run)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path, fmt, added in report.added:
        print(f"{'would add' if dry_run else 'added'} {path} ({fmt}): {added.describe()}")
    for path in report.unchanged:
        print(f"unchanged {path}: already in the catalog")


@app.command()
def remove(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A document you ingested: its sources/ label, file name or original path")],
) -> None:
    """Take a document out of your catalog, with everything only it asserted."""
    atlas: Atlas = ctx.obj.atlas
    report = atlas.remove(source)
    what = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(report.nodes.items())) or "no nodes"
    print(f"removed {report.label} ({report.original}): {what} and {report.edges} edges that only it asserted")


@app.command()
def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per finding")] = False,
) -> None:
    """Report what looks wrong in the catalog (models with no task, papers with no link, odd metrics); change nothing."""
    from modelatlas.graph.checks import check_catalog

    atlas: Atlas = ctx.obj.atlas
    findings = check_catalog(atlas.catalog)
    for finding in findings:
        if as_json:
            _print_json({"check": finding.check, "node": finding.node_id, "message": finding.message, "sources": list(finding.sources)})
        else:
            print(f"{finding.check}: {finding.message} [{', '.join(finding.sources)}]")
    for warning in atlas.catalog.warnings:  # what the build skipped is part of the report, on stdout like the rest
        if as_json:
            _print_json({"check": "build-warning", "node": None, "message": warning, "sources": []})
        else:
            print(f"build-warning: {warning}")
    if not as_json:
        counts = Counter(f.check for f in findings)
        print(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}" + (f": {', '.join(f'{n} {c}' for c, n in sorted(counts.items()))}" if counts else "")
              + f"; {len(atlas.catalog.warnings)} build warnings")


@app.command()
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    unmapped: Annotated[bool, typer.Option("--unmapped", help="List the tasks documents named that map onto no curated task")] = False,
) -> None:
    """Count the catalog's nodes by kind and edges by relation."""
    atlas: Atlas = ctx.obj.atlas
    if unmapped:
        tasks = [t for t in atlas.catalog.nodes(NodeKind.TASK) if not t.curated]
        rows = [{"id": t.id, "name": t.name, "models": len(atlas.catalog.origins(t.id, Relation.PERFORMS)), "sources": list(t.sources)} for t in tasks]
        if as_json:
            _print_json({"unmapped_tasks": rows})
        else:
            print(f"{len(rows)} task{'s' if len(rows) != 1 else ''} map onto no curated task:")
            for row in rows:
                print(f"  {row['name']:<36}{row['models']:>5} models   {row['sources'][0]}" + (f" (+{len(row['sources']) - 1})" if len(row["sources"]) > 1 else ""))
        return
    counts = atlas.catalog.counts()
    if as_json:
        _print_json({group: dict(sorted(c.items())) for group, c in counts.items()})
        return
    for group, counter in counts.items():
        if group == "coverage":
            print(f"{group}:")
            for name, n in counter.items():
                print(f"  {name:<28}{n:>6}")
            continue
        print(f"{group}: {sum(counter.values())}")
        for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]) if group == "models by source" else kv):
            print(f"  {name:<24}{n:>6}")
