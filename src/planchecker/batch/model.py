"""The data a batch passes around: its options, a centre's task, a summary row."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from ..standards import DEFAULT_STANDARD
from .common import DEFAULT_DPI, one_line
from .discovery import Centre


@dataclass(frozen=True)
class Options:
    """What every centre of a batch is reviewed with."""

    standard: str = DEFAULT_STANDARD  # id or absolute path, as workers load it
    standard_sha256: str = ""
    build_type: str | None = None  # None: the standard's default
    lang: str = "zh"
    dpi: int = DEFAULT_DPI


@dataclass(frozen=True)
class Task:
    """A centre handed to a worker."""

    index: int
    centre: Centre
    root: str  # DIR, absolute
    out: str  # OUT, real path
    options: Options
    build_type: str  # effective: centre.toml, else --build-type, else the standard's
    resume: bool
    previous: dict | None = None  # the record.json of the last run, if any


@dataclass(frozen=True)
class CentreResult:
    """One row of the summary."""

    path: str
    name: str
    kind: str
    files: tuple[str, ...]
    verdict: str  # "pass", "fail" or "error"
    build_type: str | None
    gross_area_m2: float | None = None
    failing_rules: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str = ""
    output: str | None = None  # the centre's folder, relative to OUT
    report: str | None = None
    floors: tuple[dict, ...] = ()  # {"level", "tag", "name", "gross_area_m2", "png"}
    thumbnail: str | None = None

    @property
    def failing_count(self) -> int:
        return len(self.failing_rules)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["files"] = list(self.files)
        data["failing_rules"] = list(self.failing_rules)
        data["warnings"] = list(self.warnings)
        data["floors"] = [dict(f) for f in self.floors]
        data["failing_count"] = self.failing_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CentreResult:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("files", "failing_rules", "warnings"):
            values[key] = tuple(values.get(key) or ())
        values["floors"] = tuple(dict(f) for f in values.get("floors") or ())
        return cls(**values)


def error_row(task: Task, message: str) -> CentreResult:
    centre = task.centre
    return CentreResult(
        path=centre.path,
        name=centre.name or centre.path.rsplit("/", 1)[-1],
        kind=centre.kind,
        files=_rel_files(task),
        verdict="error",
        build_type=task.build_type,
        error=one_line(_relative(message, task.root)),
    )


def _rel_files(task: Task) -> tuple[str, ...]:
    return tuple(os.path.relpath(f, task.root).replace(os.sep, "/") for f in task.centre.files)


def _relative(message: str, root: str) -> str:
    """Messages name drawings relative to DIR, so summaries do not depend on where DIR is."""
    return message.replace(root.rstrip(os.sep) + os.sep, "")

