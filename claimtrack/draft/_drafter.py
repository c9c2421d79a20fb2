"""The drafting rules, in order: lay the page out, split sentences and clauses, find figures and
dates, attribute each clause, suggest subjects, link repeats, write the claim file."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable

import attrs
from rapidfuzz import fuzz

from claimtrack.claim import DayCount, Mode, Section, Stance, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate, Precision
from claimtrack.draft import _figures as figures
from claimtrack.draft import _figures_lexicon as lexicon_figures
from claimtrack.draft._attribution import Attributing, Attribution, Clause, slug
from claimtrack.draft._layout import Layout, lay_out
from claimtrack.draft._lexicon import Lexicon
from claimtrack.draft._model import Draft, DraftClaim, NewEntity, SubjectSuggestion
from claimtrack.draft._sentences import sentences
from claimtrack.draft._speakers import Mention, Registry
from claimtrack.draft._subjects import SubjectRanker, words
from claimtrack.draft._write import to_yaml
from claimtrack.entity import EntityKind
from claimtrack.errors import DraftError, ParseError
from claimtrack.quantity import Estimate, HedgePolicy
from claimtrack.subject import SubjectKind

_WORDS = re.compile(r"\w+")

_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)
_SINCE = re.compile(r"^since\s+", re.IGNORECASE)
_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_PRESENT = re.compile(r"^(?:today|this year|(?:in )?recent months)$", re.IGNORECASE)
_RELATIVE_WORDS = re.compile(
    r"\b(?:earlier|ago|before|previous|yesterday|today|last|this|recent)\b", re.IGNORECASE
)
#: Lowest score of an existing subject; below it a new subject is proposed first.
NEW_SUBJECT_BELOW = 0.2
_PLACEHOLDER_PUBLISHER = "unknown-publisher"


class Drafter:
    """Drafts articles against one claims folder (its registries read once)."""

    def __init__(
        self, claims: ClaimSet, lex: Lexicon, policy: HedgePolicy, notes: Iterable[str] = ()
    ) -> None:
        self.claims = claims
        self.lex = lex
        self.policy = policy
        self.folder_notes = tuple(notes)
        self.registry = Registry(claims.entities, lex)
        self.ranker = SubjectRanker(
            claims.subjects,
            lambda text: frozenset(
                m.entity for m in self.registry.mentions(text, 0, len(text)) if m.entity
            ),
        )
        self.existing: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for claim in claims:
            key = (claim.claimant, _value_key(claim.value))
            self.existing.setdefault(key, []).append((claim.id, claim.quote, claim.subject))

    # --- the whole article -------------------------------------------------------------------

    def draft(
        self,
        text: str,
        sha256: str,
        *,
        text_file: str | None,
        published: str | None,
        publisher: str | None,
        url: str | None,
    ) -> Draft:
        layout = lay_out(text, self.lex)
        notes: list[str] = list(self.folder_notes)
        evidence = None
        if published is not None:
            try:
                date = FuzzyDate.parse(published)
            except ParseError as exc:
                raise DraftError("published", str(exc)) from None
        else:
            date, evidence = self._suggest_published(text, layout)
            notes.append(f"Publication date suggested by claimtrack draft: {evidence}.")
        publisher_id, publisher_note = self._publisher(text, layout, publisher)
        if publisher_note:
            notes.append(publisher_note)
        state = _Article(text, date, publisher_id, self, layout)
        state.run()
        title = layout.title or (text.strip().splitlines() or ["untitled"])[0][:120]
        year = date.start.year
        source_id = f"{slug(publisher_id, 2)}-{year}-{slug(title, 5)}"
        claims = state.finish(source_id)
        draft = Draft(
            source_id=source_id,
            title=title,
            publisher=publisher_id,
            published=date,
            text=text,
            text_file=text_file,
            text_sha256=sha256,
            claims=claims,
            published_evidence=evidence,
            url=url,
            authors=layout.authors,
            new_entities=tuple(state.new_entities.values()),
            notes=tuple(notes),
            language=self.lex.language,
        )
        return attrs.evolve(draft, yaml=to_yaml(draft))

    def _suggest_published(self, text: str, layout: Layout) -> tuple[FuzzyDate, str]:
        order = {"published": 0, "timestamp": 1, "updated": 2}
        for kind, line in sorted(layout.stamps, key=lambda s: order[s[0]]):
            found = _page_date(line, self.lex.numeric_date_order, self._dates(line, 0, len(line)))
            if found is not None:
                return found, f'the page\'s {kind} line "{line}"'
        if layout.dateline:
            for d in self._dates(layout.dateline, 0, len(layout.dateline)):
                return attrs.evolve(d.value, written=None), f'the dateline "{layout.dateline}"'
        latest: FuzzyDate | None = None
        phrase = ""
        for block in layout.blocks:
            for d in self._dates(text, block.start, block.end):
                if latest is None or d.value.end > latest.end:
                    latest, phrase = d.value, d.phrase
        today = datetime.date.today()
        if latest is not None and latest.end <= today:
            return (
                FuzzyDate.between(latest.start, today),
                f'no date on the page: after the latest date the text names ("{phrase}"); '
                "narrow it and give it with --published",
            )
        return (
            FuzzyDate.between(datetime.date(1900, 1, 1), today),
            "no date on the page or in the text: give it with --published",
        )

    def _publisher(
        self, text: str, layout: Layout, publisher: str | None
    ) -> tuple[str, str | None]:
        if publisher is not None:
            if publisher not in self.claims.entities:
                suggestions = self.claims.entities.suggest(publisher)
                hint = (
                    f" (did you mean {' or '.join(map(repr, suggestions))}?)" if suggestions else ""
                )
                raise DraftError("publisher", f"unknown entity {publisher!r}{hint}")
            return publisher, None
        candidates: Counter[str] = Counter()
        if layout.dateline_outlet:
            for m in self.registry.mentions(layout.dateline_outlet, 0, len(layout.dateline_outlet)):
                if m.entity and m.kind is EntityKind.ORGANISATION:
                    candidates[m.entity] += 3
        for start, end in layout.chrome:
            for m in self.registry.mentions(text, start, end):
                if m.entity and m.kind is EntityKind.ORGANISATION:
                    candidates[m.entity] += 1
        for told in re.finditer(r"\btold\s+([A-Z][\w/.'’-]+(?:\s+[A-Z][\w/.'’-]+)*)", text):
            for mention in self.registry.mentions(text, told.start(1), told.end(1)):
                if mention.entity and mention.kind is EntityKind.ORGANISATION:
                    candidates[mention.entity] += 2
        if not candidates:
            return _PLACEHOLDER_PUBLISHER, (
                "Publisher not found in the text: give it with --publisher."
            )
        best = candidates.most_common(1)[0][0]
        return best, f"Publisher suggested by claimtrack draft from the page: {best}."

    # --- helpers used per article ------------------------------------------------------------

    def _dates(self, text: str, start: int, end: int) -> list[figures.FoundDate]:
        """The dates of ``text[start:end]`` read without a publication date."""
        if self.lex.figures == "lexicon":
            return lexicon_figures.dates(text, start, end, None, self.lex)
        return figures.dates(text, start, end, None)

    def repeats(self, claimant: str, value: object, quote: str) -> list[tuple[str, str]]:
        found = []
        for claim_id, other_quote, subject in self.existing.get((claimant, _value_key(value)), []):
            if fuzz.ratio(quote, other_quote) >= 85 or fuzz.partial_ratio(quote, other_quote) >= 95:
                found.append((claim_id, subject))
        return found


def _value_key(value: object) -> str:
    if isinstance(value, Estimate):
        return f"q:{value.low}:{value.high}:{value.additional}"
    if isinstance(value, DayCount):
        return f"c:{value.ordinal}:{value.unit.value}"
    if isinstance(value, FuzzyDate):
        return f"d:{value.start}:{value.end}"
    if isinstance(value, Statement):
        return f"s:{value.speaker}:{value.stance.value}"
    return repr(value)


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})(?!\d)")


def _page_date(line: str, order: str, found: list[figures.FoundDate]) -> FuzzyDate | None:
    """A page's own date line: "06/27/2022, 10.01", "Published 3 September 2019"."""
    m = _NUMERIC_DATE.search(line)
    if m is not None:
        a, b, c = (int(g) for g in m.groups())
        if a > 31:  # year first
            readings = [(a, b, c)]
        else:
            year = c + 2000 if c < 100 else c
            mdy, dmy = (year, a, b), (year, b, a)
            readings = [dmy] if a > 12 else [mdy] if b > 12 else [mdy if order == "mdy" else dmy]
        for y, mo, d in readings:
            try:
                return FuzzyDate.day(datetime.date(y, mo, d))
            except ValueError:
                continue
    for m2 in found:
        if m2.value.precision is not Precision.RANGE:
            return attrs.evolve(m2.value, written=None)
    return None


