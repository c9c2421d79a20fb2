"""Synthetic claim sets for benchmarks and scale tests, built directly as a claims frame.

:func:`synthetic_claims` (for benchmarks and scale tests; not public API) returns a frame shaped like :meth:`claimtrack.ClaimSet.to_frame` (the columns
of :data:`claimtrack.frame.COLUMNS`, with the same dtypes), generated vectorised with a seeded numpy
RNG, so one million claims take seconds and the same arguments always give the same frame.

The shape is meant to look like reporting at scale:

- Subjects have a skewed (Zipf-like, exponent ``zipf``) number of claims, capped at ``cap``; one
  extra "hot" subject gets ``hot`` claims (by default ``n // 500``). With the defaults the number of
  pairs inside subjects is about 30 per claim: ~0.3M pairs for 10k claims, ~3M for 100k, ~30M for 1M.
- Subjects are 80 % quantities, 10 % statements (a few quantity claims mixed in, so denials meet
  figures), 6 % day counts of a series and 4 % event dates.
- Quantity claims are hedged ("about", "at least", "up to", "nearly", "dozens of" ...) so intervals
  are wide, narrow, open above or open below; a few are additional amounts ("another 300").
- Claimants, publishers and sources come from pools; each subject has a few "home" claimants and
  sources, so the same claimant and the same source meet within a subject (repeats, updates,
  inconsistencies). Publishers are Zipf-weighted; quotes are short strings from a few templates per
  publisher, so one publisher's quotes are often near-duplicates.
- Publication dates spread over 2015-2024; as-of dates (when given) lie up to 60 days before.
- One quantity subject in ten varies by occasion (``varies``: ``by_occasion``, a crowd per day;
  drawn from an RNG of its own, so the other columns do not depend on it); the hot subject and
  every other subject vary over time.

With ``news=True`` (for ``benchmarks/hot_subjects.py``) the shape is that of a year of wire
coverage: subject sizes are Zipf without the cap of 200, up to the size of the hot subject
(``hot``, by default ``n // 10``), which is the largest, with the exponent 2.5 (at 2.0 a million
claims would put half of them in subjects of the hot subject's size); and in subjects of five claims or more, 95 % of the
quantity claims repeat a *line*: one claimant's figure as of one date, told by the articles of
one publisher in two to four wordings (about the square root of a subject's size of lines, their
popularity Zipf-like), as every RFE/RL article on Xinjiang repeats "as many as 2 million ...
according to the U.S. State Department". Without ``news`` the frame for the same arguments is
unchanged, so the all-pairs benchmark keeps its pair counts.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from claimtrack.frame import COLUMNS
from claimtrack.quantity import DEFAULT_HEDGE_POLICY

__all__ = ["pair_count", "subject_sizes", "synthetic_claims"]

_HEDGES = ("exact", "approximate", "near", "at_least", "more_than", "up_to", "vague")
_HEDGE_P = (0.30, 0.28, 0.08, 0.10, 0.06, 0.10, 0.08)
_HEDGE_WORD = ("", "about ", "nearly ", "at least ", "more than ", "up to ", "")
_SECTIONS = ("body", "lede", "headline", "caption", "standfirst")
_SECTION_P = (0.85, 0.07, 0.04, 0.03, 0.01)
_STANCES = ("asserts", "denies", "demands", "warns", "promises")
_STANCE_P = (0.72, 0.16, 0.06, 0.04, 0.02)
_KINDS = ("quantity", "statement", "day_count", "event_date")
_KIND_P = (0.80, 0.10, 0.06, 0.04)
_OPENERS = (
    "Officials said",
    "According to the ministry,",
    "Witnesses told reporters that",
    "The report estimates that",
    "Rights groups say",
    "Local media reported that",
    "A spokesperson confirmed that",
    "Figures released on Monday show",
    "Activists claim that",
    "The agency put the number at",
    "Police said",
    "Organisers estimated that",
)
_CLOSERS = (
    "people were affected.",
    "people took part.",
    "have been detained so far.",
    "families are still waiting for news.",
    "were counted by the evening.",
    "remain unaccounted for.",
)
_DAY0 = np.datetime64("2015-01-01", "D")
_SPAN_DAYS = 3650
_VAGUE_PHRASES = (  # by power of ten: "several" for 1-9, "dozens" for 10-99 ...
    "several",
    "dozens",
    "hundreds",
    "thousands",
    "tens of thousands",
    "hundreds of thousands",
    "millions",
    "tens of millions",
)


def subject_sizes(
    n: int, *, zipf: float = 2.0, cap: int = 200, hot: int | None = None, seed: int = 0
) -> npt.NDArray[np.int64]:
    """Claims per subject, summing to ``n``: a hot subject of ``hot`` claims, then Zipf sizes."""
    rng = np.random.default_rng([seed, 1])
    hot = n // 500 if hot is None else min(hot, n)
    rest = n - hot
    draws = np.minimum(rng.zipf(zipf, size=max(rest, 1)), cap).astype(np.int64)
    total = np.cumsum(draws)
    last = int(np.searchsorted(total, rest))
    sizes = draws[: last + 1].copy()
    if rest == 0:
        sizes = sizes[:0]
    else:
        sizes[-1] -= int(total[last]) - rest
    if hot:
        sizes = np.r_[np.int64(hot), sizes]
    return sizes[sizes > 0]


def pair_count(sizes: npt.NDArray[np.int64]) -> int:
    """How many pairs inside subjects blocks of these sizes make."""
    return int((sizes * (sizes - 1) // 2).sum())


def _pick(rng: np.random.Generator, options: tuple[str, ...], p: tuple[float, ...], n: int) -> Any:
    return rng.choice(len(options), size=n, p=np.asarray(p) / sum(p))


def _ids(prefix: str, numbers: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.str_]:
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def _categorical(codes: npt.NDArray[Any], categories: Any, valid: Any = None) -> pd.Categorical:
    codes = np.asarray(codes, dtype=np.int64)
    if valid is not None:
        codes = np.where(valid, codes, -1)
    used = np.unique(codes[codes >= 0])
    remap = np.full(len(categories), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(new_codes, categories=np.asarray(categories)[used])


def _strings(values: Any, valid: Any = None) -> pd.api.extensions.ExtensionArray:
    out = np.asarray(values, dtype=object)
    if valid is not None:
        out = out.copy()
        out[~np.asarray(valid, dtype=bool)] = None
    return pd.array(out, dtype="string")


def _seconds(days: npt.NDArray[np.int64], valid: Any = None) -> npt.NDArray[np.datetime64]:
    dates = (_DAY0 + days.astype("timedelta64[D]")).astype("datetime64[s]")
    if valid is not None:
        dates = np.where(valid, dates, np.datetime64("NaT", "s"))
    return dates


def _empty_tuples(n: int, valid: Any = None) -> npt.NDArray[np.object_]:
    """``()`` in each of ``n`` cells (where ``valid``; None elsewhere)."""
    out = np.empty(n, dtype=object)
    out.fill(())
    if valid is not None:
        out[~np.asarray(valid, dtype=bool)] = None
    return out


def _month_of(days: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The first and last day (counted from ``_DAY0``) of the calendar month of each day."""
    month = (_DAY0 + days.astype("timedelta64[D]")).astype("datetime64[M]")
    first = (month.astype("datetime64[D]") - _DAY0).astype(np.int64)
    last = ((month + 1).astype("datetime64[D]") - _DAY0).astype(np.int64) - 1
    return first, last


