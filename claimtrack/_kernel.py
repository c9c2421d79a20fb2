"""The vectorised comparison kernel: prepared claims in, pairs with verdicts out.

Claims are prepared once (:func:`prepare`): numeric intervals, effective times in days, integer
codes for ids, per-claim texts for reasons, sorted so each subject is one contiguous block. Pairs
``i < j`` inside every block are enumerated as one global sequence (:func:`pair_counts`), so any
range of it can be compared on its own (:func:`compare_range`): that is how large blocks are
processed in chunks, and how the Dask engine spreads a hot subject over workers. No Python loop
runs per pair or per block; rules are masks over arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process, utils

from claimtrack.quantity import _fmt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

QUANTITY, DAY_COUNT, EVENT_DATE, STATEMENT = 0, 1, 2, 3
KIND_CODES = {
    "quantity": QUANTITY,
    "day_count": DAY_COUNT,
    "event_date": EVENT_DATE,
    "statement": STATEMENT,
}
STANCES = ("asserts", "denies", "promises", "demands", "warns")
_EPOCH = np.datetime64("1970-01-01", "D")

PAIR_COLUMNS = (
    "claim_a",
    "claim_b",
    "subject",
    "kind",
    "verdict",
    "rule",
    "reason",
    "overlap",
    "relative_gap",
    "days_apart",
    "same_claimant",
    "same_publisher",
    "same_source",
    "quote_similarity",
)
"""The columns of a pairs frame, in order."""


def _days(values: pd.Series[Any]) -> Floats:
    """datetime64 column as float days since 1970 (NaN when missing)."""
    as_days = values.to_numpy(dtype="datetime64[D]")
    out = (as_days - _EPOCH).astype("float64")
    out[np.isnat(as_days)] = np.nan
    return out


def _codes(values: pd.Series[Any]) -> Ints:
    return np.asarray(values.astype("category").cat.codes, dtype=np.int64)


def _first(*arrays: Floats) -> Floats:
    """Element-wise the first non-NaN of ``arrays``."""
    out = arrays[0].copy()
    for other in arrays[1:]:
        missing = np.isnan(out)
        out[missing] = other[missing]
    return out


def _when_text(frame: pd.DataFrame) -> list[str]:
    """Per claim: its effective time as text (as-of, else stated, else "published ..."), with
    the words written when they were relative."""
    result = pd.Series("undated", index=frame.index, dtype=object)
    for basis in ("published", "stated", "as_of"):  # later ones win
        start = frame[f"{basis}_start"]
        first = start.dt.strftime("%Y-%m-%d").astype(object)
        last = frame[f"{basis}_end"].dt.strftime("%Y-%m-%d").astype(object)
        precision = frame[f"{basis}_precision"].astype(object)
        text = first.where(first == last, first + "/" + last)
        text = text.where(precision != "month", first.str[:7])
        text = text.where(precision != "year", first.str[:4])
        written = frame[f"{basis}_written"].astype(object)
        text = text.where(written.isna(), text + " ('" + written.fillna("") + "')")
        if basis == "published":
            text = "published " + text
        result = result.where(start.isna(), text)
    return result.tolist()


def _interval_texts(lo: Floats, hi: Floats, kind: Ints) -> list[str]:
    out = []
    for low, high, k in zip(lo.tolist(), hi.tolist(), kind.tolist(), strict=True):
        if k != QUANTITY:
            out.append("")
        elif low == -np.inf:
            out.append(f"≤ {_fmt(high)}")
        elif high == np.inf:
            out.append(f"≥ {_fmt(low)}")
        elif low == high:
            out.append(_fmt(low))
        else:
            out.append(f"{_fmt(low)}–{_fmt(high)}")
    return out


def prepare(
    frame: pd.DataFrame,
    subjects: pd.DataFrame,
    summary_sections: frozenset[str],
) -> pd.DataFrame:
    """The claims frame as the kernel needs it, sorted by subject, then time, then claim id.

    ``subjects`` has columns ``subject``, ``subject_kind``, ``label``. Additional amounts
    ("millions more") get the interval of their base figure plus theirs: the base is a claim of the
    same source, subject and claimant that is not additional (the first one, in file order); with no
    base, the amount is "at least" its low bound.
    """
    df = pd.DataFrame(
        {
            "claim": frame["claim"].astype("object").to_numpy(),
            "subject": frame["subject"].astype("object").to_numpy(),
            "kind": frame["kind"].astype("object").map(KIND_CODES).to_numpy(dtype=np.int64),
            "lo": frame["low"].to_numpy(dtype="float64", na_value=np.nan),
            "hi": frame["high"].to_numpy(dtype="float64", na_value=np.nan),
            "additional": frame["additional"].fillna(False).to_numpy(dtype=bool),
            "ordinal": frame["ordinal"].astype("float64").to_numpy(na_value=np.nan),
            "d0": _days(frame["date_start"]),
            "d1": _days(frame["date_end"]),
            "t0": _first(
                _days(frame["as_of_start"]),
                _days(frame["stated_start"]),
                _days(frame["published_start"]),
            ),
            "t1": _first(
                _days(frame["as_of_end"]), _days(frame["stated_end"]), _days(frame["published_end"])
            ),
            "stance": frame["stance"]
            .astype("object")
            .map({s: i for i, s in enumerate(STANCES)})
            .fillna(-1)
            .to_numpy(dtype=np.int64),
            "claimant": frame["claimant"].astype("object").to_numpy(),
            "speaker": frame["speaker"].astype("object").to_numpy(),
            "publisher": frame["publisher"].astype("object").to_numpy(),
            "source": frame["source"].astype("object").to_numpy(),
            "summary": frame["section"].astype("object").isin(summary_sections).to_numpy(),
            "section": frame["section"].astype("object").to_numpy(),
            "quote": frame["quote"].astype("object").to_numpy(),
            "written": frame["text"].astype("object").to_numpy(),
            "when": _when_text(frame),
        }
    )
    quantity = df["kind"].to_numpy() == QUANTITY
    df.loc[quantity, "lo"] = df.loc[quantity, "lo"].fillna(-np.inf)
    df.loc[quantity, "hi"] = df.loc[quantity, "hi"].fillna(np.inf)
    df["base"] = None
    _combine_additional(df)
    df = df.merge(subjects, on="subject", how="left", sort=False)
    for col in ("claimant", "speaker", "publisher", "source"):
        df[f"{col}_code"] = _codes(df[col])
    df["interval"] = _interval_texts(
        df["lo"].to_numpy(), df["hi"].to_numpy(), df["kind"].to_numpy()
    )
    df["value_text"] = [
        _value(w, i) for w, i in zip(df["written"].tolist(), df["interval"].tolist(), strict=True)
    ]
    df["subject_kind_code"] = (
        df["subject_kind"].astype(object).map(KIND_CODES).fillna(-1).to_numpy(dtype=np.int64)
    )
    df["start0"] = df["t0"] - (df["ordinal"] - 1)
    df["start1"] = df["t1"] - (df["ordinal"] - 1)
    df = df.sort_values(["subject", "t0", "t1", "claim"], kind="stable", ignore_index=True)
    return df


def _combine_additional(df: pd.DataFrame) -> None:
    additional = df["additional"].to_numpy()
    if not additional.any():
        return
    keys = ["source", "subject", "claimant"]
    bases = df.loc[~additional & (df["kind"] == QUANTITY), [*keys, "claim", "lo", "hi"]]
    bases = bases.drop_duplicates(keys, keep="first")
    adds = df.loc[additional, keys].reset_index().merge(bases, on=keys, how="left")
    adds = adds.set_index("index")
    has_base = adds["claim"].notna()
    idx = adds.index[has_base]
    df.loc[idx, "lo"] = df.loc[idx, "lo"] + adds.loc[has_base, "lo"]
    df.loc[idx, "hi"] = df.loc[idx, "hi"] + adds.loc[has_base, "hi"]
    df.loc[idx, "base"] = adds.loc[has_base, "claim"]
    no_base = adds.index[~has_base]
    df.loc[no_base, "hi"] = np.inf


# -- pair enumeration -------------------------------------------------------------------------


def pair_counts(subject: npt.NDArray[Any]) -> Ints:
    """For each row of a subject-sorted frame, how many later rows share its subject."""
    n = len(subject)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, subject[1:] != subject[:-1]])
    ends = np.r_[starts[1:], n]
    block_end = np.repeat(ends, ends - starts)
    return (block_end - np.arange(n) - 1).astype(np.int64)


def pair_ranges(counts: Ints, max_pairs: int) -> Iterator[tuple[int, int]]:
    """Split the global pair sequence into ``[k0, k1)`` ranges of at most ``max_pairs`` pairs."""
    total = int(counts.sum())
    for k0 in range(0, total, max_pairs):
        yield k0, min(total, k0 + max_pairs)


def pair_indices(counts: Ints, k0: int, k1: int) -> tuple[Ints, Ints]:
    """Row indices ``(i, j)`` of pairs ``k0 .. k1-1`` of the global sequence (``i < j``)."""
    ends = np.cumsum(counts)
    starts = ends - counts
    ks = np.arange(k0, k1, dtype=np.int64)
    i = np.searchsorted(ends, ks, side="right")
    j = i + 1 + (ks - starts[i])
    return i, j


# -- the rules --------------------------------------------------------------------------------


class Pairs:
    """The arrays of one chunk of pairs: each claim column gathered for side a and side b."""

    def __init__(self, claims: pd.DataFrame, i: Ints, j: Ints, policy: Any) -> None:
        self.claims = claims
        self.i = i
        self.j = j
        self.policy = policy
        self._cache: dict[str, Any] = {}

    def a(self, column: str) -> Any:
        key = "a:" + column
        if key not in self._cache:
            self._cache[key] = self.claims[column].to_numpy()[self.i]
        return self._cache[key]

    def b(self, column: str) -> Any:
        key = "b:" + column
        if key not in self._cache:
            self._cache[key] = self.claims[column].to_numpy()[self.j]
        return self._cache[key]

    def same(self, column: str) -> Bools:
        return np.asarray(self.a(column) == self.b(column), dtype=bool)

    def kinds(self, ka: int, kb: int) -> Bools:
        a, b = self.a("kind"), self.b("kind")
        return np.asarray(((a == ka) & (b == kb)) | ((a == kb) & (b == ka)), dtype=bool)

    # quantities
    @property
    def overlap(self) -> Bools:
        return np.asarray((self.a("lo") <= self.b("hi")) & (self.b("lo") <= self.a("hi")))

    @property
    def a_in_b(self) -> Bools:
        return np.asarray((self.b("lo") <= self.a("lo")) & (self.a("hi") <= self.b("hi")))

    @property
    def b_in_a(self) -> Bools:
        return np.asarray((self.a("lo") <= self.b("lo")) & (self.b("hi") <= self.a("hi")))

    @property
    def equal(self) -> Bools:
        return np.asarray(
            (self.a("lo") == self.b("lo"))
            & (self.a("hi") == self.b("hi"))
            & (self.a("additional") == self.b("additional"))
        )

    @property
    def relative_gap(self) -> Floats:
        """How far apart disjoint intervals are, relative to the larger figure (0 if they overlap)."""
        if "gap" not in self._cache:
            with np.errstate(invalid="ignore", divide="ignore"):
                top_lo = np.maximum(self.a("lo"), self.b("lo"))
                gap = top_lo - np.minimum(self.a("hi"), self.b("hi"))
                rel = np.where(gap > 0, gap / np.abs(top_lo), 0.0)
            quantity = self.kinds(QUANTITY, QUANTITY)
            self._cache["gap"] = np.where(quantity, rel, np.nan)
        return np.asarray(self._cache["gap"])

    # time
    @property
    def days_apart(self) -> Floats:
        """Days between the two claims' effective times (0 when their intervals overlap)."""
        if "days" not in self._cache:
            gap = np.maximum(self.b("t0") - self.a("t1"), self.a("t0") - self.b("t1"))
            self._cache["days"] = np.maximum(gap, 0.0)
        return np.asarray(self._cache["days"])

    @property
    def b_later(self) -> Bools:
        return np.asarray(self.b("t0") > self.a("t1"))

    @property
    def comparable(self) -> Bools:
        if "comparable" not in self._cache:
            kinds = np.array([*KIND_CODES, ""], dtype=object)  # by code; -1 (unknown) is last
            by_code = self.policy.time_tolerance(kinds)
            tolerance = by_code[self.a("subject_kind_code")]
            self._cache["comparable"] = np.asarray(self.days_apart <= tolerance)
        return np.asarray(self._cache["comparable"])

    # day counts
    @property
    def start_gap(self) -> Floats:
        gap = np.maximum(self.b("start0") - self.a("start1"), self.a("start0") - self.b("start1"))
        return np.asarray(np.maximum(gap, 0.0))

    # event dates
    @property
    def dates_overlap(self) -> Bools:
        return np.asarray((self.a("d0") <= self.b("d1")) & (self.b("d0") <= self.a("d1")))

    @property
    def dates_nested(self) -> Bools:
        a_in = (self.b("d0") <= self.a("d0")) & (self.a("d1") <= self.b("d1"))
        b_in = (self.a("d0") <= self.b("d0")) & (self.b("d1") <= self.a("d1"))
        return np.asarray(a_in | b_in)

    @property
    def dates_equal(self) -> Bools:
        return np.asarray((self.a("d0") == self.b("d0")) & (self.a("d1") == self.b("d1")))

    # statements
    @property
    def opposite(self) -> Bools:
        a, b = self.a("stance"), self.b("stance")
        out = np.zeros(len(self.i), dtype=bool)
        for x, y in self.policy.opposite_codes:
            out |= ((a == x) & (b == y)) | ((a == y) & (b == x))
        return out

    # provenance
    @property
    def quote_similarity(self) -> Floats:
        """rapidfuzz ratio (0-100) of the quotes, computed for same-publisher pairs only."""
        if "sim" not in self._cache:
            sim = np.full(len(self.i), np.nan)
            same = self.same("publisher_code")
            if same.any():
                sim[same] = process.cpdist(
                    list(self.a("quote")[same]),
                    list(self.b("quote")[same]),
                    scorer=fuzz.ratio,
                    processor=utils.default_process,
                    workers=1,
                )
            self._cache["sim"] = sim
        return np.asarray(self._cache["sim"])

    @property
    def similar_wording(self) -> Bools:
        return np.asarray(np.nan_to_num(self.quote_similarity) >= self.policy.repeat_similarity)

    @property
    def skip_additional_base(self) -> Bools:
        """An additional amount and the base figure it adds to are one statement, not two."""
        return np.asarray((self.a("base") == self.b("claim")) | (self.b("base") == self.a("claim")))


