"""Subject suggestions: the existing subjects a drafted claim is most likely about.

Each subject of the claim's kind is scored from 0 to 1 on four counts: the words it shares with
the quote (TF-IDF cosine over the subjects' labels and the positive part of their descriptions,
the part before "NOT"), rapidfuzz's token-set ratio against its label, its unit against the unit
of the figure, and the entities both name.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
from rapidfuzz import fuzz, process

from claimtrack.draft._model import SubjectSuggestion
from claimtrack.subject import Subject, SubjectKind

_WORD = re.compile(r"[^\W_]+")  # letters of any script, and digits
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "them",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
        "what",
        "when",
        "where",
        "not",
        "no",
        "than",
        "then",
        "there",
        "here",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "also",
        "only",
        "just",
        "more",
        "most",
        "some",
        "any",
        "each",
        "other",
        "such",
        "very",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "so",
        "said",
        "says",
        "say",
        "told",
        "according",
        "while",
        "since",
    ]
)

#: Weights of the four counts; they add up to 1.
WEIGHTS = {"words": 0.55, "label": 0.25, "unit": 0.1, "entities": 0.1}


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def _positive(description: str) -> str:
    return re.split(r"\bNOT\b", description, maxsplit=1)[0]


@attrs.frozen
class _Entry:
    subject: Subject
    vector: dict[str, float]
    norm: float
    label: str
    entities: frozenset[str]


class SubjectRanker:
    def __init__(
        self,
        subjects: Mapping[str, Subject],
        entities_of: Callable[[str], frozenset[str]] | None = None,
    ) -> None:
        docs = {
            s.id: words(f"{s.label} {s.label} {_positive(s.description)}")
            for s in subjects.values()
        }
        df: Counter[str] = Counter()
        for ws in docs.values():
            df.update(set(ws))
        n = max(len(docs), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.by_kind: dict[SubjectKind, list[_Entry]] = {}
        finder = entities_of or (lambda _text: frozenset())
        for s in subjects.values():
            vector = {w: c * self.idf[w] for w, c in Counter(docs[s.id]).items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            text = f"{s.label} {_positive(s.description)}"
            entry = _Entry(s, vector, norm, " ".join(words(s.label)), finder(text))
            self.by_kind.setdefault(s.kind, []).append(entry)
        self.postings: dict[SubjectKind, dict[str, list[tuple[int, float]]]] = {}
        self.labels: dict[SubjectKind, list[str]] = {}
        self.norms: dict[SubjectKind, np.ndarray[Any, np.dtype[np.float64]]] = {}
        self.units: dict[SubjectKind, np.ndarray[Any, np.dtype[np.str_]]] = {}
        self.id_rank: dict[SubjectKind, np.ndarray[Any, np.dtype[np.int64]]] = {}
        self.holders: dict[SubjectKind, dict[str, np.ndarray[Any, np.dtype[np.int64]]]] = {}
        self.entity_counts: dict[SubjectKind, np.ndarray[Any, np.dtype[np.int64]]] = {}
        for kind, entries in self.by_kind.items():
            postings: dict[str, list[tuple[int, float]]] = {}
            for i, entry in enumerate(entries):
                for w, weight in entry.vector.items():
                    postings.setdefault(w, []).append((i, weight))
            self.postings[kind] = postings
            self.labels[kind] = [entry.label for entry in entries]
            self.norms[kind] = np.array([entry.norm for entry in entries])
            self.units[kind] = np.array([entry.subject.unit or "" for entry in entries])
            ids = [entry.subject.id for entry in entries]
            self.id_rank[kind] = np.array([sorted(ids).index(i) for i in ids])
            holders: dict[str, list[int]] = {}
            for i, entry in enumerate(entries):
                for entity in entry.entities:
                    holders.setdefault(entity, []).append(i)
            self.holders[kind] = {e: np.array(at) for e, at in holders.items()}
            self.entity_counts[kind] = np.array([len(e.entities) or 1 for e in entries])
        self.cache: dict[object, tuple[SubjectSuggestion, ...]] = {}
        self.base_scores: dict[tuple[SubjectKind, str], np.ndarray[Any, np.dtype[np.float64]]] = {}

    def rank(
        self,
        kind: SubjectKind,
        quote: str,
        unit: str | None,
        entities: frozenset[str],
        limit: int = 3,
    ) -> list[SubjectSuggestion]:
        key = (kind, quote, unit, entities, limit)
        cached = self.cache.get(key)
        if cached is None:
            cached = self._rank(kind, quote, unit, entities, limit)
            if len(self.cache) < 10_000:
                self.cache[key] = cached
        return list(cached)

    def _words_and_label(
        self, kind: SubjectKind, quote: str
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The scores of the words and the label of each subject of ``kind`` for ``quote``
        (kept per quote: one quote is ranked for each claim drafted from it)."""
        key = (kind, quote)
        known = self.base_scores.get(key)
        if known is not None:
            return known
        ws = words(quote)
        vector = {w: c * self.idf.get(w, self.default_idf) for w, c in Counter(ws).items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        dots = np.zeros(len(self.by_kind[kind]))
        postings = self.postings[kind]
        for w, v in vector.items():
            for i, weight in postings.get(w, ()):
                dots[i] += v * weight
        joined = " ".join(ws)
        labels = process.cdist(
            [joined], self.labels[kind], scorer=fuzz.token_set_ratio, dtype=np.float64
        )[0]
        score: np.ndarray[Any, np.dtype[np.float64]] = (
            WEIGHTS["words"] * dots / (norm * self.norms[kind]) + WEIGHTS["label"] * labels / 100
        )
        if len(self.base_scores) >= 10_000:
            self.base_scores.clear()
        self.base_scores[key] = score
        return score

    def _rank(
        self,
        kind: SubjectKind,
        quote: str,
        unit: str | None,
        entities: frozenset[str],
        limit: int,
    ) -> tuple[SubjectSuggestion, ...]:
        entries = self.by_kind.get(kind, [])
        if not entries:
            return ()
        score = self._words_and_label(kind, quote).copy()
        if unit is not None:
            score += WEIGHTS["unit"] * (self.units[kind] == unit)
        holders = self.holders[kind]
        shared = np.zeros(len(entries), dtype=np.int64)
        for entity in entities:
            at = holders.get(entity)
            if at is not None:
                shared[at] += 1
        if shared.any():
            score += np.where(
                shared > 0, WEIGHTS["entities"] * shared / self.entity_counts[kind], 0.0
            )
        rounded = np.round(score, 3)
        order = np.lexsort((self.id_rank[kind], -rounded))[:limit]
        return tuple(
            SubjectSuggestion(
                entries[i].subject.id,
                float(rounded[i]),
                entries[i].subject.label,
                unit=entries[i].subject.unit,
            )
            for i in order
        )
