"""arXiv API responses (Atom XML): one paper per entry, with title, abstract, authors, year, DOI and links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Edge, Paper, Records, Relation

NAME = "arxiv-atom"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def sniff(text: str) -> bool:
    """True for an Atom feed from the arXiv API."""
    head = text[:4000]
    return "<feed" in head and "http://www.w3.org/2005/Atom" in head and "arxiv" in head.lower()


def parse(path: Path, text: str) -> Records:
    """Records of an arXiv API response: every entry with an arXiv id becomes a paper."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        raise IngestError(path, f"invalid XML: {err}", err.position[0] if err.position else None) from None
    if root.tag != f"{ATOM}feed":
        raise IngestError(path, "not an Atom feed")
    records = Records(source=str(path))
    entries = root.findall(f"{ATOM}entry")
    for number, entry in enumerate(entries, 1):
        arxiv_id = ids.arxiv_id_from_url(_text(entry, f"{ATOM}id"))
        title = _text(entry, f"{ATOM}title")
        if not arxiv_id or not title:
            records.warnings.append(f"{path}: entry {number} has no arXiv id or no title; skipped")
            continue
        published = _text(entry, f"{ATOM}published")
        doi = _text(entry, f"{ARXIV}doi")
        paper = Paper(
            id=f"paper:arxiv:{arxiv_id}",
            title=title,
            url=ids.arxiv_abs_url(arxiv_id),
            arxiv_id=arxiv_id,
            summary=_text(entry, f"{ATOM}summary"),
            doi=ids.doi_from_url(doi) if doi else None,
            authors=tuple(_text(a, f"{ATOM}name") for a in entry.findall(f"{ATOM}author")),
            year=int(published[:4]) if re.match(r"^\d{4}", published) else None,
            sources=(records.source,),
        )
        records.nodes.append(paper)
        for repo in dict.fromkeys(filter(None, map(ids.github_repo_url, re.findall(r"https?://\S+", paper.summary + " " + _text(entry, f"{ARXIV}comment"))))):
            records.nodes.append(Code(ids.code_id(repo), repo, sources=(records.source,)))
            records.edges.append(Edge(paper.id, ids.code_id(repo), Relation.IMPLEMENTED_BY, (records.source,)))
    if not entries:
        raise IngestError(path, "the feed holds no entries")
    return records


def _text(element: ElementTree.Element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""
