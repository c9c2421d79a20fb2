"""Writing a ClaimSet back to claim files that load into equal objects.

What :func:`dump` owns in the folder: ``entities.yaml``, ``subjects.yaml`` and one file per
source (:func:`source_file_name`). It replaces those files and nothing else, and refuses to
write when the folder holds other claim files (loading the folder would read them too, and find
duplicate or stale sources). Every check is made before anything is written; each file is then
written to a temporary file beside it, flushed to disk and renamed over the old one, so a crash
or a kill leaves each file either old or new, never empty or half-written. Comments and the
layout of hand-written files are not kept: the files are written afresh from the objects.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from claimtrack import _spec
from claimtrack.claim import Claim, DayCount, DraftMark, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.dates import FuzzyDate
from claimtrack.errors import DumpError, ParseError
from claimtrack.load import ENTITIES_FILE, SUBJECTS_FILE, claim_files
from claimtrack.quantity import DEFAULT_HEDGE_POLICY, Estimate, Hedge, HedgePolicy
from claimtrack.subject import LinkKind, Subject
from claimtrack.units import measured_unit


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, no sorting of keys."""


# Line breaks other than "\n" that YAML folds or normalises in plain, single-quoted and block
# scalars: a string holding one is written double-quoted, where they are escaped.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(c in value for c in _OTHER_BREAKS):
        style = '"'
    elif "\n" in value and value == value.strip("\n") + "\n":
        style = "|"
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


