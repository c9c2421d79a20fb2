"""The draft claim file as YAML text: the normal format plus a ``draft:`` block per claim.

Written by hand rather than by a YAML dumper so that the layout is the one people write (flow
maps for dates and statements, one key per line) and so that every string is double-quoted
with the escapes YAML needs: control characters, and the characters YAML reads as line breaks
(U+0085, U+2028, U+2029), which a literal would change. Everything else is written as it is:
quotes stay verbatim, curly quotes and thin spaces included.
"""

from __future__ import annotations

import re

from claimtrack.claim import DayCount, Statement
from claimtrack.dates import FuzzyDate
from claimtrack.draft._lexicon import lexicon
from claimtrack.draft._model import Draft, DraftClaim
from claimtrack.errors import ParseError
from claimtrack.quantity import Estimate, Hedge
from claimtrack.subject import SubjectKind

_VALUE_KEY = {
    SubjectKind.QUANTITY: "value",
    SubjectKind.DAY_COUNT: "count",
    SubjectKind.EVENT_DATE: "date",
    SubjectKind.STATEMENT: "statement",
}


_ESCAPE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"\\]')


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in '"\\':
        return "\\" + c
    return f"\\u{ord(c):04x}"


def q(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _date(value: FuzzyDate) -> str:
    if value.written:
        return f"{{date: {q(value.iso())}, written: {q(value.written)}}}"
    return q(value.iso())


def _reads_back(parsed: object, phrase: str) -> bool:
    """Whether loading ``phrase`` reads what was drafted (English phrases do; the hedge widths
    are the loader's policy's, as for every phrase)."""
    try:
        if isinstance(parsed, Estimate):
            again = Estimate.parse(phrase)
            same = (again.hedge, again.value, again.additional)
            if same != (parsed.hedge, parsed.value, parsed.additional):
                return False
            return parsed.hedge is not Hedge.RANGE or (again.low, again.high) == (
                parsed.low,
                parsed.high,
            )
        if isinstance(parsed, DayCount):
            return DayCount.parse(phrase) == parsed
    except ParseError:
        return False
    return False


def _number(x: float | None) -> str:
    if x is None:
        return "null"
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _structured(parsed: object, phrase: str) -> str:
    if isinstance(parsed, DayCount):
        return f"{{ordinal: {parsed.ordinal}, unit: {parsed.unit.value}, text: {q(phrase)}}}"
    assert isinstance(parsed, Estimate)
    parts = [f"low: {_number(parsed.low)}", f"high: {_number(parsed.high)}"]
    if parsed.value is not None:
        parts.append(f"value: {_number(parsed.value)}")
    parts += [f"hedge: {parsed.hedge.value}", f"text: {q(phrase)}"]
    if parsed.additional:
        parts.append("additional: true")
    return "{" + ", ".join(parts) + "}"


def _claim(claim: DraftClaim, restated: bool) -> list[str]:
    lines = [
        f"  - id: {claim.id}",
        f"    subject: {claim.subject}",
        f"    section: {claim.section.value}",
        f"    quote: {q(claim.quote)}",
        f"    claimant: {claim.claimant}",
        f"    via: [{', '.join(claim.via)}]",
    ]
    if claim.as_of is not None:
        lines.append(f"    as_of: {_date(claim.as_of)}")
    key = _VALUE_KEY[claim.kind]
    value = claim.value
    if isinstance(value, Statement):
        lines.append(
            f"    statement: {{speaker: {value.speaker}, stance: {value.stance.value}, "
            f"mode: {value.mode.value}}}"
        )
    elif isinstance(claim.parsed, FuzzyDate):
        lines.append(f"    date: {_date(claim.parsed)}")
    elif not restated or _reads_back(claim.parsed, value):
        lines.append(f"    {key}: {q(value)}")
    else:  # a phrase claimtrack's grammar does not read ("около 500"): what it was read as
        lines.append(f"    {key}: {_structured(claim.parsed, value)}")
    lines += [
        "    draft:",
        f"      rule: {claim.rule}",
        f"      offsets: [{claim.start}, {claim.end}]",
    ]
    if claim.review:
        lines.append("      review:")
        lines += [f"        - {q(item)}" for item in claim.review]
    lines.append("      subjects:")
    for s in claim.subjects:
        if s.new:
            unit = f", unit: {q(s.unit)}" if s.unit else ""
            lines.append(
                f"        - {{id: {s.id}, score: {s.score}, new: true, label: {q(s.label)}{unit}}}"
            )
        else:
            lines.append(f"        - {{id: {s.id}, score: {s.score}}}")
    if claim.repeats:
        lines.append(f"      repeats: [{', '.join(claim.repeats)}]")
    return lines


def to_yaml(draft: Draft) -> str:
    """The claim file of ``draft``."""
    notes = " ".join(draft.notes)
    lines = [
        "# Draft written by `claimtrack draft`: every claim carries a draft block saying which rule",
        "# made it and what to review. Check each claim against the text, fix it, then delete its",
        "# draft block (or the whole claim). Quotes are spans of the text: draft.offsets locate them.",
        "source:",
        f"  id: {draft.source_id}",
        f"  title: {q(draft.title)}",
        f"  publisher: {draft.publisher}",
        f"  published: {q(draft.published.iso())}",
        f"  url: {q(draft.url) if draft.url else 'null'}",
        f"  authors: [{', '.join(q(a) for a in draft.authors)}]",
        f"  language: {draft.language}",
    ]
    if draft.text_file is not None:
        lines.append(f"  text_file: {q(draft.text_file)}")
    lines.append(f"  text_sha256: {draft.text_sha256}")
    if notes:
        lines.append(f"  notes: {q(notes)}")
    lines.append("claims:" if draft.claims else "claims: []")
    restated = lexicon(draft.language).figures == "lexicon"  # figures not read as written
    for claim in draft.claims:
        lines += _claim(claim, restated)
    return "\n".join(lines) + "\n"
