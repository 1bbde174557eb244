"""Speed and memory of the matcher at 1k, 10k and 100k offers; prints figures, asserts nothing.

Usage::

    python benchmarks/matching_scale.py                       # 1 000, 10 000, 100 000 offers
    python benchmarks/matching_scale.py --sizes 1000,10000    # a quick run
    python benchmarks/matching_scale.py --skip-naive          # without the slow baseline

For each size (in a fresh process, so peak memory is per size): index build time,
top-10 latency of single requests (median and p95), and the peak resident memory.
For the largest size also: a full rebuild (build + 10 000 requests), the command
line end to end for 1 000 requests (load, build, rank, write) and the naive
pure-Python ranker on the same files, with the speed ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``matching`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.generate_data import generate  # noqa: E402

REBUILD_REQUESTS = 10_000
CLI_REQUESTS = 1_000


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(records, fh, ensure_ascii=False)


def prepare(size: int, seed: int, data_dir: Path) -> Path:
    """Generate (once) offers and requests for ``size`` offers; return their folder."""
    folder = data_dir / f"n{size}-s{seed}"
    done = folder / "requests_cli.json"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    offers, requests = generate(size, REBUILD_REQUESTS, seed)
    _write(folder / "offers.json", offers)
    _write(folder / "requests.json", requests)
    _write(done, requests[:CLI_REQUESTS])
    return folder


def measure(folder: Path, latency_requests: int, rebuild: bool) -> dict[str, float]:
    """Build, single-request latency and (optionally) a full rebuild, in this process."""
    from matching.exchange import load_offers, load_requests
    from matching.index import MatchIndex

    t = time.perf_counter()
    offers = load_offers(folder / "offers.json")
    requests = load_requests(folder / "requests.json")
    out: dict[str, float] = {"load_s": time.perf_counter() - t, "offers": len(offers)}

    t = time.perf_counter()
    index = MatchIndex(offers)
    out["build_s"] = time.perf_counter() - t
    out["peak_after_build_mb"] = _peak_mb()

    latencies = []
    for request in requests[:latency_requests]:
        t = time.perf_counter()
        index.query(request, top=10)
        latencies.append((time.perf_counter() - t) * 1000)
    out["latency_n"] = len(latencies)
    out["latency_median_ms"] = statistics.median(latencies)
    out["latency_p95_ms"] = statistics.quantiles(latencies, n=20)[-1]

    if rebuild:
        del index
        t = time.perf_counter()
        index = MatchIndex(offers)
        results = index.query_many(requests[:REBUILD_REQUESTS], top=10)
        out["rebuild_s"] = time.perf_counter() - t
        out["rebuild_requests"] = len(results)
    out["peak_mb"] = _peak_mb()
    return out


def _timed(command: list[str], out_path: Path) -> float:
    t = time.perf_counter()
    with out_path.open("wb") as fh:
        subprocess.run(command, cwd=ROOT, stdout=fh, check=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-requests", type=int, default=300)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "matching-bench"
    )
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive ranker")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:  # worker mode: one size in a fresh process
        print(json.dumps(measure(args.measure, args.latency_requests, args.rebuild)))
        return

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"python {sys.version.split()[0]}, seed {args.seed}, data in {args.data_dir}")
    print(
        f"{'offers':>8} {'load s':>7} {'build s':>8} {'median ms':>10} {'p95 ms':>8} "
        f"{'rebuild s':>10} {'peak MB':>8}"
    )
    for size in sizes:
        folder = prepare(size, args.seed, args.data_dir)
        largest = size == max(sizes)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure",
            str(folder),
            "--latency-requests",
            str(args.latency_requests),
        ]
        if largest:
            command.append("--rebuild")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        m = json.loads(done.stdout.strip().splitlines()[-1])
        rebuild = f"{m['rebuild_s']:.1f}" if "rebuild_s" in m else "-"
        print(
            f"{size:>8} {m['load_s']:>7.1f} {m['build_s']:>8.2f} {m['latency_median_ms']:>10.2f} "
            f"{m['latency_p95_ms']:>8.2f} {rebuild:>10} {m['peak_mb']:>8.0f}"
        )
        if largest and "rebuild_s" in m:
            print(
                f"  full rebuild: {m['rebuild_requests']} requests x {size} offers "
                f"(build + rank, after loading) in {m['rebuild_s']:.1f} s; "
                f"latency over {m['latency_n']} single requests"
            )

    size = max(sizes)
    folder = prepare(size, args.seed, args.data_dir)
    files = [
        "--offers",
        str(folder / "offers.json"),
        "--requests",
        str(folder / "requests_cli.json"),
    ]
    cli = [sys.executable, "-m", "matching", "rank", *files, "--top", "10"]
    cli_s = _timed(cli, folder / "ranking.json")
    print(f"CLI end to end, {CLI_REQUESTS} requests x {size} offers: {cli_s:.1f} s")
    if not args.skip_naive:
        naive = [
            sys.executable,
            str(ROOT / "benchmarks" / "naive_ranker.py"),
            *files,
            "--top",
            "10",
        ]
        naive_s = _timed(naive, folder / "ranking_naive.json")
        print(
            f"naive ranker, same files: {naive_s:.1f} s; matcher is {naive_s / cli_s:.1f}x faster"
        )


if __name__ == "__main__":
    main()
