"""Who says it: entity mentions in a sentence and the reporting cues that attribute a clause.

Mentions are found by looking up every run of up to eight words under the registry's match keys
(:func:`claimtrack.name_key`, so transliterations meet), then asking :class:`EntityIndex` about
capitalised names it may know by surname or a close spelling. The speaker of a cue ("X said",
"X denies", "according to X", "..., X said") is the nearest person, organisation or group
before it in its clause, else a pronoun's last antecedent, else the name or unnamed collective
("protesters") standing there.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

import attrs
from rapidfuzz import fuzz, process

from claimtrack.claim import Stance
from claimtrack.draft._lexicon import Lexicon
from claimtrack.entity import Entity, EntityIndex, EntityKind, name_key
from claimtrack.errors import ClaimtrackError

_TOKEN = re.compile(r"[^\W_]+(?:['’`][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’`]s$", re.IGNORECASE)
_MAX_WORDS = 8
_NOUN_BEFORE = frozenset(
    [
        "a",
        "an",
        "the",
        "amid",
        "of",
        "these",
        "those",
        "such",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "this",
        "that",
        "by",
        "with",
        "after",
        "following",
        "despite",
        "about",
        "on",
        "in",
        "for",
        "and",
        "or",
    ]
)


@functools.lru_cache(maxsize=200_000)
def _token_key(token: str) -> str:
    return name_key(_POSSESSIVE.sub("", token))


@functools.lru_cache(maxsize=200_000)
def _stemmed_key(token: str, endings: tuple[str, ...]) -> str:
    """The match key of ``token`` less the first (longest) case ending it has, keeping at
    least three letters: "Марата" and "Марат" meet, "Тоқаевтың" and "Toqaev" too."""
    key = _token_key(token)
    for ending in endings:
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            return key[: -len(ending)]
    return key


def tokens(
    text: str, start: int, end: int, endings: tuple[str, ...] = ()
) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` with their match keys (less the lexicon's case
    ``endings``, for languages that inflect names)."""
    if endings:
        return [
            (m.start(), m.end(), _stemmed_key(m.group(0), endings))
            for m in _TOKEN.finditer(text, start, end)
        ]
    return [(m.start(), m.end(), _token_key(m.group(0))) for m in _TOKEN.finditer(text, start, end)]


@attrs.frozen
class Mention:
    start: int
    end: int
    entity: str | None  # None: a name or collective not in the registry
    kind: EntityKind
    name: str


