"""Hypothesis strategies shared by the tests, one place for each domain value, as attrs keeps
them in ``tests/strategies.py``.

Every strategy builds values through claimtrack's public names only, so an example that a
strategy draws is one a user could write. Strategies that one test file needs for itself alone
stay in that file.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from claimtrack import (
    Attribution,
    Claim,
    ClaimSet,
    DayCount,
    Entity,
    EntityIndex,
    Estimate,
    FuzzyDate,
    Hedge,
    Source,
    Stance,
    Statement,
    Subject,
)

# --- ids and texts -----------------------------------------------------------------------------

#: Ids as the id rules allow them: a lowercase letter or digit, then letters, digits and dashes.
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)

#: Characters YAML folds, normalises or cannot write plainly: each must come back as it was.
YAML_ODD_CHARACTERS = [
    "\x85",
    "\u2028",
    "\u2029",
    "\xa0",
    "\t",
    "\r",
    "\n",
    " ",
    "\ufeff",
    "\x00",
    "\x1b",
    "'",
    '"',
]

#: Non-blank texts for quotes, titles and notes: any UTF-8 text, text full of the characters
#: YAML handles specially (:data:`YAML_ODD_CHARACTERS`), and long texts that YAML would fold.
texts = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.text(
        st.sampled_from(YAML_ODD_CHARACTERS) | st.characters(codec="utf-8"),
        min_size=1,
        max_size=40,
    ),
    st.text(st.sampled_from(["a", " ", "\n", "é"]), min_size=200, max_size=400),
).filter(lambda s: s.strip() != "")

# --- dates -------------------------------------------------------------------------------------

#: Days of the years news reports are about.
days = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    """A day, month, year or range of up to 900 days (drawn from :data:`days`), kept as written
    in a dating phrase, in any text, or not written at all."""
    kind = draw(st.sampled_from(["day", "month", "year", "range"]))
    d = draw(days)
    if kind == "day":
        value = FuzzyDate.day(d)
    elif kind == "month":
        value = FuzzyDate.month(d.year, d.month)
    elif kind == "year":
        value = FuzzyDate.year(d.year)
    else:
        value = FuzzyDate.between(d, d + dt.timedelta(days=draw(st.integers(1, 900))))
    written = draw(st.none() | st.sampled_from(["last year", "a day earlier", "in April"]) | texts)
    return value if written is None else FuzzyDate(value.start, value.end, value.precision, written)


# --- estimates ---------------------------------------------------------------------------------

#: Non-negative figures: whole numbers and numbers of two decimals, up to a billion.
numbers = st.integers(0, 10**9) | st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 2))

#: Figures as reports phrase them: hedged, vague, ranges, words and digits.
HEDGED_PHRASES = [
    "an estimated 1 million",
    "as many as 2 million",
    "at least 16",
    "more than 400,000",
    "nearly two million",
    "some 1.5 million",
    "about 100",
    "hundreds",
    "dozens",
    "tens of thousands",
    "millions more",
    "between 900,000 and 1.8 million",
    "eight",
    "a dozen",
    "55",
    "1.8 million",
    "2m",
]
hedged_phrases = st.sampled_from(HEDGED_PHRASES)


@st.composite
def estimates(draw: st.DrawFn) -> Estimate:
    """Any estimate a claim file can hold: a parsed :data:`hedged_phrases` phrase, an exact
    figure with its central value, or bounds (one or both) with any hedge, unit, text and the
    ``additional`` flag."""
    if draw(st.booleans()):
        phrase = draw(hedged_phrases)
        return Estimate.parse(phrase, unit=draw(st.none() | st.just("facilities")))
    if draw(st.booleans()):  # {value: 55, unit: ..., text: "55"}: exact, with a central value
        x = draw(numbers)
        return Estimate(
            low=x,
            high=x,
            value=x,
            unit=draw(st.none() | st.just("facilities")),
            text=draw(st.none() | st.just(str(x)) | texts),
        )
    a, b = sorted([draw(numbers), draw(numbers)])
    low = draw(st.none() | st.just(a))
    high = draw(st.just(b) if low is None else st.none() | st.just(b))
    return Estimate(
        low=low,
        high=high,
        value=None,
        hedge=draw(st.sampled_from(list(Hedge))),
        unit=draw(st.none() | st.just("people")),
        text=draw(st.none() | texts),
        additional=draw(st.booleans()),
    )


#: Where a measured unit goes in a phrase: ``{h}`` is the hedge, ``{n}`` the number; the unit
#: each form is read in, and whether it takes digits only ("10%", not "ten%").
UNIT_FORMS: list[tuple[str, str, bool]] = [
    ("{h}${n}", "USD", False),
    ("{h}US${n}", "USD", True),
    ("{h}€{n}", "EUR", True),
    ("{h}£{n}", "GBP", True),
    ("{h}{n} dollars", "USD", False),
    ("{h}{n} US dollars", "USD", False),
    ("{h}{n} tenge", "KZT", False),
    ("USD {h}{n}", "USD", True),
    ("{h}{n}%", "percent", True),
    ("{h}{n} per cent", "percent", False),
    ("{h}{n} percent", "percent", False),
    ("{h}{n} hours", "hours", False),
    ("{h}{n} days", "days", False),
    ("{h}{n}-day", "days", False),
    ("{h}{n} weeks", "weeks", False),
    ("{h}{n} months", "months", False),
    ("{h}{n}-month", "months", False),
    ("{h}{n} years", "years", False),
    ("{h}{n}-year", "years", False),
    ("{h}{n}-year-old", "years of age", False),
    ("{h}{n} years old", "years of age", False),
    ("aged {h}{n}", "years of age", False),
    ("{h}{n} months old", "months of age", False),
]
_UNIT_HEDGES = ["", "about ", "some ", "nearly ", "almost ", "at least ", "up to ", "more than "]
_DIGITS = st.integers(0, 10**6).map(str) | st.integers(1000, 10**6).map(lambda n: f"{n:,}")
_WORDS = st.sampled_from(["two", "fifteen", "twenty-five", "a dozen", "1.5 million", "2.5"])


@st.composite
def measured_phrases(draw: st.DrawFn, measure: str | None = None) -> tuple[str, str, str]:
    """A hedged figure with a unit, the same figure without it, and the unit it is read in:
    ``("about $300", "about 300", "USD")``; only units of ``measure`` (a
    :class:`claimtrack.units.Measure`) when given."""
    from claimtrack.units import measured_unit

    forms = [
        f
        for f in UNIT_FORMS
        if measure is None or measured_unit(f[1]).measure == measure  # type: ignore[union-attr]
    ]
    form, unit, digits = draw(st.sampled_from(forms))
    hedge = draw(st.sampled_from(_UNIT_HEDGES))
    number = draw(_DIGITS if digits else _DIGITS | _WORDS)
    return form.format(h=hedge, n=number), f"{hedge}{number}", unit


@st.composite
def interval_estimates(draw: st.DrawFn, high: int = 1000) -> Estimate:
    """Bare intervals for the comparison laws: a closed range, "up to" or "at least", with
    bounds from 0 to ``high``."""
    bounds = st.integers(0, high)
    a, b = sorted([draw(bounds), draw(bounds)])
    shape = draw(st.sampled_from(["closed", "up_to", "at_least"]))
    if shape == "up_to":
        return Estimate(None, b, hedge="up_to")
    if shape == "at_least":
        return Estimate(a, None, hedge="at_least")
    return Estimate(a, b, hedge="range")


# --- day counts ------------------------------------------------------------------------------

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth"}
_IRREGULAR |= {"eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _cardinal_words(n: int) -> list[str]:
    """English words for 1 <= n < 1000, as a list whose last item may be made ordinal."""
    words: list[str] = []
    if n >= 100:
        words += [_UNITS[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_UNITS[n % 10]}" if n % 10 else ""))
    elif n >= 10:
        words.append(_TEENS[n - 10])
    elif n:
        words.append(_UNITS[n])
    return words


def _ordinal_word(word: str) -> str:
    head, _, last = word.rpartition("-")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}-{last}" if head else last


def ordinal_words(n: int) -> str:
    """ "twenty-first", "one hundred fifth", "three hundredth"."""
    words = _cardinal_words(n)
    return " ".join([*words[:-1], _ordinal_word(words[-1])])


def ordinal_digits(n: int) -> str:
    """ "1st", "22nd", "113th"."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@st.composite
