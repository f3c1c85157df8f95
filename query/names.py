"""Names in a question: the catalog's methods, models, tasks, datasets and papers as people write them.

Every name is reduced to a key of its letters and digits, lower-cased (graph.ids.name_key), so that
"Mask R-CNN", "mask rcnn" and "MaskRCNN" are one key, `maskrcnn`. An Aho-Corasick automaton (pyahocorasick) finds every key in the
question's own key string in one pass; a hit counts only where it starts and ends on a word boundary of
the question, and the longest hit wins where two overlap. A method, model or dataset whose name is also
an English word ("SORT", "SAM", "CLIP") counts only when written as the catalog writes it.
Words that match no name get a fuzzy pass for typos (rapidfuzz, Damerau-Levenshtein: one edit in a
name of 5 to 9 characters, two in a longer one, the first letter kept), unless they are English words
themselves, or a run of several English words ("detect cars" is not "DetectoRS").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from pathlib import Path

import orjson

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.ids import name_key, name_letters
from modelatlas.graph.store import keep_cached, write_atomically
from modelatlas.graph.types import NodeKind

NAMES_VERSION = "5"
PROPER_KINDS = (NodeKind.METHOD, NodeKind.MODEL)  # names that may collide with English words ("SORT", "SAM")
FUZZY_KINDS = (NodeKind.METHOD, NodeKind.DATASET, NodeKind.TASK)
MIN_KEY = 3  # shorter keys ("AI", "R") name nothing reliably
MIN_FUZZY_KEY = 5
MIN_SPLIT_KEY = 6  # a name found across several words ("mask rcnn") is this long at least: not "of a" for OFA
MAX_SPAN_WORDS = 3  # a typo is looked for in runs of up to this many words
_WORD = re.compile(r"[^\W_]+\+*")  # "BasicVSR++" keeps its pluses
_ARXIV_VERSION = re.compile(r"\b(\d{4}\.\d{4,5})v\d+\b")  # "2108.10257v2" names the paper 2108.10257


@dataclass(frozen=True)
class Name:
    """One spelling of a node's name, with its key; `exact_case` when it is also an English word."""

    key: str
    node_id: str
    spelling: str
    exact_case: bool = False


@dataclass(frozen=True)
class NameHit:
    """A name found in a question: the node, the catalog's spelling, the question's words, and whether by a typo's distance."""

    node_id: str
    spelling: str
    written: str
    fuzzy: bool = False


