"""``compare``: the arguments checked, and the engine chosen."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._local import compare_local
from claimtrack.compare._policy import DEFAULT_COMPARE_POLICY, ComparePolicy
from claimtrack.compare._result import Comparison
from claimtrack.errors import MissingExtraError
from claimtrack.frame import check_claims_frame
from claimtrack.subject import Subject


def compare(
    claims: ClaimSet | pd.DataFrame,
    policy: ComparePolicy = DEFAULT_COMPARE_POLICY,
    *,
    out: str | os.PathLike[str] | None = None,
    engine: str = "local",
    client: Any = None,
    workers: int | None = None,
    subjects: Mapping[str, Subject] | None = None,
) -> Comparison:
    """Compare every pair of claims within each subject.

    Without ``out``, pairs of interchangeable claims are decided one pair of groups at a time
    where that is exact (``ComparePolicy.decide_by``, ``Comparison.decided_by``; see
    ``docs/comparing.md``, "How a comparison scales"): the subjects table, series checks and
    findings are those of every pair, and ``Comparison.pairs`` decides every pair when read.

    ``claims`` is a :class:`ClaimSet` or a frame shaped like :meth:`ClaimSet.to_frame` (so claims
    built in pandas, or read from Parquet, can be compared without building objects). With ``out``,
    pairs are written to that folder (a Parquet dataset, see :func:`read_pairs`) chunk by chunk
    instead of being held in memory (needs ``pyarrow``); ``workers`` worker processes decide
    and write them (default: one per CPU, at most 8, on Linux when there are many pairs; ``1``:
    this process alone, with two threads). ``engine="dask"`` runs the same kernel on a Dask
    cluster (see :func:`claimtrack.distributed.compare_dask`). ``subjects`` gives a claims frame
    the subjects of its registries, for the links between subjects they declare (a
    :class:`ClaimSet` has its own; the local engine only).

    Drafted claims not yet reviewed (:attr:`Claim.draft`) are left out unless
    ``policy.include_drafts``; ``Comparison.drafts_left_out`` says how many. A frame carries no
    draft marks: leave drafts out before making one (``claims.filter(drafts=False).to_frame()``).
    """
    if workers is not None:
        only = "workers applies to the local engine writing pairs to a folder (out=...)"
        if engine != "local":
            raise ValueError(f"{only}; a Dask cluster has its own workers")
        if out is None:
            raise ValueError(only)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, not {workers!r}")
    if subjects is not None:
        if isinstance(claims, ClaimSet):
            raise ValueError("subjects is for a claims frame: a ClaimSet has its own subjects")
        if engine != "local":
            raise ValueError("subjects (links for a claims frame) applies to the local engine")
    if isinstance(claims, pd.DataFrame):  # a frame meets a claim file's invariants, at the edge
        claims = check_claims_frame(claims)
    left_out = 0
    if isinstance(claims, ClaimSet) and not policy.include_drafts:
        reviewed = claims.filter(drafts=False)
        left_out = len(claims) - len(reviewed)
        claims = reviewed if left_out else claims
    return attrs.evolve(
        _run(
            claims,
            policy,
            out=out,
            engine=engine,
            client=client,
            workers=workers,
            subjects=subjects,
        ),
        drafts_left_out=left_out,
    )


def _run(
    claims: Any,
    policy: ComparePolicy,
    *,
    out: str | os.PathLike[str] | None,
    engine: str,
    client: Any,
    workers: int | None,
    subjects: Mapping[str, Subject] | None,
) -> Comparison:
    if engine == "dask":
        try:  # dask is optional: the engine is imported only when asked for
            for name in ("dask", "dask.dataframe", "dask.distributed"):
                importlib.import_module(name)
        except ImportError:
            raise MissingExtraError("the dask engine", "dask") from None
        from claimtrack.compare._dask import compare_dask  # needs dask: imported when used

        return compare_dask(claims, policy, out=out, client=client)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    return compare_local(claims, policy, out=out, workers=workers, subjects=subjects)
