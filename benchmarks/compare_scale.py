"""How fast and how lean the comparator is at scale, against DuckDB doing the same join.

For each size (``--sizes 10k,100k,1M``) and engine (``--engines local``; ``dask`` once
``claimtrack.distributed`` exists), a fresh Python process generates a synthetic claim set
(:mod:`claimtrack._synthetic`: Zipf-sized subjects plus one hot subject, ~30 pairs per claim),
then compares it with ``claimtrack.compare(frame, out=...)``, writing every kept pair to Parquet.
In the same run a fresh process does the reference on the same data: DuckDB joins the claims
frame with itself on ``subject`` (``l.claim < r.claim``), computes ``overlap`` with a ``CASE``,
and writes the pairs to Parquet. Both sides start from the generated frame in memory and end with
a Parquet file holding one row per pair, so wall times are comparable; the comparator
additionally decides a verdict per pair (see docs/performance.md). The fair reference
(``duckdb-fair``) computes in SQL what the comparator writes: the same 13 pair columns (overlap,
relative gap, days apart, same claimant/publisher/source, a quote similarity of same-publisher
pairs with DuckDB's ``levenshtein``) and a verdict from a ``CASE`` over them. Both ratios are
reported, the best and the spread of the runs paired repeat by repeat (``--repeat``: each repeat
runs every engine and reference in turn).

Measured per run: generation time (separately), wall time of the comparison, claims/s, pairs/s
(rows written), and the peak memory of the whole process tree: ``ru_maxrss`` of the process,
and the sum of the proportional set sizes (PSS) of the process and every process it started
(the local engine's forked workers, Dask's scheduler and workers), sampled every 50 ms with
psutil; the larger of the two is reported. PSS counts a page shared by n processes as 1/n in
each, so pages a forked worker shares with its parent are counted once.

Time and memory are measured in two separate fresh processes per run, for every engine and the
reference alike: reading the PSS of a large process walks its page tables while holding its
memory-map lock (tens of milliseconds a sample at a million claims), which slows what is being
timed by 5-10%. The timed process samples PSS only before and after; the memory process samples
every 50 ms and its wall time is not used.

    python benchmarks/compare_scale.py --sizes 10k,100k,1M --repeat 2 --markdown
    python benchmarks/compare_scale.py --sizes 1M --engines local,dask --workers 2

DuckDB is a benchmark dependency only (``pip install claimtrack[bench]``).
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

ENGINES = ("local", "dask")
REFERENCE = "duckdb"
FAIR = "duckdb-fair"
REFERENCES = (REFERENCE, FAIR)
_SQL = """
COPY (
    SELECT l.claim AS claim_a, r.claim AS claim_b, l.subject AS subject,
           CASE WHEN l.low <= r.high AND r.low <= l.high THEN true ELSE false END AS overlap
    FROM claims l JOIN claims r ON l.subject = r.subject AND l.claim < r.claim
) TO '{path}' (FORMAT parquet)
"""
_FAIR_SQL = """
COPY (
    WITH c AS (
        SELECT claim, subject, kind, claimant, publisher, source, quote, stance,
               coalesce(low, -1e308) AS lo, coalesce(high, 1e308) AS hi, low,
               epoch(coalesce(as_of_start, published_start)) // 86400 AS t0,
               epoch(coalesce(as_of_end, published_end)) // 86400 AS t1
        FROM claims
    ), p AS (
        SELECT l.claim AS claim_a, r.claim AS claim_b, l.subject AS subject, l.kind AS kind,
               l.lo <= r.hi AND r.lo <= l.hi AS overlap,
               CASE WHEN l.kind = 'quantity' AND r.kind = 'quantity' THEN
                   CASE WHEN greatest(l.lo, r.lo) - least(l.hi, r.hi) > 0
                        THEN (greatest(l.lo, r.lo) - least(l.hi, r.hi)) / abs(greatest(l.lo, r.lo))
                        ELSE 0.0 END
               END AS relative_gap,
               greatest(0, r.t0 - l.t1, l.t0 - r.t1) AS days_apart,
               l.claimant = r.claimant AS same_claimant,
               l.publisher = r.publisher AS same_publisher,
               l.source = r.source AS same_source,
               CASE WHEN l.publisher = r.publisher THEN
                   1.0 - levenshtein(l.quote, r.quote) / greatest(length(l.quote), length(r.quote))
               END AS quote_similarity,
               l.stance AS stance_a, r.stance AS stance_b, l.lo = r.lo AND l.hi = r.hi AS equal,
               (l.lo <= r.lo AND r.hi <= l.hi) OR (r.lo <= l.lo AND l.hi <= r.hi) AS nested
        FROM c l JOIN c r ON l.subject = r.subject AND l.claim < r.claim
    ), v AS (
        SELECT *, CASE
            WHEN kind = 'statement' AND stance_a <> stance_b
                 AND 'denies' IN (stance_a, stance_b) THEN 'contradict'
            WHEN kind = 'statement' THEN 'agree'
            WHEN same_source AND days_apart = 0 AND NOT overlap THEN 'inconsistent'
            WHEN same_claimant AND equal THEN 'repeat'
            WHEN quote_similarity >= 0.9 AND equal THEN 'repeat'
            WHEN same_claimant AND days_apart > 0 AND NOT equal THEN 'update'
            WHEN overlap AND equal THEN 'agree'
            WHEN overlap AND nested THEN 'refine'
            WHEN overlap THEN 'agree'
            WHEN days_apart > 366 THEN 'change'
            ELSE 'differ' END AS verdict
        FROM p
    )
    SELECT claim_a, claim_b, subject, kind, verdict, verdict || '-sql' AS rule, overlap,
           relative_gap, days_apart, same_claimant, same_publisher, same_source, quote_similarity
    FROM v
) TO '{path}' (FORMAT parquet)
"""
"""The fair reference: the comparator's 13 pair columns and a verdict from a CASE over the same
facts (overlap, relative gap, days apart, same claimant/publisher/source, quote similarity of
same-publisher pairs by DuckDB's ``levenshtein``). Not the comparator's rules: a database doing
work of the same kind per pair, to compare speeds with."""
_FAIR_COLUMNS = [
    "claim", "subject", "kind", "claimant", "publisher", "source", "quote", "stance", "low",
    "high", "as_of_start", "as_of_end", "published_start", "published_end",
]  # fmt: skip


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]  # not _claims/
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def _run_local(
    frame: Any, path: Path, args: argparse.Namespace, memory: TreeMemory
) -> dict[str, Any]:
    import claimtrack

    start = time.perf_counter()
    claimtrack.compare(frame, out=path, workers=args.local_workers)
    wall = time.perf_counter() - start
    peak = max(max_rss(), memory.peak)  # of comparing, before reading anything back
    # reasons are written when pairs are read: time reading the pairs of 1% of the subjects
    subjects = sorted(set(frame["subject"].astype(str)))[50::100]
    start = time.perf_counter()
    read = claimtrack.read_pairs(path, subjects=subjects)
    read_s = time.perf_counter() - start
    return {"wall": wall, "peak": peak, "read": read_s, "read_pairs": len(read)}


def _run_dask(
    frame: Any, path: Path, args: argparse.Namespace, memory: TreeMemory
) -> dict[str, Any]:
    import importlib

    import claimtrack

    distributed: Any = importlib.import_module("dask.distributed")  # untyped
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    import pandas as pd

    dd: Any = importlib.import_module("dask.dataframe")
    from claimtrack.compare import KERNEL_COLUMNS

    # the workers read the claims from Parquet, as large inputs do (docs/scaling.md); writing the
    # file and starting the cluster are setup, not part of the wall time
    start = time.perf_counter()
    claims_file = path.with_name(path.stem + "-claims.parquet")
    columns = frame[list(KERNEL_COLUMNS)]
    texts = {
        c: "string" for c in columns.columns if isinstance(columns[c].dtype, pd.CategoricalDtype)
    }
    columns.astype(texts).to_parquet(claims_file, row_group_size=100_000)
    del columns
    del frame
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        setup = time.perf_counter() - start
        start = time.perf_counter()
        claims = dd.read_parquet(claims_file, split_row_groups=True)
        claimtrack.compare(claims, engine="dask", out=path, client=client)
        wall = time.perf_counter() - start
    return {"wall": wall, "setup": setup}


def _run_duckdb(
    frame: Any, path: Path, args: argparse.Namespace, memory: TreeMemory
) -> dict[str, Any]:
    import duckdb

    claims = frame[["claim", "subject", "low", "high"]]
    start = time.perf_counter()
    with duckdb.connect() as con:
        con.register("claims", claims)
        con.execute(_SQL.format(path=str(path).replace("'", "''")))
    return {"wall": time.perf_counter() - start}


def _run_duckdb_fair(
    frame: Any, path: Path, args: argparse.Namespace, memory: TreeMemory
) -> dict[str, Any]:
    import duckdb

    claims = frame[_FAIR_COLUMNS]
    start = time.perf_counter()
    with duckdb.connect() as con:
        con.register("claims", claims)
        con.execute(_FAIR_SQL.format(path=str(path).replace("'", "''")))
    return {"wall": time.perf_counter() - start}


RUNNERS = {"local": _run_local, "dask": _run_dask, REFERENCE: _run_duckdb, FAIR: _run_duckdb_fair}


def child(engine: str, n: int, out_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One measurement, in this (fresh) process: generate, then compare or run the reference."""
    from claimtrack._synthetic import synthetic_claims

    start = time.perf_counter()
    frame = synthetic_claims(n, seed=args.seed)
    generate = time.perf_counter() - start
    path = out_dir / f"pairs-{engine}-{size_text(n)}.parquet"
    with TreeMemory(sampling=args.measure == "memory") as memory:
        after_generate = memory.sample()
        result = RUNNERS[engine](frame, path, args, memory)
    result.update(
        engine=engine,
        claims=n,
        pairs=_rows(path),
        generate=generate,
        rss_input=after_generate,
        peak=result.pop("peak", None) or max(max_rss(), memory.peak),
        bytes=sum(f.stat().st_size for f in ([path] if path.is_file() else path.rglob("*"))),
    )
    if not args.keep_files:
        if path.is_dir():
            for f in sorted(path.rglob("*"), reverse=True):
                f.unlink() if f.is_file() else f.rmdir()
            path.rmdir()
        else:
            path.unlink()
    return result


# -- orchestrating (in the parent process) -------------------------------------------------------


def measure(engine: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """One run: the wall time from a fresh interpreter that does not sample memory while it
    runs, the peak memory from another that does (see the module docstring)."""
    timed = _measure_in_child(engine, n, args, "time")
    sampled = _measure_in_child(engine, n, args, "memory")
    timed["peak"] = max(timed["peak"], sampled["peak"])
    timed["wall_sampled"] = sampled["wall"]
    return timed


def _measure_in_child(engine: str, n: int, args: argparse.Namespace, what: str) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter and return what it measured."""
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--sizes",
        str(n),
        "--out-dir",
        str(args.out_dir),
        "--seed",
        str(args.seed),
        "--measure",
        what,
        "--workers",
        str(args.workers),
    ]
    if args.local_workers is not None:
        command += ["--local-workers", str(args.local_workers)]
    if args.keep_files:
        command.append("--keep-files")
    return run_child(command, f"{engine} at {n:,} claims")


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run, with the highest peak memory of all runs."""
    best = dict(min(runs, key=lambda r: r["wall"]))
    best["peak"] = max(r["peak"] for r in runs)
    best["runs"] = [round(r["wall"], 2) for r in runs]
    best["all_runs"] = [r["wall"] for r in runs]
    return best


def _ratios(runs: list[float], reference: list[float] | None) -> str:
    """The wall time as a multiple of a reference's, run by run (the i-th run of each in one
    repeat): the best ratio of the best runs and the spread of the paired ones."""
    if not reference:
        return ""
    paired = [a / b for a, b in zip(runs, reference, strict=False)]
    best = min(runs) / min(reference)
    if len(paired) < 2:
        return f"{best:.2f}"
    return f"{best:.2f} ({min(paired):.2f}–{max(paired):.2f})"


def rows(results: list[dict[str, Any]]) -> list[list[Any]]:
    walls = {(r["claims"], r["engine"]): r["all_runs"] for r in results}
    table = []
    for r in results:
        join = walls.get((r["claims"], REFERENCE))
        fair = walls.get((r["claims"], FAIR))
        is_reference = r["engine"] in REFERENCES
        table.append(
            [
                size_text(r["claims"]),
                r["engine"],
                f"{r['pairs']:,}",
                f"{r['generate']:.1f}",
                f"{r['wall']:.2f}"
                + (f" ({', '.join(map(str, r['runs']))})" if len(r["runs"]) > 1 else ""),
                f"{r['claims'] / r['wall']:,.0f}",
                f"{r['pairs'] / r['wall']:,.0f}",
                f"{r['peak'] / GIB:.2f}",
                f"{r['rss_input'] / GIB:.2f}",
                f"{r['bytes'] / 2**20:,.0f}",
                "" if is_reference else _ratios(r["all_runs"], join),
                "" if is_reference else _ratios(r["all_runs"], fair),
                f"{r['read']:.2f} ({r['read_pairs']:,})" if "read" in r else "",
            ]
        )
    return table


HEADERS = [
    "claims",
    "engine",
    "pairs written",
    "generate s",
    "wall s",
    "claims/s",
    "pairs/s",
    "peak memory GiB",
    "with input GiB",
    "file MiB",
    "× DuckDB join",
    "× DuckDB fair",
    "read 1% s (pairs)",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="claim counts, e.g. 10k,100k,1M,5M")
    parser.add_argument("--engines", default="local", help=f"comma list of {', '.join(ENGINES)}")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size and engine (best wall)"
    )
    parser.add_argument("--out-dir", type=Path, default=None, help="where pairs are written")
    parser.add_argument("--no-reference", action="store_true", help="skip the DuckDB references")
    parser.add_argument(
        "--references",
        default=",".join(REFERENCES),
        help=f"comma list of {', '.join(REFERENCES)}: the 4-column self-join and the fair "
        "reference (13 pair columns and a verdict in SQL)",
    )
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers")
    parser.add_argument(
        "--local-workers",
        type=int,
        default=None,
        help="the local engine's worker processes (compare(workers=...); default: its own)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-files", action="store_true", help="keep the Parquet files")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", type=Path, default=None, help="also save the results as JSON")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--measure", choices=("time", "memory"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.child:
        print(MARK + json.dumps(child(args.child, sizes[0], args.out_dir, args)), flush=True)
        return 0
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}: use {', '.join(ENGINES)}")
    if not args.no_reference:
        references = [r.strip() for r in args.references.split(",") if r.strip()]
        if set(references) - set(REFERENCES):
            parser.error(f"unknown reference(s): use {', '.join(REFERENCES)}")
        engines += references
    with tempfile.TemporaryDirectory(prefix="claimtrack-bench-") as scratch:
        if args.out_dir is None:
            args.out_dir = Path(scratch)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        results = []
        for n in sizes:  # repeat by repeat, every engine and reference in turn: ratios pair
            runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in engines}
            for _ in range(args.repeat):
                for engine in engines:
                    runs[engine].append(measure(engine, n, args))
            for engine in engines:
                results.append(_best(runs[engine]))
                print(f"{size_text(n)} {engine}: {results[-1]['runs']} s", file=sys.stderr)
    from tabulate import tabulate

    print(machine())
    print(tabulate(rows(results), HEADERS, tablefmt="github" if args.markdown else "simple"))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
