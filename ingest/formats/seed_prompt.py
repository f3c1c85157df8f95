"""The seed prompt format: a user question, its recommended models and related papers, and "Answer:"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Edge, Model, Question, Records, Relation, paper_at_link

NAME = "seed-prompt"
RECOMMENDED = "### Recommended AI Models:"
RELATED = "### Related Papers:"
QUESTION_INTRO = "A user has asked the following question:"
_FIELD = re.compile(r"^(Model|Paper|GitHub|Summary):[ \t]*(.*)$")


def sniff(text: str) -> bool:
    """True for a document laid out as a seed prompt."""
    return RECOMMENDED in text or QUESTION_INTRO in text


@dataclass
class Block:
    """One `Model:` block with its fields and the line it starts on."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)


def parse(path: Path, text: str) -> Records:
    """Records of a seed prompt: the question, the recommended models and the related papers."""
    source = str(path)
    lines = text.split("\n")
    records = Records(source=source)
    question = _question(path, lines)
    records.nodes.append(Question(id=ids.question_id(question), name=question, sources=(source,)))

    rec_at = _find_line(lines, RECOMMENDED)
    if rec_at is None:
        raise IngestError(path, f"no '{RECOMMENDED}' section")
    rel_at = _find_line(lines, RELATED)
    answer_at = _find_line(lines, "Answer:")
    end_rec = next((i for i in (rel_at, answer_at) if i is not None and i > rec_at), len(lines))
    recommended = _blocks(path, lines, rec_at + 1, end_rec, records)
    if not recommended:
        raise IngestError(path, f"the '{RECOMMENDED}' section names no model", rec_at + 1)
    for block in recommended:
        _add_recommended(path, block, records)

    if rel_at is None:
        records.warnings.append(f"{path}: no '{RELATED}' section; no related papers read")
    else:
        end_rel = answer_at if answer_at is not None and answer_at > rel_at else len(lines)
        for block in _blocks(path, lines, rel_at + 1, end_rel, records):
            _add_related(path, block, records)
    if answer_at is None:
        records.warnings.append(f"{path}: no 'Answer:' line at the end")
    return records


def _question(path: Path, lines: list[str]) -> str:
    """The quoted question after the intro line, which may run over several lines."""
    intro = _find_line(lines, QUESTION_INTRO)
    if intro is None:
        raise IngestError(path, f"no '{QUESTION_INTRO}' line, so no question")
    body: list[str] = []
    for line in lines[intro + 1 :]:
        if line.startswith("###") or line.startswith("Based on the following"):
            break
        body.append(line)
    question = " ".join(" ".join(body).split()).strip().strip('"“”').strip()
    if not question:
        raise IngestError(path, "the question after the intro line is empty", intro + 2)
    return question


def _find_line(lines: list[str], marker: str) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip() == marker), None)


def _blocks(path: Path, lines: list[str], start: int, end: int, records: Records) -> list[Block]:
    """The `Model:` blocks between two line numbers; continuation lines extend the last field."""
    blocks: list[Block] = []
    last_key = None
    for number in range(start, end):
        line = lines[number]
        match = _FIELD.match(line)
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key == "Model":
                blocks.append(Block(line=number + 1))
            elif not blocks:
                records.warnings.append(f"{path}:{number + 1}: '{key}:' before any 'Model:' line; skipped")
                continue
            blocks[-1].fields[key] = value
            last_key = key
        elif line.strip() and blocks and last_key:
            blocks[-1].fields[last_key] = f"{blocks[-1].fields[last_key]} {line.strip()}".strip()
    named = []
    for block in blocks:
        if block.fields.get("Model"):
            named.append(block)
        else:
            records.warnings.append(f"{path}:{block.line}: model block with no name; skipped")
    return named


def _link(path: Path, block: Block, key: str, records: Records) -> str | None:
    """A block's URL field, or None for `None`, empty, or not a web link (with a warning)."""
    value = block.fields.get(key, "").strip()
    if not value or value.lower() in ("none", "n/a", "-"):
        return None
    if not re.match(r"^https?://\S+$", value):
        records.warnings.append(f"{path}:{block.line}: {key} {value!r} is not a web link; ignored")
        return None
    return value


def _code_node(path: Path, block: Block, records: Records) -> Code | None:
    url = _link(path, block, "GitHub", records)
    if url is None:
        return None
    repo = ids.github_repo_url(url)
    if repo is None:
        records.warnings.append(f"{path}:{block.line}: GitHub {url!r} is not a repository link; ignored")
        return None
    return Code(id=ids.code_id(repo), url=repo, sources=(records.source,))


def _add_recommended(path: Path, block: Block, records: Records) -> None:
    source = records.source
    question_id = records.nodes[0].id
    model = Model(id=ids.model_id(block.fields["Model"]), name=" ".join(block.fields["Model"].split()), sources=(source,))
    records.nodes.append(model)
    records.edges.append(Edge(question_id, model.id, Relation.RECOMMENDS, (source,)))
    paper_url = _link(path, block, "Paper", records)
    if paper_url:
        paper = paper_at_link(paper_url, sources=(source,))
        records.nodes.append(paper)
        records.edges.append(Edge(model.id, paper.id, Relation.DESCRIBED_IN, (source,)))
    code = _code_node(path, block, records)
    if code:
        records.nodes.append(code)
        records.edges.append(Edge(model.id, code.id, Relation.IMPLEMENTED_BY, (source,)))


def _add_related(path: Path, block: Block, records: Records) -> None:
    source = records.source
    question_id = records.nodes[0].id
    url = _link(path, block, "Paper", records)
    if url is None:
        records.warnings.append(f"{path}:{block.line}: related paper {block.fields['Model'][:60]!r} has no link; skipped")
        return
    paper = paper_at_link(url, " ".join(block.fields["Model"].split()), block.fields.get("Summary", ""), (source,))
    records.nodes.append(paper)
    records.edges.append(Edge(question_id, paper.id, Relation.RELATED_TO, (source,)))
    code = _code_node(path, block, records)
    if code:
        records.nodes.append(code)
        records.edges.append(Edge(paper.id, code.id, Relation.IMPLEMENTED_BY, (source,)))
