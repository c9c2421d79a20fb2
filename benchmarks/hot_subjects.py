"""Hot subjects at news scale: findings, subjects table, series checks and the text report.

For each size (``--sizes 100k,1M,5M``) and ``--one-subject 1M`` (one subject holding every
claim), a fresh Python process generates a news-shaped claim set
(``claimtrack._synthetic.synthetic_claims(n, news=True)``: uncapped Zipf subject sizes, the
largest at least a tenth of the claims, claimants repeating one figure across many articles of
one publisher in a few wordings; valid claims, they round-trip through ``claims_from_frame``),
then, through the public API only:

1. ``result = claimtrack.compare(frame)`` (for the Dask rows, ``--dask-sizes``:
   ``engine="dask"`` on a ``LocalCluster`` of ``--workers`` processes, the claims read by the
   workers with ``dask.dataframe.read_parquet`` as large inputs are; writing that file and
   starting the cluster are not in the wall time);
2. ``result.findings()``, ``result.subjects`` and ``result.series``;
3. ``claimtrack.report(result, claimtrack.claims_from_frame(frame))``, the text report (with the
   report's default limit), the claim objects built from the frame first.

A step that is refused (``TooManyPairsError``: the all-pairs path refuses a hot subject of tens
of thousands of claims before it starts) or runs out of memory ends the run as a *refused* row
that says why, never a crash of the benchmark. When ``compare`` and ``findings()`` stop
enumerating every pair of a subject (the grouped path), the same script measures it.

In the same run, a fresh process computes a reference with DuckDB on the same frame: the
per-subject summaries (claims, claimants, sources, the consensus ``max(low)``–``min(high)``) and
the group-level comparisons: claims grouped by subject, claimant, interval and time (as-of date,
else publication), then a self-join of the groups only, within each subject (overlap, relative
gap, days apart, same claimant, a verdict from a ``CASE``, and how many claim pairs stand behind
each group pair), both written to Parquet. The ratio is claimtrack's wall time over DuckDB's.
The self-join of the groups is quadratic in the groups of a subject: more than
:data:`MAX_GROUP_PAIRS` group pairs is a refused row of the reference.

Wall time and peak memory are measured in two fresh processes per row, as in
``compare_scale.py`` (``_measure.py``): one timed, one sampling the PSS of the process tree every
50 ms (the Dask scheduler and workers included).

    python benchmarks/hot_subjects.py --sizes 100k --markdown              # a minute or two
    python benchmarks/hot_subjects.py --sizes 100k,1M,5M --one-subject 1M --dask-sizes 5M
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _measure import (
    GIB,
    MARK,
    TreeMemory,
    machine,
    max_rss,
    parse_size,
    run_child,
    size_text,
)

REFERENCE = "duckdb"
MAX_GROUP_PAIRS = 500_000_000
"""The most group pairs the DuckDB reference joins (one subject of a million claims in which
5 % are claims of their own makes about 50,000 groups and 1.25 billion group pairs); more is a
refused row, like the comparator's."""
_GROUPS_SQL = """
CREATE TABLE groups AS
SELECT row_number() OVER () AS gid, subject, any_value(kind) AS kind, claimant, lo, hi, t0, t1,
       count(*) AS claims, count(DISTINCT source) AS sources, min(claim) AS first_claim
FROM (
    SELECT claim, subject, kind, claimant, source,
           coalesce(low, -1e308) AS lo, coalesce(high, 1e308) AS hi,
           epoch(coalesce(as_of_start, published_start)) // 86400 AS t0,
           epoch(coalesce(as_of_end, published_end)) // 86400 AS t1
    FROM claims
)
GROUP BY subject, claimant, lo, hi, t0, t1
"""
_SUMMARY_SQL = """
COPY (
    SELECT subject, count(*) AS claims, count(DISTINCT claimant) AS claimants,
           count(DISTINCT source) AS sources, max(low) AS consensus_low,
           min(high) AS consensus_high, max(coalesce(as_of_end, published_end)) AS latest
    FROM claims GROUP BY subject ORDER BY subject
) TO '{path}' (FORMAT parquet)
"""
_GROUP_PAIRS_SQL = """
COPY (
    SELECT l.gid AS group_a, r.gid AS group_b, l.subject AS subject, l.first_claim AS claim_a,
           r.first_claim AS claim_b, l.claims * r.claims AS claim_pairs,
           l.lo <= r.hi AND r.lo <= l.hi AS overlap,
           CASE WHEN greatest(l.lo, r.lo) - least(l.hi, r.hi) > 0
                THEN (greatest(l.lo, r.lo) - least(l.hi, r.hi)) / abs(greatest(l.lo, r.lo))
                ELSE 0.0 END AS relative_gap,
           greatest(0, r.t0 - l.t1, l.t0 - r.t1) AS days_apart,
           l.claimant = r.claimant AS same_claimant,
           CASE
               WHEN l.claimant = r.claimant AND l.lo = r.lo AND l.hi = r.hi THEN 'repeat'
               WHEN l.claimant = r.claimant AND greatest(0, r.t0 - l.t1, l.t0 - r.t1) > 0
                    THEN 'update'
               WHEN l.lo <= r.hi AND r.lo <= l.hi THEN 'agree'
               WHEN greatest(0, r.t0 - l.t1, l.t0 - r.t1) > 366 THEN 'change'
               ELSE 'differ' END AS verdict
    FROM groups l JOIN groups r ON l.subject = r.subject AND l.gid < r.gid
) TO '{path}' (FORMAT parquet)
"""
_COLUMNS = [
    "claim", "subject", "kind", "claimant", "source", "low", "high", "as_of_start",
    "as_of_end", "published_start", "published_end",
]  # fmt: skip


