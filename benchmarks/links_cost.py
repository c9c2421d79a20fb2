"""What declared links between subjects cost: one generated claim set compared with and without
links, best of N with the spread.

The claims are :func:`claimtrack._synthetic.synthetic_claims` (a million by default: Zipf-sized
subjects and one hot subject, ~30 pairs per claim). The links join a share of the subjects
(``--share``, 2 % by default) two by two within a kind: quantities by ``adds_to`` and
``lower_bound_of`` (alternately), statements by ``negates``, event dates by ``follows`` — each subject at most
once, the hot subject never. Both variants compare the same
frame with ``claimtrack.compare(frame, out=folder, subjects=...)`` (the local engine writing to
Parquet, as ``benchmarks/compare_scale.py`` runs it), alternating, ``--repeat`` times each; the
table gives the best wall time, the spread (best to worst), and the overhead of the best with links
over the best without.

    python benchmarks/links_cost.py                      # 1M claims, 3 runs each, markdown table
    python benchmarks/links_cost.py --claims 100k --repeat 5
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import claimtrack
from claimtrack import LinkKind, Subject, SubjectLink
from claimtrack._synthetic import synthetic_claims


def parse_size(text: str) -> int:
    text = text.strip().lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def linked_subjects(frame: pd.DataFrame, share: float, seed: int = 0) -> dict[str, Subject]:
    """Subjects of ``frame`` joined two by two (within a kind) by links, ``share`` of them."""
    rng = np.random.default_rng(seed)
    sizes = frame["subject"].astype(str).value_counts()
    hot = str(sizes.index[0])
    kinds = frame.groupby(frame["subject"].astype(str), observed=True)["kind"].first()
    out: dict[str, Subject] = {}
    for kind, ids in kinds.groupby(kinds.astype(str)).groups.items():
        if kind not in ("quantity", "statement", "event_date"):
            continue
        pool = np.array([str(i) for i in ids if str(i) != hot], dtype=object)
        pool = pool[rng.permutation(len(pool))][: int(len(pool) * share) // 2 * 2]
        for k, (a, b) in enumerate(zip(pool[0::2], pool[1::2], strict=True)):
            if kind == "quantity":
                link = LinkKind.ADDS_TO if k % 2 == 0 else LinkKind.LOWER_BOUND_OF
            elif kind == "statement":
                link = LinkKind.NEGATES
            else:
                link = LinkKind.FOLLOWS
            unit = "people" if kind == "quantity" else None
            out[a] = Subject(a, a, str(kind), "generated", unit, links=[SubjectLink(link, b)])
            out[b] = Subject(b, b, str(kind), "generated", unit)
    return out


def _one(frame: pd.DataFrame, subjects: dict[str, Subject] | None, folder: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    claimtrack.compare(frame, out=folder, subjects=subjects)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.02)
    args = parser.parse_args()
    n = parse_size(args.claims)
    frame = synthetic_claims(n, seed=0)
    subjects = linked_subjects(frame, args.share)
    links = sum(len(s.links) for s in subjects.values())
    times: dict[str, list[float]] = {"without links": [], "with links": []}
    work = Path(tempfile.mkdtemp(prefix="links-cost-"))
    link_pairs = 0
    try:
        for k in range(args.repeat):
            times["without links"].append(_one(frame, None, work / "without"))
            times["with links"].append(_one(frame, subjects, work / "with"))
            shown = ", ".join(f"{name} {runs[-1]:.1f} s" for name, runs in times.items())
            print(f"run {k + 1}: {shown}", flush=True)
        link_pairs = len(pd.read_parquet(work / "with" / "_links.parquet", columns=["link"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v) for k, v in times.items()}
    print(f"{n:,} claims, {links:,} links, {link_pairs:,} link pairs, best of {args.repeat}\n")
    print("| variant | best (s) | spread (s) | overhead |")
    print("|---|---|---|---|")
    for name, runs in times.items():
        over = (best[name] / best["without links"] - 1) * 100
        over_text = "—" if name == "without links" else f"{over:+.1f}%"
        print(f"| {name} | {min(runs):.1f} | {min(runs):.1f}–{max(runs):.1f} | {over_text} |")


if __name__ == "__main__":
    main()
