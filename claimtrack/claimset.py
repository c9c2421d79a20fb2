"""ClaimSet: claims with the sources, subjects and entities they refer to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack.claim import Claim
from claimtrack.entity import Entity, EntityIndex
from claimtrack.errors import QuantityError, UnknownIdError
from claimtrack.quantity import Estimate, HedgePolicy
from claimtrack.source import Source
from claimtrack.subject import Subject

if TYPE_CHECKING:  # pandas is imported by the frame functions only when they are called
    import pandas as pd


def _claims(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(claims)


def _freeze(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _selector(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset([value] if isinstance(value, str) else value)


@attrs.frozen(eq=False)
class ClaimSet:
    """A collection of claims, in file order, with everything they refer to.

    Look claims up by id (``claims["rferl-2019:x"]``), iterate them, filter them, and turn them into
    a pandas DataFrame with :meth:`to_frame`. Sources, subjects and entities are available by id.
    Two claim sets are equal when they hold equal claims (by id, whatever their order), sources,
    subjects and entities.
    """

    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    sources: Mapping[str, Source] = attrs.field(converter=_freeze)
    subjects: Mapping[str, Subject] = attrs.field(converter=_freeze)
    entities: EntityIndex
    _by_id: Mapping[str, Claim] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Claim] = {}
        for claim in self.claims:
            if claim.id in by_id:
                raise ValueError(f"duplicate claim id {claim.id!r}")
            by_id[claim.id] = claim
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    def _repr_html_(self, max_rows: int = 50) -> str:
        """An HTML table of the claims for notebooks: id, subject, value, claimant, source and
        as-of, every cell escaped (:func:`claimtrack._safe_text.html_text`: markup, control and
        bidi characters are shown, never rendered); at most ``max_rows`` rows, then "and N more"."""
        from claimtrack._safe_text import html_table
        from claimtrack.claim import Statement
        from claimtrack.dates import FuzzyDate
        from claimtrack.quantity import Estimate

        def value(claim: Claim) -> str:
            v = claim.value
            if isinstance(v, Estimate):
                return v.text or v.interval_text()
            if isinstance(v, FuzzyDate):
                return v.written or v.iso()
            if isinstance(v, Statement):
                return f"{v.speaker} {v.stance.value}"
            return str(v)

        n = len(self.claims)
        rows: list[list[object]] = [
            [
                c.id,
                c.subject,
                value(c),
                " ← ".join((c.claimant, *c.via)),
                c.source,
                c.as_of.iso() if c.as_of else "",
            ]
            for c in self.claims[:max_rows]
        ]
        caption = (
            f"{n} claim{'s' if n != 1 else ''} from {len(self.sources)} "
            f"source{'s' if len(self.sources) != 1 else ''}"
        )
        headers = ["id", "subject", "value", "claimant", "source", "as of"]
        return html_table(caption, headers, rows, total=n)

    def __len__(self) -> int:
        return len(self.claims)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._by_id

    def __getitem__(self, claim_id: str) -> Claim:
        try:
            return self._by_id[claim_id]
        except KeyError:
            raise UnknownIdError("claim", claim_id, _close(claim_id, self._by_id)) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClaimSet):
            return NotImplemented
        return (
            dict(self._by_id) == dict(other._by_id)
            and dict(self.sources) == dict(other.sources)
            and dict(self.subjects) == dict(other.subjects)
            and list(self.entities) == list(other.entities)
        )

    __hash__ = None  # type: ignore[assignment]

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise UnknownIdError("source", source_id, _close(source_id, self.sources)) from None

    def subject(self, subject_id: str) -> Subject:
        """The subject with this id."""
        try:
            return self.subjects[subject_id]
        except KeyError:
            raise UnknownIdError("subject", subject_id, _close(subject_id, self.subjects)) from None

    def origin(self, source_id: str) -> Source:
        """The source whose report ``source_id`` republishes, following ``republishes`` to its
        end (the source itself when it republishes nothing): the comparator counts the claims of
        republications once, as the origin's. A chain that leaves the claim set (or goes round)
        ends at its last source in it."""
        source = self.source(source_id)
        seen = {source.id}
        while source.republishes is not None and source.republishes in self.sources:
            if source.republishes in seen:
                break
            source = self.sources[source.republishes]
            seen.add(source.id)
        return source

    def entity(self, name_or_id: str) -> Entity:
        """The entity with this id, or whose name or alias this is (spelling variants resolve)."""
        return self.entities.resolve(name_or_id)

    def filter(
        self,
        *,
        subject: str | Iterable[str] | None = None,
        source: str | Iterable[str] | None = None,
        claimant: str | Iterable[str] | None = None,
        drafts: bool | None = None,
    ) -> ClaimSet:
        """The claims about these subjects, from these sources, by these claimants.

        Each selector is one id or several; claimants may be given by name in any spelling
        ("Toqaev" finds the claims of ``tokayev``), and a claim made by several claimants is kept
        for any of them. Unknown subject or source ids are errors. ``drafts=True`` keeps only the
        drafted claims not yet reviewed (with a :attr:`Claim.draft` mark), ``drafts=False`` only
        the reviewed ones.
        """
        subjects, sources = _selector(subject), _selector(source)
        for sid in subjects or ():
            self.subject(sid)
        for sid in sources or ():
            self.source(sid)
        claimants = _selector(claimant)
        if claimants is not None:
            claimants = frozenset(self.entities.resolve(name).id for name in claimants)
        kept = [
            c
            for c in self.claims
            if (subjects is None or c.subject in subjects)
            and (sources is None or c.source in sources)
            and (claimants is None or not claimants.isdisjoint(c.claimants))
            and (drafts is None or (c.draft is not None) == drafts)
        ]
        return attrs.evolve(self, claims=kept)

    def rehedged(self, policy: HedgePolicy) -> ClaimSet:
        """These claims with each quantity read from its phrase read again under ``policy``
        (other hedge widths; see :meth:`Estimate.rehedged`): the claims as
        ``compare(claims, attrs.evolve(DEFAULT_COMPARE_POLICY, hedges=policy))`` compares them.

        Each distinct phrase is read once. Raises :class:`~claimtrack.errors.QuantityError`
        naming the claim whose phrase ``policy`` cannot read, and the file and line it was read
        from (:attr:`Claim.location`) when it was loaded.
        """
        reads: dict[tuple[str, str | None], Estimate | QuantityError] = {}
        claims = []
        for claim in self.claims:
            value = claim.value
            if isinstance(value, Estimate) and value.text is not None:
                key = (value.text, value.unit)
                read = reads.get(key)
                if read is None:
                    try:
                        read = reads[key] = Estimate.parse(
                            value.text, unit=value.unit, policy=policy
                        )
                    except QuantityError as error:
                        read = reads[key] = error
                try:
                    if isinstance(read, QuantityError):
                        rehedged = value.rehedged(policy)  # raises unless bounds are all it is
                    else:
                        rehedged = value.rehedged(policy, read)
                except QuantityError as error:
                    raise error.for_claim(claim.id, claim.location) from None
                if rehedged is not value:
                    claim = attrs.evolve(claim, value=rehedged)
            claims.append(claim)
        return attrs.evolve(self, claims=claims)

    def to_frame(self) -> pd.DataFrame:
        """One row per claim, with typed columns (see :func:`claimtrack.claims_to_frame`)."""
        from claimtrack.frame import claims_to_frame

        return claims_to_frame(self)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        sources: Mapping[str, Source] | Iterable[Source],
        subjects: Mapping[str, Subject] | Iterable[Subject],
        entities: EntityIndex | Iterable[Entity],
    ) -> ClaimSet:
        """Build claims from a DataFrame shaped like :meth:`to_frame`'s output."""
        from claimtrack.frame import claims_from_frame

        return claims_from_frame(frame, sources=sources, subjects=subjects, entities=entities)


def _close(key: str, known: Iterable[str]) -> list[str]:
    from rapidfuzz import process

    return [
        match for match, _score, _i in process.extract(key, list(known), limit=3, score_cutoff=70)
    ]
