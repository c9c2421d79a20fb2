"""Names that look alike: suggestions for misspelled ids, and words that mix scripts."""

from __future__ import annotations

import unicodedata
from typing import Any

from rapidfuzz import process


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


def suggest(key: str, known: Any) -> str:
    matches = process.extract(key, list(known), limit=2, score_cutoff=70)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(m[0]) for m in matches) + "?)"
