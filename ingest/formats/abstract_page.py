"""A paper abstract scraped from a web page: keep the English abstract and its links, drop the page's noise."""

from __future__ import annotations

import re
from pathlib import Path

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Edge, Paper, Records, Relation

NAME = "abstract-page"
MIN_ABSTRACT_WORDS = 40
_URL = re.compile(r"https?://[^\s<>()\"'，。）]+")
_CONTRIBUTION = re.compile(
    r"\b(?:introduces?|presents?|proposes?|propose|present)\s+([A-Z][\w\-]*[A-Z0-9][\w\-]*)\s*,\s*(an?\s[^,.;]+?)(?:\s(?:that|which)\b|[,.;])"
)
_LATEX = [(re.compile(r"\\approx\s*"), "≈ "), (re.compile(r"\\%"), "%"), (re.compile(r"\\textbf\{([^}]*)\}"), r"\1"), (re.compile(r"\$"), "")]


def sniff(text: str) -> bool:
    """True for a document that holds at least one English paragraph long enough to be an abstract."""
    return any(_is_english_paragraph(block) for block in _paragraphs(text))


def parse(path: Path, text: str) -> Records:
    """Records of a scraped abstract: one paper, with its code repository and arXiv link when it names them."""
    source = str(path)
    blocks = _paragraphs(text)
    english = [b for b in blocks if _is_english_paragraph(b)]
    if not english:
        raise IngestError(path, f"no English paragraph of {MIN_ABSTRACT_WORDS}+ words, so no abstract")
    abstract = _clean_latex(max(english, key=len))
    records = Records(source=source)
    skipped = sum(1 for b in blocks if b is not max(english, key=len))
    if skipped:
        records.warnings.append(f"{path}: kept the English abstract, skipped {skipped} other blocks of page text")

    urls = [u.rstrip(".,;:") for u in _URL.findall(abstract)]
    arxiv_id = next((a for a in map(ids.arxiv_id_from_url, urls) if a), None)
    paper = Paper(
        id=f"paper:arxiv:{arxiv_id}" if arxiv_id else ids.text_id("paper", abstract),
        title=_title(abstract),
        url=ids.arxiv_abs_url(arxiv_id) if arxiv_id else None,
        arxiv_id=arxiv_id,
        summary=abstract,
        sources=(source,),
    )
    records.nodes.append(paper)
    for repo in dict.fromkeys(filter(None, map(ids.github_repo_url, urls))):
        code = Code(id=ids.code_id(repo), url=repo, sources=(source,))
        records.nodes.append(code)
        records.edges.append(Edge(paper.id, code.id, Relation.IMPLEMENTED_BY, (source,)))
    return records


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


_SENTENCE_BREAK = re.compile(r"[a-z)\]]\.\s+[A-Z]")


def _is_english_paragraph(block: str) -> bool:
    """40+ words, at least 90% of letters Latin, and prose (sentences), not a data listing."""
    letters = [c for c in block if c.isalpha()]
    if not letters or len(block.split()) < MIN_ABSTRACT_WORDS:
        return False
    latin = sum(1 for c in letters if c.isascii())
    return latin / len(letters) >= 0.9 and len(_SENTENCE_BREAK.findall(block)) >= 2


def _clean_latex(text: str) -> str:
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _title(abstract: str) -> str:
    """A title read off the abstract: `Name: what it is` when it introduces a named contribution."""
    match = _CONTRIBUTION.search(abstract)
    if match:
        return f"{match.group(1)}: {match.group(2).strip()}"
    first = re.split(r"(?<=[.!?])\s", abstract, maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."
