"""Misspelt words mended against the catalog's own vocabulary, before names are looked for and the question is matched.

A misspelt word embeds as noise and matches no word of BM25 ("speach recognition", "obect detecton",
"zero shot image clasification"), and names.py only mends whole names of tasks and methods. Here each
word of a question that is neither in the vocabulary of the catalog's task-level texts (task names,
aliases, descriptions, example questions: the lexical documents) nor an English word is replaced by the
vocabulary word within one edit (two for a word of eight letters or more, Damerau-Levenshtein, so a
swap of two letters is one edit) that keeps its first letter; of several, the closest, then the one
most documents use. Words written with capitals or digits inside ("SwinIR", "YOLOv8", "RTMO") are
names, never mended; nor are the catalog's own names ("resnet" is no misspelt "reset"), nor words
shorter than MIN_LETTERS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

MIN_LETTERS = 4  # "foto", "vdeo": shorter words have too many neighbours one edit away
_LETTERS = re.compile(r"[^\W\d_]+")


def vocabulary_words(text: str) -> list[str]:
    """The words of a text that can be mended into or from: letters only, case-folded, MIN_LETTERS or longer."""
    return [w for w in (m.group().casefold() for m in _LETTERS.finditer(text)) if len(w) >= MIN_LETTERS]


@dataclass
class Speller:
    """The vocabulary (word -> number of documents using it), a test for the catalog's names and one for
    English words (loaded on first need)."""

    counts: dict[str, int]
    is_name: Callable[[str], bool] = lambda word: False  # a name of the catalog, written as one word
    is_word: Callable[[str], bool] | None = field(default=None, repr=False)

    @cached_property
    def _by_initial(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for word in sorted(self.counts):
            grouped.setdefault(word[0], []).append(word)
        return grouped

    def mend(self, word: str) -> str | None:
        """The vocabulary word a misspelt word stands for, or None when it is no misspelling we can mend."""
        key = word.casefold()
        if len(key) < MIN_LETTERS or key in self.counts or word[1:] != word[1:].lower() or not key.isalpha():
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        allowed = 1 if len(key) < 8 else 2
        found = process.extract(key, self._by_initial.get(key[0], []), scorer=DamerauLevenshtein.distance,
                                score_cutoff=allowed, limit=None)
        if not found or self.is_name(key) or self._english(key):
            return None
        closest = min(distance for _, distance, _ in found)
        return max((w for w, distance, _ in found if distance == closest), key=lambda w: (self.counts[w], w))

    def correct(self, question: str) -> str:
        """The question with each misspelt word replaced by the vocabulary word it stands for, case kept for a capitalised word."""
        def replace(match: re.Match) -> str:
            word = match.group()
            mended = self.mend(word)
            if mended is None:
                return word
            return mended.capitalize() if word[0].isupper() else mended

        return _LETTERS.sub(replace, question)

    def reads_any(self, question: str) -> bool:
        """Whether any word of the question is a word we read: English, of the vocabulary, or a name of the
        catalog. "asdf qwerty zxcv" holds none, and is answered by nothing however near its embedding falls."""
        words = [m.group().casefold() for m in _LETTERS.finditer(question)]
        return any(w in self.counts for w in words) or any(len(w) >= 2 and (self.is_name(w) or self._english(w)) for w in words)

    def _english(self, key: str) -> bool:
        if self.is_word is None:
            from modelatlas.query.names import english_words

            self.is_word = english_words()
        return self.is_word(key)