Mask = Callable[[Pairs], Bools]
Explain = Callable[[Pairs, Bools], list[str]]


@attrs.frozen
class Rule:
    """A named condition on pairs, and the verdict and reason it gives where it holds.

    Rules are tried in order; the first that holds for a pair decides it. A rule with verdict
    ``None`` removes the pair (it is not a comparison at all).
    """

    name: str
    verdict: str | None
    when: Mask = attrs.field(repr=False)
    explain: Explain = attrs.field(repr=False)
    description: str = ""


def _vals(p: Pairs, m: Bools, side: str, *columns: str) -> list[tuple[Any, ...]]:
    get = p.a if side == "a" else p.b
    return list(zip(*(get(c)[m].tolist() for c in columns), strict=True))


def _value(written: Any, interval: str) -> str:
    if not isinstance(written, str) or not written:
        return interval
    if written.replace(",", "") == interval.replace(",", ""):
        return f"“{written}”"
    return f"“{written}” ({interval})"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _days_text(days: float) -> str:
    if days == 0:
        return "at the same time"
    return "1 day apart" if days == 1 else f"{days:,.0f} days apart"


def _format_each(values: Floats, fmt: Callable[[float], str]) -> list[str]:
    """``fmt`` of every value, calling it once per distinct value."""
    uniques, inverse = np.unique(values, return_inverse=True)
    texts = np.array([fmt(u) for u in uniques.tolist()], dtype=object)
    result: list[str] = texts[inverse.reshape(-1)].tolist()
    return result