def _generate(n: int, hot: int | None, seed: int) -> Any:
    from claimtrack._synthetic import synthetic_claims

    return synthetic_claims(n, seed=seed, news=True, hot=hot)


def _refused(exc: BaseException, step: str) -> dict[str, Any]:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return {"refused": f"{step}: {type(exc).__name__}: {message[:300]}"}


def _run_claimtrack(frame: Any, args: argparse.Namespace, engine: str) -> dict[str, Any]:
    import claimtrack

    steps: dict[str, float] = {}
    out: dict[str, Any] = {"steps": steps}
    cluster: Any = None
    client: Any = None
    claims_in: Any = frame
    if engine == "dask":  # the workers read the claims from Parquet, as large inputs do
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster

        path = Path(tempfile.mkdtemp(prefix="hot-dask-", dir=args.out_dir)) / "claims.parquet"
        import pandas as pd

        from claimtrack.compare import KERNEL_COLUMNS

        columns = frame[list(KERNEL_COLUMNS)]  # as compare_scale.py writes them
        texts = {c: "string" for c in columns if isinstance(columns[c].dtype, pd.CategoricalDtype)}
        columns.astype(texts).to_parquet(path, row_group_size=100_000)  # setup, not timed
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
        client = Client(cluster)
        claims_in = dd.read_parquet(path, split_row_groups=True)
    step = "compare"
    start = time.perf_counter()
    try:
        result = claimtrack.compare(claims_in, engine=engine, client=client)
        steps["compare"] = time.perf_counter() - start
        step = "findings"
        mark = time.perf_counter()
        findings = result.findings()
        steps["findings"] = time.perf_counter() - mark
        out["findings"] = len(findings)
        step = "subjects and series"
        mark = time.perf_counter()
        out["subjects"], out["series"] = len(result.subjects), len(result.series)
        steps["subjects and series"] = time.perf_counter() - mark
        step = "claims from the frame"
        mark = time.perf_counter()
        claims = claimtrack.claims_from_frame(frame)
        steps["claims"] = time.perf_counter() - mark
        step = "text report"
        mark = time.perf_counter()
        text = claimtrack.report(result, claims)
        steps["report"] = time.perf_counter() - mark
        out["report_bytes"] = len(text.encode("utf-8"))
    except (MemoryError, claimtrack.ClaimtrackError) as exc:  # the guard, or real exhaustion
        out.update(_refused(exc, step))
    finally:
        if client is not None:
            client.close()
            cluster.close()
    out["wall"] = time.perf_counter() - start
    return out


def _run_duckdb(frame: Any, args: argparse.Namespace, out_dir: Path) -> dict[str, Any]:
    import duckdb

    claims = frame[_COLUMNS]
    start = time.perf_counter()
    with duckdb.connect() as con:
        con.register("claims", claims)
        con.execute(_SUMMARY_SQL.format(path=str(out_dir / "summary.parquet")))
        con.execute(_GROUPS_SQL)
        groups = con.execute("SELECT count(*) FROM groups").fetchone()
        counted = con.execute(
            "SELECT sum(n * (n - 1) // 2) FROM (SELECT count(*) AS n FROM groups GROUP BY subject)"
        ).fetchone()
        planned = int(counted[0] or 0) if counted else 0
        if planned > MAX_GROUP_PAIRS:  # the reference's own guard: a self-join this big is hours
            (out_dir / "summary.parquet").unlink()
            return {
                "refused": f"the group self-join would make {planned:,} group pairs, more than "
                f"{MAX_GROUP_PAIRS:,}",
                "groups": int(groups[0]) if groups else 0,
                "group_pairs": planned,
                "wall": float("nan"),
            }
        con.execute(_GROUP_PAIRS_SQL.format(path=str(out_dir / "group-pairs.parquet")))
    wall = time.perf_counter() - start
    import pyarrow.parquet as pq

    pairs = pq.ParquetFile(out_dir / "group-pairs.parquet").metadata.num_rows
    for name in ("summary.parquet", "group-pairs.parquet"):
        (out_dir / name).unlink()
    return {"wall": wall, "groups": int(groups[0]) if groups else 0, "group_pairs": pairs}


