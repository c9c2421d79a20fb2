"""How good and how fast `claimtrack draft` is.

Quality: each seed article (``../shared/seeds``) is drafted with the bundled registries alone
(``claims/entities.yaml`` and ``claims/subjects.yaml``, none of the curated claim files) and its
publication date and publisher as curated, then scored against the curated claim file:

- figures: curated quantities, day counts and event dates with a drafted claim of the same kind
  at an overlapping span (half the shorter span) and the same value (interval, ordinal, dates);
- statements: curated statements with a drafted statement there with the same stance;
- claimant: curated claims with a drafted claim of their kind there naming the same claimant;
- subject top 3: curated claims with a drafted claim of their kind there whose three best
  existing subject suggestions hold the curated subject;
- precision: drafted claims that stand where a curated claim of their kind stands;
- verbatim: drafted quotes equal to the text at their offsets.

Speed: a folder of generated articles (page chrome, figures, attributed statements, names from
the registry) drafted with ``claimtrack.draft.draft_folder``, in articles per second.

    python benchmarks/draft_quality.py [--seeds ../shared/seeds] [--articles 10000] [--workers 1 2]
        [--repeat 3]

Each number of processes is run ``--repeat`` times over the same folder: the best, median and
worst wall-clock rates say how much the machine's load moved them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import claimtrack
from claimtrack import Claim, DayCount, Estimate, FuzzyDate, Statement
from claimtrack.draft import Draft, DraftClaim, draft, draft_folder

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    claimtrack.SubjectKind.QUANTITY,
    claimtrack.SubjectKind.DAY_COUNT,
    claimtrack.SubjectKind.EVENT_DATE,
)


def _span(text: str, quote: str) -> tuple[int, int] | None:
    at = text.find(quote)
    return None if at < 0 else (at, at + len(quote))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _same_value(curated: Claim, drafted: DraftClaim) -> bool:
    a, b = curated.value, drafted.parsed
    if isinstance(a, Estimate) and isinstance(b, Estimate):
        return (a.low, a.high) == (b.low, b.high)
    if isinstance(a, DayCount) and isinstance(b, DayCount):
        return a.ordinal == b.ordinal
    if isinstance(a, FuzzyDate) and isinstance(b, FuzzyDate):
        return (a.start, a.end) == (b.start, b.end)
    if isinstance(a, Statement) and isinstance(b, Statement):
        return a.stance == b.stance
    return False


def score(curated: list[Claim], result: Draft) -> dict[str, tuple[int, int]]:
    text = result.text
    spans = {c.id: _span(text, c.quote) for c in curated}
    at = {
        c.id: [
            d
            for d in result.claims
            if d.kind is c.kind
            and spans[c.id] is not None
            and _overlaps(spans[c.id], (d.start, d.end))
        ]
        for c in curated
    }
    figures = [c for c in curated if c.kind in FIGURES]
    statements = [c for c in curated if c.kind is claimtrack.SubjectKind.STATEMENT]
    matched_drafts = {
        id(d)
        for d in result.claims
        for c in curated
        if d.kind is c.kind and spans[c.id] is not None and _overlaps(spans[c.id], (d.start, d.end))
    }
    return {
        "figures": (sum(any(_same_value(c, d) for d in at[c.id]) for c in figures), len(figures)),
        "statements": (
            sum(any(_same_value(c, d) for d in at[c.id]) for c in statements),
            len(statements),
        ),
        "claimant": (
            sum(any(d.claimant == c.claimant for d in at[c.id]) for c in curated),
            len(curated),
        ),
        "subject_top3": (
            sum(
                any(c.subject in [s.id for s in d.subjects if not s.new][:3] for d in at[c.id])
                for c in curated
            ),
            len(curated),
        ),
        "precision": (len(matched_drafts), len(result.claims)),
        "verbatim": (
            sum(d.quote == text[d.start : d.end] and d.quote in text for d in result.claims),
            len(result.claims),
        ),
    }


def quality(seeds: Path, registries: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    claims = claimtrack.load(ROOT / "claims")
    totals: dict[str, tuple[int, int]] = {}
    dated: list[str] = []
    for source in sorted(claims.sources.values(), key=lambda s: s.text_file or ""):
        path = seeds / (source.text_file or "")
        if not path.is_file():
            continue
        curated = [c for c in claims if c.source == source.id]
        result = draft(
            path, into=registries, published=source.published.iso(), publisher=source.publisher
        )
        for key, (hit, n) in score(curated, result).items():
            a, b = totals.get(key, (0, 0))
            totals[key] = (a + hit, b + n)
        guess = draft(path, into=registries)
        ok = guess.published.overlaps(source.published)
        dated.append(
            f"{source.text_file}: suggested {guess.published.iso()} (curated {source.published.iso()}): "
            f"{'overlaps' if ok else 'MISSES'}; publisher {guess.publisher} "
            f"({'right' if guess.publisher == source.publisher else 'curated ' + source.publisher})"
        )
    return totals, dated


_CHROME = ["Accessibility links", "Breaking News", "Share", "please wait", "0:00 0:01:12 0:00"]
_FOOT = ["See also", "Some other story about the region", "01/02/2021 10:05", "Subscribe now"]
_SENTENCES = [
    "{place} -- {hedge} {n} protesters rallied in {place2} on {month} {day}.",
    "{person} told reporters that {n2} people had been detained.",
    "According to the {org}, {hedge} {n} people have been held in camps since {year}.",
    "{org} denies that the facilities are internment camps.",
    "The {nth} day of the sit-in began on {month} {day}, {year}.",
    "Residents said the police had promised to release {n2} detainees last week.",
    "Officials warned that more than {n} workers could lose their jobs.",
    "Demonstrators have been demanding that the authorities release their relatives.",
    "The region is home to some {n} {group}, {person} said.",
]
_HEDGES = ["about", "at least", "as many as", "nearly", "more than", "some", ""]
_MONTHS = ["January", "March", "April", "June", "September", "October", "December"]
_NTH = ["second", "third", "20th", "500th", "seventh"]


def generate(folder: Path, n: int, seed: int = 19) -> None:
    rng = random.Random(seed)
    people = [
        "Khalida Aqytkhan",
        "Serikbai Turymov",
        "Elvira Azimova",
        "Rita Erman",
        "Askar Azatbek",
    ]
    orgs = ["U.S. State Department", "United Nations", "China", "Kazakh Foreign Ministry"]
    places = ["ALMATY", "ZHANAOZEN", "NUR-SULTAN"]
    groups = ["Kazakhs", "Uyghurs", "Kyrgyz"]
    for i in range(n):
        lines = [
            *rng.sample(_CHROME, 2),
            f"Protest Number {i} Ends In {rng.choice(places).title()}",
            "",
        ]
        for _ in range(rng.randint(10, 16)):
            lines.append(
                rng.choice(_SENTENCES)
                .format(
                    place=rng.choice(places),
                    place2=rng.choice(places).title(),
                    hedge=rng.choice(_HEDGES),
                    n=f"{rng.randint(2, 900) * 1000:,}",
                    n2=rng.choice(["eight", "dozens", "16", "two"]),
                    month=rng.choice(_MONTHS),
                    day=rng.randint(1, 28),
                    year=rng.randint(2015, 2022),
                    person=rng.choice(people),
                    org=rng.choice(orgs),
                    group=rng.choice(groups),
                    nth=rng.choice(_NTH),
                )
                .replace("  ", " ")
            )
            lines.append("")
        lines += _FOOT
        (folder / f"{i:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def throughput(
    registries: Path, n: int, workers: int, repeat: int = 3
) -> tuple[list[float], float, int]:
    """Articles per second (wall clock) of each of ``repeat`` runs over one folder of ``n``
    generated articles, the best run's articles per CPU second (this process and its workers),
    and the folder's size in bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        articles = Path(scratch, "articles")
        articles.mkdir()
        generate(articles, n)
        size = sum(p.stat().st_size for p in articles.iterdir())
        rates, cpu_rates = [], []
        for run in range(repeat):
            out = Path(scratch, f"drafts-{run}")
            before = _cpu()
            started = time.perf_counter()
            written = draft_folder(
                articles, into=registries, out=out, publisher="rferl", workers=workers
            )
            elapsed = time.perf_counter() - started
            cpu = _cpu() - before
            assert len(written) == n
            rates.append(n / elapsed)
            cpu_rates.append(n / cpu)
            shutil.rmtree(out)
    best = max(range(repeat), key=lambda i: rates[i])
    return rates, cpu_rates[best], size