def _explain_quantities(template: str) -> Explain:
    def explain(p: Pairs, m: Bools) -> list[str]:
        a = _vals(p, m, "a", "claimant", "value_text", "when", "source")
        b = _vals(p, m, "b", "claimant", "value_text", "when", "source")
        n = len(a)
        unused = [""] * n
        gaps = _format_each(p.relative_gap[m], _pct) if "{gap" in template else unused
        days = _format_each(p.days_apart[m], _days_text) if "{days" in template else unused
        sims = p.quote_similarity[m].tolist()
        return [
            template.format(
                ca=x[0],
                va=x[1],
                wa=x[2],
                sa=x[3],
                cb=y[0],
                vb=y[1],
                wb=y[2],
                sb=y[3],
                gap=g,
                days=d,
                sim=s,
            )
            for x, y, g, d, s in zip(a, b, gaps, days, sims, strict=True)
        ]

    return explain


def _explain_counts(template: str) -> Explain:
    def explain(p: Pairs, m: Bools) -> list[str]:
        a = _vals(p, m, "a", "claimant", "ordinal", "when", "start0", "start1")
        b = _vals(p, m, "b", "claimant", "ordinal", "when", "start0", "start1")
        gaps = p.start_gap[m].tolist()
        return [
            template.format(
                ca=x[0],
                na=int(x[1]),
                wa=x[2],
                starta=_date_span(x[3], x[4]),
                cb=y[0],
                nb=int(y[1]),
                wb=y[2],
                startb=_date_span(y[3], y[4]),
                gap=f"{g:,.0f}",
            )
            for x, y, g in zip(a, b, gaps, strict=True)
        ]

    return explain


