"""Pairs written to a folder: ``compare(claims, out=folder)`` and :func:`read_pairs`.

A comparison written with ``out`` is a Parquet dataset that ``pandas.read_parquet(folder)`` and
any Parquet reader open as the pairs (every column of a pairs frame except ``reason``):

- ``part-000000.parquet`` ...: the pairs, in the order of the pairs frame of the same comparison
  in memory (one part per worker process of the local engine, one per task of the Dask engine);
- ``_claims/``: the claims compared (the columns of :data:`KERNEL_COLUMNS`, in input order);
- ``_subjects.parquet``: the subjects' kinds, labels and kinds of time (when a :class:`ClaimSet` was compared);
- ``_links.parquet``: the pairs across declared links between subjects, reasons included (when
  there are any; :func:`read_pairs` reads them after the parts);
- ``_comparison.json``: what the folder holds (format version, rule names, every file written).

Parquet readers skip names starting with ``_``. The ``reason`` sentence of a pair is not stored:
it is a template of its rule filled with the two claims' texts and the numbers of the pair, so it
is written when the pairs are read with :func:`read_pairs` (or ``Comparison.pairs``), for the
pairs read only. That keeps writing fast and the folder small (reasons are about 180 characters a
pair; a million claims make about 30 million pairs).

How a folder is written (only over one compare wrote, whole or not at all, one run at a time)
is :mod:`claimtrack.compare._output`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from claimtrack.compare import _guard
from claimtrack.compare._arrays import _objects
from claimtrack.compare._decide import Decided, Links, Tally, explain
from claimtrack.compare._groups import claim_keys, line_labels
from claimtrack.compare._guard import check_reading, compact_links
from claimtrack.compare._links import read_links
from claimtrack.compare._policy import DEFAULT_COMPARE_POLICY, ComparePolicy, KernelPolicy
from claimtrack.compare._prepare import prepare
from claimtrack.compare._rules import Rule
from claimtrack.compare._schema import (
    DICTIONARY_COLUMNS,
    FILTER_COLUMNS,
    PAIR_COLUMNS,
    STORED_COLUMNS,
    as_pairs_frame,
    concat_pairs,
    empty_pairs,
    kernel_columns,
    pair_schema,
)
from claimtrack.errors import MissingExtraError, PairsFolderError

FORMAT = "claimtrack-pairs"
VERSION = 1
CLAIMS = "_claims"
SUBJECTS = "_subjects.parquet"
MANIFEST = "_comparison.json"


def require_pyarrow(what: str = "writing pairs to Parquet") -> None:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingExtraError(what, "parquet") from None


def part_name(k: int) -> str:
    """The file name of the ``k``-th part of the pairs."""
    return f"part-{k:06d}.parquet"


def write_manifest(folder: Path, rules: Iterable[Rule]) -> None:
    """The manifest of a folder of pairs: format, version, rule names, and every file in it (so
    that compare replaces only what it wrote, and :func:`read_pairs` sees a part missing)."""
    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if not p.is_dir() and p.name != MANIFEST
    )
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "rules": [r.name for r in rules],
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder`` when it is one compare wrote (``None`` if not)."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("format") == FORMAT else None


def listed_files(folder: Path) -> list[str] | None:
    """The files the manifest of ``folder`` lists, with the manifest itself; ``None`` when it has
    no manifest compare wrote, or one of an earlier release that listed no files."""
    found = _manifest(folder)
    files = None if found is None else found.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return [*files, MANIFEST]


def write_claims(folder: Path, frame: pd.DataFrame, subjects: pd.DataFrame | None) -> None:
    """The claims compared (and, for a claim set, the subjects' kinds and labels), for reasons."""
    require_pyarrow()
    (folder / CLAIMS).mkdir(exist_ok=True)
    claims = frame[kernel_columns(frame.columns)].reset_index(drop=True)
    # no min/max statistics: they cost half the writing (long texts) and no reader filters by them
    claims.to_parquet(folder / CLAIMS / part_name(0), index=False, write_statistics=False)
    if subjects is not None:
        subjects.to_parquet(folder / SUBJECTS, index=False)


def _check(folder: Path) -> list[Path]:
    """The part files of a folder compare wrote, checked against its manifest."""
    manifest = folder / MANIFEST
    if not folder.is_dir() or not manifest.is_file():
        raise PairsFolderError(
            str(folder), "not a folder of pairs written by compare(..., out=...)"
        )
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise PairsFolderError(str(manifest), "not a manifest compare wrote (not a JSON object)")
    if found.get("format") != FORMAT or found.get("version") != VERSION:
        raise PairsFolderError(
            str(manifest),
            f"format {found.get('format')!r} version {found.get('version')!r}; "
            f"this claimtrack reads {FORMAT!r} version {VERSION}",
        )
    listed = listed_files(folder)
    if listed is None:  # written before manifests listed their files
        return sorted(folder.glob("part-*.parquet"))
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if not p.is_dir() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }
    missing = sorted(set(listed) - present)
    extra = sorted(present - set(listed))
    for names, problem in (
        (missing, "files its manifest lists are missing"),
        (extra, "it holds files its manifest does not list, which are not of this comparison"),
    ):
        if names:
            more = f" and {len(names) - 10} more" if len(names) > 10 else ""
            raise PairsFolderError(
                str(folder),
                f"{problem} ({', '.join(names[:10])}{more}); compare again into a new folder, "
                "or move the files that are not its own out",
            )
    return [folder / f for f in sorted(listed) if f.startswith("part-") and "/" not in f]


