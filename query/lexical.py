"""Lexical matching: BM25 over the tasks' own words, so that a question's rare words ("LiDAR",
"keypoints", "vocals", "rotated") count beside its embedding.

Each task is one document (its name, aliases, description, input, output and example questions, as the
search index holds them), and so is each catalog question: the words that set a task apart from the
others weigh most. bm25s builds the BM25 weights once per catalog (a sparse matrix of documents by
stemmed words); they are saved in the build folder, and a question is scored with numpy alone by
summing the columns of its words, so asking imports neither bm25s nor scipy. The same documents'
unstemmed words, with the number of documents using each, are saved beside the weights: the vocabulary
query/spelling.py mends misspelt words against.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.store import keep_cached, write_atomically
from modelatlas.graph.types import NodeKind
from modelatlas.query.index import SearchIndex
from modelatlas.query.spelling import vocabulary_words

LEXICAL_VERSION = "2"
LEXICAL_KINDS = (NodeKind.TASK, NodeKind.QUESTION)  # the nodes a question is about; papers and models stray in their words
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default pattern: words of two or more letters or digits


def _stemmer():
    import Stemmer  # PyStemmer: Snowball's English stemmer, in C

    return Stemmer.Stemmer("english")


def lexical_tokens(text: str, stopwords: frozenset[str], stemmer) -> list[str]:
    """A text's words as BM25 counts them: NFKC, case-folded, stop words dropped, stemmed ("keypoints" -> "keypoint")."""
    words = [w for w in _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()) if w not in stopwords]
    return stemmer.stemWords(words)


@dataclass
class LexicalIndex:
    """BM25 weights of one document per node, by word (compressed sparse columns)."""

    node_ids: list[str]  # document row -> the node it is about
    vocab: dict[str, int]
    stopwords: frozenset[str]
    data: np.ndarray  # the BM25 weight of a word in a document, by word: data[indptr[w]:indptr[w + 1]]
    indices: np.ndarray  # ... and the documents those weights are for
    indptr: np.ndarray
    fingerprint: str
    spelling: dict[str, int] = field(default_factory=dict)  # the documents' words, unstemmed, and how many documents use each (query/spelling.py)

    def __post_init__(self) -> None:
        self._stemmer = _stemmer()

    def scores(self, question: str) -> np.ndarray:
        """The BM25 score of every document for the question (a word said twice counts twice, as in bm25s)."""
        scores = np.zeros(len(self.node_ids), np.float32)
        for word in lexical_tokens(question, self.stopwords, self._stemmer):
            column = self.vocab.get(word)
            if column is not None:
                span = slice(self.indptr[column], self.indptr[column + 1])
                np.add.at(scores, self.indices[span], self.data[span])
        return scores

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        """The k nodes whose documents score best for the question, with their BM25 scores, best first."""
        scores = self.scores(question)
        hit = np.flatnonzero(scores > 0)
        top = hit[np.argsort(-scores[hit], kind="stable")[:k]]
        return [(self.node_ids[row], float(scores[row])) for row in top]


def build_lexical(documents: dict[str, str], fingerprint: str) -> LexicalIndex:
    """BM25 weights (bm25s, its default k1 and b) over one document per node."""
    import bm25s
    from bm25s.stopwords import STOPWORDS_EN

    stopwords, stemmer = frozenset(STOPWORDS_EN), _stemmer()
    corpus = [lexical_tokens(text, stopwords, stemmer) or [""] for text in documents.values()]  # an empty one scores nothing
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    s = retriever.scores
    return LexicalIndex(list(documents), dict(retriever.vocab_dict), stopwords, np.asarray(s["data"], np.float32),
                        np.asarray(s["indices"], np.int32), np.asarray(s["indptr"], np.int64), fingerprint,
                        dict(Counter(w for text in documents.values() for w in set(vocabulary_words(text)))))


def node_documents(index: SearchIndex, node_ids: set[str]) -> dict[str, str]:
    """One document per node among `node_ids`: its index texts (a task's name, aliases, description and examples) joined."""
    texts: dict[str, list[str]] = {}
    for entry in index.entries:
        if entry.node_id in node_ids:
            texts.setdefault(entry.node_id, []).append(entry.text)
    return {node_id: " ".join(parts) for node_id, parts in texts.items()}


def save_lexical(index: LexicalIndex, path: Path) -> None:
    buffer = io.BytesIO()
    words = sorted(index.vocab, key=index.vocab.__getitem__)
    np.savez(buffer, nodes=np.array("\n".join(index.node_ids)), words=np.array("\n".join(words)),
             stopwords=np.array("\n".join(sorted(index.stopwords))), data=index.data, indices=index.indices,
             indptr=index.indptr, fingerprint=np.array(index.fingerprint),
             spelling_words=np.array("\n".join(index.spelling)), spelling_counts=np.array(list(index.spelling.values()), np.int64))
    write_atomically(path, buffer.getvalue())


def load_lexical(path: Path) -> LexicalIndex:
    """A saved lexical index; OSError, ValueError or KeyError when it is missing or unreadable."""
    with np.load(path) as saved:  # node ids and words hold no newline: one string for each list
        words = str(saved["words"]).split("\n")
        spelling = str(saved["spelling_words"]).split("\n") if saved["spelling_counts"].size else []
        return LexicalIndex(str(saved["nodes"]).split("\n"), {w: i for i, w in enumerate(words)},
                            frozenset(str(saved["stopwords"]).split("\n")), saved["data"], saved["indices"], saved["indptr"],
                            str(saved["fingerprint"]), dict(zip(spelling, saved["spelling_counts"].tolist())))


def load_or_build_lexical(index: SearchIndex, catalog: CatalogGraph, build_dir: Path) -> LexicalIndex:
    """The saved lexical index of a catalog's tasks and questions, else one built from their index texts and saved."""
    fingerprint = hashlib.sha1(f"{index.fingerprint}\0lexical\0{LEXICAL_VERSION}".encode()).hexdigest()
    path = build_dir / "lexical.npz"
    try:
        lexical = load_lexical(path)
        if lexical.fingerprint == fingerprint:
            return lexical
    except (OSError, ValueError, KeyError):
        pass  # missing or unreadable: rebuilt below
    node_ids = {node_id for kind in LEXICAL_KINDS for node_id in catalog.node_ids(kind)}
    lexical = build_lexical(node_documents(index, node_ids), fingerprint)
    keep_cached(lambda: save_lexical(lexical, path))
    return lexical