class _Article(Attributing):
    """The state of one article's drafting."""

    def __init__(
        self, text: str, published: FuzzyDate, publisher: str, drafter: Drafter, layout: Layout
    ) -> None:
        self.text = text
        self.published = published
        self.publisher = publisher
        self.d = drafter
        self.lex = drafter.lex
        self.registry = drafter.registry
        self.layout = layout
        self.out: list[tuple[DraftClaim, str]] = []  # (claim, slug)
        self.new_entities: dict[str, NewEntity] = {}
        self.last: dict[EntityKind, str] = {}
        self.context = {
            w.lower() for b in layout.blocks for w in _WORDS.findall(text, b.start, b.end)
        }
        self.seen_quotes: set[tuple[str, str]] = set()
        self.sentence_words: set[str] = set()
        self.mentions: list[Mention] = []

    def run(self) -> None:
        for block in self.layout.blocks:
            for s, e in sentences(self.text, block.start, block.end):
                if any(p.search(self.text[s:e]) for p in self.lex.not_claims):
                    continue
                self.sentence(s, e, block.section)

    # --- one sentence ------------------------------------------------------------------------

    def sentence(self, start: int, end: int, section: Section) -> None:
        text = self.text
        clauses = _clauses(text, start, end, self.lex.clause_pattern)
        if self.lex.figures == "lexicon":
            dates = lexicon_figures.dates(text, start, end, self.published, self.lex)
            counts = lexicon_figures.day_counts(text, start, end, self.lex)
        else:
            dates = figures.dates(text, start, end, self.published)
            counts = figures.day_counts(text, start, end)
        dates += figures.weekdays(text, start, end, self.published, self.lex)
        taken = [(f.start, f.end) for f in dates + counts]
        find = lexicon_figures.quantities if self.lex.figures == "lexicon" else figures.quantities
        amounts = find(text, start, end, self.d.policy, self.lex, taken)
        mentions = self.d.registry.mentions(
            text, start, end, new_names=section is not Section.HEADLINE
        )
        self.sentence_words = {w.lower() for w in _WORDS.findall(text, start, end)}
        self.mentions = mentions
        attributions = {c: self.attribute(c, mentions) for c in clauses}
        for mention in mentions:
            if mention.entity is not None and mention.kind is not EntityKind.PLACE:
                self.last[mention.kind] = mention.entity
        figure_made = False
        used_dates: set[int] = set()
        for found in counts + amounts:
            clause = _within(clauses, found.start)
            attribution = attributions[clause]
            if (
                attribution is not None
                and attribution.rule != "cue.according-to"
                and not attribution.inverted
                and found.start < attribution.cue_end
                and not (self.lex.speaker_first and found.start >= attribution.speaker_start)
            ):
                attribution = None  # the outlet's figure, not what the speaker said
            as_of, stated = self._as_of(found, dates, clause, attribution)
            if as_of is not None and isinstance(found.value, DayCount):
                used_dates.add(as_of[1])
            kind = (
                SubjectKind.DAY_COUNT if isinstance(found.value, DayCount) else SubjectKind.QUANTITY
            )
            review = []
            if as_of is None:
                as_of_date = self.published
                review.append("as_of: the publication date, as the text gives no date for it")
            else:
                as_of_date = as_of[0]
                review += _relative_review(as_of_date)
            if isinstance(found.value, Estimate) and found.value.additional:
                review.append(
                    "an additional amount ('more', 'another'): keep it on its own subject"
                )
            self.add(
                kind=kind,
                clause=clause,
                section=section,
                value=found.phrase,
                parsed=found.value,
                unit=found.unit,
                attribution=attribution,
                rule="figure.day-count" if kind is SubjectKind.DAY_COUNT else "figure.quantity",
                as_of=as_of_date,
                review=review,
                mentions=mentions,
            )
            figure_made = True
            del stated
        for n, when in enumerate(dates):
            if n in used_dates or _PRESENT.match(when.restated or when.phrase):
                continue
            clause = _within(clauses, when.start)
            attribution = attributions[clause]
            if attribution is not None and 0 <= when.start - attribution.cue_end <= 2:
                continue  # "said last year": when it was said, not an event
            if (
                attribution is not None
                and attribution.rule != "cue.according-to"
                and not attribution.inverted
                and when.start < attribution.cue_end
                and not (self.lex.speaker_first and when.start >= attribution.speaker_start)
            ):
                attribution = None  # the outlet dates the event, not the speaker
            parsed = when.value
            if _SINCE.match(when.phrase):  # "since 2016": the event began in 2016
                try:
                    began = FuzzyDate.parse(_SINCE.sub("", when.phrase), reference=self.published)
                    parsed = attrs.evolve(began, written=when.phrase)
                except ParseError:
                    pass
            self.add(
                kind=SubjectKind.EVENT_DATE,
                clause=clause,
                section=section,
                value=when.phrase,
                parsed=parsed,
                unit=None,
                attribution=attribution,
                rule="figure.event-date",
                as_of=None,
                review=["which event this dates", *_relative_review(when.value)],
                mentions=mentions,
            )
            figure_made = True
        for clause in clauses:
            attribution = attributions[clause]
            if attribution is not None and attribution.participle and not figure_made:
                # "Police have dismantled a tent of protesters demanding ...": the outlet
                # reports the main verb; the participle's speaker demands.
                self._outlet_statement(clause, section, mentions)
            if attribution is None:
                if figure_made or len(clauses) > 1:
                    continue
                if len(_WORDS.findall(text, clause.start, clause.end)) < 5:
                    continue
            mode = Mode.DIRECT
            if attribution is not None and attribution.speaker != self.publisher:
                content = (
                    text[clause.start : attribution.cue_end]
                    if attribution.inverted
                    else text[attribution.cue_end : clause.end]
                )
                mode = Mode.DIRECT if _QUOTE_MARKS.search(content) else Mode.PARAPHRASE
            speaker = attribution.speaker if attribution else self.publisher
            stance = attribution.stance if attribution else Stance.ASSERTS
            statement = Statement(speaker, stance, mode)
            review = ["stance: asserts and denies are relative to the subject's proposition"]
            self.add(
                kind=SubjectKind.STATEMENT,
                clause=clause,
                section=section,
                value=statement,
                parsed=statement,
                unit=None,
                attribution=attribution,
                rule=attribution.rule if attribution else "statement.unattributed",
                as_of=None,
                review=review,
                mentions=mentions,
                quote_from=attribution.speaker_start if attribution else None,
            )

    def _outlet_statement(self, clause: Clause, section: Section, mentions: list[Mention]) -> None:
        statement = Statement(self.publisher, Stance.ASSERTS, Mode.DIRECT)
        self.add(
            kind=SubjectKind.STATEMENT,
            clause=clause,
            section=section,
            value=statement,
            parsed=statement,
            unit=None,
            attribution=None,
            rule="statement.unattributed",
            as_of=None,
            review=["stance: asserts and denies are relative to the subject's proposition"],
            mentions=mentions,
        )

    def _as_of(
        self,
        found: figures.Found,
        dates: list[figures.FoundDate],
        clause: Clause,
        attribution: Attribution | None,
    ) -> tuple[tuple[FuzzyDate, int] | None, FuzzyDate | None]:
        best: tuple[int, int] | None = None
        for n, d in enumerate(dates):
            if not clause.start <= d.start < clause.end or _PRESENT.match(d.restated or d.phrase):
                continue
            distance = abs(d.start - found.start)
            if best is None or distance < best[0]:
                best = (distance, n)
        if best is None:
            return None, None
        return (dates[best[1]].value, best[1]), None

    # --- attribution -------------------------------------------------------------------------

    # --- claims ------------------------------------------------------------------------------

    def add(
        self,
        *,
        kind: SubjectKind,
        clause: Clause,
        section: Section,
        value: str | Statement,
        parsed: Estimate | DayCount | FuzzyDate | Statement,
        unit: str | None,
        attribution: Attribution | None,
        rule: str,
        as_of: FuzzyDate | None,
        review: list[str],
        mentions: list[Mention],
        quote_from: int | None = None,
    ) -> None:
        start = clause.start
        if quote_from is not None and clause.end - quote_from >= 40:
            start = max(clause.start, quote_from)
        start, end = _trim(self.text, start, clause.end)
        quote = self.text[start:end]
        claimant = attribution.claimant if attribution else self.publisher
        key = (quote, _value_key(parsed))
        if key in self.seen_quotes:
            return
        self.seen_quotes.add(key)
        review = [*(attribution.review if attribution else []), *review]
        entities = frozenset(m.entity for m in mentions if m.entity)
        suggestions = self.d.ranker.rank(kind, quote, unit, entities)
        repeats = self.d.repeats(claimant, parsed, quote)
        if repeats:
            subject = repeats[0][1]
            suggestions = [
                SubjectSuggestion(subject, 1.0, self.d.claims.subjects[subject].label),
                *(s for s in suggestions if s.id != subject),
            ][:3]
            review.append("repeats " + ", ".join(r[0] for r in repeats))
        if not suggestions or suggestions[0].score < NEW_SUBJECT_BELOW:
            label = " ".join(quote.split()[:12])
            new = SubjectSuggestion(_new_subject_id(quote), 0.0, label, new=True, unit=unit)
            suggestions = [new, *suggestions][:4]
            review.append(f"no existing subject fits: a new {kind.value} subject is proposed")
        claim = DraftClaim(
            id="",
            kind=kind,
            quote=quote,
            start=start,
            end=end,
            claimant=claimant,
            value=value,
            parsed=parsed,
            rule=rule,
            section=section,
            via=attribution.via if attribution else (),
            as_of=as_of,
            review=tuple(dict.fromkeys(review)),
            subjects=tuple(suggestions),
            repeats=tuple(r[0] for r in repeats),
        )
        label = value.stance.value if isinstance(value, Statement) else value
        self.out.append((claim, slug(f"{label} {' '.join(words(quote)[:4])}", 8)))

    def finish(self, source_id: str) -> tuple[DraftClaim, ...]:
        used: Counter[str] = Counter()
        claims = []
        for claim, name in self.out:
            used[name] += 1
            suffix = f"-{used[name]}" if used[name] > 1 else ""
            claims.append(attrs.evolve(claim, id=f"{source_id}:{name}{suffix}"))
        return tuple(claims)


def _new_subject_id(quote: str) -> str:
    return "new-" + slug(" ".join(words(quote)[:5]), 5)


def _relative_review(date: FuzzyDate) -> list[str]:
    if date.written and _RELATIVE_WORDS.search(date.written):
        return [
            f"'{date.written}' resolved against the publication date: check it is not relative "
            "to another date in the text"
        ]
    if date.written and _WEEKDAY.search(date.written):
        return [
            f"'{date.written}' taken as the latest such day up to publication (the next one when "
            "the clause speaks of the future): check it"
        ]
    if date.written:
        return [f"'{date.written}' resolved to the nearest such date before or after publication"]
    return []


def _clauses(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[Clause]:
    clauses = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() - pos >= 20 and end - m.end() >= 20:
            clauses.append(Clause(pos, m.start(), Section.BODY))
            pos = m.end()
    clauses.append(Clause(pos, end, Section.BODY))
    return clauses


def _within(clauses: list[Clause], at: int) -> Clause:
    for clause in clauses:
        if clause.start <= at < clause.end:
            return clause
    return clauses[-1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
