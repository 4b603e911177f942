"""Review time and memory of large drawings against ezdxf.readfile alone (issue 6).

    python benchmarks/run.py                          # 1, 5, 10, 12, 15, 20 MB, reference, 50 MB
    python benchmarks/run.py --sizes 10,ref --runs 5
    python benchmarks/run.py --quick                  # a tiny drawing, one run (smoke test)

For each size a drawing is generated with ``benchmarks/make_large.py`` (into
``--workdir``, reused when it is there already; ``ref`` is its ``--reference``
drawing of 200,000 entities), then measured, each measurement in a fresh process:

(a) ``python -c "import ezdxf; ezdxf.readfile(p)"``: the reference point;
(b) ``planchecker review p --format json``: the whole review, imports included;
(c) ``planchecker review p --format json --png DIR``: the same and the PNG overlays;
(s) the review's stages (read, extract, judge, JSON), timed inside one process.

Runs are interleaved (a, b, c, s, a, b, c, s ...), so that a machine that slows
down slows all of them alike; the median of the runs is reported.  Each command
runs under a small wrapper process of its own, which starts it, waits for it and
reports its wall time and ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: the
peak resident memory of that one command.  The script prints a markdown table
(also written to ``--table``) with the ratios (b)/(a) of time and of memory, the
targets of issue 6 (1.0 and 0.5), and the machine, and plots time and memory
against drawing size (``--plot``, docs/img/performance.png by default).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_LARGE = ROOT / "benchmarks" / "make_large.py"
DEFAULT_SIZES = "1,5,10,12,15,20,ref,50"
TIME_TARGET, MEMORY_TARGET = 1.0, 0.5  # review / ezdxf.readfile, issue 6

# Runs one command, then prints its wall time and peak RSS (kB) as JSON: being the
# command's only parent, RUSAGE_CHILDREN is that command's alone.
WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "kb": peak, "rc": done.returncode,
                  "err": done.stderr.decode("utf-8", "replace")[-2000:]}))
"""

READFILE = "import sys, ezdxf; ezdxf.readfile(sys.argv[1])"

# The review's stages inside one process (the same calls as `planchecker review`).
STAGES = """
import json, sys, time
t0 = time.perf_counter()
from planchecker.extraction import extract
from planchecker.judge import judge
from planchecker.model import Review
from planchecker.presenting import render
from planchecker.reading import read_drawing
from planchecker.standards import DEFAULT_STANDARD, load_standard
t1 = time.perf_counter()
spec = load_standard(DEFAULT_STANDARD)
drawing = read_drawing(sys.argv[1])
t2 = time.perf_counter()
plan = extract([drawing], spec)
t3 = time.perf_counter()
findings = judge(plan, spec, spec.default_build_type)
t4 = time.perf_counter()
render(Review("bench", plan, spec, spec.default_build_type, findings), "json", "en")
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "read": t2 - t1, "extract": t3 - t2,
                  "judge": t4 - t3, "json": t5 - t4, "segments": len(drawing.segments)}))
"""


@dataclass
class Size:
    """One generated drawing and what was measured on it."""

    name: str  # "10" (MB asked for), "ref"
    path: Path
    mb: float = 0.0
    entities: int = 0
    runs: dict[str, list[dict]] = field(default_factory=dict)

    def median(self, what: str, key: str) -> float:
        return statistics.median(r[key] for r in self.runs[what])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="MB to generate, or ref")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--quick", action="store_true", help="one tiny drawing, one run")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pc-bench")
    parser.add_argument("--table", type=Path, default=None, help="also write the table here")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "img" / "performance.png")
    parser.add_argument("--no-png", action="store_true", help="skip (c), the PNG overlays")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.quick:
        sizes = [
            _generate(args.workdir, "tiny", ["--floors", "1", "--rooms", "4", "--clutter", "2"])
        ]
        args.runs = 1
    else:
        sizes = [
            _generate(args.workdir, s.strip(), _make_args(s.strip())) for s in args.sizes.split(",")
        ]
    before = os.getloadavg()
    kinds = ["a", "b", "c", "s"] if not args.no_png else ["a", "b", "s"]
    for run in range(args.runs):
        for size in sizes:
            for kind in kinds:
                result = _measure(kind, size.path, args.workdir / f"png-{size.name}")
                size.runs.setdefault(kind, []).append(result)
                _progress(run, size, kind, result)
    after = os.getloadavg()
    table = _table(sizes, kinds, args, before, after)
    print(table)
    if args.table is not None:
        args.table.parent.mkdir(parents=True, exist_ok=True)
        args.table.write_text(table, encoding="utf-8")
    _plot(sizes, kinds, args.plot)
    return 0


# ------------------------------------------------------------------ drawings


def _make_args(name: str) -> list[str]:
    if name == "ref":
        return ["--reference"]
    return ["--target-mb", name]


