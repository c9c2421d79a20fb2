"""Who says it: the reporting cue of a clause, its speaker, and what the speaker does.

The speaker of a cue ("X said", "X denies", "according to X", "..., X said") is the nearest
person, organisation or group before it in its clause that is no possessor ("China's financial
assistance") and no object of a preposition ("met with the protesters"); else a pronoun's last
antecedent; else, for "..., X said.", the name after the cue. Unnamed collectives resolve to the
registry's group by their head noun and the words around them; names the registry does not know
are proposed as new entities.
"""

from __future__ import annotations

import re

import attrs
from anyascii import anyascii

from claimtrack.claim import Section, Stance
from claimtrack.draft._lexicon import Lexicon
from claimtrack.draft._model import NewEntity
from claimtrack.draft._speakers import Cue, Mention, Registry, according_to, cues
from claimtrack.entity import EntityKind

_WORD_CHAR = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_APOSTROPHE_WORD = re.compile(r"[\w'’]+")
_BEFORE_INVERTED = re.compile(r"[,”\"]\s*(?:the\s+)?$")
_CUE_AFTER_COMMA = re.compile(r"[,”\"»]\s*$")

_SLUG = re.compile(r"[^a-z0-9]+")

_QUANTIFIERS = frozenset(
    [
        "some",
        "many",
        "one",
        "two",
        "three",
        "several",
        "most",
        "all",
        "none",
        "each",
        "few",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "scores",
        "tens",
        "group",
        "number",
        "lot",
        "majority",
    ]
)
_PROMISE = re.compile(
    r"^(?:\s+[\w/.'’-]+){0,3}?\s+(?:that\s+)?(?:he|she|they|we|i)\s+(?:will|would)\s+(?!not\b|be\b)",
    re.IGNORECASE,
)
_PROMISE_QUOTED = re.compile(r"^\W*(?:we|i)\s+(?:will|shall)\s+", re.IGNORECASE)
_RELATIVE_PRONOUN = re.compile(r"\s(?:who|whose|which)\s")


def slug(text: str, words_: int = 6) -> str:
    """An id from the first ``words_`` words of ``text``, transliterated to ASCII."""
    parts = [w for w in _SLUG.split(anyascii(text).lower()) if w][:words_]
    return "-".join(parts) or "x"


@attrs.frozen
class Clause:
    start: int
    end: int
    section: Section


@attrs.define
class Attribution:
    claimant: str
    speaker: str
    stance: Stance
    rule: str
    cue_end: int
    speaker_start: int
    via: tuple[str, ...] = ()
    review: list[str] = attrs.Factory(list)
    inverted: bool = False  # "..., X said": what X said stands before the cue
    participle: bool = False  # "protesters demanding ...": the clause's verb is another one