def _format_unique(values: npt.NDArray[Any], fmt: str) -> npt.NDArray[np.object_]:
    """``fmt.format(v)`` per value, formatting each distinct value once."""
    uniques, inverse = np.unique(values, return_inverse=True)
    texts = np.array([fmt.format(u) for u in uniques.tolist()], dtype=object)
    return texts[inverse]


_VARIES = ("by_occasion", "over_time")


def _varies(subject_kind: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.int64]:
    """Per subject, its position in :data:`_VARIES`: one quantity subject in ten (never the
    first, the hot one) by occasion."""
    occasion = (subject_kind == 0) & (
        np.random.default_rng([seed, 3]).random(len(subject_kind)) < 0.1
    )
    occasion[: min(len(occasion), 1)] = False
    return np.where(occasion, 0, 1).astype(np.int64)


@attrs.frozen
class _Lines:
    """News-style repetition: which claims repeat a line (one claimant's figure, told in a few
    wordings by one publisher's articles), and each line's parts."""

    line: npt.NDArray[np.int64]
    """The line of each claim (-1: a claim of its own)."""
    subject: npt.NDArray[np.int64]
    claimant: npt.NDArray[np.int64]
    source: npt.NDArray[np.int64]
    """A source of each line's publisher; claims draw theirs among that publisher's sources."""
    raw: npt.NDArray[np.float64]
    hedge: npt.NDArray[np.int64]
    opener: npt.NDArray[np.int64]


