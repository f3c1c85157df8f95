"""An Answer rendered as Markdown: the task, the workflow (input -> model -> output), then papers and tools."""

from __future__ import annotations

import re

from modelatlas.explain.answer import Answer, BenchmarkPart, CuePart, Link, NamePart, PaperPart, Quote, Reference, WorkflowStep
from modelatlas.graph.facts import QUANTITIES, format_count

_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]#|]|(?<!\w)_|_(?!\w))")  # intraword _ cannot start emphasis
_HTML_SPECIAL = [(re.compile(r"&(?=#?\w+;)"), "&amp;"), (re.compile("<"), "&lt;"), (re.compile(">"), "&gt;")]
_BARE_URL = re.compile(r"\b(https?|ftp):(?=//)", re.IGNORECASE)


def escape(text: str) -> str:
    """Text from the catalog or the user made inert in Markdown: no links, emphasis, raw HTML or autolinks of its own."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    for pattern, entity in _HTML_SPECIAL:
        text = pattern.sub(entity, text)
    return _BARE_URL.sub(r"\1\\:", text)


def link(item: Link | None, url: str | None = None, name: str | None = None) -> str:
    """`[name](url)` for a web link, else the escaped name alone."""
    name = name if name is not None else (item.name if item else "")
    url = url if url is not None else (item.url if item else None)
    if url and re.match(r"^https?://[^\s()<>]+$", url):
        return f"[{escape(name)}]({url})"
    return escape(name)


def render_markdown(answer: Answer) -> str:
    """The Markdown an `ask` prints."""
    if not answer.confident:
        return _render_abstention(answer)
    lines = [f"**Question:** {escape(answer.question)}", *_read_as_lines(answer), "", "## 1. What you are doing", ""]
    lines += _task_lines(answer)
    if answer.cues or answer.names:
        lines += ["", "**What ModelAtlas read in your question:**", ""]
        lines += [_name_line(n) for n in answer.names]
        quoted_before: set[str] = set()
        for cue in answer.cues:
            lines.append(_cue_line(cue, cue.quote is not None and cue.quote.text in quoted_before))
            quoted_before |= {cue.quote.text} if cue.quote else set()
    if answer.benchmark or answer.constraints:
        lines += ["", *_merit_lines(answer)]
    lines += ["", "## 2. How it works: input → model → output", ""]
    if answer.workflow:
        for number, step in enumerate(answer.workflow, 1):
            lines += _workflow_lines(number, step)
    elif answer.constraints:
        lines.append("No model of the catalog for this task keeps what you asked for, so ModelAtlas recommends none.")
        if answer.left_out:
            lines += ["", "The nearest, left out:", ""]
            lines += [f"- {_checkpoint(x.method, x.name)}: {escape(x.reason)}." for x in answer.left_out]
    elif answer.coverage == "task_without_models":
        task = answer.tasks[0].name.lower() if answer.tasks else "this task"
        lines.append(
            f"The catalog knows **{escape(task)}** but holds no model for it yet, so ModelAtlas recommends none rather than "
            "a model of another task. A document naming a model that performs it would add one: a model-index file "
            "(Papers with Code, OpenMMLab), a Hugging Face model card or a catalog entry, with `modelatlas ingest PATH`."
        )
        if answer.nearest_covered:
            lines += ["", "The nearest tasks the catalog has models for: " + ", ".join(f"**{escape(n)}**" for _, n in answer.nearest_covered) + "."]
    else:
        lines.append("The catalog holds no model for this task yet, so ModelAtlas recommends none; the papers below address it.")
    lines += ["", "## 3. Papers and tools", ""]
    if answer.papers:
        for number, paper in enumerate(answer.papers, 1):
            lines += _paper_lines(number, paper)
    else:
        lines.append("The catalog links no paper to this task.")
    code = {s.code.url: s.code for s in answer.workflow if s.code}
    code.update({c.url: c for p in answer.papers for c in p.code})
    if code:
        lines += ["", "**Code:** " + " · ".join(link(c) for c in code.values())]
    if answer.references:
        lines += ["", "## References", ""]
        lines += [_reference_line(r) for r in answer.references]
    if answer.why:
        lines += ["", "## Why these", ""]
        for part in answer.why:
            lines.append(f"- **{escape(part.name)}** (score {part.score:.2f}), reached from the {escape(part.matched)}:")
            lines += [f"  - {escape(step)}" for step in part.steps] or ["  - it was matched directly"]
    lines += ["", "_Answered from the ModelAtlas catalog only; scores are relative to the best of each kind._"]
    return "\n".join(lines) + "\n"


def quoted(quotes: tuple[Quote, ...]) -> str:
    """Sentences of the graph, each run of sentences from one node followed by the node's reference number."""
    parts = []
    for i, quote in enumerate(quotes):
        parts.append(escape(quote.text))
        if i + 1 == len(quotes) or quotes[i + 1].ref != quote.ref:
            parts[-1] += f" [{quote.ref}]"
    return " ".join(parts)


