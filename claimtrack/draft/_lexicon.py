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
from claimtrack.entity import name_key
from claimtrack.quantity import Hedge

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


#: Keys a lexicon may leave out, with the English defaults. A language whose figures the English
#: hedge grammar does not read (``figures: lexicon``) gives its number words in these keys.
_OPTIONAL: dict[str, Any] = {
    "figures": "english",
    "stopwords": [],
    "subject_pronouns": ["he", "she", "they", "it"],
    "clause_conjunctions": ["but"],
    "speaker_first": False,
    "according_to_after": [],
    "name_endings": [],
    "hedge_phrases": {},
    "hedge_phrases_after": {},
    "vague_amounts": {},
    "number_words": {},
    "scale_words": {},
    "months": {},
    "date_patterns": [],
    "year_patterns": [],
    "relative_dates": {},
    "ordinal_words": {},
    "day_count_patterns": [],
    "day_units": {},
}


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
    figures: str = "english"
    """``english``: figures are read by claimtrack's hedge grammar; ``lexicon``: by the number
    words, hedges, months and day-count patterns below (see ``_figures_lexicon``)."""
    stopwords: frozenset[str] = frozenset()
    subject_pronouns: frozenset[str] = frozenset()
    clause_pattern: re.Pattern[str] = re.compile(r"[;:]\s+|,?\s+but\s+|\s+--\s+|\s+—\s+")
    speaker_first: bool = False
    """Verb-final languages (Kazakh): the speaker is the first name of the clause, not the one
    nearest the cue."""
    according_to_after: re.Pattern[str] | None = None
    """Postpositions that follow the claimant ("Тоқаевтың айтуынша": according to Tokayev)."""
    name_endings: tuple[str, ...] = ()
    """Case endings stripped from a name's words before they are matched (match keys)."""
    hedge_phrases: dict[str, str] = attrs.Factory(dict)
    hedge_phrases_after: dict[str, str] = attrs.Factory(dict)
    """Hedges written after the number ("500-ден астам": more than 500)."""
    vague_amounts: dict[str, str] = attrs.Factory(dict)
    number_words: dict[str, str] = attrs.Factory(dict)
    scale_words: dict[str, str] = attrs.Factory(dict)
    months: dict[str, int] = attrs.Factory(dict)
    date_patterns: tuple[re.Pattern[str], ...] = ()
    year_patterns: tuple[re.Pattern[str], ...] = ()
    relative_dates: dict[str, str] = attrs.Factory(dict)
    ordinal_words: dict[str, int] = attrs.Factory(dict)
    day_count_patterns: tuple[re.Pattern[str], ...] = ()
    day_units: dict[str, str] = attrs.Factory(dict)

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
    if not alternatives:
        return re.compile(r"(?!)")  # an empty list matches nothing, not the empty string
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _months(data: dict[Any, list[str]]) -> dict[str, int]:
    return {_norm(w): int(month) for month, words in data.items() for w in words}


def _month_alternatives(months: dict[str, int]) -> str:
    """The words of ``months`` (or of ordinals) as regular-expression alternatives."""
    return "|".join(re.escape(w) for w in sorted(months, key=len, reverse=True)) or "(?!)"


def _figure_patterns(
    items: list[str], months: dict[str, int], ordinals: dict[str, int]
) -> tuple[re.Pattern[str], ...]:
    """Date and day-count patterns; ``{month}`` stands for the lexicon's month words and
    ``{ordinal}`` for its ordinal words."""
    month = f"(?:{_month_alternatives(months)})"
    ordinal = f"(?:{_month_alternatives(ordinals)})"
    return tuple(
        re.compile(
            r"(?<![\w-])(?:"
            + p.replace("{month}", month).replace("{ordinal}", ordinal)
            + r")(?![\w-])",
            re.IGNORECASE,
        )
        for p in items
    )


def _clauses(conjunctions: list[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(_norm(w)) for w in conjunctions)
    joined = rf"|,?\s+(?:{words})\s+" if words else ""
    return re.compile(rf"[;:]\s+{joined}|\s+--\s+|\s+—\s+")


def _build(data: dict[str, Any]) -> Lexicon:
    unknown = set(data) - _KEYS - set(_OPTIONAL)
    missing = _KEYS - set(data)
    if unknown or missing:
        raise ValueError(f"lexicon keys: unknown {sorted(unknown)}, missing {sorted(missing)}")
    data = {**_OPTIONAL, **data}
    if data["figures"] not in ("english", "lexicon"):
        raise ValueError(f"lexicon figures: expected english or lexicon, got {data['figures']!r}")
    cues = {_norm(w): Stance(stance) for stance, words in data["cues"].items() for w in words}
    months = _months(data["months"])
    ordinals = _months(data["ordinal_words"])
    after = data["according_to_after"]
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
        figures=data["figures"],
        stopwords=frozenset(_norm(w) for w in data["stopwords"]),
        subject_pronouns=frozenset(_norm(w) for w in data["subject_pronouns"]),
        clause_pattern=_clauses(data["clause_conjunctions"]),
        speaker_first=bool(data["speaker_first"]),
        according_to_after=_words(after) if after else None,
        name_endings=tuple(
            sorted({name_key(w) for w in data["name_endings"]} - {""}, key=len, reverse=True)
        ),
        hedge_phrases={
            _norm(w): str(Hedge(h)) for h, words in data["hedge_phrases"].items() for w in words
        },
        hedge_phrases_after={
            _norm(w): str(Hedge(h))
            for h, words in data["hedge_phrases_after"].items()
            for w in words
        },
        vague_amounts={_norm(k): _norm(v) for k, v in data["vague_amounts"].items()},
        number_words={
            _norm(w): _norm(en) for en, words in data["number_words"].items() for w in words
        },
        scale_words={
            _norm(w): _norm(en) for en, words in data["scale_words"].items() for w in words
        },
        months=months,
        date_patterns=_figure_patterns(data["date_patterns"], months, ordinals),
        year_patterns=_figure_patterns(data["year_patterns"], months, ordinals),
        relative_dates={_norm(k): _norm(v) for k, v in data["relative_dates"].items()},
        ordinal_words=ordinals,
        day_count_patterns=_figure_patterns(data["day_count_patterns"], months, ordinals),
        day_units={_norm(w): unit for unit, words in data["day_units"].items() for w in words},
    )


LANGUAGES = ("en", "ru", "kk")
"""The languages with a lexicon file."""


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


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def detect(text: str) -> str:
    """The language of ``text``, simply: English for Latin script; for Cyrillic, Kazakh when its
    letters (ә ғ қ ң ө ұ ү һ і) and stopwords outweigh Russian stopwords, else Russian. Reads
    the first 20,000 characters."""
    sample = text[:20_000]
    if len(_CYRILLIC.findall(sample)) <= len(_LATIN.findall(sample)):
        return "en"
    words = [w.lower() for w in _WORD.findall(sample)]
    ru, kk = lexicon("ru").stopwords, lexicon("kk").stopwords
    ru_score = sum(w in ru for w in words)
    kk_score = sum(w in kk for w in words) + len(_KAZAKH_LETTERS.findall(sample)) / 10
    return "kk" if kk_score > ru_score else "ru"
