"""The long fuzz run: mutate the sample plans and review every mutant in a child process.

    python tests/fuzz/run.py --cases 5000 [--seed N] [--jobs N] [--mode fork|exec]
    python tests/fuzz/run.py --replay SEED:INDEX [--keep DIR]   # one case, verbosely

Each case runs in its own child process with a hang limit (20 s, then SIGKILL) and an
address-space limit (RLIMIT_AS, 2 GiB).  ``--mode fork`` (the default) forks this
process, which has already imported planchecker, and calls ``planchecker.cli.main``
in the child exactly as the console script does, with the child's own stdout and
stderr files; ``--mode exec`` runs ``python -m planchecker.cli`` instead (slower:
every case pays the imports).  The definitions of each outcome are in
tests/fuzz/README.md; ``classify`` below is their code.

Exit status: 0 when no case failed, 1 otherwise.  Failing cases are listed with
their seed and index (``--replay`` rebuilds them) and, with ``--keep DIR``, written
there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mutate  # the folder is not a package: imported from sys.path

HANG_LIMIT = 20.0  # seconds; a hang limit, not a speed target
MEMORY_LIMIT = 2 << 30  # bytes of address space for each child
RSS_ALARM = 1536 << 20  # a peak resident size above this is reported as a blow-up

# Read issues that lose nothing, each with the warning that must announce it instead
# of plan.read_quality (see README.md).  Every other read issue is lossy.
BENIGN_ISSUES = {
    "outline_closed": None,
    "units_inferred": "plan.units_guessed",
    "encoding_corrected": "plan.encoding_repaired",
}

# The environment of every child.  Standard output is strict UTF-8, as it is for a
# user whose locale is a real UTF-8 one (zh_CN.UTF-8): Python relaxes it to
# surrogateescape only under the C/POSIX locale, which would hide text the checker
# cannot encode.  Standard error is always backslashreplace.
CHILD_ENV = {"PYTHONIOENCODING": "utf-8:strict", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}

# Outcomes that break the promise; everything else is fine (some are listed for a look).
FAILURES = ("traceback", "hang", "wrong_pass", "crash", "memory", "internal_error")


# ---------------------------------------------------------------------- running


@dataclass
class Outcome:
    """What one child process did."""

    exit_code: int | None  # None when killed by a signal
    signal: int | None
    stdout: bytes
    stderr: bytes
    seconds: float
    max_rss_kb: int
    timed_out: bool


@dataclass
class Task:
    """One review to run: its command-line arguments and a folder of its own."""

    key: object
    argv: list[str]
    workdir: Path


def _preload() -> None:
    """Import everything a review needs before forking, so that each child starts warm."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import planchecker.api
    import planchecker.cli
    import planchecker.extraction
    import planchecker.judge
    import planchecker.presenting
    import planchecker.presenting.json_report
    import planchecker.reading  # noqa: F401


