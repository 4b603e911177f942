"""The public Python API; the CLI is a thin layer over it.

>>> import planchecker
>>> result = planchecker.review(["plan.dxf"], standard="jingzhou-2016", build_type="new")
>>> result.verdict
'pass'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import DrawingError
from .model import Review
from .standards import DEFAULT_STANDARD, Standard, load_standard

PathLike = str | os.PathLike


def review(
    paths: PathLike | Sequence[PathLike],
    standard: str | Path | Standard = DEFAULT_STANDARD,
    build_type: str | None = None,
    units: str | None = None,
    name: str | None = None,
) -> Review:
    """Read one centre's drawing(s), extract its plan, judge it against a standard.

    `paths`: one DXF with every floor, or one DXF per floor, or a folder holding
    one DXF per floor.  `standard`: a shipped
    standard's id, a TOML path, or a loaded Standard.  `build_type`: "new" or
    "renovation" (default: the standard's default, the stricter).  `units`: "mm",
    "cm" or "m" to override the drawing's own.  Raises DrawingError (exit code 2 on
    the command line) for a drawing that cannot be read or holds no floor plan.
    """
    from .extraction import extract
    from .judge import judge
    from .reading import read_drawing

    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    files = [f for p in given for f in expand(os.fspath(p))]
    if not files:
        raise ValueError("review() needs at least one drawing")
    spec = standard if isinstance(standard, Standard) else load_standard(standard)
    build = build_type or spec.default_build_type
    drawings = [read_drawing(path, units=units) for path in files]
    plan = extract(drawings, spec)
    findings = judge(plan, spec, build)
    return Review(
        name=name or default_name(files),
        plan=plan,
        standard=spec,
        build_type=build,
        findings=findings,
    )


def expand(path: str) -> list[str]:
    """A folder stands for the DXF files directly in it: one centre, a file per floor."""
    if os.path.isdir(path):
        found = sorted(
            os.path.join(path, n) for n in os.listdir(path) if n.lower().endswith(".dxf")
        )
        if not found:
            raise DrawingError(path, "folder holds no .dxf file", "give the drawings themselves")
        return found
    return [path]


def default_name(files: Sequence[str]) -> str:
    """A centre is named after its file, or after the folder holding its floors."""
    if len(files) == 1:
        return Path(files[0]).stem
    parents = {Path(f).resolve().parent for f in files}
    if len(parents) == 1:
        return parents.pop().name
    return Path(files[0]).stem