def _cpu() -> float:
    """CPU seconds of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


TARGETS = {
    "figures": 0.90,
    "statements": 0.75,
    "claimant": 0.80,
    "subject_top3": 0.70,
    "precision": 0.60,
    "verbatim": 1.0,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs per number of processes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        registries = Path(scratch)
        for name in ("entities.yaml", "subjects.yaml"):
            shutil.copyfile(ROOT / "claims" / name, registries / name)
        totals, dated = quality(args.seeds, registries)
        print("| Metric | Measured | Target |")
        print("|---|---|---|")
        for key, (hit, n) in totals.items():
            rate = hit / n if n else 0.0
            print(f"| {key} | {rate:.0%} ({hit}/{n}) | {TARGETS[key]:.0%} |")
        print()
        for line in dated:
            print("-", line)
        if args.articles:
            print()
            for workers in args.workers:
                load = os.getloadavg()[0]
                rates, cpu_rate, size = throughput(registries, args.articles, workers, args.repeat)
                ordered = sorted(rates)
                print(
                    f"throughput, {workers} process(es): best {ordered[-1]:.0f} articles/s wall "
                    f"clock, median {statistics.median(ordered):.0f}, worst {ordered[0]:.0f} "
                    f"({len(rates)} runs); {cpu_rate:.0f} articles per CPU second; load average "
                    f"{load:.1f} before ({args.articles} generated articles, {size / 1e6:.1f} MB)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