def day_count_phrases(draw: st.DrawFn) -> tuple[str, int, str]:
    """A day count as reports write it ("for the 21st day", "Twenty-first night", "THE 113TH
    DAY", with a plain or a no-break space), and the ordinal and unit it says: (text, n, unit)."""
    n = draw(st.integers(1, 999) | st.integers(1, 10**6))
    number = (
        draw(st.sampled_from([ordinal_digits, ordinal_words]))(n) if n < 1000 else ordinal_digits(n)
    )
    unit = draw(st.sampled_from(["day", "night"]))
    lead = draw(
        st.sampled_from(["", "the ", "a ", "for the ", "on the ", "into the ", "after the "])
    )
    form = draw(st.sampled_from(["{lead}{number} {unit}", "{lead}{number}\u00a0{unit}"]))
    text = form.format(lead=lead, number=number, unit=unit)
    return draw(st.sampled_from([text, text.capitalize(), text.upper()])), n, unit


# --- claims and claim sets ---------------------------------------------------------------------

#: The claimants, speakers and publishers of :func:`claim_sets`.
ENTITIES = [
    Entity("rferl", "Radio Free Europe/Radio Liberty", "organisation", ("RFE/RL",)),
    Entity("un", "United Nations", "organisation"),
    Entity("china", "Chinese government", "organisation", ("Beijing",)),
]
#: One subject of each kind (and one compared by occasion), by id, for :func:`claim_sets`.
SUBJECTS = {
    s.id: s
    for s in [
        Subject("people", "People detained", "quantity", "How many. Not a population.", "people"),
        Subject("days", "Days of a protest", "day_count", "Days of one protest. Not nights."),
        Subject("start", "Start of the protest", "event_date", "When it began.", None, "days"),
        Subject("camps", "Camps are coercive", "statement", "The proposition. Not a number."),
        Subject(
            "crowd", "Crowd on a day", "quantity", "On one day.", "people", None, "by_occasion"
        ),
        Subject("term", "A prison term", "quantity", "How long. Not an age.", "years"),
    ]
}


