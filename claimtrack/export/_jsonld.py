"""The schema.org export: ``Claim`` items (what a ClaimReview's ``itemReviewed`` is) as JSON-LD.

The ``@context`` is inline (``@vocab`` schema.org), so the document expands without fetching
anything. claimtrack rates nothing, so there is no ``ClaimReview`` with a ``reviewRating``: the
claims, their articles, claimants and subjects are what a fact-checker's ClaimReview would cite.
Quantities are ``QuantitativeValue`` with ``minValue``/``maxValue``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claimtrack._write import write_atomic
from claimtrack.claim import Claim, DayCount, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.entity import Entity, EntityKind
from claimtrack.quantity import Estimate
from claimtrack.source import Source
from claimtrack.subject import Subject

CONTEXT = {"@vocab": "https://schema.org/"}
"""The inline JSON-LD context of the export."""

_TYPES = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANISATION: "Organization",
    EntityKind.PLACE: "Place",
    EntityKind.GROUP: "Audience",
}


def iri(kind: str, identifier: str) -> str:
    """``urn:claimtrack:<kind>:<id>``: ids are slugs, so every one is a valid URN."""
    return f"urn:claimtrack:{kind}:{identifier}"


def _ref(kind: str, identifier: str) -> dict[str, str]:
    return {"@id": iri(kind, identifier)}


def _drop_none(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None and v != []}


def _value(claim: Claim) -> dict[str, Any]:
    value = claim.value
    if isinstance(value, Estimate):
        return _drop_none(
            {
                "value": _drop_none(
                    {
                        "@type": "QuantitativeValue",
                        "minValue": value.low,
                        "maxValue": value.high,
                        "value": value.value,
                        "unitText": value.unit,
                        "description": value.text or value.interval_text(),
                    }
                )
            }
        )
    if isinstance(value, DayCount):
        return {
            "value": _drop_none(
                {
                    "@type": "QuantitativeValue",
                    "value": value.ordinal,
                    "unitText": value.unit.value,
                    "description": str(value),
                }
            )
        }
    if isinstance(value, FuzzyDate):
        return {"value": value.iso(), "description": value.written or value.iso()}
    assert isinstance(value, Statement)
    return {
        "mentions": _ref("entity", value.speaker),
        "description": f"{value.speaker} {value.stance.value} ({value.mode.value})",
    }


def claim_item(claim: Claim) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@type": "Claim",
        "@id": iri("claim", claim.id),
        "identifier": claim.id,
        "text": claim.quote,
        "author": _ref("entity", claim.claimant),
        "contributor": [_ref("entity", v) for v in claim.via],
        "appearance": _ref("source", claim.source),
        "about": _ref("subject", claim.subject),
        "temporalCoverage": claim.as_of.iso() if claim.as_of else None,
        "dateCreated": claim.stated.iso() if claim.stated else None,
        **_value(claim),
        "comment": claim.notes,
    }
    return _drop_none(item)


def _source(source: Source) -> dict[str, Any]:
    return _drop_none(
        {
            "@type": "NewsArticle",
            "@id": iri("source", source.id),
            "identifier": source.id,
            "headline": source.title,
            "url": source.url,
            "datePublished": source.published.iso(),
            "publisher": _ref("entity", source.publisher),
            "author": [{"@type": "Person", "name": a} for a in source.authors],
            "inLanguage": source.language,
            "comment": source.notes,
        }
    )


def _entity(entity: Entity) -> dict[str, Any]:
    return _drop_none(
        {
            "@type": _TYPES[entity.kind],
            "@id": iri("entity", entity.id),
            "identifier": entity.id,
            "name": entity.name,
            "alternateName": list(entity.aliases),
        }
    )


def _subject(subject: Subject) -> dict[str, Any]:
    return _drop_none(
        {
            "@type": "DefinedTerm",
            "@id": iri("subject", subject.id),
            "identifier": subject.id,
            "name": subject.label,
            "description": subject.description,
            "termCode": subject.kind.value,
        }
    )


def jsonld(claims: ClaimSet) -> dict[str, Any]:
    """The export as a JSON-LD document: ``@context`` and a ``@graph`` of claims, articles,
    entities and subjects."""
    used_entities = {e for c in claims for e in (c.claimant, *c.via)}
    used_entities |= {s.publisher for s in claims.sources.values()}
    graph = [claim_item(c) for c in claims]
    graph += [_source(s) for s in claims.sources.values()]
    graph += [_subject(s) for s in claims.subjects.values()]
    graph += [_entity(e) for e in claims.entities]
    return {"@context": CONTEXT, "@graph": graph}


def write_jsonld(claims: ClaimSet, path: Path) -> list[Path]:
    text = json.dumps(jsonld(claims), ensure_ascii=False, indent=2)
    return [write_atomic(path, text + "\n")]