def _date_span(d0: float, d1: float) -> str:
    first = str(_EPOCH + np.timedelta64(int(d0), "D"))
    last = str(_EPOCH + np.timedelta64(int(d1), "D"))
    return first if first == last else f"{first}/{last}"


def _explain_dates(template: str) -> Explain:
    def explain(p: Pairs, m: Bools) -> list[str]:
        a = _vals(p, m, "a", "claimant", "d0", "d1", "source")
        b = _vals(p, m, "b", "claimant", "d0", "d1", "source")
        return [
            template.format(
                ca=x[0],
                da=_date_span(x[1], x[2]),
                sa=x[3],
                cb=y[0],
                db=_date_span(y[1], y[2]),
                sb=y[3],
            )
            for x, y in zip(a, b, strict=True)
        ]

    return explain


def _explain_statements(template: str) -> Explain:
    def explain(p: Pairs, m: Bools) -> list[str]:
        a = _vals(p, m, "a", "claimant", "speaker", "stance", "source", "kind", "value_text")
        b = _vals(p, m, "b", "claimant", "speaker", "stance", "source", "kind", "value_text")
        labels = p.a("label")[m].tolist()
        out = []
        for x, y, label in zip(a, b, labels, strict=True):
            parts = []
            for c in (x, y):
                if c[4] == STATEMENT:
                    speaker = c[1] if c[1] == c[0] else f"{c[1]} (per {c[0]})"
                    parts.append(f"{speaker} {STANCES[c[2]]}")
                else:
                    parts.append(f"{c[0]} gives {c[5]}")
            out.append(
                template.format(first=parts[0], second=parts[1], label=label, sa=x[3], sb=y[3])
            )
        return out

    return explain


