"""Stable node ids: one id per paper, repository, model, task or question, whatever form it came in."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote, urlsplit

_ARXIV_NEW = r"(\d{4}\.\d{4,5})(?:v\d+)?"
_ARXIV_OLD = r"([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_URL = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html)/(?:{_ARXIV_NEW}|{_ARXIV_OLD})(?:\.pdf)?/?$", re.IGNORECASE
)
_ARXIV_BARE = re.compile(rf"^arxiv:\s*(?:{_ARXIV_NEW}|{_ARXIV_OLD})$", re.IGNORECASE)
_GITHUB = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([\w.\-]+)/([\w.\-]+)", re.IGNORECASE)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?id=([\w\-]+)", re.IGNORECASE)
_CVF_PAPER = re.compile(r"/([A-Za-z\-]+)_(.+?)_(?:CVPR|ICCV|ECCV|WACV)_\d{4}_paper\.pdf$")


def arxiv_id_from_url(url: str) -> str | None:
    """The arXiv id in an abs, pdf, html or versioned arXiv link, or in `arXiv:ID`; else None."""
    text = url.strip()
    match = _ARXIV_URL.search(text.split("?", 1)[0].split("#", 1)[0]) or _ARXIV_BARE.match(text)
    if not match:
        return None
    return match.group(1) or match.group(2)


def github_repo_url(url: str) -> str | None:
    """`https://github.com/owner/repo` for any link into a GitHub repository (.git, /tree/..., /blob/...)."""
    match = _GITHUB.match(url.strip())
    if not match:
        return None
    owner, repo = match.group(1), match.group(2)
    if repo.lower().endswith(".git"):
        repo = repo[:-4]
    if not repo or owner.lower() in ("orgs", "topics", "search", "features"):
        return None
    return f"https://github.com/{owner}/{repo}"


def code_id(url: str) -> str | None:
    """The node id of the repository a GitHub link points into, lower-cased since GitHub ignores case."""
    repo = github_repo_url(url)
    return f"code:{repo.split('://', 1)[1].lower()}" if repo else None


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
HUB = "https://huggingface.co/"


def hub_model_url(hub_id: str) -> str | None:
    """The Hugging Face Hub page an `owner/name` model id designates, None for what is not such an id."""
    return f"{HUB}{hub_id}" if _HUB_ID.match(hub_id or "") else None


def hub_code_id(hub_id: str) -> str:
    """The node id of a model's repository on the Hugging Face Hub (lower-cased, as `code_id` does for GitHub)."""
    return f"code:huggingface.co/{hub_id.lower()}"


def canonical_url(url: str) -> str:
    """A URL with its scheme and host lower-cased, and fragment and trailing slash removed."""
    parts = urlsplit(url.strip())
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}{query}"


def arxiv_abs_url(arxiv_id: str) -> str:
    """The abstract page of an arXiv paper, the one link the graph keeps for it."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def doi_from_url(url: str) -> str | None:
    """The DOI in a `doi.org` link or a `doi:` reference, lower-cased (DOIs ignore case); else None."""
    match = _DOI.match(url.strip())
    return match.group(1).rstrip(".").lower() if match else None


def paper_id(url: str) -> str:
    """The node id of the paper at `url`: arXiv id, else DOI, else OpenReview id, else canonical URL."""
    arxiv_id = arxiv_id_from_url(url)
    if arxiv_id:
        return f"paper:arxiv:{arxiv_id}"
    doi = doi_from_url(url)
    if doi:
        return f"paper:doi:{doi}"
    openreview = _OPENREVIEW.search(url)
    if openreview:
        return f"paper:openreview:{openreview.group(1)}"
    return f"paper:url:{canonical_url(url).split('://', 1)[1]}"


def paper_title_id(title: str) -> str:
    """The node id of a paper known only by its title."""
    return f"paper:title:{slug(title)}"


def title_key(title: str) -> str:
    """What two spellings of one paper title share: lower-case letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKD", title).casefold())


def title_from_cvf_url(url: str) -> str | None:
    """The title in a CVF open-access PDF name (`Author_Title_Words_ICCV_2021_paper.pdf`), else None."""
    match = _CVF_PAPER.search(unquote(urlsplit(url).path))
    return match.group(2).replace("_", " ") if match else None


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: `Image Matting` -> `image-matting`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def model_id(name: str) -> str:
    """The node id of a model named `name` (model names are already unique identifiers)."""
    return f"model:{' '.join(name.split())}"


def name_letters(name: str) -> str:
    """A name's letters and digits as written (case kept), accents removed, `+` read as `plus`."""
    decomposed = unicodedata.normalize("NFKD", name.replace("+", "plus"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def name_key(name: str) -> str:
    """What every spelling of a name shares: its letters and digits lower-cased (`Mask R-CNN` and
    `MaskRCNN` are `maskrcnn`; `BasicVSR++` is `basicvsrplusplus`, not `BasicVSR`)."""
    return name_letters(name).casefold()


def method_id(name: str) -> str:
    """The node id of a method: the key of its name, so `Mask R-CNN` and `MaskRCNN` are one method."""
    key = name_key(name)
    return f"method:{key}" if key else text_id("method", name)


def task_id(key: str) -> str:
    """The node id of a curated task."""
    return f"task:{slug(key)}"


def dataset_id(name: str) -> str:
    """The node id of a dataset."""
    return f"dataset:{slug(name)}"


def question_id(text: str) -> str:
    """The node id of a question: a hash of its words, so the same question asked twice is one node."""
    words = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return f"question:{hashlib.sha1(words.encode()).hexdigest()[:12]}"


def text_id(prefix: str, text: str) -> str:
    """An id for a node known only by its text (an abstract with no link), stable across ingests."""
    words = " ".join(unicodedata.normalize("NFKC", text).split())
    return f"{prefix}:sha1:{hashlib.sha1(words.encode()).hexdigest()[:12]}"