@st.composite
def claims(draw: st.DrawFn, source: str, n: int) -> Claim:
    """Claim ``{source}:c{n}`` about one of :data:`SUBJECTS`: an estimate (a count, or a duration
    in years read from a phrase in any unit of time), a day count, a start date or a statement,
    with every optional field drawn too."""
    kind = draw(st.sampled_from(["people", "days", "start", "camps", "term"]))
    value: object
    if kind == "people":
        value = draw(estimates())
    elif kind == "term":  # a duration in any unit, loaded in the subject's (years)
        value = Estimate.parse(draw(measured_phrases("duration"))[0], unit="years")
    elif kind == "days":
        value = DayCount(
            draw(st.integers(1, 2000)),
            draw(st.sampled_from(["day", "night"])),
            draw(st.none() | st.sampled_from(["a 20th night", "the 500th day"]) | texts),
        )
    elif kind == "start":
        value = draw(fuzzy_dates())
    else:
        speakers = draw(
            st.lists(st.sampled_from(["un", "china", "rferl"]), min_size=1, unique=True)
        )
        value = Statement(
            speakers[0],
            draw(st.sampled_from(list(Stance))),
            draw(st.sampled_from(["direct", "paraphrase"])),
            speakers[1:],
        )
    claimants = draw(st.lists(st.sampled_from(["rferl", "un", "china"]), min_size=1, unique=True))
    return Claim(
        id=f"{source}:c{n}",
        subject=kind,
        source=source,
        quote=draw(texts),
        claimant=claimants[0],
        co_claimants=claimants[1:],
        attribution=draw(st.none() | st.sampled_from(list(Attribution))),
        value=value,  # type: ignore[arg-type]
        via=draw(st.lists(st.sampled_from(["rferl", "un"]), max_size=2)),
        as_of=draw(st.none() | fuzzy_dates()),
        stated=draw(st.none() | fuzzy_dates()),
        section=draw(st.sampled_from(["headline", "standfirst", "caption", "lede", "body"])),
        notes=draw(st.none() | texts),
    )