def read_pairs(
    path: str | os.PathLike[str],
    policy: ComparePolicy | None = None,
    *,
    verdicts: Iterable[str] | None = None,
    subjects: Iterable[str] | None = None,
    reasons: bool = True,
) -> pd.DataFrame:
    """The pairs of a comparison written with ``compare(..., out=path)``, as a pairs frame.

    ``verdicts`` and ``subjects`` select pairs (read from the files' statistics and dictionaries,
    so a few subjects of a large comparison read fast). With ``reasons`` (the default), each
    pair's ``reason`` sentence is written for the pairs read, from the stored claims; this needs
    ``policy`` to be the policy compared with when it has other ``rules`` or ``hedges`` than the
    default (``Comparison.pairs`` passes it). Without, the ``reason`` column is left out.
    """
    require_pyarrow("reading pairs from Parquet")
    policy = DEFAULT_COMPARE_POLICY if policy is None else policy
    folder = Path(path)
    parts = _check(folder)
    filters: list[tuple[str, str, Any]] = []
    if verdicts is not None:
        filters.append(("verdict", "in", sorted({str(v) for v in verdicts})))
    if subjects is not None:
        filters.append(("subject", "in", sorted({str(s) for s in subjects})))
    check_reading(folder, parts, filters, policy.max_pairs_in_memory)
    if parts:
        read: Any = pd.read_parquet  # pandas' stubs do not know a list of files
        pairs = read([str(p) for p in parts], columns=list(STORED_COLUMNS), filters=filters or None)
        pairs = as_pairs_frame(pd.DataFrame(pairs)).reset_index(drop=True)
    else:
        pairs = empty_pairs().drop(columns="reason")
    linked = read_links(
        folder,
        None if verdicts is None else sorted({str(v) for v in verdicts}),
        None if subjects is None else sorted({str(s) for s in subjects}),
        reasons,
    )
    if not reasons:
        return pairs if linked is None else concat_pairs([pairs, linked])
    texts = _reasons(folder, pairs, policy) if len(pairs) else np.zeros(0, dtype=object)
    with_reasons: pd.DataFrame = pairs.assign(reason=_objects(texts))[list(PAIR_COLUMNS)]
    return with_reasons if linked is None else concat_pairs([with_reasons, linked])