def _estimate(est: Estimate, policy: HedgePolicy, subject_unit: str | None) -> _spec.ValueSpec:
    # a phrase is read in its subject's unit when that is a measured one; a count's unit
    # ("facilities") is not in the phrase, and is kept only by the structured form
    in_phrase = est.unit is None or (
        est.unit == subject_unit and measured_unit(subject_unit) is not None
    )
    if est.text is not None and in_phrase:
        try:
            if Estimate.parse(est.text, unit=est.unit, policy=policy) == est:
                return est.text
        except ParseError:
            pass
    if (
        est.text is None
        and in_phrase
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


def _ids(ids: tuple[str, ...]) -> _spec.Ids:
    """One id as itself, several as the list they were read from."""
    return ids[0] if len(ids) == 1 else list(ids)


def _claim(claim: Claim, policy: HedgePolicy, subject_unit: str | None) -> _spec.ClaimSpec:
    spec = _spec.ClaimSpec(
        id=claim.id,
        subject=claim.subject,
        quote=claim.quote,
        claimant=_ids(claim.claimants),
        via=list(claim.via),
        attribution=claim.attribution,
        as_of=_date(claim.as_of),
        stated=_date(claim.stated),
        section=claim.section,
        notes=claim.notes,
        draft=None if claim.draft is None else _draft(claim.draft),
        derived_from=list(claim.derived_from),
    )
    value = claim.value
    if isinstance(value, Estimate):
        spec.value = _estimate(value, policy, subject_unit)
    elif isinstance(value, DayCount):
        spec.count = _count(value)
    elif isinstance(value, FuzzyDate):
        spec.date = _date(value)
    elif isinstance(value, Statement):
        spec.statement = _spec.StatementSpec(_ids(value.speakers), value.stance, value.mode)
    return spec


def _draft(mark: DraftMark) -> _spec.DraftSpec:
    """A draft mark as its ``draft:`` block: a dumped draft stays a draft until reviewed."""
    return _spec.DraftSpec(
        rule=mark.rule,
        offsets=None if mark.offsets is None else list(mark.offsets),
        review=list(mark.review),
        subjects=[_spec.DraftSubjectSpec(id=s) for s in mark.subjects],
        repeats=list(mark.repeats),
    )


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


def _text(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


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

    Raises :class:`~claimtrack.errors.DumpError`, before writing anything, when two sources would
    be written to one file (or one to a registry's), when ``folder`` holds other claim files, or
    when a file to replace is read-only; and when a file cannot be written, leaving every file
    either as it was or fully written. Comments in files it replaces are not kept.
    """
    if os.fspath(folder) == "":
        raise DumpError("''", "empty path: name the folder to write")
    out = Path(folder)
    files = _render(claims, policy)
    _check_names(claims, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DumpError(str(out), f"cannot create the folder: {exc.strerror or exc}") from None
    _check_folder(out, [name for name, _ in files])
    return _write_all(out, files)


def _render(claims: ClaimSet, policy: HedgePolicy) -> list[tuple[str, str]]:
    """``(file name, YAML text)`` of every file :func:`dump` writes, registries first."""
    entities = _spec.EntitiesFile(
        [_spec.EntitySpec(e.id, e.name, e.kind, list(e.aliases)) for e in claims.entities]
    )
    subjects = _spec.SubjectsFile(
        [
            _spec.SubjectSpec(
                s.id,
                s.label,
                s.kind,
                s.description,
                s.unit,
                s.start_of,
                s.varies,
                **_link_specs(s),
            )
            for s in claims.subjects.values()
        ]
    )
    files = [
        (ENTITIES_FILE, _text(_plain(entities))),
        (SUBJECTS_FILE, _text(_plain(subjects))),
    ]
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
                republishes=source.republishes,
                notes=source.notes,
            ),
            [_claim(c, policy, _unit(claims, c.subject)) for c in by_source[source.id]],
        )
        files.append((source_file_name(source.id), _text(_plain(source_spec))))
    return files


def _unit(claims: ClaimSet, subject: str) -> str | None:
    found = claims.subjects.get(subject)
    return None if found is None else found.unit


def _check_names(claims: ClaimSet, out: Path) -> None:
    """Refuse sources whose file names collide with each other's or with a registry's."""
    owners: dict[str, str] = {}
    for source_id in claims.sources:
        name = source_file_name(source_id)
        if name in (ENTITIES_FILE, SUBJECTS_FILE):
            raise DumpError(
                str(out / name),
                f"source {source_id!r} would be written over the registry {name}; "
                "give the source another id",
            )
        other = owners.setdefault(name, source_id)
        if other != source_id:
            raise DumpError(
                str(out / name),
                f"sources {other!r} and {source_id!r} would both be written to {name} "
                "(':' is written as '_'); give one of them another id",
            )


def _check_folder(out: Path, names: list[str]) -> None:
    """Refuse a folder holding claim files dump would not replace, or files it cannot replace."""
    if not out.is_dir():
        raise DumpError(str(out), "not a folder")
    mine = {out / name for name in names}
    others = [p for p in claim_files(out) if p not in mine]
    if others:
        shown = ", ".join(str(p.relative_to(out)) for p in others[:5])
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        raise DumpError(
            str(out),
            f"the folder holds claim files dump would not replace ({shown}{more}); loading it "
            "would read them too: remove them, or dump into another folder",
        )
    for path in sorted(mine):
        if os.path.lexists(path):
            if path.is_symlink() or not path.is_file():
                raise DumpError(str(path), "not a regular file; dump replaces only files")
            if not os.access(path, os.W_OK):
                raise DumpError(str(path), "the file is read-only; dump does not replace it")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_all(out: Path, files: list[tuple[str, str]]) -> list[Path]:
    """Write every file to a temporary file beside it, flush them to disk, then rename each over
    its target; on a failure, remove the temporary files and raise a DumpError naming the file."""
    new_mode = 0o666 & ~_umask()
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in files:
            target = out / name
            try:
                fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            except OSError as exc:
                raise DumpError(str(target), f"cannot write: {exc.strerror or exc}") from None
            staged.append((tmp, target))
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(text.encode("utf-8"))
                    f.flush()
                    os.fsync(f.fileno())
                mode = os.stat(target).st_mode & 0o777 if target.exists() else new_mode
                os.chmod(tmp, mode)
            except OSError as exc:
                raise DumpError(str(target), f"cannot write: {exc.strerror or exc}") from None
        done: list[Path] = []
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                already = f" ({len(done)} files already replaced)" if done else ""
                raise DumpError(
                    str(target), f"cannot replace: {exc.strerror or exc}{already}"
                ) from None
            done.append(target)
    except BaseException:
        for tmp, _target in staged:
            with contextlib.suppress(OSError):  # already renamed, or never written
                os.unlink(tmp)
        raise
    _sync_folder(out)
    return [target for _tmp, target in staged]


def _sync_folder(out: Path) -> None:
    """Make the renames durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _phrase(est: Estimate) -> str:
    """An ``about`` link's ``means`` as written (its text), or a phrase of its bounds."""
    if est.text:
        return est.text
    if est.low is not None and est.low == est.high:
        return f"{est.low:g}"
    if est.high is None:
        return f"at least {est.low or 0:g}"
    if est.low is None:
        return f"at most {est.high:g}"
    return f"{est.low:g} to {est.high:g}"


def _link_specs(subject: Subject) -> dict[str, Any]:
    """The link keys of a subject's item in ``subjects.yaml`` (its :attr:`Subject.links`)."""
    out: dict[str, Any] = {}
    for link in subject.links:
        if link.kind is LinkKind.SUM_OF:
            out.setdefault("sum_of", []).append(link.target)
        elif link.date is not None:
            out[link.kind.value] = _spec.PlannedSpec(link.target, link.date.iso())
        elif link.means is not None:
            out[link.kind.value] = _spec.AboutSpec(link.target, _phrase(link.means))
        else:
            out[link.kind.value] = link.target
    return out
