"""Lexicons: the words the drafting rules read, one data file per language (``lexicons/en.yaml``).

A lexicon is read once per language into a frozen :class:`Lexicon` with its patterns compiled.
A new language is a new file with the same keys; the rules do not change.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import attrs
import yaml

from claimtrack.claim import Stance

_KEYS = frozenset(
    {
        "language",
        "chrome_lines",
        "chrome_patterns",
        "end_lines",
        "end_patterns",
        "byline_patterns",
        "published_patterns",
        "updated_patterns",
        "numeric_date_order",
        "caption_patterns",
        "dateline_patterns",
        "cues",
        "hedged",
        "according_to",
        "hedge_adverbs",
        "between_speaker_and_cue",
        "pronouns",
        "told",
        "name_prefixes",
        "prepositions",
        "group_heads",
        "units",
        "not_a_figure_after",
        "weekdays",
        "not_claims_patterns",
    }
)


def _patterns(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


def _norm(line: object) -> str:
    if not isinstance(line, str):  # an unquoted "on" or "no" in the YAML is a boolean
        raise ValueError(f"lexicon entry {line!r} is not text: quote it")
    return " ".join(line.lower().split())


@attrs.frozen
class Lexicon:
    """One language's words and patterns, compiled."""

    language: str
    chrome_lines: frozenset[str]
    chrome_patterns: tuple[re.Pattern[str], ...]
    end_lines: frozenset[str]
    end_patterns: tuple[re.Pattern[str], ...]
    byline_patterns: tuple[re.Pattern[str], ...]
    published_patterns: tuple[re.Pattern[str], ...]
    updated_patterns: tuple[re.Pattern[str], ...]
    numeric_date_order: str
    caption_patterns: tuple[re.Pattern[str], ...]
    dateline_patterns: tuple[re.Pattern[str], ...]
    cues: dict[str, Stance]
    cue_pattern: re.Pattern[str]
    hedged: frozenset[str]
    according_to: re.Pattern[str]
    hedge_adverbs: re.Pattern[str]
    between: frozenset[str]
    pronouns: dict[str, str]
    told: frozenset[str]
    name_prefixes: frozenset[str]
    prepositions: frozenset[str]
    group_heads: dict[str, str]
    units: dict[str, str]
    not_a_figure_after: frozenset[str]
    weekdays: tuple[str, ...]
    not_claims: tuple[re.Pattern[str], ...]

    def is_chrome(self, line: str) -> bool:
        """Whether a whole line is page furniture by the lexicon."""
        norm = _norm(line.strip(" \t•·*-|>"))
        if norm.rstrip(":.") in self.chrome_lines:
            return True
        return any(p.search(norm) for p in self.chrome_patterns)

    def ends_article(self, line: str) -> bool:
        """Whether a line starts the furniture that follows an article."""
        norm = _norm(line.strip(" \t•·*-|>"))
        if norm.rstrip(":.") in self.end_lines:
            return True
        return any(p.search(norm) for p in self.end_patterns)


def _words(pattern_words: list[str]) -> re.Pattern[str]:
    alternatives = sorted({_norm(w) for w in pattern_words}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _build(data: dict[str, Any]) -> Lexicon:
    unknown = set(data) - _KEYS
    missing = _KEYS - set(data)
    if unknown or missing:
        raise ValueError(f"lexicon keys: unknown {sorted(unknown)}, missing {sorted(missing)}")
    cues = {_norm(w): Stance(stance) for stance, words in data["cues"].items() for w in words}
    return Lexicon(
        language=data["language"],
        chrome_lines=frozenset(_norm(w) for w in data["chrome_lines"]),
        chrome_patterns=_patterns(data["chrome_patterns"]),
        end_lines=frozenset(_norm(w) for w in data["end_lines"]),
        end_patterns=_patterns(data["end_patterns"]),
        byline_patterns=tuple(re.compile(p) for p in data["byline_patterns"]),
        published_patterns=_patterns(data["published_patterns"]),
        updated_patterns=_patterns(data["updated_patterns"]),
        numeric_date_order=data["numeric_date_order"],
        caption_patterns=_patterns(data["caption_patterns"]),
        dateline_patterns=tuple(re.compile(p) for p in data["dateline_patterns"]),
        cues=cues,
        cue_pattern=_words(list(cues)),
        hedged=frozenset(_norm(w) for w in data["hedged"]),
        according_to=_words(data["according_to"]),
        hedge_adverbs=_words(data["hedge_adverbs"]),
        between=frozenset(_norm(w) for w in data["between_speaker_and_cue"]),
        pronouns={_norm(w): kind for kind, words in data["pronouns"].items() for w in words},
        told=frozenset(_norm(w) for w in data["told"]),
        name_prefixes=frozenset(_norm(w) for w in data["name_prefixes"]),
        prepositions=frozenset(_norm(w) for w in data["prepositions"]),
        group_heads={_norm(w): head for head, words in data["group_heads"].items() for w in words},
        units={_norm(w): unit for unit, words in data["units"].items() for w in words},
        not_a_figure_after=frozenset(_norm(w) for w in data["not_a_figure_after"]),
        weekdays=tuple(_norm(w) for w in data["weekdays"]),
        not_claims=_patterns(data["not_claims_patterns"]),
    )


LANGUAGES = ("en",)


@functools.cache
def lexicon(language: str = "en") -> Lexicon:
    """The lexicon of ``language`` (a file ``lexicons/<language>.yaml`` of this package)."""
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ValueError(f"not a language code: {language!r}")
    resource = resources.files("claimtrack.draft").joinpath("lexicons").joinpath(f"{language}.yaml")
    if not resource.is_file():
        raise LookupError(language)
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return _build(data)