def english_words() -> Callable[[str], bool]:
    """A test for English words (the english-words package's web2 and GCIDE lists), plurals included."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return lambda key: any(stem in words for stem in _stems(key))


def _stems(key: str) -> list[str]:
    """The word itself and the words it may inflect, since the lists hold lemmas: "scanned" (scan),
    "boxes" (box), "tracking" (track), "labelled" (label), "estimated" (estimate), "cities" (city)."""
    stems = [key]
    for ending in ("s", "es", "ed", "ing"):
        if key.endswith(ending) and len(key) > len(ending) + 2:
            stem = key[: -len(ending)]
            stems += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])  # scanned -> scan
            if stem.endswith("i"):
                stems.append(stem[:-1] + "y")  # cities -> city
    return stems


def catalog_names(catalog: CatalogGraph, is_word: Callable[[str], bool]) -> list[Name]:
    """Every spelling of every name the catalog gives its tasks, methods, models, datasets and papers."""
    names: list[Name] = []
    for node in catalog.nodes():
        if node.kind == NodeKind.PAPER:
            spellings = [node.title] if len(node.title.split()) >= 3 else []
            spellings += [node.arxiv_id] if node.arxiv_id else []  # "2104.00416": the key of its digits
        elif node.kind in (NodeKind.TASK, NodeKind.METHOD, NodeKind.DATASET):
            spellings = [node.name, *node.aliases]
        elif node.kind == NodeKind.MODEL:
            spellings = [node.name]
        else:
            continue
        for spelling in dict.fromkeys(spellings):
            key = name_key(spelling)
            if len(key) < MIN_KEY:
                continue
            word = node.kind in PROPER_KINDS and is_word(key)
            if word and spelling == spelling.lower():
                continue  # a name written as a plain lower-case word ("wide") is never safe to recognise
            names.append(Name(key, node.id, spelling, word))
    return names


@dataclass
class NameIndex:
    """The catalog's names, found in questions by an Aho-Corasick automaton over their keys."""

    names: InitVar[list[Name]]
    fingerprint: str = ""
    is_word: Callable[[str], bool] | None = field(default=None, repr=False)  # loaded on first need if not given
    _by_key: dict[str, list[list]] = field(default_factory=dict, init=False, repr=False)  # key -> [node_id, spelling, exact_case] rows

    def __post_init__(self, names: list[Name]) -> None:
        for name in names:
            self._by_key.setdefault(name.key, []).append([name.node_id, name.spelling, name.exact_case])

    @classmethod
    def from_rows(cls, by_key: dict[str, list[list]], fingerprint: str) -> NameIndex:
        """An index of names saved as rows by key (`rows()`): a million names load as JSON lists, not objects."""
        index = cls([], fingerprint)
        index._by_key = by_key
        return index

    def knows(self, key: str) -> bool:
        """Whether a key (graph.ids.name_key) is the key of a name of the catalog."""
        return key in self._by_key

    def rows(self) -> dict[str, list[list]]:
        return self._by_key

    def _named(self, key: str) -> list[Name]:
        return [Name(key, node_id, spelling, bool(exact)) for node_id, spelling, exact in self._by_key[key]]

    @cached_property
    def _automaton(self):
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key in self._by_key:
            automaton.add_word(key, key)
        automaton.make_automaton()
        return automaton

    @cached_property
    def _fuzzy_keys(self) -> list[str]:
        kinds = {str(k) for k in FUZZY_KINDS}
        return sorted(key for key, rows in self._by_key.items() if len(key) >= MIN_FUZZY_KEY and any(r[0].split(":", 1)[0] in kinds for r in rows))

    def find(self, question: str) -> list[NameHit]:
        """The names in a question (arXiv ids too), the longest where two overlap, in the order they appear."""
        text = _ARXIV_VERSION.sub(r"\1", unicodedata.normalize("NFKC", question))
        words = [(m.start(), m.end(), name_key(m.group())) for m in _WORD.finditer(text)]
        words = [w for w in words if w[2]]
        starts, ends, keys = {}, {}, ""
        for number, (_, _, key) in enumerate(words):
            starts[len(keys)] = number
            keys += key
            ends[len(keys) - 1] = number
        spans: list[tuple[int, int, str]] = []  # (first word, last word, key)
        if keys and self._by_key:
            for end, key in self._automaton.iter(keys):
                start = end - len(key) + 1
                if start in starts and end in ends and (starts[start] == ends[end] or len(key) >= MIN_SPLIT_KEY
                                                        or _one_token(text, words[starts[start]], words[ends[end]])):
                    spans.append((starts[start], ends[end], key))
        exact: list[tuple[int, int, list[NameHit]]] = []
        covered: set[int] = set()
        for first, last, key in sorted(spans, key=lambda s: (-(s[1] - s[0]), -len(s[2]), s[0])):
            if covered & set(range(first, last + 1)):
                continue
            written = text[words[first][0] : words[last][1]]
            found = [n for n in self._named(key) if not n.exact_case or name_letters(written) == name_letters(n.spelling)]
            if found:
                covered |= set(range(first, last + 1))
                exact.append((first, last, [NameHit(n.node_id, n.spelling, written) for n in found]))
        typos = self._typos(text, words, exact)
        # A name read through a typo across a shorter exact one replaces it: "vidoe classification" is
        # video classification, not the "classification" of image classification.
        kept = [e for e in exact if not any(f <= e[0] and e[1] <= l for f, l, _ in typos)]
        hits = [(first, hit) for first, _, found in kept + typos for hit in found]
        seen: set[str] = set()
        ordered = []
        for _, hit in sorted(hits, key=lambda pair: pair[0]):
            if hit.node_id not in seen:
                seen.add(hit.node_id)
                ordered.append(hit)
        return ordered

    def spelled(self, question: str, hits: list[NameHit] | None = None) -> str:
        """The question with each task or method name found through a typo written as the catalog spells it
        ("imgae denosing" -> "Image denoising"), for the embedding and the words to match: a misspelt word
        embeds as noise."""
        for hit in hits if hits is not None else self.find(question):
            if hit.fuzzy and not hit.node_id.startswith(f"{NodeKind.DATASET}:"):  # a dataset's name is no word to embed
                question = question.replace(hit.written, hit.spelling, 1)
        return question

    def _typos(self, text: str, words: list[tuple[int, int, str]], exact: list[tuple[int, int, list[NameHit]]]) -> list[tuple[int, int, list[NameHit]]]:
        """Names within a typo's distance of runs of words holding a misspelt word (one that is no English
        word and no exact name); a run may hold whole exact names, never part of one."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        span_of = {w: (f, l) for f, l, _ in exact for w in range(f, l + 1)}
        taken: set[int] = set()
        hits: list[tuple[int, int, list[NameHit]]] = []
        for first in range(len(words)):
            if first in span_of and span_of[first][0] != first:
                continue
            for last in range(first, min(first + MAX_SPAN_WORDS, len(words))):
                if taken & {first, last} or len(words[last][2]) < MIN_KEY:
                    break  # every word of a run holds part of the name: not "on" in "on cityscapse"
                if last in span_of and span_of[last][1] != last:
                    continue  # not within an exact name
                run = range(first, last + 1)
                free = [words[w][2] for w in run if w not in span_of]
                # A run of English words, or of exact names and English words, holds no typo: "detect cars"
                # is no misspelt "DetectoRS", "classification of images" no misspelt name either.
                if not free or (len(run) > 1 and all(self.is_english(k) for k in free)):
                    continue
                key = "".join(k for _, _, k in words[first : last + 1])
                if len(key) < MIN_FUZZY_KEY or key.isdigit():
                    continue
                allowed = 1 if len(key) <= 9 else 2
                match = process.extractOne(key, self._fuzzy_keys, scorer=DamerauLevenshtein.distance, score_cutoff=allowed)
                # A typo keeps the first letter: "keypoints" is no misspelt "RepPoints".
                if match is None or match[1] == 0 or match[0][0] != key[0] or self.is_english(key):
                    continue
                written = text[words[first][0] : words[last][1]]
                taken |= set(run)
                hits.append((first, last, [NameHit(n.node_id, n.spelling, written, fuzzy=True) for n in self._named(match[0])]))
                break
        return hits

    def is_english(self, key: str) -> bool:
        """Whether a key is an English word (the english-words lists, loaded on first need)."""
        if self.is_word is None:
            self.is_word = english_words()
        return self.is_word(key)


def _one_token(text: str, first: tuple[int, int, str], last: tuple[int, int, str]) -> bool:
    """True when the words from `first` to `last` are written without a space between them ("BLIP-2", "YOLO-v8"),
    so that a short name read across them is no accident of adjacent words ("of a" is not OFA)."""
    return not any(c.isspace() for c in text[first[0] : last[1]])


def names_fingerprint(catalog: CatalogGraph) -> str:
    return f"{catalog.fingerprint}:{NAMES_VERSION}"


def load_or_build_names(catalog: CatalogGraph, build_dir: Path) -> NameIndex:
    """The saved names of this graph, else the names built from it (deciding which are English words) and saved."""
    fingerprint = names_fingerprint(catalog)
    path = build_dir / "names.json"
    try:
        data = orjson.loads(path.read_bytes())
        if data["fingerprint"] == fingerprint:
            return NameIndex.from_rows(data["keys"], fingerprint)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or unreadable: rebuilt below
    is_word = english_words()
    index = NameIndex(catalog_names(catalog, is_word), fingerprint, is_word)
    payload = {"fingerprint": fingerprint, "keys": index.rows()}
    keep_cached(lambda: write_atomically(path, orjson.dumps(payload)))
    return index
