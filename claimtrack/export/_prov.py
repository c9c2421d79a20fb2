"""The W3C PROV-JSON export (needs claimtrack[prov]): who said what, where it was quoted from.

Each source is a ``prov:Entity`` attributed to its publisher; each claim an entity quoted from its
source (``wasQuotedFrom``) and attributed to its claimant, and to each intermediary with the role
``ct:intermediary``; the entities that claims name are agents (``prov:Person``,
``prov:Organization``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimtrack._write import write_atomic
from claimtrack.claimset import ClaimSet
from claimtrack.entity import EntityKind
from claimtrack.errors import MissingExtraError
from claimtrack.export._rows import claim_row

NAMESPACES = {
    "ct": "urn:claimtrack:",
    "claim": "urn:claimtrack:claim:",
    "source": "urn:claimtrack:source:",
    "entity": "urn:claimtrack:entity:",
    "subject": "urn:claimtrack:subject:",
}


def prov_document(claims: ClaimSet) -> Any:
    """The export as a ``prov.model.ProvDocument``."""
    try:
        from prov.model import PROV, ProvDocument
    except ImportError:
        raise MissingExtraError("the PROV export", "prov") from None
    doc = ProvDocument()
    for prefix, uri in NAMESPACES.items():
        doc.add_namespace(prefix, uri)
    kinds = {
        EntityKind.PERSON: PROV["Person"],
        EntityKind.ORGANISATION: PROV["Organization"],
    }
    for entity in claims.entities:
        attributes: dict[str, Any] = {"prov:label": entity.name, "ct:kind": entity.kind.value}
        if entity.kind in kinds:
            attributes["prov:type"] = kinds[entity.kind]
        doc.agent(f"entity:{entity.id}", attributes)
    for source in claims.sources.values():
        attributes = {
            "prov:type": "ct:Source",
            "prov:label": source.title,
            "ct:published": source.published.iso(),
        }
        if source.url:
            attributes["ct:url"] = source.url
        if source.text_sha256:
            attributes["ct:text_sha256"] = source.text_sha256
        doc.entity(f"source:{source.id}", attributes)
        doc.wasAttributedTo(f"source:{source.id}", f"entity:{source.publisher}")
    for claim in claims:
        row = claim_row(claim)
        attributes = {
            "prov:type": "ct:Claim",
            "prov:value": claim.quote,
            "ct:subject": f"subject:{claim.subject}",
            "ct:kind": row["kind"],
        }
        for column in ("text", "low", "high", "as_of", "stated", "date", "stance"):
            if row[column]:
                attributes[f"ct:{column}"] = row[column]
        name = f"claim:{claim.id}"
        doc.entity(name, attributes)
        doc.wasQuotedFrom(name, f"source:{claim.source}")
        doc.wasAttributedTo(name, f"entity:{claim.claimant}")
        for via in claim.via:
            doc.wasAttributedTo(
                name, f"entity:{via}", other_attributes={"prov:role": "ct:intermediary"}
            )
    return doc


def write_prov(claims: ClaimSet, path: Path) -> list[Path]:
    text = prov_document(claims).serialize(format="json", indent=2)
    return [write_atomic(path, str(text) + "\n")]