def folder_groups(path: str | os.PathLike[str], subjects: Any, policy: KernelPolicy) -> Any:
    """Per claim id of ``subjects`` among the claims stored in the folder of a comparison, its
    line (what findings are grouped by: :func:`claimtrack.compare._groups.line_labels`)."""
    folder = Path(path)
    wanted = set(pd.unique(np.asarray(subjects, dtype=object)))
    claims = pd.read_parquet(folder / CLAIMS)
    claims = claims[claims["subject"].astype(object).isin(wanted).to_numpy()]
    claims = claims.reset_index(drop=True)
    table = None
    if (folder / SUBJECTS).is_file():
        table = pd.read_parquet(folder / SUBJECTS).astype(object)
    ready = prepare(claims, policy, subjects=table, texts=False)
    labels = claim_keys(
        line_labels(ready.rows, ready.claims.compared),
        ready.rows["origin_code"].to_numpy(dtype=np.int64),
    )
    return pd.Series(labels, index=pd.Index(ready.rows["claim"].to_numpy(dtype=object)))


def _reasons(folder: Path, pairs: pd.DataFrame, policy: KernelPolicy) -> Any:
    """The reason of every pair, from the stored claims of the pairs' subjects."""
    wanted = pd.unique(pairs["subject"].to_numpy())
    claims = pd.read_parquet(folder / CLAIMS)
    claims = claims[claims["subject"].astype(object).isin(set(wanted)).to_numpy()]
    claims = claims.reset_index(drop=True)
    table = None
    if (folder / SUBJECTS).is_file():
        table = pd.read_parquet(folder / SUBJECTS).astype(object)
    prepared = prepare(claims, policy, subjects=table).rows
    position = pd.Index(prepared["claim"].to_numpy())
    i = position.get_indexer(pairs["claim_a"].to_numpy())
    j = position.get_indexer(pairs["claim_b"].to_numpy())
    rules = tuple(policy.rules)
    names = pd.Index([r.name for r in rules])
    rule = names.get_indexer(pd.Index(pairs["rule"].to_numpy()))
    if (i < 0).any() or (j < 0).any():
        raise PairsFolderError(str(folder), f"pairs name claims that are not in {folder / CLAIMS}")
    if (rule < 0).any():
        unknown = sorted(set(pairs["rule"][rule < 0]))
        raise PairsFolderError(
            str(folder),
            f"pairs were decided by rules {', '.join(unknown)} that the policy does not "
            "have; pass the policy they were compared with (read_pairs(path, policy))",
        )
    return explain(prepared, i.astype(np.int64), j.astype(np.int64), rule, policy)


def write_parquet(chunks: Iterable[Decided], path: Path) -> tuple[Links, list[Tally]]:
    """Write the pairs of every chunk (:func:`decide_for_parquet`), without reasons, to one
    Parquet file (a row group per chunk); return the repeat and update links (compacted when
    they grow: :func:`compact_links`) and the verdict counts per subject of each chunk, which is
    all the summary needs.

    A chunk is written by a background thread while the next one is compared, so at most two
    chunks are held at once. Ids, subjects, kinds, verdicts and rules are dictionary-encoded (they
    read back as categoricals).
    """
    require_pyarrow()
    import pyarrow.parquet as pq

    links: list[Links] = []
    held = compacted = 0  # links held, and how many of them were compacted last
    tallies: list[Tally] = []
    writer = pq.ParquetWriter(
        path,
        pair_schema(reasons=False),
        compression="snappy",
        use_dictionary=list(DICTIONARY_COLUMNS),
        write_statistics=list(FILTER_COLUMNS),
    )
    pending: Future[None] | None = None
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimtrack-parquet") as pool:
            for table, chunk_links, tally in chunks:
                if not len(table):
                    continue
                links.append(chunk_links)
                held += len(chunk_links.a)
                if held - compacted > max(_guard.COMPACT_LINKS_AT, compacted):
                    links = [compact_links(Links.join(links))]
                    held = compacted = len(links[0].a)
                tallies.append(tally)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table)
                del table
            if pending is not None:
                pending.result()
    finally:
        writer.close()
    return Links.join(links), tallies