@st.composite
def claim_sets(draw: st.DrawFn) -> ClaimSet:
    """One to three sources (a later one may republish an earlier one), each with up to four
    :func:`claims`, over :data:`SUBJECTS` and :data:`ENTITIES`: any claim set a claim file can
    hold."""
    source_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    sources = {}
    all_claims: list[Claim] = []
    for sid in source_ids:
        sources[sid] = Source(
            id=sid,
            title=draw(texts),
            publisher="rferl",
            published=draw(fuzzy_dates().filter(lambda d: d.written is None)),
            url=draw(st.none() | st.just("https://example.org/a")),
            authors=draw(st.lists(texts, max_size=2)),
            language=draw(st.sampled_from(["en", "kk"])),
            text_file=draw(st.none() | st.just("a.txt")),
            text_sha256=draw(st.none() | st.just("ab" * 32)),
            notes=draw(st.none() | texts),
            republishes=draw(st.none() | st.sampled_from(list(sources) or [None])),  # no cycle
        )
        for n in range(draw(st.integers(0, 4))):
            all_claims.append(draw(claims(sid, n)))
    return ClaimSet(all_claims, sources, SUBJECTS, EntityIndex(ENTITIES))


# --- hostile output texts ---------------------------------------------------------------------

#: Terminal escape, control, bidi and invisible sequences by name: none may reach a terminal raw.
TERMINAL_SEQUENCES = {
    "csi clear": "\x1b[2J\x1b[H",
    "sgr colour": "\x1b[31mred\x1b[0m",
    "osc title": "\x1b]0;pwned\x07",
    "osc 8 link": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c1 csi": "\x9b2J",
    "bell": "ding\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "carriage return": "good\rbad",
    "del": "a\x7fb",
    "nel": "a\x85b",
    "bidi override": "\u202eevil\u202c",
    "bidi isolate": "\u2066abc\u2069",
    "zero width": "a\u200bb\u200dc\ufeffd",
    "line separator": "a\u2028b",
}

#: Pieces of terminal, HTML and Markdown syntax that output must escape.
HOSTILE_PIECES = st.sampled_from(
    [
        *TERMINAL_SEQUENCES.values(),
        "<script>",
        "</td>",
        "| x |",
        "$\\frac{$",
        "&amp;",
        "`",
        "\\",
        "# ",
        "- ",
        "1. ",
        "_",
        "*",
        "[a](javascript:x)",
        "\n",
        "\t",
    ]
)
#: Control, format, separator, punctuation, symbol, letter and combining characters.
HOSTILE_CHARS = st.characters(
    codec="utf-8",
    categories=("Cc", "Cf", "Zl", "Zp", "Zs", "Po", "Sm", "Ll", "Lo", "Mn"),
)
#: Non-blank texts of up to eight :data:`HOSTILE_PIECES` and :data:`HOSTILE_CHARS`, for any text
#: field that reaches a report, a table or a terminal.
hostile_texts = (
    st.lists(st.one_of(HOSTILE_PIECES, HOSTILE_CHARS), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda text: bool(text.strip()))
)


# --- hostile claim files -----------------------------------------------------------------------