def _lines(
    rng: np.random.Generator,
    subject: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    quantity: npt.NDArray[np.bool_],
    base: npt.NDArray[np.float64],
    n_sources: int,
    n_claimants: int,
) -> _Lines:
    """Lines for the quantity claims of subjects of 5 claims or more: about the square root of a
    subject's size of them, their popularity Zipf-like (the first line of a hot subject is
    repeated by thousands of articles), and 95 % of those claims repeating one."""
    n = len(subject)
    n_lines = np.maximum(1, np.sqrt(sizes).astype(np.int64))
    offset = np.r_[0, np.cumsum(n_lines)[:-1]]
    pick = np.minimum(rng.zipf(1.6, size=n), n_lines[subject]) - 1
    repeats = quantity & (sizes[subject] >= 5) & (rng.random(n) < 0.95)
    line = np.where(repeats, offset[subject] + pick, -1)
    total = int(n_lines.sum())
    line_subject = np.repeat(np.arange(len(sizes)), n_lines)
    return _Lines(
        line=line,
        subject=line_subject,
        claimant=rng.integers(0, n_claimants, size=total),
        source=rng.integers(0, n_sources, size=total),
        raw=base[line_subject] * rng.lognormal(0.0, 0.25, size=total),
        hedge=_pick(rng, _HEDGES, _HEDGE_P, total),
        opener=rng.integers(0, len(_OPENERS), size=total),
    )


