"""Derived figures (``derived_from``: the sum of other claims) in the subjects table: a derived
figure is compared like any other, but it is never an origin of its own, so it adds no
corroboration to its subject's count of independent origins.

The claims of the subjects that hold a derived figure are prepared here on their own (they are
few), their pairs decided for the repeats that join origins, and the origins counted without the
derived figures; both engines call :func:`without_derived_origins` on the same claims.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimtrack.claimset import ClaimSet
from claimtrack.compare._decide import decide_range
from claimtrack.compare._pairs import PairSequence
from claimtrack.compare._policy import KernelPolicy
from claimtrack.compare._prepare import prepare_frame
from claimtrack.compare._summary import _distinct_per_block, origins


def derived_ids(claims: ClaimSet | None) -> frozenset[str]:
    """The ids of the derived figures of a claim set (none for a frame)."""
    if claims is None:
        return frozenset()
    return frozenset(c.id for c in claims if c.derived_from)


def without_derived_origins(
    table: pd.DataFrame,
    frame: pd.DataFrame,
    subjects: pd.DataFrame,
    derived: frozenset[str],
    policy: KernelPolicy,
) -> pd.DataFrame:
    """The subjects table with the origins of subjects holding derived figures counted without
    them (``frame``: the claims as compared; ``subjects``: the subjects table it is prepared
    with)."""
    if not derived:
        return table
    ids = frame["claim"].astype(object)
    wanted = sorted(set(frame["subject"].astype(object)[ids.isin(derived).to_numpy()]))
    claims = frame[frame["subject"].isin(wanted).to_numpy()].reset_index(drop=True)
    for column in claims.columns:
        if isinstance(claims[column].dtype, pd.CategoricalDtype):
            claims[column] = claims[column].cat.remove_unused_categories()
    listed = subjects[subjects["subject"].astype(object).isin(wanted).to_numpy()]
    prepared = prepare_frame(
        claims,
        listed.reset_index(drop=True),
        policy.summary_sections,
        texts=False,
        undated_sections=policy.undated_sections,
    )
    sequence = PairSequence.of(prepared["subject_index"].to_numpy())
    within = decide_range(prepared, sequence, 0, sequence.total, policy, reasons=None)
    labels = origins(len(prepared), within.links())
    labels[prepared["claim"].astype(object).isin(derived).to_numpy()] = -1  # not an origin
    block = prepared["subject_index"].to_numpy()
    blocks = int(block.max()) + 1 if len(block) else 0
    counts = _distinct_per_block(block, labels, blocks)
    first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
    names = prepared["subject"].to_numpy()[first]
    table = table.copy()
    at = pd.Index(table["subject"].astype(object)).get_indexer(names)
    values = table["origins"].to_numpy(dtype=np.int64).copy()
    values[at[at >= 0]] = np.asarray(counts, dtype=np.int64)[at >= 0]
    table["origins"] = values
    return table
