"""Writing a ClaimSet back to claim files that load into equal objects."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from claimtrack import _spec
from claimtrack.claim import Claim, DayCount, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.errors import ParseError
from claimtrack.load import ENTITIES_FILE, SUBJECTS_FILE
from claimtrack.quantity import DEFAULT_HEDGE_POLICY, Estimate, Hedge, HedgePolicy


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, no sorting of keys."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and value == value.strip("\n") + "\n" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def source_file_name(source_id: str) -> str:
    """The file name :func:`dump` writes a source to: its id, with ``:`` as ``_``, plus ``.yaml``."""
    return source_id.replace(":", "_") + ".yaml"


def _date(value: FuzzyDate | None) -> _spec.DateSpec | None:
    if value is None:
        return None
    if value.written is None:
        return value.iso()
    return _spec.ExplicitDate(value.iso(), value.written)


def _estimate(est: Estimate, policy: HedgePolicy) -> _spec.ValueSpec:
    if est.text is not None:
        try:
            if Estimate.parse(est.text, unit=est.unit, policy=policy) == est:
                return est.text
        except ParseError:
            pass
    if (
        est.text is None
        and est.unit is None
        and not est.additional
        and est.hedge is Hedge.EXACT
        and est.low == est.high == est.value
        and est.low is not None
    ):
        return est.low
    return _spec.EstimateSpec(
        low=est.low,
        high=est.high,
        value=est.value,
        hedge=est.hedge,
        unit=est.unit,
        text=est.text,
        additional=est.additional,
    )


def _count(count: DayCount) -> str | _spec.CountSpec:
    if count.text is not None:
        try:
            if DayCount.parse(count.text) == count:
                return count.text
        except ParseError:
            pass
    return _spec.CountSpec(count.ordinal, count.unit, count.text)


def _claim(claim: Claim, policy: HedgePolicy) -> _spec.ClaimSpec:
    spec = _spec.ClaimSpec(
        id=claim.id,
        subject=claim.subject,
        quote=claim.quote,
        claimant=claim.claimant,
        via=list(claim.via),
        as_of=_date(claim.as_of),
        stated=_date(claim.stated),
        section=claim.section,
        notes=claim.notes,
    )
    value = claim.value
    if isinstance(value, Estimate):
        spec.value = _estimate(value, policy)
    elif isinstance(value, DayCount):
        spec.count = _count(value)
    elif isinstance(value, FuzzyDate):
        spec.date = _date(value)
    elif isinstance(value, Statement):
        spec.statement = _spec.StatementSpec(value.speaker, value.stance, value.mode)
    return spec


def _plain(spec: Any) -> Any:
    """Unstructure and drop keys at their defaults, so written files stay short."""
    data = _spec.CONVERTER.unstructure(spec)
    return _prune(data, spec)


def _prune(data: Any, spec: Any) -> Any:
    import attrs

    if attrs.has(type(spec)):
        out = {}
        for field in attrs.fields(type(spec)):
            value = getattr(spec, field.name)
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if field.default is not attrs.NOTHING and value == default:
                continue
            out[field.name] = _prune(data[field.name], value)
        return out
    if isinstance(spec, list):
        return [_prune(d, s) for d, s in zip(data, spec, strict=True)]
    return data


def _write(path: Path, data: Any) -> None:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    path.write_text(text, encoding="utf-8")


def dump(
    claims: ClaimSet,
    folder: str | os.PathLike[str],
    *,
    policy: HedgePolicy = DEFAULT_HEDGE_POLICY,
) -> list[Path]:
    """Write ``claims`` as claim files into ``folder`` (created if needed); return the paths.

    Writes ``entities.yaml``, ``subjects.yaml`` and one file per source named by
    :func:`source_file_name`. Quantities whose phrase re-reads to the same interval under ``policy``
    are written as the phrase, others structurally, so loading the folder gives equal objects.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    entities = _spec.EntitiesFile(
        [_spec.EntitySpec(e.id, e.name, e.kind, list(e.aliases)) for e in claims.entities]
    )
    subjects = _spec.SubjectsFile(
        [
            _spec.SubjectSpec(s.id, s.label, s.kind, s.description, s.unit, s.start_of)
            for s in claims.subjects.values()
        ]
    )
    for name, spec in ((ENTITIES_FILE, entities), (SUBJECTS_FILE, subjects)):
        _write(out / name, _plain(spec))
        written.append(out / name)
    by_source: dict[str, list[Claim]] = {sid: [] for sid in claims.sources}
    for claim in claims:
        by_source[claim.source].append(claim)
    for source in claims.sources.values():
        source_spec = _spec.SourceFile(
            _spec.SourceSpec(
                id=source.id,
                title=source.title,
                publisher=source.publisher,
                published=source.published.iso(),
                url=source.url,
                authors=list(source.authors),
                language=source.language,
                text_file=source.text_file,
                text_sha256=source.text_sha256,
                notes=source.notes,
            ),
            [_claim(c, policy) for c in by_source[source.id]],
        )
        path = out / source_file_name(source.id)
        _write(path, _plain(source_spec))
        written.append(path)
    return written