def _q(p: Pairs) -> Bools:
    return p.kinds(QUANTITY, QUANTITY)


def _dc(p: Pairs) -> Bools:
    return p.kinds(DAY_COUNT, DAY_COUNT)


def _ev(p: Pairs) -> Bools:
    return p.kinds(EVENT_DATE, EVENT_DATE)


def _st(p: Pairs) -> Bools:
    return p.kinds(STATEMENT, STATEMENT)


def _day_tolerance(p: Pairs) -> Floats:
    return np.asarray(p.policy.day_count_tolerance_days, dtype=np.float64)


RULES: tuple[Rule, ...] = (
    Rule(
        "additional-with-its-base",
        None,
        lambda p: _q(p) & p.skip_additional_base,
        lambda p, m: [""] * int(m.sum()),
        "An additional amount is read together with the figure it adds to, not against it.",
    ),
    Rule(
        "repeat-same-claimant-same-value",
        "repeat",
        lambda p: _q(p) & p.same("claimant_code") & p.equal & p.comparable,
        _explain_quantities(
            "{cb} gives the same figure again, {vb}, in {sb}, as in {sa}: one origin, not "
            "corroboration"
        ),
        "The same claimant gives the same interval again at a comparable time.",
    ),
    Rule(
        "repeat-reused-wording",
        "repeat",
        lambda p: _q(p) & p.same("publisher_code") & p.similar_wording & p.overlap,
        _explain_quantities(
            "the same publisher reuses the wording ({sim:.0f}% similar) of {sa} in {sb}: "
            "{va} and {vb} are one origin"
        ),
        "One publisher reuses near-identical wording across articles.",
    ),
    Rule(
        "repeat-summary-restates-body",
        "repeat",
        lambda p: (
            _q(p)
            & p.same("source_code")
            & (p.a("summary") | p.b("summary"))
            & p.same("claimant_code")
            & p.overlap
        ),
        _explain_quantities("{sa} restates its own figure: {va} and {vb} are one claim"),
        "A headline, standfirst, caption or lede restates a figure of the body.",
    ),
    Rule(
        "update-revised-figure",
        "update",
        lambda p: _q(p) & p.same("claimant_code") & p.b_later & ~p.equal,
        _explain_quantities(
            "{cb} gives {va} as of {wa}, then {vb} as of {wb} ({days}): the later figure "
            "supersedes the earlier"
        ),
        "The same claimant gives a different figure at a later time.",
    ),
    Rule(
        "change-over-time",
        "change",
        lambda p: _q(p) & ~p.same("claimant_code") & ~p.comparable & ~p.overlap,
        _explain_quantities(
            "{ca} gives {va} as of {wa}; {cb} gives {vb} as of {wb}, {days}: too far apart in "
            "time to conflict, and a later figure from another claimant is not a revision of the "
            "first — a change over time"
        ),
        "Disjoint values from different claimants too far apart in time to be a conflict.",
    ),
    Rule(
        "inconsistent-within-source",
        "inconsistent",
        lambda p: (
            _q(p) & p.same("source_code") & p.same("claimant_code") & ~p.overlap & p.comparable
        ),
        _explain_quantities(
            "{sa} gives both {va} and {vb} for the same time ({wa}): the intervals do not "
            "overlap ({gap} gap)"
        ),
        "One source gives incompatible values in its own voice for the same time.",
    ),
    Rule(
        "differ",
        "differ",
        lambda p: _q(p) & ~p.overlap & p.comparable,
        _explain_quantities(
            "{ca} gives {va} (as of {wa}); {cb} gives {vb} (as of {wb}): no overlap, a {gap} "
            "gap, {days}"
        ),
        "Disjoint values from different origins at comparable times.",
    ),
    Rule(
        "refine",
        "refine",
        lambda p: _q(p) & p.overlap & (p.a_in_b | p.b_in_a) & ~p.equal,
        _explain_quantities(
            "{va} from {ca} and {vb} from {cb} are compatible and one interval lies inside the "
            "other: the narrower one is more precise ({days})"
        ),
        "Compatible values where one interval lies inside the other.",
    ),
    Rule(
        "agree",
        "agree",
        lambda p: _q(p) & p.overlap,
        _explain_quantities("{va} from {ca} and {vb} from {cb} overlap ({days})"),
        "Overlapping values from different origins.",
    ),
    Rule(
        "repeat-same-count",
        "repeat",
        lambda p: (
            _dc(p)
            & (p.a("ordinal") == p.b("ordinal"))
            & (np.maximum(p.b("t0") - p.a("t1"), p.a("t0") - p.b("t1")) <= 0)
        ),
        _explain_counts("{cb} gives day {nb} again (as of {wb}), as {ca} did: one count"),
        "The same count on the same date, said again.",
    ),
    Rule(
        "update-count-advances",
        "update",
        lambda p: _dc(p) & (p.start_gap <= _day_tolerance(p)),
        _explain_counts(
            "the count advances from {na} (as of {wa}) to {nb} (as of {wb}); both imply the series "
            "began {startb}"
        ),
        "A day count advancing, consistent with the same start.",
    ),
    Rule(
        "inconsistent-count-start",
        "inconsistent",
        lambda p: _dc(p) & p.same("source_code"),
        _explain_counts(
            "day {na} as of {wa} implies a start on {starta}, but day {nb} as of {wb} implies "
            "{startb}: {gap} days apart within one source"
        ),
        "Two counts of one series in one source that imply different start dates.",
    ),
    Rule(
        "differ-count-start",
        "differ",
        _dc,
        _explain_counts(
            "{ca}'s day {na} as of {wa} implies a start on {starta}; {cb}'s day {nb} as of {wb} "
            "implies {startb}: {gap} days apart"
        ),
        "Counts of one series from different origins that imply different start dates.",
    ),
    Rule(
        "repeat-same-date",
        "repeat",
        lambda p: (
            _ev(p)
            & p.dates_equal
            & (
                p.same("claimant_code")
                | p.same("source_code")
                | (p.same("publisher_code") & p.similar_wording)
            )
        ),
        _explain_dates("{cb} gives the date {db} again, as in {sa}: one origin"),
        "The same date from the same claimant, source or reused wording.",
    ),
    Rule(
        "inconsistent-date",
        "inconsistent",
        lambda p: _ev(p) & ~p.dates_overlap & p.same("source_code"),
        _explain_dates("{sa} dates it both {da} and {db}"),
        "One source gives two dates that cannot both hold.",
    ),
    Rule(
        "differ-date",
        "differ",
        lambda p: _ev(p) & ~p.dates_overlap,
        _explain_dates("{ca} dates it {da}; {cb} dates it {db}: the dates cannot both hold"),
        "Two dates that cannot both hold, from different origins.",
    ),
    Rule(
        "refine-date",
        "refine",
        lambda p: _ev(p) & p.dates_nested & ~p.dates_equal,
        _explain_dates(
            "{da} ({ca}) and {db} ({cb}) are compatible: the narrower date is more precise"
        ),
        "Compatible dates where one lies inside the other.",
    ),
    Rule(
        "agree-date",
        "agree",
        _ev,
        _explain_dates("{ca} and {cb} both date it {da}"),
        "The same date from different origins.",
    ),
    Rule(
        "contradict",
        "contradict",
        lambda p: _st(p) & p.opposite,
        _explain_statements("{first} but {second} that {label}"),
        "Opposite stances on one proposition (asserts against denies).",
    ),
    Rule(
        "contradict-denied-figure",
        "contradict",
        lambda p: (
            p.kinds(STATEMENT, QUANTITY)
            & (
                ((p.a("kind") == STATEMENT) & (p.a("stance") == 1))
                | ((p.b("kind") == STATEMENT) & (p.b("stance") == 1))
            )
        ),
        _explain_statements("{first}, but {second}: {label}"),
        "A statement denying the figures of a quantity subject, against such a figure.",
    ),
    Rule(
        "repeat-same-speaker",
        "repeat",
        lambda p: (
            _st(p)
            & p.same("stance")
            & (p.same("speaker_code") | (p.same("publisher_code") & p.similar_wording))
        ),
        _explain_statements("{first} again ({sb}), as in {sa}: one origin that {label}"),
        "The same speaker taking the same stance again, or reused wording.",
    ),
    Rule(
        "repeat-summary-restates-statement",
        "repeat",
        lambda p: (
            _st(p) & p.same("stance") & p.same("source_code") & (p.a("summary") | p.b("summary"))
        ),
        _explain_statements(
            "{sa} restates in a headline, standfirst, caption or lede what its body reports "
            "({first}; {second}): one origin that {label}"
        ),
        "A headline, standfirst, caption or lede restating a statement of its own article.",
    ),
    Rule(
        "agree-stance",
        "agree",
        lambda p: _st(p) & p.same("stance"),
        _explain_statements("{first} and {second} that {label}"),
        "Different speakers taking the same stance.",
    ),
)
"""The comparison rules, in the order they are tried."""