#: Pieces of hostile YAML: anchors, aliases, tags, merge and complex keys, nesting, odd bytes.
HOSTILE_YAML = [
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "!!str ",
    "!!timestamp 2021-02-30",
    "!!python/object:os.system {a: 1}",
    "!foo ",
    "! ",
    "!!binary aGVsbG8=",
    "<<: *a\n",
    "<<: {x: 1}\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 2\n",
    "[" * 60 + "]" * 60,
    "{a: " * 60 + "}" * 60,
    "[" * 1200,
    "9" * 400,
    "9" * 5000,
    "1.0e+400",
    "-".join(["1"] * 300),
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\ud7ff",
    "\t",
    "\r",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG !e! tag:example.com,2000:\n",
    "'unclosed",
    '"\\x00 \\uD800"',
    "@",
    "`",
    "{",
    "]",
    ": :",
    "- - -",
    "Unіted Nations",
]
#: Encodings a claim file may come in; the loader must refuse or read each one.
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1"]


@st.composite
def hostile_files(draw: st.DrawFn, base: str) -> bytes:
    """``base`` with pieces of :data:`HOSTILE_YAML` (or any short text) spliced in at random
    places, in one of :data:`ENCODINGS` (mostly UTF-8), maybe with random bytes thrown in."""
    text = base
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(HOSTILE_YAML) | st.text(max_size=8))
        text = text[:at] + piece + text[at:]
    encoding = draw(st.sampled_from(ENCODINGS + ["utf-8"] * 6))
    raw = text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    return raw


# --- hot subjects -------------------------------------------------------------------------------


@st.composite
def hot_claim_sets(draw: st.DrawFn) -> ClaimSet:
    """Claim sets with hot subjects: many claims repeating a few figures (up to six claims drawn
    by :func:`claims`, with times from a pool of up to three and small intervals, each said
    again and again), over up to four sources of one or two
    publishers whose publication days may coincide, so that repeats interleave in time and in
    claim id order; quotes from a small pool (reused wordings), sections that summarise or leave
    a claim undated, additional amounts, day counts, start dates and statements as
    :func:`claims` draws them."""
    source_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    published = draw(
        st.lists(fuzzy_dates().filter(lambda d: d.written is None), min_size=1, max_size=2)
    )
    sources = {
        sid: Source(
            id=sid,
            title="a report",
            publisher=draw(st.sampled_from(["rferl", "un"])),
            published=draw(st.sampled_from(published)),
        )
        for sid in source_ids
    }
    times = draw(st.lists(st.none() | fuzzy_dates(), min_size=1, max_size=3))
    templates = []
    for k in range(draw(st.integers(1, 6))):
        drawn = claims(source_ids[0], k)
        template = draw(drawn.filter(lambda c: c.subject == "people") | drawn)
        changes: dict[str, object] = {"as_of": draw(st.sampled_from(times))}
        if draw(st.booleans()):
            changes["stated"] = None
        if template.subject != "camps" and draw(st.booleans()):
            changes |= {"claimant": draw(st.sampled_from(["un", "china"])), "co_claimants": ()}
        if template.subject == "people" and draw(st.booleans()):
            value = draw(interval_estimates(high=10))
            changes["value"] = attrs.evolve(value, additional=draw(st.booleans()))
        templates.append(attrs.evolve(template, **changes))
    wordings = ["as many as 2 million people are held", "as many as 2 million people held"]
    numbers = draw(st.lists(st.integers(0, 999), min_size=4, max_size=30, unique=True))
    members = []
    for number in numbers:
        template = draw(st.sampled_from(templates))
        sid = draw(st.sampled_from(source_ids))
        quote = draw(st.sampled_from([template.quote, template.quote, *wordings]))
        same = template.section.value
        section = draw(st.sampled_from([same, same, same, "body", "caption"]))
        members.append(
            attrs.evolve(template, id=f"{sid}:c{number}", source=sid, quote=quote, section=section)
        )
    return ClaimSet(members, sources, SUBJECTS, EntityIndex(ENTITIES))