def _generate(workdir: Path, name: str, make_args: list[str]) -> Size:
    """The drawing for `name`, generated unless the work folder has it already."""
    path = workdir / f"large-{name}.dxf"
    info = workdir / f"large-{name}.json"
    if not (path.exists() and info.exists()):
        out = subprocess.run(
            [sys.executable, str(MAKE_LARGE), str(path), *make_args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        entities = int(out.split(":")[1].split("entities")[0].strip().replace(",", ""))
        info.write_text(json.dumps({"entities": entities}), encoding="utf-8")
    entities = json.loads(info.read_text(encoding="utf-8"))["entities"]
    return Size(name, path, path.stat().st_size / 1e6, entities)


# ------------------------------------------------------------------ measuring


def _planchecker() -> list[str]:
    """The `planchecker` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("planchecker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planchecker.cli"]


def _command(kind: str, path: Path, png_dir: Path) -> list[str]:
    if kind == "a":
        return [sys.executable, "-c", READFILE, str(path)]
    if kind == "s":
        return [sys.executable, "-c", STAGES, str(path)]
    review = [*_planchecker(), "review", str(path), "--format", "json", "--lang", "en"]
    return review if kind == "b" else [*review, "--png", str(png_dir)]


def _measure(kind: str, path: Path, png_dir: Path) -> dict:
    """Run one measurement in a fresh wrapper process; its wall time and peak RSS."""
    command = _command(kind, path, png_dir)
    if kind == "s":  # the stages print their times: run them directly
        t = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"stages failed on {path}: {done.stderr[-2000:]}")
        stages = json.loads(done.stdout.strip().splitlines()[-1])
        return {"wall": time.perf_counter() - t, "kb": 0, **stages}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["rc"] not in (0, 1):  # 1 is a review that fails a rule
        raise SystemExit(f"{' '.join(command)} exited {result['rc']}: {result['err']}")
    return result


def _progress(run: int, size: Size, kind: str, result: dict) -> None:
    extra = f" {result['kb'] / 1024:.0f} MiB" if kind != "s" else ""
    print(f"run {run + 1} {size.name:>5} {kind}: {result['wall']:.2f} s{extra}", file=sys.stderr)


# ------------------------------------------------------------------ reporting


def _machine(before: tuple[float, ...], after: tuple[float, ...]) -> str:
    import ezdxf
    import numpy
    import shapely

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        memory = "RAM unknown"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}; Python {platform.python_version()}, "
        f"ezdxf {ezdxf.__version__}, numpy {numpy.__version__}, shapely {shapely.__version__}; "
        f"load average {before[0]:.2f} before, {after[0]:.2f} after"
    )


def _table(sizes: list[Size], kinds: list[str], args, before, after) -> str:
    lines = [
        f"Machine: {_machine(before, after)}.",
        f"Median of {args.runs} interleaved run(s) each; peak RSS of each process.",
        "",
        "| drawing | entities | (a) ezdxf.readfile | (b) review --format json | "
        + ("(c) review --png | " if "c" in kinds else "")
        + "(b)/(a) time | (b)/(a) memory | stages of (b): read / extract / judge / JSON |",
        "|---|---|---|---|" + ("---|" if "c" in kinds else "") + "---|---|---|",
    ]
    for s in sizes:
        a_t, a_m = s.median("a", "wall"), s.median("a", "kb") / 1024
        b_t, b_m = s.median("b", "wall"), s.median("b", "kb") / 1024
        cells = [
            f"{'reference, ' if s.name == 'ref' else ''}{s.mb:.1f} MB",
            f"{s.entities:,}",
            f"{a_t:.2f} s, {a_m:.0f} MiB",
            f"{b_t:.2f} s, {b_m:.0f} MiB",
        ]
        if "c" in kinds:
            cells.append(f"{s.median('c', 'wall'):.2f} s, {s.median('c', 'kb') / 1024:.0f} MiB")
        ratio_t, ratio_m = b_t / a_t, b_m / a_m
        cells.append(f"**{ratio_t:.2f}**" + (" ✓" if ratio_t <= TIME_TARGET else " ✗"))
        cells.append(f"**{ratio_m:.2f}**" + (" ✓" if ratio_m <= MEMORY_TARGET else " ✗"))
        stages = " / ".join(f"{s.median('s', k):.2f}" for k in ("read", "extract", "judge", "json"))
        cells.append(f"{stages} s")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Targets (issue 6): (b)/(a) time <= {TIME_TARGET}, memory <= {MEMORY_TARGET}.",
    ]
    return "\n".join(lines) + "\n"


def _plot(sizes: list[Size], kinds: list[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = {
        "a": "(a) ezdxf.readfile",
        "b": "(b) planchecker review --format json",
        "c": "(c) review --png (overlays)",
    }
    order = sorted(sizes, key=lambda s: s.mb)
    mb = [s.mb for s in order]
    fig, (ax_t, ax_m, ax_s) = plt.subplots(1, 3, figsize=(15, 4.6))
    for kind in [k for k in kinds if k != "s"]:
        ax_t.plot(mb, [s.median(kind, "wall") for s in order], "o-", label=names[kind])
        ax_m.plot(mb, [s.median(kind, "kb") / 1024 for s in order], "o-", label=names[kind])
    if "a" in kinds:
        target = [MEMORY_TARGET * s.median("a", "kb") / 1024 for s in order]
        label = f"{MEMORY_TARGET:g} x (a): the target for (b)"
        ax_m.plot(mb, target, "--", color="grey", label=label)
    entities = [s.entities / 1000 for s in order]
    for stage in ("read", "extract", "judge", "json"):
        ax_s.plot(entities, [s.median("s", stage) for s in order], "o-", label=stage)
    for s in order:
        if s.name == "ref":
            ax_t.annotate("200k entities", (s.mb, s.median("a", "wall")), fontsize=8)
    ax_t.set(xlabel="drawing size (MB)", ylabel="wall time (s)", title="Time, whole process")
    ax_m.set(xlabel="drawing size (MB)", ylabel="peak RSS (MiB)", title="Peak memory")
    ax_s.set(xlabel="entities (thousands)", ylabel="time (s)", title="Stages of a review")
    for ax in (ax_t, ax_m, ax_s):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
