"""The people, organisations, places and groups that claims name, and the registry that finds them.

Reporting spells one entity many ways: transliterated from Kazakh or Russian ("Qasym-Zhomart
Toqaev", "Kassym-Jomart Tokayev"), by surname alone ("Tokayev"), or by a name that changed
("Nur-Sultan", "Astana"). :func:`name_key` folds spellings to a match key, and
:class:`EntityIndex` resolves a name to one :class:`Entity`: by id, by exact key of a name or
alias, by surname, then by a fuzzy match that must be unique. Renames that do not look alike
come only from the alias list; nothing guesses them.
"""

import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
from anyascii import anyascii
from rapidfuzz import fuzz, process

from claimtrack.errors import AmbiguousNameError, InputTypeError, UnknownIdError

__all__ = ["DEFAULT_CUTOFF", "Entity", "EntityIndex", "EntityKind", "name_key"]

#: Lowest rapidfuzz score (0-100) at which a fuzzy match counts. High enough to keep "Kazakhs"
#: (a group) apart from "Kazakhstan" (a place), low enough for "Uygurs"/"Uighurs".
DEFAULT_CUTOFF = 88.0

#: Lowest score at which a known entity is offered as a "did you mean" suggestion.
_SUGGEST_CUTOFF = 60.0

#: How many distinct query strings an index remembers the resolution of.
_CACHE_SIZE = 65_536


class EntityKind(enum.StrEnum):
    """What sort of thing an entity is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    #: An ethnic group or population ("Uyghurs"), or an unnamed group ("former detainees").
    GROUP = "group"


# --- match keys --------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['`]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

#: Transliteration folds, applied in order to the lowercased ASCII key until nothing changes.
#: Each maps spellings that Kazakh Latin, Russian romanisation and English reporting use for one
#: sound to one form. No fold introduces q, j or y, and the rest shorten the key, so the loop
#: ends, and the result is a fixed point: ``name_key`` is idempotent.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Russian "дж" romanised dzh (Dzhambul) where Kazakh and English write zh or j (Zhambyl).
    (re.compile(r"dzh"), "z"),
    # Ж: zh in Russian and Kazakh romanisation (Zhomart), ž in scholarly spelling (Žomart, which
    # anyascii has already made z), j in English (Jomart).
    (re.compile(r"zh"), "z"),
    (re.compile(r"j"), "z"),
    # Қ: q in Kazakh Latin (Qasym, Toqaev), k in Russian romanisation (Kasym, Tokaev).
    (re.compile(r"q"), "k"),
    # Х: kh in Russian romanisation (Alikhan), h in Kazakh Latin (Alihan).
    (re.compile(r"kh"), "h"),
    # -ев/-ева at the end of a word: yev(a) in English (Tokayev, Nazarbayeva), ev(a) in Russian
    # romanisation (Tokaev, Nazarbaeva).
    (re.compile(r"yev(a?)\b"), r"ev\1"),
    # Ы, Й and И: y or i (Uyghur/Uighur, Kassym/Kassim, Azattyq/Azattiq).
    (re.compile(r"y"), "i"),
    # Doubled letters, written or not (Kassym/Kasym, Azattyq/Azatyq).
    (re.compile(r"([a-z])\1+"), r"\1"),
)


def name_key(name: str) -> str:
    """Return the match key of ``name``: the form under which its spellings meet.

    The name is transliterated to ASCII with anyascii (Ž becomes Z, Cyrillic is romanised),
    lowercased; apostrophes are dropped (Ust'-Kamenogorsk, O‘zbekiston, RFE/RL's); every other run
    of punctuation, hyphens and spaces becomes one space; then the transliteration folds apply:
    ``dzh``, ``zh`` and ``j`` become ``z``; ``q`` becomes ``k``; ``kh`` becomes ``h``; ``yev`` and
    ``yeva`` at the end of a word become ``ev`` and ``eva``; ``y`` becomes ``i``; a doubled letter
    becomes single.

    >>> name_key("Qasym-Zhomart Toqaev") == name_key("Kasym-Žomart Tokaev")
    True
    >>> name_key("Kassym-Jomart Tokayev")
    'kasim zomart tokaev'
    """
    if not isinstance(name, str):
        raise InputTypeError.of("name_key", "a name (str)", name)
    text = _APOSTROPHES.sub("", anyascii(name).lower())
    key = " ".join(_NOT_ALNUM.sub(" ", text).split())
    while True:
        folded = key
        for pattern, replacement in _FOLDS:
            folded = pattern.sub(replacement, folded)
        if folded == key:
            return key
        key = folded


# Russian and Kazakh surnames take -a in the feminine: Nazarbayev/Nazarbayeva, Azimov/Azimova,
# Pushkin/Pushkina. Such a pair scores high as strings but names two different people.
_MASCULINE_SURNAME = re.compile(r"[a-z]+(?:ov|ev|in)")


def _gender_clash(query: Sequence[str], candidate: Sequence[str]) -> bool:
    """Whether a query token is the other gender's form of a candidate token (keys' tokens)."""
    for token in query:
        if token in candidate:
            continue
        if _MASCULINE_SURNAME.fullmatch(token) and token + "a" in candidate:
            return True
        stem = token[:-1]
        if token.endswith("a") and _MASCULINE_SURNAME.fullmatch(stem) and stem in candidate:
            return True
    return False


# --- entities ----------------------------------------------------------------------------------

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _check_id(instance: Any, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(
            f"entity id {value!r} is not a slug: lowercase letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        )


def _check_name(instance: Any, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"entity name must be a string, not {value!r}")
    if not name_key(value):
        raise ValueError(f"entity name {value!r} has no letters or digits")


def _to_aliases(aliases: Iterable[str]) -> tuple[str, ...]:
    if isinstance(aliases, str):
        raise TypeError(f"aliases must be a list of names, not the single string {aliases!r}")
    return tuple(aliases)


def _check_aliases(
    instance: Any, attribute: "attrs.Attribute[tuple[str, ...]]", value: tuple[str, ...]
) -> None:
    for alias in value:
        if not isinstance(alias, str):
            raise TypeError(f"entity alias must be a string, not {alias!r}")
        if not name_key(alias):
            raise ValueError(f"entity alias {alias!r} has no letters or digits")


@attrs.frozen
class Entity:
    """A person, organisation, place or group that claims name.

    ``id`` is the stable slug claims refer to; ``name`` the usual English spelling; ``aliases``
    other spellings and former names ("Nur-Sultan" for Astana).
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)
    kind: EntityKind = attrs.field(converter=EntityKind)
    aliases: tuple[str, ...] = attrs.field(
        default=(), converter=_to_aliases, validator=_check_aliases
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)


