"""Inputs are read-only, outputs are written atomically (issue 7, bullet 4).

- A review (with --output, --png, --pdf) and a batch leave every input's bytes and
  mtime as they were, and put nothing beside them.
- A read-only input folder is reviewed as usual.  (As root, chmod does not stop
  writes, so the folder and its files are made immutable with ``chattr +i``; the
  test is skipped where neither works.)
- An unwritable --output / --png / --pdf / --out target, and a full disk (a mocked
  write or rename raising ENOSPC, or RLIMIT_FSIZE in a child process), end in exit
  code 2 and one line on stderr, never a traceback; the previous report at the
  target is left whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from planchecker import atomic
from planchecker.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"
OLD_TIME = 1_500_000_000  # 2017: an mtime any accidental write would change
TIMEOUT = 120


# ------------------------------------------------------------------ helpers


def _inputs(tmp_path: Path) -> Path:
    """A folder holding a one-file centre, a per-floor centre and a failing centre,
    every file's mtime set back to 2017."""
    root = tmp_path / "in"
    root.mkdir()
    shutil.copyfile(SAMPLES / "compliant-centre.dxf", root / "compliant-centre.dxf")
    shutil.copyfile(SAMPLES / "fail-hall-upstairs.dxf", root / "fail-hall-upstairs.dxf")
    shutil.copytree(SAMPLES / "compliant-centre-per-floor", root / "per-floor")
    for path in root.rglob("*"):
        os.utime(path, (OLD_TIME, OLD_TIME))
    os.utime(root, (OLD_TIME, OLD_TIME))
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every path under `root` (folders too) with its bytes and mtime."""
    out = {}
    for path in sorted([root, *root.rglob("*")]):
        data = path.read_bytes() if path.is_file() else b""
        out[str(path.relative_to(root))] = (data, path.stat().st_mtime_ns)
    return out


def invoke(*args: str):
    """The command line in-process; an exception escaping it fails the test."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{stderr}"
    assert "Traceback" not in stderr
    return lines[0]