def child(args: argparse.Namespace) -> dict[str, Any]:
    """One measurement in this fresh process: generate, then claimtrack or the reference."""
    from claimtrack._synthetic import pair_count

    n, hot = args.child_size, args.child_hot
    start = time.perf_counter()
    frame = _generate(n, hot, args.seed)
    generate = time.perf_counter() - start
    sizes = frame["subject"].value_counts().to_numpy()
    with TreeMemory(sampling=args.measure == "memory") as memory:
        after = memory.sample()
        if args.child == REFERENCE:
            work_dir = Path(tempfile.mkdtemp(prefix="hot-", dir=args.out_dir))
            result = _run_duckdb(frame, args, work_dir)
            work_dir.rmdir()
        else:
            result = _run_claimtrack(frame, args, args.child)
    result.update(
        engine=args.child,
        claims=n,
        set=args.child_set,
        largest=int(sizes.max()),
        all_pairs=pair_count(sizes),
        generate=generate,
        with_input=after,
        peak=max(max_rss(), memory.peak),
    )
    return result


def measure(
    engine: str, n: int, hot: int | None, name: str, args: argparse.Namespace
) -> dict[str, Any]:
    """A timed run and a memory-sampling run, each in a fresh interpreter."""
    runs = []
    for what in ("time", "memory"):
        command = [
            sys.executable,
            __file__,
            "--child",
            engine,
            "--child-size",
            str(n),
            "--child-set",
            name,
            "--seed",
            str(args.seed),
            "--measure",
            what,
            "--workers",
            str(args.workers),
            "--out-dir",
            str(args.out_dir),
        ]
        if hot is not None:
            command += ["--child-hot", str(hot)]
        try:
            runs.append(run_child(command, f"{engine} on {name}"))
        except RuntimeError as exc:  # killed (the kernel's OOM killer): a refused row
            runs.append({"refused": str(exc).splitlines()[0], "engine": engine, "set": name})
            runs[-1].update(claims=n, wall=float("nan"), peak=0, generate=float("nan"))
    timed, sampled = runs
    timed["peak"] = max(timed.get("peak", 0), sampled.get("peak", 0))
    return timed


def _short(reason: str) -> str:
    """A refusal's reason cut to a table cell: ``refused at compare: TooManyPairsError: ...``."""
    reason = reason.split(" (about ")[0]
    return "refused at " + (reason if len(reason) <= 110 else reason[:107] + "...")


def rows(results: list[dict[str, Any]]) -> list[list[str]]:
    reference = {r["set"]: r["wall"] for r in results if r["engine"] == REFERENCE}
    table = []
    for r in results:
        steps = r.get("steps", {})
        done = ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
        if r["engine"] == REFERENCE:
            done = f"{r['groups']:,} groups, {r['group_pairs']:,} group pairs"
        ref = reference.get(r["set"])
        refused = "refused" in r
        table.append(
            [
                r["set"],
                f"{r.get('largest', 0):,}",
                f"{r.get('all_pairs', 0):,}",
                r["engine"],
                f"{r.get('generate', float('nan')):.1f}",
                "—" if refused else f"{r['wall']:.1f}",
                f"{r['peak'] / GIB:.2f}",
                _short(r["refused"]) if refused else done,
                "" if refused or r["engine"] == REFERENCE or not ref else f"{r['wall'] / ref:.2f}",
            ]
        )
    return table


HEADERS = [
    "set",
    "largest subject",
    "all pairs",
    "engine",
    "generate s",
    "wall s",
    "peak GiB",
    "steps s (or why refused)",
    "× DuckDB",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M,5M", help="claim counts, e.g. 100k,1M")
    parser.add_argument(
        "--one-subject", default="", help="also a set of this many claims in one subject, e.g. 1M"
    )
    parser.add_argument(
        "--dask-sizes", default="", help="sizes also run on the Dask engine, e.g. 5M"
    )
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers")
    parser.add_argument("--no-reference", action="store_true", help="skip the DuckDB reference")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=None, help="scratch folder for DuckDB")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", type=Path, default=None, help="also save the results as JSON")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-hot", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-set", default="", help=argparse.SUPPRESS)
    parser.add_argument("--measure", choices=("time", "memory"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(MARK + json.dumps(child(args)), flush=True)
        return 0
    sets: list[tuple[str, int, int | None, list[str]]] = []
    dask = {parse_size(s) for s in args.dask_sizes.split(",") if s.strip()}
    for text in (s for s in args.sizes.split(",") if s.strip()):
        n = parse_size(text)
        sets.append((size_text(n), n, None, ["local", "dask"] if n in dask else ["local"]))
    if args.one_subject:
        n = parse_size(args.one_subject)
        sets.append((f"{size_text(n)} in one subject", n, n, ["local"]))
    from tabulate import tabulate

    results = []
    with tempfile.TemporaryDirectory(prefix="claimtrack-hot-") as scratch:
        if args.out_dir is None:
            args.out_dir = Path(scratch)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for name, n, hot, engines in sets:
            for engine in [*engines, *([] if args.no_reference else [REFERENCE])]:
                results.append(measure(engine, n, hot, name, args))
                r = results[-1]
                what = r.get("refused") or f"{r['wall']:.1f} s, {r['peak'] / GIB:.2f} GiB"
                print(f"{name} {engine}: {what}", file=sys.stderr, flush=True)
    print(machine())
    print(tabulate(rows(results), HEADERS, tablefmt="github" if args.markdown else "simple"))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