# --- the index ---------------------------------------------------------------------------------


class EntityIndex:
    """Entities by id, and the resolution of names as reported to them.

    Keys are computed once here; exact lookups are dict hits and fuzzy fallbacks run rapidfuzz
    over the precomputed keys. ``cutoff`` is the lowest fuzzy score (0-100) that counts.

    Raises :class:`ValueError` for two entities with one id, and
    :class:`~claimtrack.errors.AmbiguousNameError` when a name, alias or id of one entity has the
    same key as a name, alias or id of another (the registry must say which is meant).
    """

    __slots__ = (
        "_by_id",
        "_by_key",
        "_cache",
        "_cutoff",
        "_entities",
        "_key_owner",
        "_keys",
        "_suggest_choices",
        "_suggest_owners",
        "_surname_owners",
        "_surnames",
    )

    def __init__(self, entities: Iterable[Entity], *, cutoff: float = DEFAULT_CUTOFF) -> None:
        if not 0 < cutoff <= 100:
            raise ValueError(f"cutoff must be in (0, 100], not {cutoff!r}")
        self._cutoff = float(cutoff)
        by_id: dict[str, Entity] = {}
        for entity in entities:
            if entity.id in by_id:
                raise ValueError(f"duplicate entity id {entity.id!r}")
            by_id[entity.id] = entity
        self._entities: tuple[Entity, ...] = tuple(by_id[i] for i in sorted(by_id))
        self._by_id: dict[str, Entity] = {e.id: e for e in self._entities}

        # Every key of every id, name and alias, owned by exactly one entity.
        self._by_key: dict[str, Entity] = {}
        for entity in self._entities:
            for spelling in (entity.id, *entity.names):
                key = name_key(spelling)
                owner = self._by_key.setdefault(key, entity)
                if owner is not entity:
                    raise AmbiguousNameError(spelling, sorted((owner.id, entity.id)))
        self._keys: list[str] = list(self._by_key)
        self._key_owner: list[Entity] = [self._by_key[k] for k in self._keys]

        # Tokens of names and aliases: people's for surname matches, everyone's for suggestions.
        surnames: dict[str, list[Entity]] = {}
        words: dict[str, list[Entity]] = {}
        for entity in self._entities:
            for name in entity.names:
                for token in name_key(name).split():
                    if len(token) < 2:  # initials ("K. Tokayev") identify no one
                        continue
                    _add_owner(words, token, entity)
                    if entity.kind is EntityKind.PERSON:
                        _add_owner(surnames, token, entity)
        self._surnames: list[str] = list(surnames)
        self._surname_owners: list[list[Entity]] = list(surnames.values())
        self._suggest_choices: list[str] = [*self._keys, *words]
        self._suggest_owners: list[list[Entity]] = [
            *([e] for e in self._key_owner),
            *words.values(),
        ]
        self._cache: dict[str, Entity] = {}

    @property
    def cutoff(self) -> float:
        """The lowest fuzzy score (0-100) at which a name matches."""
        return self._cutoff

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        """The entities in id order."""
        return iter(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def __repr__(self) -> str:
        return f"<EntityIndex of {len(self)} entities>"

    def get(self, entity_id: str) -> Entity:
        """Return the entity whose id is exactly ``entity_id``.

        Raises :class:`~claimtrack.errors.UnknownIdError` with close ids as suggestions.
        """
        try:
            return self._by_id[entity_id]
        except KeyError:
            raise UnknownIdError("entity", entity_id, self.suggest(entity_id)) from None

    def resolve(self, name: str) -> Entity:
        """Return the one entity that ``name``, as reported, refers to.

        In order: an exact id; the exact key (:func:`name_key`) of an id, name or alias; for a
        one-word name, a person one of whose name words matches it at ``cutoff`` or better (a
        surname: "Tokayev", "Toqaev"); a fuzzy match of the whole key at ``cutoff`` or better
        that scores higher for one entity than for any other. The feminine and masculine forms of
        a surname (Azimova/Azimov) never match each other fuzzily.

        Raises :class:`~claimtrack.errors.AmbiguousNameError` when entities tie, and
        :class:`~claimtrack.errors.UnknownIdError` (with suggestions) when nothing matches.
        """
        found = self._by_id.get(name) or self._cache.get(name)
        if found is not None:
            return found
        found = self._resolve_key(name, name_key(name))
        if len(self._cache) < _CACHE_SIZE:
            self._cache[name] = found
        return found

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Return the ids of up to ``limit`` entities closest to ``name``, closest first."""
        key = name_key(name)
        if not key or limit < 1:
            return []
        matches = process.extract(
            key,
            self._suggest_choices,
            scorer=fuzz.WRatio,
            score_cutoff=_SUGGEST_CUTOFF,
            limit=None,
        )
        best: dict[str, float] = {}
        for _, score, i in matches:
            for entity in self._suggest_owners[i]:
                best[entity.id] = max(best.get(entity.id, 0.0), score)
        return sorted(best, key=lambda entity_id: (-best[entity_id], entity_id))[:limit]

    def same(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` resolve to one entity (errors of :meth:`resolve` propagate)."""
        return self.resolve(a) is self.resolve(b)

    def _resolve_key(self, name: str, key: str) -> Entity:
        found = self._by_key.get(key)
        if found is not None:
            return found
        if not key:
            raise UnknownIdError("entity", name)
        if " " not in key:
            found = self._match_surname(name, key)
            if found is not None:
                return found
        found = self._match_whole(name, key)
        if found is not None:
            return found
        raise UnknownIdError("entity", name, self.suggest(name))

    def _match_surname(self, name: str, key: str) -> Entity | None:
        """The one person with a name word matching the one-word ``key``; None if there is none.

        Several people match: the one whose word is ``key`` exactly, else ambiguous.
        """
        matches = process.extract(
            key, self._surnames, scorer=fuzz.ratio, score_cutoff=self._cutoff, limit=None
        )
        best: dict[str, float] = {}
        for token, score, i in matches:
            if _gender_clash((key,), (token,)):
                continue
            for entity in self._surname_owners[i]:
                best[entity.id] = max(best.get(entity.id, 0.0), score)
        if not best:
            return None
        exact = [entity_id for entity_id, score in best.items() if score >= 100]
        if len(best) == 1 or len(exact) == 1:
            return self._by_id[exact[0] if exact else next(iter(best))]
        raise AmbiguousNameError(name, sorted(exact or best))

    def _match_whole(self, name: str, key: str) -> Entity | None:
        """The entity whose whole key matches best, uniquely; None if none reaches the cutoff."""
        matches = process.extract(
            key, self._keys, scorer=fuzz.token_sort_ratio, score_cutoff=self._cutoff, limit=None
        )
        tokens = key.split()
        best: dict[str, float] = {}
        for candidate, score, i in matches:
            if _gender_clash(tokens, candidate.split()):
                continue
            entity = self._key_owner[i]
            best[entity.id] = max(best.get(entity.id, 0.0), score)
        if not best:
            return None
        top = max(best.values())
        leaders = sorted(entity_id for entity_id, score in best.items() if score == top)
        if len(leaders) > 1:
            raise AmbiguousNameError(name, leaders)
        return self._by_id[leaders[0]]


def _add_owner(owners: dict[str, list[Entity]], token: str, entity: Entity) -> None:
    entities = owners.setdefault(token, [])
    if entity not in entities:
        entities.append(entity)