def _name_line(name: NamePart) -> str:
    typo = " (read as a misspelling)" if name.fuzzy else ""
    return f"- “{escape(name.said)}”: the {escape(name.kind)} **{escape(name.name)}**{typo}."


def _cue_line(cue: CuePart, repeated: bool = False) -> str:
    said = f"- “{escape(cue.said)}” ({escape(cue.meaning)})"
    if repeated:
        return f"{said}: the sentence quoted above speaks to this too [{cue.quote.ref}]."
    if cue.quote is None:
        return f"{said}: nothing in the texts of the task, models and papers below speaks to it."
    if cue.kind == "scale factor" and not cue.exact:
        return f"{said}: the graph speaks of scale factors, though not of this one: {quoted((cue.quote,))}"
    return f"{said}: {quoted((cue.quote,))}"


def _reference_line(ref: Reference) -> str:
    kind = ref.kind.capitalize()
    if ref.url:
        return f"- [{ref.number}] {kind}: {link(None, ref.url, ref.name)}"
    return f"- [{ref.number}] {kind}: {escape(ref.name)} (`{ref.node_id.replace('`', '')}`)"


def _task_lines(answer: Answer) -> list[str]:
    if not answer.tasks:  # a catalog of documents that name no task (e.g. one seed, without the default catalog)
        return ["The catalog names no task that fits this question; what follows is what it links to questions like yours."]
    main = answer.tasks[0]
    within = f", a kind of {escape(main.broader[0].lower())}" if main.broader else ""
    described = quoted(main.quotes) if main.quotes else escape(main.description)
    lines = [f"You are asking about **{escape(main.name.lower())}**{within}: {described}"]
    if main.via_question and main.via_question.casefold() == answer.question.casefold():
        lines[0] += " The catalog holds this very question, answered with a model for this task."
    elif main.via_question:
        lines[0] += f" The catalog holds a question like yours about this task: \u201c{escape(main.via_question)}\u201d"
    elif main.matched_text:
        lines[0] += f" Your question matched it through \u201c{escape(main.matched_text)}\u201d."
    others = [f"{escape(t.name.lower())} ({t.score:.2f})" for t in answer.tasks[1:]]
    if others:
        lines += ["", f"Also close: {', '.join(others)}."]
    return lines


_OBJECTIVE_WORDS = {"metric": "the best result", "size": "the smallest model", "speed": "the fastest model"}


