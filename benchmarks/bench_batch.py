"""How much `--jobs 2` speeds up a batch of 200 centres over `--jobs 1` (target: 1.7x).

    python benchmarks/bench_batch.py                    # 200 centres, --jobs 1 then 2
    python benchmarks/bench_batch.py --centres 60 --runs 3 --jobs 1,2

The folder is generated (deterministic): counties of communities, each community a
copy of one of the bundled samples, cycling through them: single-file centres
(compliant, hall upstairs, no accessible toilet, the TArch export) and per-floor
folders (compliant, small mediation room, narrow accessible toilet), with one centre
in 25 an empty (unreadable) file.  Each run reviews the whole folder into a fresh
output folder with `planchecker.batch.run_batch` (what the command runs: a pool of
worker processes, JSON report, PNG overlays and a thumbnail per centre, the three
summaries), after a warm-up batch that starts the fork server.  Runs with different
job counts are interleaved; the median wall-clock time of each is reported with the
speed-up, the CPU time the workers spent and how many cores that amounts to over
the wall-clock time (other processes on the machine take the rest: a shared machine
shows up there and in the load average), and a check that every job count wrote
byte-identical summaries.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from planchecker.batch import review_centre, run_batch

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"
FILE_SAMPLES = (
    "compliant-centre.dxf",
    "fail-hall-upstairs.dxf",
    "fail-no-accessible-toilet.dxf",
    "compliant-centre-tarch.dxf",
)
FOLDER_SAMPLES = (
    "compliant-centre-per-floor",
    "fail-small-mediation-room",
    "fail-narrow-accessible-toilet",
)


CPU_LOG = "PLANCHECKER_BENCH_CPU_LOG"


def timed_work(task):
    """The real work, plus the CPU seconds it took, appended to a log: how much of the
    machine the workers got (other processes on it take the rest)."""
    t = time.process_time()
    outcome = review_centre(task)
    spent = time.process_time() - t
    log = os.environ.get(CPU_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{spent:.4f}\n")
    return outcome


def _cpu_spent(log: Path) -> float:
    if not log.exists():
        return 0.0
    total = sum(float(x) for x in log.read_text(encoding="utf-8").split())
    log.unlink()
    return total


def make_city(folder: Path, centres: int, per_county: int = 20) -> Path:
    """`centres` centres under `folder`, `per_county` to a county folder."""
    samples = [("file", s) for s in FILE_SAMPLES] + [("folder", s) for s in FOLDER_SAMPLES]
    for i in range(centres):
        community = folder / f"县{i // per_county + 1:02d}" / f"社区{i + 1:03d}"
        community.mkdir(parents=True)
        if i % 25 == 24:
            (community / "plan.dxf").write_bytes(b"")  # unreadable: an error row
            continue
        kind, sample = samples[i % len(samples)]
        if kind == "file":
            shutil.copyfile(SAMPLES / sample, community / "plan.dxf")
        else:
            for f in sorted((SAMPLES / sample).glob("*.dxf")):
                shutil.copyfile(f, community / f.name)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centres", type=int, default=200)
    parser.add_argument("--jobs", default="1,2", help="job counts to compare, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=1, help="runs of each job count")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--keep", default=None, help="keep the folders here")
    args = parser.parse_args(argv)
    job_counts = [int(j) for j in args.jobs.split(",")]

    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-batch-"))
    base.mkdir(parents=True, exist_ok=True)
    cpu_log = base / "cpu.log"
    os.environ[CPU_LOG] = str(cpu_log)  # before the fork server starts: workers inherit it
    city = base / "city"
    if city.exists():
        shutil.rmtree(city)
    make_city(city, args.centres)
    warm = base / "warm"
    if warm.exists():
        shutil.rmtree(warm)
    make_city(warm, 2)
    run_batch(
        warm, base / "warm-out", jobs=max(job_counts), dpi=args.dpi, lang="zh", work=timed_work
    )
    _cpu_spent(cpu_log)

    times: dict[int, list[float]] = {j: [] for j in job_counts}
    cpu: dict[int, list[float]] = {j: [] for j in job_counts}
    summaries: dict[int, bytes] = {}
    counts = None
    load_before = os.getloadavg()
    for run in range(args.runs):
        order = job_counts if run % 2 == 0 else list(reversed(job_counts))
        for jobs in order:
            out = base / f"out-j{jobs}"
            if out.exists():
                shutil.rmtree(out)
            t = time.perf_counter()
            result = run_batch(city, out, jobs=jobs, dpi=args.dpi, lang="zh", work=timed_work)
            times[jobs].append(time.perf_counter() - t)
            cpu[jobs].append(_cpu_spent(cpu_log))
            summaries[jobs] = (out / "summary.csv").read_bytes() + (
                out / "summary.json"
            ).read_bytes()
            counts = result.counts
            print(
                f"run {run + 1}: --jobs {jobs}: {times[jobs][-1]:.1f} s, workers' CPU "
                f"{cpu[jobs][-1]:.1f} s (cores obtained: {cpu[jobs][-1] / times[jobs][-1]:.2f})",
                flush=True,
            )
    load_after = os.getloadavg()

    print(f"centres: {counts}, dpi {args.dpi}, cores {os.cpu_count()}")
    base_jobs = job_counts[0]
    base_time = statistics.median(times[base_jobs])
    for jobs in job_counts:
        median = statistics.median(times[jobs])
        work = statistics.median(cpu[jobs])
        print(
            f"--jobs {jobs}: median {median:.1f} s over {len(times[jobs])} run(s), "
            f"{median / args.centres * 1000:.0f} ms a centre, "
            f"speed-up over --jobs {base_jobs}: {base_time / median:.2f}x; "
            f"workers' CPU {work:.1f} s ({work / args.centres * 1000:.0f} ms a centre), "
            f"cores obtained {work / median:.2f}"
        )
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after: "
        + ", ".join(f"{v:.2f}" for v in load_after)
    )
    identical = len(set(summaries.values())) == 1
    print(f"summaries identical across job counts: {identical}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