class Attributing:
    """The attribution rules of one article; :class:`_Article` keeps the state they read."""

    text: str
    lex: Lexicon
    registry: Registry
    publisher: str
    mentions: list[Mention]
    last: dict[EntityKind, str]
    context: set[str]
    sentence_words: set[str]
    new_entities: dict[str, NewEntity]

    def attribute(self, clause: Clause, mentions: list[Mention]) -> Attribution | None:
        text = self.text
        inside = [m for m in mentions if clause.start <= m.start < clause.end]
        for _a, b in according_to(text, clause.start, clause.end, self.lex):
            after = [m for m in inside if m.start >= b and m.kind is not EntityKind.PLACE]
            if after:
                claimant, review = self._who(after[0], clause)
                if claimant is not None:
                    return Attribution(
                        claimant,
                        claimant,
                        Stance.ASSERTS,
                        "cue.according-to",
                        b,
                        clause.start,
                        review=review,
                    )
        postposed = self._according_to_after(clause, inside)
        if postposed is not None:
            return postposed
        found = cues(text, clause.start, clause.end, self.lex)
        results: list[Attribution] = []
        for cue in found:
            before = [
                m
                for m in inside
                if m.end <= cue.start and m.kind is not EntityKind.PLACE and self._subject_like(m)
            ]
            adjacent = [
                m
                for m in inside
                if m.kind is not EntityKind.PLACE
                and m.end <= cue.start
                and not _WORD_CHAR.search(text, m.end, cue.start)
            ]
            if adjacent and cue.word.endswith("ing"):  # "Protesters Demanding Release"
                before = [*before, adjacent[-1]]
            speaker_mention = (
                (before[0] if self.lex.speaker_first else before[-1]) if before else None
            )
            relative = _RELATIVE_PRONOUN.search(text, clause.start, cue.start)
            if relative is not None:
                heads = [m for m in before if m.end <= relative.start()]
                if heads:  # "the protesters who spent the night outside the Consulate said"
                    speaker_mention = heads[-1]
            who: str | None = None
            review = []
            inverted = False
            tail = [
                w.lower()
                for w in _APOSTROPHE_WORD.findall(text, clause.start, cue.start)
                if w.lower() not in self.lex.between
            ]
            if tail and tail[-1] in self.lex.subject_pronouns:  # "what it described": the pronoun
                who, review, speaker_mention = self._pronoun(cue, clause)
            after_cue = [m for m in inside if m.start >= cue.end and m.kind is not EntityKind.PLACE]
            if (
                who is None
                and after_cue
                and _CUE_AFTER_COMMA.search(text, clause.start, cue.start)
                and len(_WORDS.findall(text, after_cue[0].end, clause.end)) <= 2
            ):  # "..., said the union.", "..., сообщил профсоюз.": the speaker follows the cue
                speaker_mention = after_cue[0]
                who, review = self._who(after_cue[0], clause)
                inverted = who is not None
            if (
                who is None
                and speaker_mention is not None
                and _close(text, speaker_mention.end, cue.start, self.lex)
            ):
                who, review = self._who(speaker_mention, clause)
            if who is None:
                who, review, speaker_mention = self._pronoun(cue, clause)
            if who is None and cue.stance is Stance.ASSERTS:  # "..., X said."
                after = [m for m in inside if m.start >= cue.end and m.kind is not EntityKind.PLACE]
                if after and len(_WORDS.findall(text, after[0].end, clause.end)) <= 2:
                    speaker_mention = after[0]
                    who, review = self._who(after[0], clause)
                    inverted = who is not None
            if who is None:
                continue
            if (
                speaker_mention is not None
                and cue.stance is Stance.ASSERTS
                and len(_WORDS.findall(text, cue.end, clause.end)) <= 2
                and _BEFORE_INVERTED.search(text[clause.start : speaker_mention.start])
            ):
                inverted = True  # "..., the union said.": what was said stands before
            if cue.word in self.lex.hedged:
                review.append(
                    f"hedged cue '{cue.word}' recorded as {cue.stance.value}: claimtrack has no "
                    "hedged stance"
                )
            hedge = self.lex.hedge_adverbs.search(text, clause.start, clause.end)
            if hedge is not None:
                review.append(f"hedged by '{hedge.group(0)}'")
            via: tuple[str, ...] = ()
            if cue.word in self.lex.told:
                hearer = [m for m in inside if cue.end <= m.start <= cue.end + 2 and m.entity]
                if hearer and hearer[0].entity not in (self.publisher, who):
                    via = (str(hearer[0].entity),)
            start = speaker_mention.start if speaker_mention is not None else clause.start
            if inverted:
                start = clause.start
            results.append(
                Attribution(
                    who,
                    who,
                    cue.stance,
                    f"cue.{cue.stance.value}",
                    cue.end,
                    start,
                    via,
                    review,
                    inverted,
                    cue.word.split()[0].endswith("ing"),
                )
            )
        if not results:
            return None
        first = results[0]
        if first.stance is Stance.ASSERTS and len(results) == 1:
            content = text[first.cue_end : clause.end]
            spoken = text[clause.start : first.cue_end]
            if _PROMISE.match(content) or (  # "told RFE/RL that she will continue"
                first.inverted and _PROMISE_QUOTED.match(spoken)  # '"We will stay," she said'
            ):
                first.stance = Stance.PROMISES
                first.rule = "cue.promises-will"
                first.review.append("a promise read from 'will' after the cue")
        if len(results) > 1 and results[1].speaker != first.speaker:
            inner = results[1]  # "X told RFE/RL that the commissioner had promised ..."
            return Attribution(
                first.claimant,
                inner.speaker,
                inner.stance,
                f"cue.nested-{inner.stance.value}",
                first.cue_end,
                first.speaker_start,
                first.via,
                first.review + inner.review,
            )
        return first

    def _according_to_after(self, clause: Clause, inside: list[Mention]) -> Attribution | None:
        """ "Тоқаевтың айтуынша, ...": a postposition naming the claimant just before it."""
        pattern = self.lex.according_to_after
        if pattern is None:
            return None
        for m in pattern.finditer(self.text, clause.start, clause.end):
            named = [
                x
                for x in inside
                if x.end <= m.start() and m.start() - x.end <= 3 and x.kind is not EntityKind.PLACE
            ]
            if not named:
                continue
            claimant, review = self._who(named[-1], clause)
            if claimant is not None:
                return Attribution(
                    claimant,
                    claimant,
                    Stance.ASSERTS,
                    "cue.according-to",
                    m.end(),
                    clause.start,
                    review=review,
                )
        return None

    def _subject_like(self, mention: Mention) -> bool:
        """Whether a mention can be the subject of a verb: not a possessor ("China's financial
        assistance") and not the object of a preposition ("met with the protesters")."""
        if re.match(r"['’]s\b", self.text[mention.end : mention.end + 2]):
            return False
        before = self.text[max(0, mention.start - 40) : mention.start].lower().split()
        while before and before[-1] in ("the", "a", "an", "his", "her", "their", "its"):
            before.pop()
        if len(before) >= 2 and before[-1] == "of" and before[-2] in _QUANTIFIERS:
            return True  # "Some of the protesters", "one of the participants"
        return not (before and before[-1] in self.lex.prepositions)

    def _who(self, mention: Mention, clause: Clause) -> tuple[str | None, list[str]]:
        if mention.entity is not None:
            self.last[mention.kind] = mention.entity
            return mention.entity, []
        if mention.kind is EntityKind.GROUP:
            group = self.registry.group(mention.name, self.sentence_words, self.context)
            if group is not None:
                self.last[EntityKind.GROUP] = group.id
                return group.id, [
                    f"claimant '{mention.name}' resolved by the article's words to '{group.id}'"
                ]
            new_id = slug(mention.name, 4)
            return self._new(new_id, mention.name, "group"), [
                f"claimant '{mention.name}' is no entity of the registry: add '{new_id}' or "
                "choose the group meant"
            ]
        new_id = slug(mention.name, 4)
        self.last[EntityKind.PERSON] = new_id
        return self._new(new_id, mention.name, "person"), [
            f"claimant '{mention.name}' is not in entities.yaml: add it as '{new_id}'"
        ]

    def _new(self, entity_id: str, name: str, kind: str) -> str:
        self.new_entities.setdefault(entity_id, NewEntity(entity_id, name, kind))
        return entity_id

    def _pronoun(self, cue: Cue, clause: Clause) -> tuple[str | None, list[str], Mention | None]:
        start = cue.start
        words_before = [w.strip(",.").lower() for w in self.text[clause.start : start].split()]
        subjects = [
            w for w in words_before if w in self.lex.pronouns and w in self.lex.subject_pronouns
        ]
        if not subjects:
            return None, [], None
        word = subjects[-1]
        kind_name = self.lex.pronouns[word]
        kind = EntityKind(kind_name)
        at = (
            start
            - len(self.text[clause.start : start])
            + self.text[clause.start : start].lower().rfind(word)
        )
        earlier = [
            m.entity
            for m in self.mentions
            if m.entity is not None and m.end <= at and m.kind is kind
        ]
        antecedent = (
            (earlier[-1] if earlier else None)
            or self.last.get(kind)
            or (self.last.get(EntityKind.ORGANISATION) if kind is EntityKind.GROUP else None)
        )
        if antecedent is None:
            return None, [], None
        return (
            antecedent,
            [f"claimant '{word}' taken as the last {kind.value} named, '{antecedent}'"],
            None,
        )


def _close(text: str, end: int, cue_start: int, lex: Lexicon) -> bool:
    """Whether only auxiliaries, adverbs, a comma clause or a title stand between a speaker and
    its cue ("China has also consistently denied", "Serikbai Turymov, met with ... and promised")."""
    between = text[end:cue_start]
    words_ = re.findall(r"[\w'’-]+", between)
    if all(w.lower() in lex.between for w in words_):
        return True
    return len(words_) <= 30