VERDICTS = ("agree", "refine", "differ", "inconsistent", "update", "change", "repeat", "contradict")


def compare_range(
    claims: pd.DataFrame, counts: Ints, k0: int, k1: int, policy: Any
) -> pd.DataFrame:
    """Compare pairs ``k0 .. k1-1`` of the global sequence of ``claims`` (a prepared frame)."""
    i, j = pair_indices(counts, k0, k1)
    return compare_indices(claims, i, j, policy)


def compare_indices(claims: pd.DataFrame, i: Ints, j: Ints, policy: Any) -> pd.DataFrame:
    """Compare the pairs of rows ``(i[k], j[k])`` of ``claims``; pairs no rule decides are dropped."""
    p = Pairs(claims, i, j, policy)
    n = len(i)
    rule_of = np.full(n, -1, dtype=np.int64)
    undecided = np.ones(n, dtype=bool)
    for r, rule in enumerate(policy.rules):
        if not undecided.any():
            break
        hit = rule.when(p) & undecided
        rule_of[hit] = r
        undecided &= ~hit
    keep = rule_of >= 0
    verdict_of = np.array([rule.verdict for rule in policy.rules] + [None], dtype=object)
    keep &= np.isin(verdict_of[rule_of], list(policy.keep))
    reasons = np.empty(n, dtype=object)
    for r, rule in enumerate(policy.rules):
        m = keep & (rule_of == r)
        if m.any():
            reasons[m] = rule.explain(p, m)
    quantity = p.kinds(QUANTITY, QUANTITY)
    out = pd.DataFrame(
        {
            "claim_a": _objects(p.a("claim")[keep]),
            "claim_b": _objects(p.b("claim")[keep]),
            "subject": _objects(p.a("subject")[keep]),
            "kind": _objects(p.a("subject_kind")[keep]),
            "verdict": _objects(verdict_of[rule_of[keep]]),
            "rule": _objects(
                np.array([rule.name for rule in policy.rules], dtype=object)[rule_of[keep]]
            ),
            "reason": _objects(reasons[keep]),
            "overlap": _overlap_column(p, quantity)[keep],
            "relative_gap": p.relative_gap[keep],
            "days_apart": p.days_apart[keep],
            "same_claimant": p.same("claimant_code")[keep],
            "same_publisher": p.same("publisher_code")[keep],
            "same_source": p.same("source_code")[keep],
            "quote_similarity": np.round(p.quote_similarity[keep], 1),
        }
    )
    return out


def _objects(values: Objects) -> pd.Series[Any]:
    """An object column as it is (pandas would otherwise copy every text into a string array)."""
    return pd.Series(values, dtype=object, copy=False)


def _overlap_column(p: Pairs, quantity: Bools) -> pd.arrays.BooleanArray:
    """Whether the values overlap: for quantities and event dates; missing for other kinds."""
    dates = p.kinds(EVENT_DATE, EVENT_DATE)
    values = np.where(quantity, p.overlap, p.dates_overlap)
    return pd.arrays.BooleanArray(values, ~(quantity | dates))
