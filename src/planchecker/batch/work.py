"""One centre's work, in a worker process: review it and write its outputs.

Hash the drawings, reuse the last run's outputs when `--resume` finds them unchanged,
else review the centre and write its JSON report, one PNG overlay per floor and a
thumbnail of the ground floor into `OUT/centres/<slug>/`, then the `record.json` that
a resumed run trusts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from typing import Any

from ..atomic import atomic_write
from ..errors import PlancheckerError
from .common import (
    CENTRES_DIR,
    FATAL_WRITE,
    RECORD_FORMAT,
    RECORD_NAME,
    REPORT_NAME,
    THUMB_BOX,
    THUMB_NAME,
    OutputError,
    ensure_folder,
    file_sha256,
    reason,
)
from .model import CentreResult, Options, Task, error_row
from .records import centre_key, clear_outputs, reusable_row

_STANDARDS: dict[str, Any] = {}  # a worker loads each standard once


def _standard(options: Options):
    from ..standards import load_standard

    spec = _STANDARDS.get(options.standard)
    if spec is None:
        spec = _STANDARDS[options.standard] = load_standard(options.standard)
    if options.standard_sha256 and spec.sha256 != options.standard_sha256:
        raise PlancheckerError(f"{options.standard}: the standard file changed during the batch")
    return spec


def review_centre(task: Task) -> tuple[CentreResult, bool]:
    """Review one centre and write its outputs; (row, reused from the last run).

    Runs in a worker process.  Every failure of the centre becomes an error row;
    only OutputError (OUT cannot be written) is raised, and it stops the batch.
    """
    try:
        return _review_centre(task)
    except OutputError:
        raise
    except PlancheckerError as exc:
        return error_row(task, str(exc)), False
    except OSError as exc:
        where = exc.filename or task.centre.path
        return error_row(task, f"{where}: {reason(exc)}"), False
    except MemoryError:
        return error_row(task, "out of memory while reviewing"), False
    except RecursionError:
        return error_row(task, "drawing nested too deeply to review"), False
    except Exception as exc:
        return (
            error_row(
                task,
                f"internal error while reviewing ({type(exc).__name__}: {exc}); "
                "please report it with the drawing attached",
            ),
            False,
        )


def _review_centre(task: Task) -> tuple[CentreResult, bool]:
    centre, options = task.centre, task.options
    hashes = []
    for path in centre.files:
        name = os.path.relpath(path, task.root).replace(os.sep, "/")
        try:
            hashes.append((name, file_sha256(path)))
        except OSError as exc:
            raise PlancheckerError(f"{name}: cannot read ({reason(exc)})") from None
    key = centre_key(task, hashes)
    folder = os.path.join(task.out, CENTRES_DIR, centre.slug)
    if task.resume and task.previous is not None:
        reused = reusable_row(task.previous, key, folder)
        if reused is not None:
            return reused, True
    if os.path.lexists(folder):  # the last run's outputs: gone before anything new
        with _writing(task):
            clear_outputs(ensure_folder(task.out, CENTRES_DIR, centre.slug), task.previous)

    from ..api import review
    from ..presenting import json_report
    from ..presenting.common import area
    from ..presenting.overlay import floors_in_order, render_floors

    spec = _standard(options)
    result = review(
        list(centre.files),
        standard=spec,
        build_type=task.build_type,
        units=centre.units,
        name=centre.name,
    )
    outputs: dict[str, bytes] = {}
    outputs[REPORT_NAME] = json_report.render(result, options.lang).encode("utf-8")
    images = render_floors(result, lang=options.lang, dpi=options.dpi)
    names: list[str] = []
    floors = []
    for image, floor in zip(images, floors_in_order(result), strict=True):
        png = f"{image.tag}.png"
        n = 2
        while png in names:
            png = f"{image.tag}-{n}.png"
            n += 1
        names.append(png)
        outputs[png] = image.png
        floors.append(
            {
                "level": image.level,
                "tag": image.tag,
                "name": floor.name,
                "gross_area_m2": area(floor.gross_area),
                "png": f"{CENTRES_DIR}/{centre.slug}/{png}",
            }
        )
    thumb = None
    ground = _ground_floor(images)
    if ground is not None:
        outputs[THUMB_NAME] = thumbnail(ground.png, _plan_box(result, ground))
        thumb = f"{CENTRES_DIR}/{centre.slug}/{THUMB_NAME}"
    with _writing(task):
        out_dir = ensure_folder(task.out, CENTRES_DIR, centre.slug)
        for name, data in outputs.items():
            atomic_write(out_dir / name, data)
    row = CentreResult(
        path=centre.path,
        name=result.name,
        kind=centre.kind,
        files=tuple(h[0] for h in hashes),
        verdict=result.verdict,
        build_type=result.build_type,
        gross_area_m2=area(result.plan.gross_area),
        failing_rules=tuple(dict.fromkeys(f.rule for f in result.findings if f.status == "fail")),
        warnings=tuple(dict.fromkeys(f.rule for f in result.findings if f.status == "warn")),
        output=f"{CENTRES_DIR}/{centre.slug}",
        report=f"{CENTRES_DIR}/{centre.slug}/{REPORT_NAME}",
        floors=tuple(floors),
        thumbnail=thumb,
    )
    record = {
        "format": RECORD_FORMAT,
        "key": key,
        "row": row.to_dict(),
        "outputs": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(outputs.items())
        },
    }
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    with _writing(task):
        atomic_write(out_dir / RECORD_NAME, text.encode("utf-8"))  # last: the centre is done
    return row, False


@contextlib.contextmanager
def _writing(task: Task):
    """Writing into OUT: a full or read-only disk stops the batch (OutputError);
    anything else about one centre's folder (a link in the way) is that centre's error."""
    try:
        yield
    except OSError as exc:
        if exc.errno in FATAL_WRITE:
            raise OutputError(
                f"{task.out}: cannot write the results ({reason(exc)})"
            ) from None
        raise


def _ground_floor(images):
    if not images:
        return None
    above = [i for i in images if i.level >= 1]
    return min(above, key=lambda i: i.level) if above else images[0]


def _plan_box(result, image) -> tuple[float, float, float, float] | None:
    """The building on a floor's overlay, in pixels, with a margin: what the thumbnail
    shows (the side panel and the sheet's margins left out)."""
    import shapely

    shapes = [f.outline for f in result.plan.floors if f.level == image.level]
    shapes += [r.polygon for r in result.plan.rooms if r.level == image.level]
    shapes = [g for g in shapes if g is not None and not g.is_empty]
    if not shapes:
        return None
    x0, y0, x1, y1 = shapely.union_all(shapes).bounds
    pad = 0.04 * max(x1 - x0, y1 - y0)
    c0, r0, c1, r1 = image.frame.box_to_pixels((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    w, h = image.frame.width, image.frame.height
    box = (max(0.0, c0), max(0.0, r0), min(float(w), c1), min(float(h), r1))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return None
    return box


def thumbnail(png: bytes, box: tuple[float, float, float, float] | None = None) -> bytes:
    """A small PNG of an overlay (of `box`, in pixels, when given), for the index page."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB")
        if box is not None:
            small = small.crop(tuple(round(v) for v in box))
        small.thumbnail(THUMB_BOX, Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, format="PNG", optimize=True)
    return buf.getvalue()

