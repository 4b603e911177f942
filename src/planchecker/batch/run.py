"""`run_batch`: discover, review in the pool, write the summaries."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..atomic import atomic_write
from ..standards import DEFAULT_STANDARD
from .common import (
    CENTRES_DIR,
    DEFAULT_DPI,
    DEFAULT_TIMEOUT,
    BatchError,
    ensure_folder,
    inside,
    reason,
)
from .discovery import Skipped, discover
from .model import CentreResult, Options, Task, error_row
from .pool import Pool, Work
from .progress import Progress
from .records import read_record
from .work import review_centre


@dataclass
class BatchResult:
    """What a batch found and wrote."""

    rows: list[CentreResult]
    skipped: list[Skipped]
    out: Path
    reviewed: int = 0  # centres reviewed in this run
    reused: int = 0  # centres whose outputs a resumed run kept
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        result = {"centres": len(self.rows), "pass": 0, "fail": 0, "error": 0}
        for row in self.rows:
            result[row.verdict] += 1
        return result

    @property
    def exit_code(self) -> int:
        """0 when every centre passes; 1 when one fails or could not be read."""
        return 0 if all(r.verdict == "pass" for r in self.rows) else 1


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _check_folders(directory: str, out: str) -> tuple[str, str]:
    root = os.path.abspath(directory)
    if not os.path.exists(root):
        raise BatchError(f"{directory}: no such folder")
    if not os.path.isdir(root):
        raise BatchError(f"{directory}: not a folder (give the folder that holds the drawings)")
    root_real = os.path.realpath(root)
    out_abs = os.path.abspath(out)
    if os.path.lexists(out_abs) and not os.path.isdir(out_abs):
        raise BatchError(f"{out}: exists and is not a folder")
    out_real = os.path.realpath(out_abs)
    if inside(root_real, out_real):
        raise BatchError(
            f"{out}: the output folder must not be the drawings' folder or hold it; "
            "choose a new folder"
        )
    try:
        os.makedirs(out_abs, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"{out}: cannot create the output folder ({reason(exc)})") from None
    out_real = os.path.realpath(out_abs)
    try:
        ensure_folder(out_real, CENTRES_DIR)
    except OSError as exc:
        raise BatchError(f"{out}: cannot use {CENTRES_DIR}/ ({exc.strerror or exc})") from None
    return root, out_real


def _standard_ref(standard: str) -> str:
    """A standard given as a path is passed to workers as an absolute path."""
    ref = os.fspath(standard)
    if ref.endswith(".toml") or "/" in ref or "\\" in ref:
        return os.path.abspath(ref)
    return ref


def run_batch(
    directory: str | os.PathLike,
    out: str | os.PathLike,
    *,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    resume: bool = False,
    standard: str = DEFAULT_STANDARD,
    build_type: str | None = None,
    lang: str = "zh",
    dpi: int = DEFAULT_DPI,
    progress: TextIO | None = None,
    work: Work | None = None,
) -> BatchResult:
    """Review every centre under `directory`; write reports and summaries under `out`.

    `progress`: a stream to draw a progress bar on (the CLI passes stderr when it is a
    terminal).  `work`: what a worker does with a task (tests wrap `review_centre`).
    Raises BatchError for a batch that cannot start; every per-centre failure is a row.
    """
    from ..presenting import batch_report
    from ..standards import load_standard

    if jobs is not None and jobs < 1:
        raise BatchError(f"--jobs must be at least 1, not {jobs}")
    if not timeout > 0:
        raise BatchError(f"--timeout must be positive, not {timeout}")
    if lang not in ("zh", "en"):
        raise BatchError(f"unknown language {lang!r}: use zh or en")
    root, out_real = _check_folders(os.fspath(directory), os.fspath(out))
    ref = _standard_ref(os.fspath(standard))
    spec = load_standard(ref)
    if build_type is not None and build_type not in spec.build_types:
        raise BatchError(f"unknown build type {build_type!r}")
    options = Options(
        standard=ref, standard_sha256=spec.sha256, build_type=build_type, lang=lang, dpi=dpi
    )
    centres, skipped = discover(root, exclude=[out_real])
    if not centres:
        raise BatchError(
            f"{directory}: no .dxf drawings found (each .dxf, or each folder of .dxf "
            "files, is one centre)"
        )

    rows: dict[int, CentreResult] = {}
    counters = {"reviewed": 0, "reused": 0}
    bar = Progress(len(centres), progress, lang) if progress is not None else None

    def done(task: Task, row: CentreResult, reused: bool) -> None:
        rows[task.index] = row
        counters["reused" if reused else "reviewed"] += 1
        if bar is not None:
            bar.add(row)

    tasks = []
    for index, centre in enumerate(centres):
        effective = centre.build_type or build_type or spec.default_build_type
        task = Task(
            index=index,
            centre=centre,
            root=root,
            out=out_real,
            options=options,
            build_type=effective,
            resume=resume,
            previous=read_record(out_real, centre.slug) if centre.slug else None,
        )
        if centre.error:
            done(task, error_row(task, centre.error), False)
        else:
            tasks.append(task)
    tasks.sort(key=lambda t: (-t.centre.size, t.index))  # largest first: even finish
    try:
        if tasks:
            pool = Pool(min(jobs or default_jobs(), len(tasks)), timeout, work or review_centre)
            pool.run(tasks, done, bar.draw if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()

    ordered = [rows[i] for i in range(len(centres))]
    result = BatchResult(
        rows=ordered,
        skipped=skipped,
        out=Path(out_real),
        reviewed=counters["reviewed"],
        reused=counters["reused"],
    )
    summary = batch_report.summary(result, spec, options)
    outputs = {
        "summary.csv": batch_report.render_csv(summary),
        "summary.json": batch_report.render_json(summary).encode("utf-8"),
        "index.html": batch_report.render_html(summary).encode("utf-8"),
    }
    for name, data in outputs.items():
        path = Path(out_real) / name
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise BatchError(f"{path}: cannot write ({reason(exc)})") from None
        result.files[name] = path
    return result


def main_summary(result: BatchResult, lang: str) -> str:
    """The lines the command prints when it is done."""
    c = result.counts
    out = result.out
    if lang == "zh":
        lines = [
            f"共 {c['centres']} 个中心：通过 {c['pass']}，不通过 {c['fail']}，无法读取 {c['error']}"
            + (f"（沿用上次结果 {result.reused} 个）" if result.reused else ""),
            f"汇总：{out / 'summary.csv'}、{out / 'summary.json'}",
            f"总览：{out / 'index.html'}",
        ]
    else:
        lines = [
            f"{c['centres']} centres: {c['pass']} pass, {c['fail']} fail, "
            f"{c['error']} could not be read"
            + (f" ({result.reused} kept from the last run)" if result.reused else ""),
            f"summary: {out / 'summary.csv'}, {out / 'summary.json'}",
            f"overview: {out / 'index.html'}",
        ]
    for s in result.skipped:
        lines.append(("跳过 " if lang == "zh" else "skipped ") + f"{s.path}: {s.reason}")
    return "\n".join(lines) + "\n"