def _later_source(
    rng: np.random.Generator,
    source_publisher: npt.NDArray[np.int64],
    source_day: npt.NDArray[np.int64],
    seed_source: npt.NDArray[np.int64],
    first_day: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """A random source of the publisher of each ``seed_source`` published on or after
    ``first_day`` (the seed source itself is one: its publication is never before)."""
    key = source_publisher.astype(np.int64) * (_SPAN_DAYS + 1) + source_day
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    publisher = source_publisher[seed_source]
    first = np.searchsorted(sorted_key, publisher * (_SPAN_DAYS + 1) + np.maximum(first_day, 0))
    end = np.searchsorted(sorted_key, publisher * (_SPAN_DAYS + 1) + _SPAN_DAYS, side="right")
    picked = first + (rng.random(len(seed_source)) * (end - first)).astype(np.int64)
    return np.asarray(order[np.minimum(picked, end - 1)], dtype=np.int64)


def synthetic_claims(
    n: int,
    *,
    seed: int = 0,
    zipf: float | None = None,
    cap: int = 200,
    hot: int | None = None,
    news: bool = False,
) -> pd.DataFrame:
    """``n`` synthetic claims as a claims frame (see the module docstring for their shape).

    ``zipf`` is the exponent of the subject sizes (default 2.0, with ``news`` 2.5). ``news``:
    subject sizes are Zipf up to the hot subject's size (``hot``, by default ``n // 10``, the
    largest), and claims repeat lines as news coverage does (see the module docstring). Without it, the frame for the same arguments is what it always was.
    """
    rng = np.random.default_rng([seed, 2])
    if news:
        hot = max(1, n // 10) if hot is None else hot
        exponent = 2.5 if zipf is None else zipf
        sizes = subject_sizes(n, zipf=exponent, cap=max(hot, 1), hot=hot, seed=seed)
    else:
        sizes = subject_sizes(n, zipf=2.0 if zipf is None else zipf, cap=cap, hot=hot, seed=seed)
    n_subjects = len(sizes)
    subject = np.repeat(np.arange(n_subjects), sizes)
    # shuffle claims so subjects are not stored as blocks (the comparator must sort them)
    order = rng.permutation(n)
    subject = subject[order]

    subject_kind = _pick(rng, _KINDS, _KIND_P, n_subjects)
    subject_kind[: min(n_subjects, 1)] = 0  # the hot subject is a quantity
    kind = subject_kind[subject]
    mixed = (kind == 1) & (rng.random(n) < 0.05)  # figures inside statement subjects
    kind = np.where(mixed, 0, kind)

    # pools
    n_publishers = max(10, min(300, n // 3000))
    n_sources = max(20, n // 20)
    n_claimants = max(20, n // 40)
    weights = 1.0 / np.arange(1, n_publishers + 1)
    source_publisher = rng.choice(n_publishers, size=n_sources, p=weights / weights.sum())
    source_day = rng.integers(0, _SPAN_DAYS, size=n_sources)
    home_sources = rng.integers(0, n_sources, size=(n_subjects, 3))
    home_claimants = rng.integers(0, n_claimants, size=(n_subjects, 4))

    home = rng.random(n) < 0.35
    source = np.where(
        home,
        home_sources[subject, rng.integers(0, 3, size=n)],
        rng.integers(0, n_sources, size=n),
    )
    publisher = source_publisher[source]
    claimant = np.where(
        rng.random(n) < 0.5,
        home_claimants[subject, rng.integers(0, 4, size=n)],
        rng.integers(0, n_claimants, size=n),
    )
    claimant_is_publisher = rng.random(n) < 0.15
    if news:  # repeated lines: one claimant, one publisher's articles, a few wordings
        news_rng = np.random.default_rng([seed, 3])
        base_news = 10 ** news_rng.uniform(1.0, 6.5, size=n_subjects)
        lines = _lines(
            news_rng,
            subject,
            sizes,
            subject_kind[subject] == 0,
            base_news,
            n_sources,
            n_claimants,
        )
        rep = lines.line >= 0
        at = lines.line[rep]
        line_as_of = source_day[lines.source] - news_rng.integers(0, 61, size=len(lines.source))
        source[rep] = _later_source(
            news_rng, source_publisher, source_day, lines.source[at], line_as_of[at]
        )
        publisher = source_publisher[source]
        claimant[rep] = lines.claimant[at]
        claimant_is_publisher[rep] = False

    # dates: published per source; as_of for 70 % of claims, up to 60 days earlier
    published = source_day[source]
    has_as_of = rng.random(n) < 0.7
    as_of = published - rng.integers(0, 61, size=n)
    if news:  # a figure repeated article after article, as of the line's date
        has_as_of[rep] = True
        as_of[rep] = line_as_of[at]
    month_as_of = has_as_of & (rng.random(n) < 0.1)
    relative = has_as_of & ~month_as_of & (rng.random(n) < 0.05)
    if news:  # the line's own date, the same in every article
        month_as_of[rep] = False
        relative[rep] = False
    as_of = np.where(relative, published - 1, as_of)  # "a day earlier"
    month_first, month_last = _month_of(as_of)
    as_of_day = np.where(month_as_of, month_first, as_of)
    as_of_end = np.where(month_as_of, month_last, as_of_day)

    # quantities: a base value per subject, noise per claim, then a hedge
    quantity = kind == 0
    base = 10 ** rng.uniform(1.0, 6.5, size=n_subjects)
    raw = base[subject] * rng.lognormal(0.0, 0.25, size=n)
    if news:
        raw[rep] = lines.raw[at]
    magnitude = 10 ** np.floor(np.log10(raw) - 1)
    value = np.round(raw / magnitude) * magnitude
    hedge = _pick(rng, _HEDGES, _HEDGE_P, n)
    if news:
        hedge[rep] = lines.hedge[at]
    low = value.copy()
    high = value.copy()
    approx = hedge == 1
    low[approx], high[approx] = value[approx] * 0.85, value[approx] * 1.15
    near = hedge == 2
    low[near] = value[near] * 0.9
    high[(hedge == 3) | (hedge == 4)] = np.nan
    low[hedge == 5] = np.nan
    vague = hedge == 6
    # a vague figure is the phrase of its power of ten, with the policy's interval for it
    power = np.clip(np.floor(np.log10(value)), 0, len(_VAGUE_PHRASES) - 1).astype(np.int64)
    bounds = np.array([DEFAULT_HEDGE_POLICY.vague[p] for p in _VAGUE_PHRASES], dtype=float)
    low[vague], high[vague] = bounds[power[vague], 0], bounds[power[vague], 1]
    additional = quantity & (rng.random(n) < 0.003)
    if news:
        additional[rep] = False
    number = _format_unique(value, "{:,.0f}")
    vague_word = np.asarray(_VAGUE_PHRASES, dtype=object)[power]
    hedge_word = np.asarray(_HEDGE_WORD, dtype=object)[hedge]
    text = np.where(vague, vague_word, hedge_word + number)
    value[~np.isin(hedge, (0, 1))] = np.nan  # only exact and approximate figures have one
    text = np.where(additional, "another " + text, text)

    # day counts: a series start per subject, the count as of publication, sometimes off by a few
    series_start = rng.integers(-400, _SPAN_DAYS - 400, size=n_subjects)
    day_count = kind == 2
    effective = np.where(has_as_of, as_of_day, published)
    ordinal = np.maximum(1, effective - series_start[subject] + 1)
    off = rng.random(n) < 0.1
    ordinal = np.where(off, ordinal + rng.integers(-3, 4, size=n), ordinal)
    ordinal = np.maximum(1, ordinal)

    # event dates: the subject's date, sometimes only the month, sometimes a wrong day
    event_date = kind == 3
    event_day = rng.integers(0, _SPAN_DAYS, size=n_subjects)[subject]
    event_day = np.where(rng.random(n) < 0.1, event_day + rng.integers(-5, 6, size=n), event_day)
    month_event = rng.random(n) < 0.2
    event_first, event_last = _month_of(event_day)
    event_start = np.where(month_event, event_first, event_day)
    event_end = np.where(month_event, event_last, event_start)

    # statements
    statement = kind == 1
    stance = _pick(rng, _STANCES, _STANCE_P, n)
    speaker_is_claimant = rng.random(n) < 0.8
    speaker = np.where(speaker_is_claimant, claimant, rng.integers(0, n_claimants, size=n))

    # quotes: a few templates per publisher, so one publisher's quotes are near-duplicates
    template = (publisher * 7 + rng.integers(0, 3, size=n)) % len(_OPENERS)
    if news:  # a line is told in two or three wordings
        template[rep] = (lines.opener[at] + news_rng.integers(0, 2, size=len(at))) % len(_OPENERS)
    closer = (publisher + rng.integers(0, 2, size=n)) % len(_CLOSERS)
    opener = np.asarray(_OPENERS, dtype=object)[template]
    ending = np.asarray(_CLOSERS, dtype=object)[closer]
    quote = np.where(
        quantity | day_count,
        opener + " " + text + " " + ending,
        opener + " subject " + subject.astype(str).astype(object) + " is as described.",
    )

    publisher_ids = _ids("pub", np.arange(n_publishers), 3)
    source_ids = _ids("src", np.arange(n_sources), 6)
    claimant_ids = np.concatenate([_ids("who", np.arange(n_claimants), 6), publisher_ids])
    claimant_code = np.where(claimant_is_publisher, n_claimants + publisher, claimant)
    speaker_code = np.where(speaker_is_claimant, claimant_code, speaker)

    frame = pd.DataFrame(
        {
            "claim": _strings(_ids("c", np.arange(n), 7)),
            "subject": _categorical(subject, _ids("s", np.arange(n_subjects), 6)),
            "kind": _categorical(kind, _KINDS),
            "varies": _categorical(_varies(subject_kind, seed)[subject], _VARIES),
            "source": _categorical(source, source_ids),
            "publisher": _categorical(publisher, publisher_ids),
            "republishes": _categorical(np.full(n, -1), source_ids),
            "claimant": _categorical(claimant_code, claimant_ids),
            "co_claimants": _empty_tuples(n),
            "via": _empty_tuples(n),
            "attribution": _categorical(np.full(n, -1), ("reported", "said", "believed")),
            "section": _categorical(_pick(rng, _SECTIONS, _SECTION_P, n), _SECTIONS),
            "quote": _strings(quote),
            "low": np.where(quantity, low, np.nan),
            "high": np.where(quantity, high, np.nan),
            "value": np.where(quantity, value, np.nan),
            "hedge": _categorical(hedge, _HEDGES, quantity),
            "unit": _strings(np.full(n, "people", dtype=object), quantity),
            "text": _strings(
                np.where(day_count, "the " + ordinal.astype(str).astype(object) + " day", text),
                quantity | day_count,
            ),
            "additional": pd.arrays.BooleanArray(additional, ~quantity),  # only quantities
            "ordinal": pd.array(ordinal, dtype="Int64"),
            "day_unit": _categorical(np.zeros(n, dtype=np.int64), ("day", "night"), day_count),
            "speaker": _categorical(speaker_code, claimant_ids, statement),
            "co_speakers": _empty_tuples(n, statement),
            "stance": _categorical(stance, _STANCES, statement),
            "mode": _categorical(rng.integers(0, 2, size=n), ("direct", "paraphrase"), statement),
            "as_of_start": _seconds(as_of_day, has_as_of),
            "as_of_end": _seconds(as_of_end, has_as_of),
            "as_of_precision": _categorical(
                np.where(month_as_of, 1, 0), ("day", "month"), has_as_of
            ),
            "as_of_written": _strings(np.full(n, "a day earlier", dtype=object), relative),
            "stated_start": _seconds(published, np.zeros(n, dtype=bool)),
            "stated_end": _seconds(published, np.zeros(n, dtype=bool)),
            "stated_precision": _categorical(np.zeros(n), ("day",), np.zeros(n, dtype=bool)),
            "stated_written": _strings(np.full(n, None, dtype=object)),
            "date_start": _seconds(event_start, event_date),
            "date_end": _seconds(event_end, event_date),
            "date_precision": _categorical(
                np.where(month_event, 1, 0), ("day", "month"), event_date
            ),
            "date_written": _strings(np.full(n, None, dtype=object)),
            "published_start": _seconds(published),
            "published_end": _seconds(published),
            "published_precision": _categorical(np.zeros(n), ("day",)),
            "published_written": _strings(np.full(n, None, dtype=object)),
            "notes": _strings(np.full(n, None, dtype=object)),
        }
    )
    frame["ordinal"] = frame["ordinal"].where(day_count)
    return frame[list(COLUMNS)]