def cli(*args: str, stdout=subprocess.PIPE, preexec=None) -> subprocess.CompletedProcess:
    """The real command line in a child process."""
    env = {k: v for k, v in os.environ.items() if k != "PLANCHECKER_DEBUG"}
    env["MPLCONFIGDIR"] = env.get("MPLCONFIGDIR", "/tmp/planchecker-test-mpl")
    return subprocess.run(
        [sys.executable, "-m", "planchecker.cli", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
        env=env,
        preexec_fn=preexec,
        check=False,
    )


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make `paths` (files and folders) unwritable for this process, even as root."""
    root = os.geteuid() == 0
    done: list[Path] = []
    try:
        for path in paths:
            if root:
                if shutil.which("chattr") is None:
                    pytest.skip("running as root without chattr: cannot make a folder read-only")
                r = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
                if r.returncode:
                    pytest.skip(f"chattr +i does not work here: {r.stderr.decode().strip()}")
            else:
                path.chmod(path.stat().st_mode & ~0o222)
            done.append(path)
        probe = next(p for p in paths if p.is_dir()) / "probe.tmp"
        try:
            probe.write_bytes(b"x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("the folder is still writable (file system ignores the attribute)")
        yield
    finally:
        for path in reversed(done):
            if root:
                subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)
            else:
                path.chmod(path.stat().st_mode | 0o200)


def _batch_exists() -> bool:
    return "batch" in getattr(main, "commands", {})


needs_batch = pytest.mark.skipif(
    not _batch_exists(), reason="`planchecker batch` does not exist yet (being written)"
)


# ------------------------------------------------------------------ inputs unchanged


OUTPUTS = {
    "stdout": lambda out: [],
    "output": lambda out: ["--output", str(out / "report.json")],
    "png": lambda out: ["--png", str(out / "png")],
    "pdf": lambda out: ["--pdf", str(out / "sheet.pdf")],
}


@pytest.mark.parametrize("target", ["compliant-centre.dxf", "per-floor"])
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_review_leaves_inputs_unchanged(target: str, output: str, tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(root)
    result = invoke("review", str(root / target), "--format", "json", *OUTPUTS[output](out))
    assert result.exit_code == 0, result.stderr
    assert snapshot(root) == before
    if output != "stdout":
        assert list(out.rglob("*")), "nothing was written"
        left = [p for p in out.rglob("*") if ".tmp" in p.name]
        assert not left, "a temporary file was left behind"


@pytest.mark.parametrize("flag", ["--output", "--pdf"])
def test_output_onto_an_input_is_refused(flag: str, tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    drawing = root / "compliant-centre.dxf"
    before = snapshot(root)
    result = invoke("review", str(drawing), flag, str(drawing))
    assert snapshot(root) == before, "the input drawing was overwritten"
    assert result.exit_code == 2
    one_line(result.stderr)


# ------------------------------------------------------------------ read-only inputs


@pytest.mark.parametrize("target", ["compliant-centre.dxf", "per-floor"])
def test_read_only_input_folder_is_reviewed_as_usual(target: str, tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    expected = invoke("review", str(root / target), "--format", "json")
    assert expected.exit_code == 0, expected.stderr
    out = tmp_path / "out"
    out.mkdir()
    frozen = [*root.rglob("*"), root]
    before = snapshot(root)
    with read_only(*frozen):
        result = invoke(
            "review", str(root / target), "--format", "json",
            "--output", str(out / "report.json"), "--png", str(out / "png"),
        )
        assert snapshot(root) == before
    assert result.exit_code == 0, result.stderr
    assert (out / "report.json").read_text(encoding="utf-8") == expected.stdout


# ------------------------------------------------------------------ unwritable targets


def _unwritable_targets(tmp_path: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each case: the extra arguments, and the folder to make read-only (or None)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    return {
        "output-in-read-only-folder": (["--output", str(locked / "r.json")], locked),
        "png-into-read-only-folder": (["--png", str(locked)], locked),
        "png-under-read-only-folder": (["--png", str(locked / "new")], locked),
        "pdf-in-read-only-folder": (["--pdf", str(locked / "s.pdf")], locked),
        "output-under-a-file": (["--output", str(a_file / "r.json")], None),
        "output-in-missing-folder": (["--output", str(tmp_path / "no" / "such" / "r.json")], None),
        "png-is-a-file": (["--png", str(a_file)], None),
        "pdf-is-a-folder": (["--pdf", str(tmp_path)], None),
    }


# Found wrong by click's option types before anything runs: a usage error, reported in
# click's usage block (its "Error:" line names the target).
USAGE_ERRORS = {"png-is-a-file", "pdf-is-a-folder"}

CASES = [
    "output-in-read-only-folder",
    "png-into-read-only-folder",
    "png-under-read-only-folder",
    "pdf-in-read-only-folder",
    "output-under-a-file",
    "output-in-missing-folder",
    "png-is-a-file",
    "pdf-is-a-folder",
]


@pytest.mark.parametrize("case", CASES)
def test_unwritable_target_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    drawing = SAMPLES / "compliant-centre.dxf"
    args, locked = _unwritable_targets(tmp_path)[case]
    with read_only(locked) if locked else contextlib.nullcontext():
        r = cli("review", str(drawing), *args)
    assert r.returncode == 2, (r.returncode, r.stderr[-800:])
    if case in USAGE_ERRORS:  # click's own usage block: Usage / Try / Error
        assert "Traceback" not in r.stderr
        (line,) = [x for x in r.stderr.splitlines() if x.startswith("Error:")]
    else:
        line = one_line(r.stderr)
    target = args[1]
    assert Path(target).name in line or target in line, line


# ------------------------------------------------------------------ full disk


def _enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _full_disk(monkeypatch) -> None:
    """Every write through planchecker's atomic writer fails as on a full disk (the
    temporary file is created, its first write raises ENOSPC)."""
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        fh.write = _enospc
        return fh

    monkeypatch.setattr(atomic, "os", _OsWith(fdopen=fdopen))


class _OsWith:
    """The os module with some functions replaced, for one module's use only."""

    def __init__(self, **replaced) -> None:
        self._replaced = replaced

    def __getattr__(self, name: str):
        return self._replaced.get(name, getattr(os, name))