def _child(task: Task, mode: str, memory_limit: int) -> None:
    """In the forked child: limits, own stdout/stderr files, then the review; never returns."""
    code = 1
    try:
        os.chdir(task.workdir)
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        for fd, name in ((1, "stdout"), (2, "stderr")):
            f = os.open(task.workdir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(f, fd)
            os.close(f)
        os.environ.pop("PLANCHECKER_DEBUG", None)
        os.environ.update(CHILD_ENV)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if mode == "exec":
            os.execv(sys.executable, [sys.executable, "-m", "planchecker.cli", *task.argv])
        # the interpreter's own streams under a UTF-8 locale (see CHILD_ENV)
        sys.stdout = open(1, "w", encoding="utf-8", errors="strict", closefd=False)  # noqa: SIM115
        sys.stderr = open(  # noqa: SIM115
            2, "w", encoding="utf-8", errors="backslashreplace", closefd=False
        )
        _default_warnings()
        from planchecker.cli import main

        try:
            main.main(args=task.argv, prog_name="planchecker", standalone_mode=True)
            code = 0
        except SystemExit as exc:  # what the interpreter does with it
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # an uncaught exception: the interpreter prints it
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:
            pass
    finally:
        os._exit(code)


def _default_warnings() -> None:
    """Warnings as a fresh interpreter shows them: printed to stderr, default filters.

    A child forked from pytest would inherit pytest's warning capture, which records
    warnings instead of printing them, and hide RuntimeWarnings a user would see.
    """
    warnings.resetwarnings()
    for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning,
                     DeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")

    def show(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = show


def run_tasks(
    tasks: Iterable[Task],
    jobs: int = 2,
    timeout: float = HANG_LIMIT,
    memory_limit: int = MEMORY_LIMIT,
    mode: str = "fork",
) -> Iterator[tuple[Task, Outcome]]:
    """Run each task in a child process, `jobs` at a time; yields them as they end.

    No threads: the parent forks, polls with wait4 (which also gives each child's
    peak memory) and kills a child that outlives `timeout`.
    """
    if mode == "fork":
        _preload()
    pending = iter(tasks)
    running: dict[int, tuple[Task, float]] = {}
    try:
        yield from _loop(pending, running, jobs, timeout, memory_limit, mode)
    finally:  # the consumer stopped early: end the children still running
        for pid in running:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass


def _loop(pending, running, jobs, timeout, memory_limit, mode):
    exhausted = False
    while True:
        while not exhausted and len(running) < jobs:
            task = next(pending, None)
            if task is None:
                exhausted = True
                break
            task.workdir.mkdir(parents=True, exist_ok=True)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(task, mode, memory_limit)
            running[pid] = (task, time.monotonic())
        if not running:
            return
        progressed = False
        for pid, (task, started) in list(running.items()):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            timed_out = False
            if not done and time.monotonic() - started > timeout:
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                timed_out = True
            if not done:
                continue
            progressed = True
            del running[pid]
            yield task, _outcome(task, status, usage, time.monotonic() - started, timed_out)
        if not progressed:
            time.sleep(0.005)


def _outcome(task: Task, status: int, usage, seconds: float, timed_out: bool) -> Outcome:
    def read(name: str) -> bytes:
        try:
            return (task.workdir / name).read_bytes()
        except OSError:
            return b""

    exited = os.WIFEXITED(status)
    return Outcome(
        exit_code=os.WEXITSTATUS(status) if exited else None,
        signal=None if exited else os.WTERMSIG(status),
        stdout=read("stdout"),
        stderr=read("stderr"),
        seconds=seconds,
        max_rss_kb=usage.ru_maxrss,
        timed_out=timed_out,
    )


# ---------------------------------------------------------------------- judging


@dataclass
class Result:
    category: str  # exit0 / exit1 / exit2 / suspicious_pass, or one of FAILURES
    detail: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "reader_fallback"

    @property
    def failed(self) -> bool:
        return self.category in FAILURES


def _looks_like_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text or ("Error:" in text and '  File "' in text)


def classify(outcome: Outcome, sample_verdict: str | None, relabelled: bool = False) -> Result:
    """Sort one outcome into exit0/exit1/exit2, a failure, or a suspicious pass.

    `sample_verdict` is the expected verdict of the unmutated sample ("pass" or
    "fail"), or None when there is none (a drawing made from scratch);
    `relabelled` says that the mutation changed, copied or moved a room name or
    note, so that a failing sample may now pass for a reason.
    """
    err = outcome.stderr.decode("utf-8", errors="replace")
    err_lines = [line for line in err.splitlines() if line.strip()]
    if outcome.timed_out:
        return Result("hang", f"no result after {outcome.seconds:.0f} s")
    if outcome.max_rss_kb * 1024 > RSS_ALARM:
        return Result("memory", f"peak resident size {outcome.max_rss_kb // 1024} MB")
    if "MemoryError" in err and _looks_like_traceback(err):
        return Result("memory", "MemoryError traceback: " + err_lines[-1][:200])
    if _looks_like_traceback(err):
        return Result("traceback", err_lines[-1][:300] if err_lines else "")
    if outcome.exit_code is None:
        return Result("crash", f"killed by signal {outcome.signal}")
    if outcome.exit_code not in (0, 1, 2):
        return Result("crash", f"exit code {outcome.exit_code}: {err[:200]}")
    if len(err_lines) > 1:
        return Result(
            "traceback",
            f"{len(err_lines)} lines on stderr: "
            + " | ".join(line[:120] for line in err_lines[:4]),
        )
    if outcome.exit_code == 2:
        if not err_lines:
            return Result("crash", "exit code 2 with nothing on stderr")
        line = err_lines[0]
        if "internal error while" in line:
            return Result("internal_error", line[:400])
        notes = ["reader_fallback"] if "could not be read (" in line else []
        return Result("exit2", line[:400], notes)
    if err_lines:
        return Result("traceback", f"exit {outcome.exit_code} with stderr: {err_lines[0][:200]}")
    return _judge_report(outcome, sample_verdict, relabelled)


def _judge_report(outcome: Outcome, sample_verdict: str | None, relabelled: bool) -> Result:
    """Exit 0 or 1: the JSON report must parse, agree with the exit code, and not be a
    wrong pass."""
    try:
        report = json.loads(outcome.stdout.decode("utf-8"))
        verdict = report["verdict"]
        findings = report["findings"]
        issues = report.get("read_issues", [])
    except (ValueError, KeyError, TypeError) as exc:
        return Result("crash", f"exit {outcome.exit_code} but no JSON report ({exc})")
    if verdict not in ("pass", "fail") or outcome.exit_code != (1 if verdict == "fail" else 0):
        return Result("crash", f"exit {outcome.exit_code} with verdict {verdict!r}")
    if verdict == "fail":
        return Result("exit1")
    warned = {f["rule"] for f in findings if f.get("status") == "warn"}
    lossy = [i for i in issues if i.get("count", 0) > 0 and i.get("code") not in BENIGN_ISSUES]
    if lossy and "plan.read_quality" not in warned:
        codes = ", ".join(f"{i['code']} x{i['count']}" for i in lossy)
        return Result("wrong_pass", f"pass; reader recorded {codes}; no plan.read_quality warning")
    for i in issues:
        needed = BENIGN_ISSUES.get(i.get("code"))
        if needed and i.get("count", 0) > 0 and needed not in warned:
            return Result("wrong_pass", f"pass; reader recorded {i['code']}; no {needed} warning")
    if sample_verdict == "fail":
        if "plan.read_quality" in warned:
            return Result("suspicious_pass", "a failing sample passes, with plan.read_quality")
        if relabelled:
            return Result("suspicious_pass", "a failing sample passes; its texts were changed")
        return Result("wrong_pass", "a failing sample passes and the reader recorded nothing")
    return Result("exit0")


# ---------------------------------------------------------------------- the run


def case_task(case: mutate.Case, root: Path) -> Task:
    workdir = root / f"case-{case.index:05d}"
    target = case.write(workdir / "in")
    argv = ["review", str(target), "--format", "json", "--lang", "en"]
    return Task(case, argv, workdir)


def run_cases(
    cases: Iterable[mutate.Case],
    root: Path,
    jobs: int = 2,
    timeout: float = HANG_LIMIT,
    mode: str = "fork",
    keep_failures: Path | None = None,
) -> Iterator[tuple[mutate.Case, Outcome, Result]]:
    """Review every case in a child; yields (case, outcome, result) as each ends."""
    tasks = (case_task(c, root) for c in cases)
    for task, outcome in run_tasks(tasks, jobs=jobs, timeout=timeout, mode=mode):
        case = task.key
        assert isinstance(case, mutate.Case)
        result = classify(outcome, case.sample.verdict, case.relabelled)
        if keep_failures is not None and (result.failed or result.category == "suspicious_pass"):
            dest = keep_failures / f"{case.seed}-{case.index}"
            shutil.copytree(task.workdir, dest, dirs_exist_ok=True)
            (dest / "case.txt").write_text(case.describe() + "\n", encoding="utf-8")
        shutil.rmtree(task.workdir, ignore_errors=True)
        yield case, outcome, result


def summarise(rows: list[tuple[mutate.Case, Outcome, Result]]) -> dict:
    counts = Counter(r.category for _, _, r in rows)
    fallbacks = sum("reader_fallback" in r.notes for _, _, r in rows)
    times = sorted(o.seconds for _, o, _ in rows)
    rss = max((o.max_rss_kb for _, o, _ in rows), default=0)
    return {
        "cases": len(rows),
        "counts": dict(counts),
        "reader_fallback": fallbacks,
        "failures": sum(counts[c] for c in FAILURES),
        "slowest_s": round(times[-1], 2) if times else 0.0,
        "median_s": round(times[len(times) // 2], 3) if times else 0.0,
        "peak_rss_mb": rss // 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=HANG_LIMIT)
    parser.add_argument("--mode", choices=("fork", "exec"), default="fork")
    parser.add_argument("--keep", type=Path, help="copy failing cases into this folder")
    parser.add_argument("--replay", metavar="SEED:INDEX", help="run one case and show it all")
    parser.add_argument("--json", type=Path, help="write the summary and failures as JSON")
    args = parser.parse_args(argv)

    if args.replay:
        seed, index = (int(x) for x in args.replay.split(":"))
        selected = [mutate.make_case(seed, index)]
    else:
        selected = (
            mutate.make_case(args.seed, i) for i in range(args.start, args.start + args.cases)
        )
    rows = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="planchecker-fuzz-") as tmp:
        for n, (case, outcome, result) in enumerate(
            run_cases(selected, Path(tmp), args.jobs, args.timeout, args.mode, args.keep), 1
        ):
            rows.append((case, outcome, result))
            if args.replay:
                print(case.describe())
                print(
                    f"exit {outcome.exit_code} signal {outcome.signal} "
                    f"{outcome.seconds:.2f} s {outcome.max_rss_kb // 1024} MB"
                )
                print("stderr:", outcome.stderr.decode("utf-8", "replace"))
                print(f"-> {result.category}: {result.detail}")
            elif result.failed or result.category == "suspicious_pass":
                print(
                    f"{result.category.upper()}: {case.describe()[:300]}\n    {result.detail}",
                    flush=True,
                )
            if not args.replay and n % 250 == 0:
                print(f"... {n} cases, {time.monotonic() - started:.0f} s", flush=True)
    summary = summarise(rows)
    summary["seed"] = args.seed
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["mode"] = args.mode
    summary["jobs"] = args.jobs
    print(json.dumps(summary, indent=2))
    if args.json:
        failures = [
            {"case": c.ident, "what": c.describe(), "category": r.category, "detail": r.detail}
            for c, _, r in rows
            if r.failed or r.category == "suspicious_pass" or "reader_fallback" in r.notes
        ]
        args.json.write_text(
            json.dumps({"summary": summary, "cases": failures}, indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
