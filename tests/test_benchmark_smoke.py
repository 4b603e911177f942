"""benchmarks/run.py still runs: one tiny drawing, one run, a table of numbers and a plot.

The benchmark itself is not part of the test suite (minutes on 50 MB drawings); this
keeps the script from rotting between the times someone measures with it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_benchmark_runs_on_a_tiny_drawing(tmp_path: Path) -> None:
    table, plot = tmp_path / "table.md", tmp_path / "performance.png"
    done = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--workdir",
            str(tmp_path / "work"),
            "--table",
            str(table),
            "--plot",
            str(plot),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = table.read_text(encoding="utf-8")
    assert text.startswith("Machine: ")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "MB" in line]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert len(cells) == 8
    for cell in cells[2:5]:  # (a), (b), (c): a time and a peak memory each
        assert re.fullmatch(r"\d+\.\d\d s, \d+ MiB", cell), cell
    for cell in cells[5:7]:  # the ratios
        assert re.fullmatch(r"\*\*\d+\.\d\d\*\* [✓✗]", cell), cell
    assert re.fullmatch(r"(\d+\.\d\d / ){3}\d+\.\d\d s", cells[7]), cells[7]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