@pytest.mark.parametrize("step", ["write", "rename"])
def test_full_disk_report_keeps_the_old_one(step: str, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("OLD REPORT")
    if step == "write":
        _full_disk(monkeypatch)
    else:
        monkeypatch.setattr(atomic, "os", _OsWith(replace=_enospc))
    result = invoke("review", str(SAMPLES / "compliant-centre.dxf"), "--output", str(target))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "space" in line.lower() and str(target) in line, line
    assert target.read_text() == "OLD REPORT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"], "temporary file left"


@pytest.mark.parametrize("flag", ["--png", "--pdf"])
def test_full_disk_pictures_one_line(flag: str, tmp_path: Path, monkeypatch) -> None:
    _full_disk(monkeypatch)
    target = tmp_path / ("png" if flag == "--png" else "sheet.pdf")
    result = invoke("review", str(SAMPLES / "compliant-centre.dxf"), flag, str(target))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "space" in line.lower(), line
    assert not list(tmp_path.rglob("*.png")) and not (tmp_path / "sheet.pdf").exists()
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name], "temporary file left"


def _small_files(limit: int):
    def limit_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_size


@pytest.mark.parametrize("flag", ["--output", "--pdf"])
def test_disk_full_midway_in_a_real_process(flag: str, tmp_path: Path) -> None:
    """A write that fails half-way (RLIMIT_FSIZE: EFBIG after 4 KB): one line, exit 2,
    the old file at the target still whole."""
    target = tmp_path / ("report.json" if flag == "--output" else "sheet.pdf")
    target.write_text("OLD")
    r = cli("review", str(SAMPLES / "compliant-centre.dxf"), "--format", "json", flag,
            str(target), preexec=_small_files(4096))
    assert r.returncode == 2, (r.returncode, r.stderr[-800:])
    one_line(r.stderr)
    assert target.read_text() == "OLD"


def test_no_temporary_file_left_when_the_disk_fills(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    cli("review", str(SAMPLES / "compliant-centre.dxf"), "--format", "json", "--output",
        str(target), preexec=_small_files(4096))
    assert list(tmp_path.iterdir()) == [], "a temporary file was left behind"


def test_stdout_on_a_full_disk(tmp_path: Path) -> None:
    """The report to standard output on a full device (/dev/full): one line, exit 2."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        r = cli("review", str(SAMPLES / "compliant-centre.dxf"), "--format", "json",
                stdout=full)
    assert r.returncode == 2, (r.returncode, r.stderr[-800:])
    one_line(r.stderr)


# ------------------------------------------------------------------ batch


@needs_batch
def test_batch_leaves_inputs_unchanged(tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    before = snapshot(root)
    r = cli("batch", str(root), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert r.returncode in (0, 1), r.stderr[-800:]
    assert "Traceback" not in r.stderr
    assert snapshot(root) == before


@needs_batch
def test_batch_of_a_read_only_folder(tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    before = snapshot(root)
    with read_only(*root.rglob("*"), root):
        r = cli("batch", str(root), "--out", str(tmp_path / "out"), "--jobs", "2")
        assert snapshot(root) == before
    assert r.returncode == 1, r.stderr[-800:]  # fail-hall-upstairs fails
    assert "Traceback" not in r.stderr
    assert (tmp_path / "out" / "summary.json").exists()


@needs_batch
def test_batch_unwritable_out_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        r = cli("batch", str(root), "--out", str(locked / "out"), "--jobs", "1")
    assert r.returncode == 2, (r.returncode, r.stderr[-800:])
    one_line(r.stderr)


@needs_batch
def test_batch_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _inputs(tmp_path)
    r = cli("batch", str(root), "--out", str(tmp_path / "out"), "--jobs", "1",
            preexec=_small_files(4096))
    assert r.returncode == 2, (r.returncode, r.stderr[-800:])
    one_line(r.stderr)
