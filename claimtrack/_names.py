"""Names that look alike: suggestions for misspelled ids, and words that mix scripts."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein


def mixed_scripts(text: str) -> str:
    """ ", which mixes scripts: 'і' (U+0456, CYRILLIC ...) among Latin letters" or ""."""
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        scripts = {_script(c) for c in letters}
        if len(scripts) > 1 and "LATIN" in scripts:
            odd = next(c for c in letters if _script(c) != "LATIN")
            name = unicodedata.name(odd, "?")
            return f", which mixes scripts: {odd!r} (U+{ord(odd):04X} {name}) among Latin letters"
    return ""


def _script(char: str) -> str:
    return "LATIN" if char.isascii() else unicodedata.name(char, "?").split()[0]


CLOSE = 75.0
"""The lowest similarity (0-100) of a suggested id to the one written."""


def _fold(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in anyascii(text).lower()).split())


def _similarity(a: str, b: str, **_: Any) -> float:
    """How alike two ids or names are, 0-100: the best of the whole strings' similarity and of
    their words' in any order, transliterated and folded (``Tokaev`` and ``tokayev``; ``days
    protest`` and ``protest-days``), so that a long id is not close to a short one only
    because it contains it."""
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def close_ids(key: str, known: Iterable[str], limit: int = 2) -> list[str]:
    """The ids of ``known`` most like ``key`` (at least :data:`CLOSE`), best first."""
    ids = list(known)
    folded = [_fold(i) for i in ids]
    matches = process.extract(
        _fold(key), folded, scorer=_similarity, limit=limit, score_cutoff=CLOSE
    )
    return [ids[index] for _match, _score, index in matches]


def suggest(key: str, known: Any, registry: str | None = None) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the close ids of ``known``; when none is close,
    ``": add it to subjects.yaml"`` for an id that belongs in the ``registry`` file, else ``""``."""
    matches = close_ids(key, known)
    if not matches:
        return f": add it to {registry}" if registry else ""
    return " (did you mean " + " or ".join(repr(m) for m in matches) + "?)"


def _words_alike(a: list[str], b: list[str]) -> bool:
    """Whether two folded names say the same words, but for word order and one word spelled a
    little differently (a letter more or less, or two in a long word: ``detainee``/``detainees``,
    ``tokaev``/``tokayev``). Numbers must be equal: ``2016`` is not ``2019``."""
    if len(a) != len(b):
        return False
    differ = 0
    for x, y in zip(sorted(a), sorted(b), strict=True):
        if x == y:
            continue
        if any(c.isdigit() for c in x + y):
            return False
        if Levenshtein.distance(x, y) > (2 if min(len(x), len(y)) >= 8 else 1):
            return False
        differ += 1
    return differ <= 1


def look_alike(names: list[str]) -> list[tuple[int, int]]:
    """The pairs ``(later, earlier)`` of indexes of ``names`` that look like one name written
    twice (see :func:`_words_alike`), each later name with the first earlier one it looks like.

    Candidates are found with rapidfuzz, one search per name over the earlier ones, so the cost is
    a C loop per name, not a Python loop per pair."""
    folded = [" ".join(sorted(_fold(n).split())) for n in names]
    out = []
    for j in range(1, len(folded)):
        candidates = process.extract(
            folded[j], folded[:j], scorer=fuzz.ratio, score_cutoff=CLOSE, limit=5
        )
        for _match, _score, i in sorted(candidates, key=lambda m: m[2]):
            if _words_alike(folded[i].split(), folded[j].split()):
                out.append((j, i))
                break
    return out
