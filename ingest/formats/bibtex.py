"""BibTeX bibliographies (`.bib`): one paper per entry, with its arXiv id, DOI, authors and year."""

from __future__ import annotations

import re
from pathlib import Path

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Paper, Records

NAME = "bibtex"
_ENTRY = re.compile(r"^\s*@(article|inproceedings|misc|book|incollection|phdthesis|mastersthesis|techreport|inbook|conference|online|unpublished)\s*\{", re.IGNORECASE | re.MULTILINE)
_LATEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHtcdb]\s*\{?(\w)\}?")


def sniff(text: str) -> bool:
    """True for text holding at least one BibTeX entry of a known type."""
    return bool(_ENTRY.search(text))


def parse(path: Path, text: str) -> Records:
    """Records of a bibliography: every entry with a title becomes a paper."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    records = Records(source=str(path))
    for block in library.failed_blocks:
        start = getattr(block, "start_line", None)
        where = f"{path}:{start + 1}" if isinstance(start, int) else str(path)
        records.warnings.append(f"{where}: unreadable BibTeX block skipped")
    for entry in library.entries:
        fields = {f.key.lower(): _plain(str(f.value)) for f in entry.fields}
        title = fields.get("title", "")
        if not title:
            records.warnings.append(f"{path}: entry {entry.key!r} has no title; skipped")
            continue
        records.nodes.append(_paper(fields, title, records.source))
    if not library.entries:
        raise IngestError(path, "no BibTeX entries could be read")
    return records


def _plain(value: str) -> str:
    """A BibTeX value without braces, accents commands or line breaks."""
    value = _LATEX_ACCENT.sub(r"\1", value)
    return " ".join(value.replace("{", "").replace("}", "").replace("\\&", "&").split())


def _paper(fields: dict[str, str], title: str, source: str) -> Paper:
    arxiv_id = None
    if fields.get("archiveprefix", "").lower() == "arxiv" or "arxiv" in fields.get("journal", "").lower():
        arxiv_id = ids.arxiv_id_from_url(f"arXiv:{fields.get('eprint', '')}") or ids.arxiv_id_from_url(
            "arXiv:" + re.sub(r"(?i)^.*arxiv[:\s]*", "", fields.get("journal", ""))
        )
    url = fields.get("url", "")
    arxiv_id = arxiv_id or (ids.arxiv_id_from_url(url) if url else None)
    doi = ids.doi_from_url(fields["doi"]) if fields.get("doi") else None
    if arxiv_id:
        paper_id, link = f"paper:arxiv:{arxiv_id}", ids.arxiv_abs_url(arxiv_id)
    elif doi:
        paper_id, link = f"paper:doi:{doi}", url or f"https://doi.org/{doi}"
    elif url.startswith(("http://", "https://")):
        paper_id, link = ids.paper_id(url), url
    else:
        paper_id, link = ids.paper_title_id(title), None
    year = fields.get("year", "")
    return Paper(
        id=paper_id,
        title=title,
        url=link,
        arxiv_id=arxiv_id,
        summary=fields.get("abstract", ""),
        doi=doi,
        authors=tuple(a.strip() for a in fields.get("author", "").split(" and ") if a.strip()),
        year=int(year) if year.isdigit() else None,
        sources=(source,),
    )