def _merit_lines(answer: Answer) -> list[str]:
    """How the models were chosen on merit: the objective, the constraints as read, the leaderboard."""
    b = answer.benchmark
    lines = ["**How the models were chosen:**", ""]
    if b:
        said = f" (“{escape(b.objective_said)}”)" if b.objective_said else ""
        lines.append(f"- You asked for {_OBJECTIVE_WORDS[b.objective]}{said}.")
        if b.ranked_by != "metric":
            lines.append(f"- Ranked by the {escape(QUANTITIES[b.ranked_by].label)} the checkpoints state, smallest first.")
        elif b.objective != "metric":
            lines.append(f"- None of these checkpoints states its {'size' if b.objective == 'size' else 'speed'}, so they are ranked by their results.")
    for c in answer.constraints:
        lines.append(f"- You asked for {escape(c.text)} (“{escape(c.said)}”): a checkpoint that breaks it or does not state it is left out.")
    if b:
        better = "higher" if b.higher_is_better else "lower"
        lines.append(f"- Results: {escape(b.metric)} on {escape(b.dataset)} ({better} is better), each method once with its checkpoint that ranks best.")
        if b.left_out:
            said = {"unstated": "do not state what you bounded", "doubtful": "state a doubtful figure", "over": "are over a bound"}
            parts = [f"{n} {said[kind]}" for kind, n in b.left_out]
            total = sum(n for _, n in b.left_out)
            lines.append(f"- Left out: {total} checkpoint{'s' if total != 1 else ''} with results here ({', '.join(parts)}).")
        for x in b.doubtful:
            lines.append(f"- Left out of the decision: {_checkpoint(x.method, x.name)}, {escape(x.reason)}.")
        if b.rows:
            lines += ["", f"| method | checkpoint | {escape(b.metric)} | parameters | FLOPs |", "|---|---|---|---|---|"]
            lines += [
                f"| {escape(r.method or '—')} | {escape(r.name)} | {r.value:g} | {count_cell(r.parameters, 'B')} | {count_cell(r.flops)} |"
                for r in b.rows
            ]
    return lines


def count_cell(value: float | None, billion: str = "G") -> str:
    """A count for a table cell: "25.6M", or a dash when none is stated."""
    return format_count(value, billion) if value is not None else "—"


def _checkpoint(method: str | None, name: str) -> str:
    return f"**{escape(method)}** (checkpoint `{name.replace(chr(96), str())}`)" if method else f"**{escape(name)}**"


def _workflow_lines(number: int, step: WorkflowStep) -> list[str]:
    model = _checkpoint(step.method.name if step.method else None, step.model_name)
    lines = [f"{number}. **{escape(step.input)}** → {model} → **{escape(step.output)}** (score {step.score:.2f})"]
    if step.task_name and step.neighbour_reason:
        lines.append(f"   - Task: {escape(step.task_name)}, next to the one you asked about; listed because {escape(step.neighbour_reason)}.")
    elif step.task_name:
        lines.append(f"   - Task: {escape(step.task_name)}.")
    if step.value is not None:
        lines.append(f"   - Result: {escape(step.metric)} {step.value:g} on {escape(step.dataset)}.")
    if step.stated:
        lines.append(f"   - States: {escape(', '.join(step.stated))}.")
    if step.how:
        lines.append(f"   - How it works: {quoted(step.how)}")
    facts = []
    if step.paper:
        facts.append(f"Paper: {link(step.paper)}")
    if step.code:
        facts.append(f"Code: {link(step.code)}")
    if step.datasets:
        facts.append(f"Data: {escape(', '.join(step.datasets))}")
    if facts:
        lines.append("   - " + " · ".join(facts))
    return lines


def _paper_lines(number: int, paper: PaperPart) -> list[str]:
    lines = [f"{number}. {link(None, paper.url, paper.title)}"]
    if paper.code:
        lines[0] += " — code: " + ", ".join(link(c) for c in paper.code)
    if paper.reasons:
        lines.append(f"   - Why: {escape('; '.join(paper.reasons))}.")
    if paper.sentence:
        lines.append(f"   - From the paper: \u201c{escape(paper.sentence.text)}\u201d [{paper.sentence.ref}]")
    return lines


def _read_as_lines(answer: Answer) -> list[str]:
    """The question as ModelAtlas read it, when it mended a misspelt word."""
    return ["", f"**Read as:** {escape(answer.read_as)}"] if answer.read_as else []


def _render_abstention(answer: Answer) -> str:
    covered = ", ".join(escape(t.lower()) for t in answer.catalog_tasks)
    lines = [
        f"**Question:** {escape(answer.question)}", *_read_as_lines(answer), "", "## No confident answer", "",
        "Nothing in the ModelAtlas catalog fits this question well enough "
        f"(best similarity {answer.best_similarity:.2f}), so it recommends no model or paper rather than guess.", "",
        f"The catalog covers: {covered}. Add documents with `modelatlas ingest PATH`.",
    ]
    return "\n".join(lines) + "\n"