class Registry:
    """The entity registry keyed for fast lookup of every spelling in running text."""

    def __init__(self, index: EntityIndex, lex: Lexicon) -> None:
        self.index = index
        self.lex = lex
        self.endings = lex.name_endings
        self.keys: dict[str, str | None] = {}
        self.kinds: dict[str, EntityKind] = {}
        self.groups: dict[str, list[Entity]] = {}
        self.resolved: dict[str, Entity | None] = {}
        self.heads: dict[str, str] = dict(lex.group_heads)
        for entity in index:
            self.kinds[entity.id] = entity.kind
            for name in entity.names:
                key = " ".join(k for _, _, k in tokens(name, 0, len(name), self.endings) if k)
                if not key:
                    continue
                owner = self.keys.get(key, entity.id)
                self.keys[key] = entity.id if owner == entity.id else None  # None: ambiguous
            if entity.kind is EntityKind.GROUP:
                # The last word of each name is the group's head noun ("striking dockers").
                for name in entity.names:
                    last = re.findall(r"[^\W\d_]+", name.lower())
                    if last and last[-1] not in lex.group_heads and last[-1].endswith("s"):
                        self.heads.setdefault(last[-1], last[-1])
            if entity.kind is EntityKind.GROUP:  # unnamed collectives, by their head nouns
                for word in re.findall(r"[\w-]+", " ".join(entity.names).lower()):
                    head = self.heads.get(word)
                    if head is not None:
                        self.groups.setdefault(head, [])
                        if entity not in self.groups[head]:
                            self.groups[head].append(entity)

        self.choices = [k for k in self.keys if k]
        self.prefixes = {
            " ".join(k.split()[:n]) for k in self.choices for n in range(1, len(k.split()) + 1)
        }
        self.words = sorted({w for k in self.choices for w in k.split() if len(w) > 3})

    def mentions(self, text: str, start: int, end: int, *, new_names: bool = True) -> list[Mention]:
        words = tokens(text, start, end, self.endings)
        found: list[Mention] = []
        i = 0
        while i < len(words):
            hit = None
            key = ""
            for j in range(i, min(i + _MAX_WORDS, len(words))):
                key = words[j][2] if j == i else f"{key} {words[j][2]}"
                if key not in self.prefixes:
                    break
                entity = self.keys.get(key)
                if entity is not None:
                    hit = (j - i + 1, entity)
            if hit is not None:
                n, entity = hit
                a, b = words[i][0], words[i + n - 1][1]
                found.append(Mention(a, b, entity, self.kinds[entity], text[a:b]))
                i += n
                continue
            name = self._capitalised(text, words, i, new_names)
            if name is not None:
                n, mention = name
                found.append(mention)
                i += n
                continue
            head = self.heads.get(text[words[i][0] : words[i][1]].lower())
            if head is not None:
                a, b = words[i][0], words[i][1]
                found.append(Mention(a, b, None, EntityKind.GROUP, text[a:b]))
            i += 1
        return found

    def _capitalised(
        self, text: str, words: list[tuple[int, int, str]], i: int, new_names: bool
    ) -> tuple[int, Mention] | None:
        """A run of capitalised words that is not at a sentence start alone: an entity the
        index resolves by surname or spelling, or a new name (two words or more)."""
        if not text[words[i][0]].isupper():  # the common case: no name starts here
            return None
        if text[words[i][0] : words[i][1]].lower() in self.lex.name_prefixes:
            return None
        n = 0
        while i + n < len(words) and n < 4:
            word = text[words[i + n][0] : words[i + n][1]]
            if not (word[0].isupper() and word[1:].islower() and len(word) > 1):
                break
            if i + n > 0 and words[i + n][0] - words[i + n - 1][1] > 1 and n > 0:
                between = text[words[i + n - 1][1] : words[i + n][0]]
                if between.strip():
                    break
            n += 1
        if n == 0:
            return None
        for k in range(1, n):  # "Transport Minister Irina Dolgova": the name at its end
            key = " ".join(w[2] for w in words[i + k : i + n])
            known = self.keys.get(key)
            if known is not None:
                a, b = words[i + k][0], words[i + n - 1][1]
                return n, Mention(a, b, known, self.kinds[known], text[a:b])
        a, b = words[i][0], words[i + n - 1][1]
        name = _POSSESSIVE.sub("", text[a:b])
        entity = self._resolve(name)
        if entity is not None:
            return n, Mention(a, b, entity.id, entity.kind, name)
        if n >= 2 and new_names:
            return n, Mention(a, b, None, EntityKind.PERSON, name)
        return None

    def _resolve(self, name: str) -> Entity | None:
        """The entity :meth:`EntityIndex.resolve` finds for a name not known by its exact key,
        asked only when some spelling of the registry is close (a failed resolve is costly:
        it ranks every name for its error message)."""
        if name in self.resolved:
            return self.resolved[name]
        found: Entity | None = None
        key = " ".join(k for _, _, k in tokens(name, 0, len(name), self.endings))
        near = process.extractOne(
            key, self.choices, scorer=fuzz.ratio, score_cutoff=self.index.cutoff - 15
        )
        if near is None and " " not in key:
            near = process.extractOne(
                key, self.words, scorer=fuzz.ratio, score_cutoff=self.index.cutoff - 15
            )
        if near is not None:
            try:
                found = self.index.resolve(name)
            except (ClaimtrackError, KeyError, LookupError):
                found = None
        if len(self.resolved) < 100_000:
            self.resolved[name] = found
        return found

    def group(
        self, head_word: str, sentence: Iterable[str], article: Iterable[str]
    ) -> Entity | None:
        """The registry's group whose names share ``head_word``'s head and most of their other
        words with the sentence, then with the article (lowercased words of each)."""
        head = self.heads.get(head_word.lower())
        candidates = self.groups.get(head or "", [])
        if not candidates:
            return None
        if len(candidates) == 1:  # the only group the registry has of these people
            return candidates[0]
        near, far = set(sentence), set(article)
        vocab = [
            {
                w
                for w in re.findall(r"\w+", " ".join(e.names).lower())
                if len(w) > 2 and w not in _NOUN_BEFORE and self.heads.get(w) != head
            }
            for e in candidates
        ]
        shared = Counter(w for words in vocab for w in words)
        scored = []
        for entity, words in zip(candidates, vocab, strict=True):
            names = {w for w in words if shared[w] == 1}  # the words that tell groups apart
            if not names:
                continue
            score = (2 * len(names & near) + len(names & far)) / (len(names) + 2)
            scored.append((score, entity.id, entity))
        if not scored:
            return None
        scored.sort(key=lambda s: (-s[0], s[1]))
        return scored[0][2] if scored[0][0] >= 0.25 else None


@attrs.frozen
class Cue:
    start: int
    end: int
    word: str
    stance: Stance


def cues(text: str, start: int, end: int, lex: Lexicon) -> list[Cue]:
    """The reporting cues of a clause; a cue word used as a noun ("amid reports") is not one."""
    found = []
    for m in lex.cue_pattern.finditer(text, start, end):
        before = text[max(start, m.start() - 24) : m.start()].split()
        if before and (
            (before[-1].lower() in _NOUN_BEFORE and before[-1].lower() != "and")
            or _POSSESSIVE.search(before[-1])
        ):
            continue  # "amid reports", "the state's claims": a noun
        word = " ".join(m.group(0).lower().split())
        found.append(Cue(m.start(), m.end(), word, lex.cues[word]))
    return found


def according_to(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in lex.according_to.finditer(text, start, end)]
