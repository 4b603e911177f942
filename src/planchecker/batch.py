"""Batch review (`planchecker batch DIR --out OUT`): every centre under a folder.

Four steps, each in its own part of this module:

1. **Discovery** (`discover`): each `.dxf` directly in DIR is one centre; every folder
   below DIR, at any depth, that directly holds `.dxf` files is one centre whose files
   are its floors.  A `centre.toml` beside a centre's drawings sets its `name`,
   `build_type` and `units`.  Symbolic-link loops, broken links, files that are not
   regular files and unreadable folders become centres with an error, never a crash;
   hidden folders (`.git` ...) and OUT itself are not searched.
2. **Work** (`review_centre`, run in a worker process): hash the drawings, reuse the
   last run's outputs when `--resume` finds them unchanged, else review the centre and
   write its JSON report, one PNG overlay per floor and a thumbnail of the ground
   floor into `OUT/centres/<slug>/`, then the `record.json` that a resumed run trusts.
3. **Pool** (`_Pool`): `--jobs` worker processes, one centre at a time each.  A centre
   that runs past `--timeout` has its worker killed; a worker that dies (a crash in
   native code, the out-of-memory killer) is replaced; either way the centre becomes
   an `error` row and the batch goes on.
4. **Summary**: rows in path order (the same whatever `--jobs` and the order work
   finished in), written as `summary.csv`, `summary.json` and `index.html` by
   `presenting.batch_report`.

Safety: every file is written under OUT only, as a temporary file renamed into place
(never followed through a symbolic link); output folder names are derived from the
centre's path but sanitised and made unique, so they cannot escape OUT or collide;
drawings are only ever opened for reading.

    >>> from planchecker.batch import run_batch
    >>> result = run_batch("plans/", "out/", jobs=2)
    >>> result.exit_code, result.counts
    (1, {'centres': 30, 'pass': 12, 'fail': 10, 'error': 8})
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import multiprocessing
import os
import re
import stat
import sys
import time
import tomllib
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from multiprocessing.connection import wait as wait_for_ready
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .atomic import atomic_write
from .errors import PlancheckerError
from .standards import DEFAULT_STANDARD

# Bumped when the record or row layout changes: a resumed run then redoes everything.
RECORD_FORMAT = 1
SUMMARY_SCHEMA = "planchecker.batch/1"

DEFAULT_TIMEOUT = 120.0
DEFAULT_DPI = 150
CENTRES_DIR = "centres"
RECORD_NAME = "record.json"
REPORT_NAME = "report.json"
THUMB_NAME = "thumb.png"
THUMB_BOX = (360, 240)  # pixels: the thumbnail fits in this box
SETTINGS_NAME = "centre.toml"
SETTINGS_KEYS = ("name", "build_type", "units")
UNITS = ("mm", "cm", "m")
MAX_DEPTH = 64  # folders below DIR
MAX_TASKS_PER_WORKER = 200  # a worker is replaced after this many centres (bounded memory)
SLUG_BYTES = 120  # a centre's output folder name, UTF-8 bytes, before any hash suffix
_TMP_RE = re.compile(r"^\..+\.tmp-\d+$")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


class BatchError(PlancheckerError):
    """A batch that cannot start (bad DIR or OUT, no drawings) or cannot write its
    results (a full disk, a read-only OUT): exit code 2, one line."""


class OutputError(BatchError):
    """OUT cannot be written (full, read-only, over quota): the whole batch stops."""


# Errors writing into OUT that no other centre would escape: they stop the batch.
_FATAL_WRITE = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM} | (
    {errno.EDQUOT} if hasattr(errno, "EDQUOT") else set()
)


# ----------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Centre:
    """One centre found under DIR: its drawings, settings and output folder."""

    path: str  # relative to DIR, with "/" (a file centre keeps its ".dxf")
    kind: str  # "file" (a .dxf directly in DIR) or "folder"
    files: tuple[str, ...] = ()  # absolute paths of its drawings, sorted
    name: str = ""
    build_type: str | None = None  # from centre.toml (None: the batch's option)
    units: str | None = None
    settings_sha256: str = ""  # of its centre.toml, "" when it has none
    error: str = ""  # found already while looking: the centre cannot be reviewed
    size: int = 0  # bytes of drawings: the largest centres are started first
    slug: str = ""  # its folder under OUT/centres/


@dataclass(frozen=True)
class Skipped:
    """A folder that was not searched (the same folder reached twice through a link)."""

    path: str
    reason: str


def discover(
    root: str | os.PathLike, exclude: Iterable[str] = ()
) -> tuple[list[Centre], list[Skipped]]:
    """The centres under `root`, in path order, and the folders skipped.

    `exclude`: real paths of folders never searched (the batch's OUT).  Never raises
    for what it finds: a loop, a broken link or an unreadable folder is a Centre with
    an `error`.
    """
    root_path = os.path.abspath(os.fspath(root))
    excluded = {os.path.realpath(p) for p in exclude}
    centres: list[Centre] = []
    skipped: list[Skipped] = []
    seen: dict[tuple[int, int], str] = {}
    try:
        st = os.stat(root_path)
    except OSError as exc:
        raise BatchError(f"{root_path}: {_reason(exc)}") from None
    seen[(st.st_dev, st.st_ino)] = "."
    walker = _Walker(os.path.realpath(root_path), excluded, seen, centres, skipped)
    walker.walk(root_path, (), [(st.st_dev, st.st_ino)])
    centres.sort(key=lambda c: _sort_key(c.path))
    skipped.sort(key=lambda s: _sort_key(s.path))
    return _with_slugs(centres), skipped


def _sort_key(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


@dataclass
class _Walker:
    root_real: str
    excluded: set[str]
    seen: dict[tuple[int, int], str]  # folders searched: (device, inode) -> path
    centres: list[Centre]
    skipped: list[Skipped]

    def walk(self, folder: str, parts: tuple[str, ...], ancestors: list[tuple[int, int]]) -> None:
        rel = "/".join(parts)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.centres.append(
                Centre(rel or ".", "folder", error=f"cannot list folder: {_reason(exc)}")
            )
            return
        drawings: list[os.DirEntry] = []
        folders: list[os.DirEntry] = []
        settings: os.DirEntry | None = None
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.name.startswith("."):
                    folders.append(entry)
            elif entry.name.lower().endswith(".dxf"):
                drawings.append(entry)
            elif entry.name == SETTINGS_NAME:
                settings = entry
        if drawings:
            _add_centres(parts, drawings, settings, self.centres)
        for entry in folders:
            self._folder(entry, (*parts, entry.name), ancestors)

    def _folder(self, entry: os.DirEntry, child: tuple[str, ...], ancestors) -> None:
        child_rel = "/".join(child)
        try:
            st = os.stat(entry.path)
            real = os.path.realpath(entry.path)
        except OSError as exc:
            self.centres.append(
                Centre(child_rel, "folder", error=f"cannot open folder: {_reason(exc)}")
            )
            return
        ident = (st.st_dev, st.st_ino)
        if real in self.excluded:
            return
        if ident in ancestors:
            above = self.seen.get(ident, "") or "a folder above it"
            self.centres.append(
                Centre(child_rel, "folder", error=f"symbolic link loop: leads back to {above}")
            )
            return
        if entry.is_symlink() and _inside(real, self.root_real):
            # reached by its own path too: reviewed there, once
            target = os.path.relpath(real, self.root_real).replace(os.sep, "/")
            self.skipped.append(Skipped(child_rel, f"symbolic link to {target}, reviewed there"))
            return
        if ident in self.seen:
            self.skipped.append(
                Skipped(child_rel, f"same folder as {self.seen[ident]} (symbolic link)")
            )
            return
        if len(child) > MAX_DEPTH:
            self.centres.append(Centre(child_rel, "folder", error="folders nested too deeply"))
            return
        self.seen[ident] = child_rel
        self.walk(entry.path, child, [*ancestors, ident])


def _add_centres(
    parts: tuple[str, ...],
    drawings: list[os.DirEntry],
    settings_entry: os.DirEntry | None,
    centres: list[Centre],
) -> None:
    settings: dict[str, Any] = {}
    settings_sha = ""
    settings_error = ""
    if settings_entry is not None:
        try:
            settings, settings_sha = read_settings(settings_entry.path)
        except ValueError as exc:
            settings_error = f"{SETTINGS_NAME}: {exc}"
    checked = [(e, _drawing_problem(e.path)) for e in drawings]
    if parts:  # a folder: one centre, its files are the floors
        rel = "/".join(parts)
        problems = [f"{e.name}: {p}" for e, p in checked if p]
        error = settings_error or "; ".join(problems)
        centres.append(
            Centre(
                path=rel,
                kind="folder",
                files=tuple(e.path for e in drawings),
                name=str(settings.get("name") or parts[-1]),
                build_type=settings.get("build_type"),
                units=settings.get("units"),
                settings_sha256=settings_sha,
                error=error,
                size=sum(_size(e.path) for e in drawings),
            )
        )
        return
    # Directly in DIR: each file is a centre.  A centre.toml there applies to all of
    # them; its name only when DIR holds a single drawing.
    name = settings.get("name") if len(drawings) == 1 else None
    for entry, problem in checked:
        centres.append(
            Centre(
                path=entry.name,
                kind="file",
                files=(entry.path,),
                name=str(name or _stem(entry.name)),
                build_type=settings.get("build_type"),
                units=settings.get("units"),
                settings_sha256=settings_sha,
                error=settings_error or problem,
                size=_size(entry.path),
            )
        )


def _stem(filename: str) -> str:
    return filename[:-4] if filename.lower().endswith(".dxf") else filename


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _drawing_problem(path: str) -> str:
    """Why a drawing cannot be read, found without opening it; "" when it may be."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(path):
            return "broken symbolic link (its target does not exist)"
        return _reason(exc)
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    return ""


def read_settings(path: str) -> tuple[dict[str, Any], str]:
    """A centre.toml's settings and its SHA-256; ValueError with one line when bad.

    UTF-8 (with or without BOM) as TOML requires; GB 18030 accepted too, as Windows
    editors in China save it.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
    except OSError as exc:
        raise ValueError(f"cannot read ({_reason(exc)})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML ({exc})") from None
    unknown = sorted(set(table) - set(SETTINGS_KEYS))
    if unknown:
        raise ValueError(
            f"unknown key {', '.join(repr(k) for k in unknown)} (use {', '.join(SETTINGS_KEYS)})"
        )
    name = table.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError("'name' must be a non-empty string")
    build = table.get("build_type")
    if build is not None and build not in ("new", "renovation"):
        raise ValueError(f"build_type must be 'new' or 'renovation', not {build!r}")
    units = table.get("units")
    if units is not None and units not in UNITS:
        raise ValueError(f"units must be one of {', '.join(UNITS)}, not {units!r}")
    settings = {k: (v.strip() if isinstance(v, str) else v) for k, v in table.items()}
    return settings, hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------- output names


def safe_component(text: str) -> str:
    """One path component as a file name on every system (Chinese kept)."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text


def _slug_of(centre: Centre) -> tuple[str, bool]:
    """The readable part of a centre's folder name, and whether it lost information."""
    parts = centre.path.split("/")
    if centre.kind == "file":
        parts[-1] = _stem(parts[-1])
    cleaned = [safe_component(p) for p in parts]
    slug = "__".join(p for p in cleaned if p)
    lossy = any(c != p for c, p in zip(cleaned, parts, strict=True))
    encoded = slug.encode("utf-8")
    if len(encoded) > SLUG_BYTES:
        slug = encoded[:SLUG_BYTES].decode("utf-8", "ignore").rstrip(" ._")
        lossy = True
    if not slug or slug.lower().split(".")[0] in _RESERVED:
        slug = f"centre_{slug}".rstrip("_")
        lossy = True
    return slug, lossy


def _with_slugs(centres: list[Centre]) -> list[Centre]:
    """Give every centre a folder name under OUT/centres/: unique (ignoring case and
    Unicode normal form), a single path component, never `.` or `..`.

    Readable names come from the path (`county/community` -> `county__community`);
    where two centres would get the same name, or sanitising changed the name, a
    short hash of the exact path is appended, so a name depends only on its own path
    and on which others collide with it.
    """
    base = [_slug_of(c) for c in centres]
    groups: dict[str, int] = {}
    for slug, _ in base:
        key = slug.casefold()
        groups[key] = groups.get(key, 0) + 1
    taken: set[str] = set()
    result = []
    for centre, (slug, lossy) in zip(centres, base, strict=True):
        name = slug
        if lossy or groups[slug.casefold()] > 1:
            name = f"{slug}-{hashlib.sha256(centre.path.encode('utf-8')).hexdigest()[:8]}"
        n = 2
        candidate = name
        while candidate.casefold() in taken:  # a hash collision: practically never
            candidate = f"{name}-{n}"
            n += 1
        taken.add(candidate.casefold())
        assert "/" not in candidate and candidate not in (".", "..")
        result.append(replace(centre, slug=candidate))
    return result


# ------------------------------------------------------------------- safe writing


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def ensure_folder(out_root: str, *parts: str) -> Path:
    """OUT/parts..., created as real folders; refuses any part that is a symbolic link
    or leads outside OUT."""
    current = out_root
    for part in parts:
        if not part or part in (".", "..") or "/" in part or os.sep in part:
            raise OSError(errno.EINVAL, f"unsafe folder name {part!r}")
        current = os.path.join(current, part)
        with contextlib.suppress(FileExistsError):
            os.mkdir(current)
        st = os.lstat(current)
        if stat.S_ISLNK(st.st_mode):
            raise OSError(errno.ELOOP, f"{current} is a symbolic link; remove it")
        if not stat.S_ISDIR(st.st_mode):
            raise OSError(errno.ENOTDIR, f"{current} is not a folder")
    if not _inside(os.path.realpath(current), out_root):
        raise OSError(errno.EXDEV, f"{current} leads outside the output folder")
    return Path(current)


# --------------------------------------------------------------------- the work


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


def _error_row(task: Task, message: str) -> CentreResult:
    centre = task.centre
    return CentreResult(
        path=centre.path,
        name=centre.name or centre.path.rsplit("/", 1)[-1],
        kind=centre.kind,
        files=_rel_files(task),
        verdict="error",
        build_type=task.build_type,
        error=_one_line(_relative(message, task.root)),
    )


def _rel_files(task: Task) -> tuple[str, ...]:
    return tuple(os.path.relpath(f, task.root).replace(os.sep, "/") for f in task.centre.files)


def _relative(message: str, root: str) -> str:
    """Messages name drawings relative to DIR, so summaries do not depend on where DIR is."""
    return message.replace(root.rstrip(os.sep) + os.sep, "")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def centre_key(task: Task, hashes: Sequence[tuple[str, str]]) -> str:
    """What a centre's outputs depend on: its drawings' contents, its settings, the
    batch's options, the standard file and planchecker's version.  A resumed run
    reuses the outputs only when this is unchanged."""
    centre, options = task.centre, task.options
    material = {
        "format": RECORD_FORMAT,
        "planchecker": __version__,
        "standard": options.standard_sha256,
        "path": centre.path,
        "files": [list(h) for h in hashes],
        "name": centre.name,
        "build_type": task.build_type,
        "units": centre.units,
        "settings": centre.settings_sha256,
        "lang": options.lang,
        "dpi": options.dpi,
    }
    text = json.dumps(material, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_STANDARDS: dict[str, Any] = {}


def _standard(options: Options):
    from .standards import load_standard

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
        return _error_row(task, str(exc)), False
    except OSError as exc:
        where = exc.filename or task.centre.path
        return _error_row(task, f"{where}: {_reason(exc)}"), False
    except MemoryError:
        return _error_row(task, "out of memory while reviewing"), False
    except RecursionError:
        return _error_row(task, "drawing nested too deeply to review"), False
    except Exception as exc:
        return (
            _error_row(
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
            raise PlancheckerError(f"{name}: cannot read ({_reason(exc)})") from None
    key = centre_key(task, hashes)
    folder = os.path.join(task.out, CENTRES_DIR, centre.slug)
    if task.resume and task.previous is not None:
        reused = _reusable(task.previous, key, folder)
        if reused is not None:
            return reused, True
    if os.path.lexists(folder):  # the last run's outputs: gone before anything new
        with _writing(task):
            _clear(ensure_folder(task.out, CENTRES_DIR, centre.slug), task.previous)

    from .api import review
    from .presenting import json_report
    from .presenting.common import area
    from .presenting.overlay import floors_in_order, render_floors

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
        if exc.errno in _FATAL_WRITE:
            raise OutputError(
                f"{task.out}: cannot write the results ({_reason(exc)})"
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


def _reusable(previous: dict, key: str, folder: str) -> CentreResult | None:
    """The last run's row when its key matches and every output it lists is intact."""
    try:
        if previous.get("format") != RECORD_FORMAT or previous.get("key") != key:
            return None
        outputs = previous["outputs"]
        for name, meta in outputs.items():
            if not _plain_name(name):
                return None
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != meta["size"]:
                return None
            if file_sha256(path) != meta["sha256"]:
                return None
        return CentreResult.from_dict(previous["row"])
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _plain_name(name: Any) -> bool:
    return (
        isinstance(name, str)
        and bool(name)
        and name not in (".", "..")
        and "/" not in name
        and os.sep not in name
        and "\x00" not in name
    )


def _clear(folder: Path, previous: dict | None) -> None:
    """Before a centre is redone: drop its record (so that nothing half-done is ever
    trusted), the outputs the last run listed, and temporary files left by a kill."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / RECORD_NAME)
    names: list[str] = []
    if isinstance(previous, dict) and isinstance(previous.get("outputs"), dict):
        names = [n for n in previous["outputs"] if _plain_name(n)]
    for name in names:
        with contextlib.suppress(OSError):
            path = folder / name
            if not path.is_dir():
                os.unlink(path)
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if _TMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def read_record(out: str, slug: str) -> dict | None:
    """A centre's record.json from the last run, or None (missing, damaged, a link)."""
    path = os.path.join(out, CENTRES_DIR, slug, RECORD_NAME)
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 10 << 20:
            return None
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ------------------------------------------------------------------------- pool

Work = Callable[[Task], tuple[CentreResult, bool]]
_PRELOAD = [
    "planchecker.batch",
    "planchecker.api",
    "planchecker.reading",
    "planchecker.extraction",
    "planchecker.judge",
    "planchecker.presenting.json_report",
    "planchecker.presenting.overlay",
    "matplotlib.backends.backend_agg",
    "PIL.Image",
    "PIL.PngImagePlugin",
]


def _context():
    """Worker processes start from a fork server that has the pipeline imported:
    cheap to start and replace, and safe whatever threads the caller runs."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _worker_loop(conn, work: Work) -> None:
    """A worker: take a task, send back its row, until told to stop (None) or the
    batch goes away.  Ctrl-C is the batch's to handle: the worker ignores it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = work(task)
        except OutputError as exc:  # the batch's to stop
            outcome = OutputError(str(exc))
        except BaseException as exc:  # a work function that raised: still a row
            outcome = (_error_row(task, f"internal error ({type(exc).__name__}: {exc})"), False)
        try:
            conn.send((task.index, outcome))
        except (OSError, EOFError):
            return


@dataclass
class _Slot:
    process: Any
    conn: Any
    task: Task | None = None
    started: float = 0.0
    done: int = 0


class _Pool:
    """`jobs` worker processes with a deadline per task.

    A task past its deadline has its worker killed (SIGKILL: a hang in native code
    ignores anything gentler); a worker that dies mid-task is replaced; both make
    the task an error row.  One task at a time per worker, so a kill loses one centre.
    """

    def __init__(self, jobs: int, timeout: float, work: Work) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.work = work
        self.ctx = _context()
        self.slots: list[_Slot] = []

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(
            target=_worker_loop, args=(child, self.work), daemon=True, name="planchecker-batch"
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    @staticmethod
    def _stop(slot: _Slot, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError, EOFError, ValueError):
                slot.conn.send(None)
            slot.process.join(2.0)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(5.0)
        with contextlib.suppress(OSError):
            slot.conn.close()

    def run(
        self,
        tasks: Sequence[Task],
        on_result: Callable[[Task, CentreResult, bool], None],
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        queue = deque(tasks)
        retries: dict[int, int] = {}
        try:
            while queue or any(s.task is not None for s in self.slots):
                idle = [s for s in self.slots if s.task is None]
                while queue and len(self.slots) < self.jobs:
                    slot = self._start()
                    self.slots.append(slot)
                    idle.append(slot)
                for slot in idle:
                    if not queue:
                        break
                    task = queue.popleft()
                    try:
                        slot.conn.send(task)
                    except (OSError, EOFError, ValueError):  # the worker died idle
                        self._replace(slot)
                        retries[task.index] = retries.get(task.index, 0) + 1
                        if retries[task.index] > 2:
                            on_result(task, _error_row(task, "could not start a worker"), False)
                        else:
                            queue.appendleft(task)
                        continue
                    slot.task, slot.started = task, time.monotonic()
                self._idle_surplus(queue)
                busy = [s for s in self.slots if s.task is not None]
                if not busy:
                    continue
                now = time.monotonic()
                wait = min(s.started + self.timeout - now for s in busy)
                handles = [s.conn for s in busy] + [s.process.sentinel for s in busy]
                ready = set(wait_for_ready(handles, timeout=max(0.0, min(wait, 0.5))))
                now = time.monotonic()
                for slot in busy:
                    self._check(slot, ready, now, on_result)
                if on_tick is not None:
                    on_tick()
        finally:
            for slot in self.slots:
                self._stop(slot, kill=slot.task is not None)
            self.slots = []

    def _idle_surplus(self, queue: deque) -> None:
        """Stop workers that nothing is left for."""
        if queue:
            return
        for slot in [s for s in self.slots if s.task is None]:
            self._stop(slot)
            self.slots.remove(slot)

    def _replace(self, slot: _Slot) -> None:
        self._stop(slot, kill=True)
        self.slots.remove(slot)

    def _check(self, slot: _Slot, ready: set, now: float, on_result) -> None:
        task = slot.task
        assert task is not None
        if slot.conn in ready:
            try:
                _index, outcome = slot.conn.recv()
            except (EOFError, OSError, ValueError, TypeError):
                pass  # died while answering: handled as a crash below
            else:
                if isinstance(outcome, OutputError):
                    raise outcome
                row, reused = outcome
                slot.task = None
                slot.done += 1
                on_result(task, row, reused)
                if slot.done >= MAX_TASKS_PER_WORKER:
                    self._stop(slot)
                    self.slots.remove(slot)
                return
        if slot.process.sentinel in ready or slot.conn in ready or not slot.process.is_alive():
            slot.process.join(1.0)
            code = slot.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            slot.task = None
            self._replace(slot)
            on_result(task, _error_row(task, f"the review stopped unexpectedly ({how})"), False)
            return
        if now - slot.started >= self.timeout:
            slot.task = None
            self._replace(slot)
            on_result(
                task,
                _error_row(
                    task,
                    f"timed out after {self.timeout:g} s (a very large or damaged drawing; "
                    "raise --timeout to allow more)",
                ),
                False,
            )


# ---------------------------------------------------------------------- progress


class Progress:
    """A one-line progress bar with counts and ETA, redrawn in place on a terminal."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO, lang: str = "zh") -> None:
        self.total = total
        self.stream = stream
        self.lang = lang
        self.start = time.monotonic()
        self.counts = {"pass": 0, "fail": 0, "error": 0}
        self.done = 0
        self.last = 0.0
        self.shown = False

    def add(self, row: CentreResult) -> None:
        self.done += 1
        self.counts[row.verdict] = self.counts.get(row.verdict, 0) + 1
        self.draw(force=True)

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        elapsed = now - self.start
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        eta = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        c = self.counts
        if self.lang == "zh":
            text = (
                f"[{bar}] {self.done}/{self.total}  通过 {c['pass']}  不通过 {c['fail']}  "
                f"错误 {c['error']}  已用 {_clock(elapsed)}  剩余约 {eta}"
            )
        else:
            text = (
                f"[{bar}] {self.done}/{self.total}  pass {c['pass']}  fail {c['fail']}  "
                f"error {c['error']}  elapsed {_clock(elapsed)}  ETA {eta}"
            )
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# ------------------------------------------------------------------------ batch


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
    if _inside(root_real, out_real):
        raise BatchError(
            f"{out}: the output folder must not be the drawings' folder or hold it; "
            "choose a new folder"
        )
    try:
        os.makedirs(out_abs, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"{out}: cannot create the output folder ({_reason(exc)})") from None
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
    from .presenting import batch_report
    from .standards import load_standard

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
            done(task, _error_row(task, centre.error), False)
        else:
            tasks.append(task)
    tasks.sort(key=lambda t: (-t.centre.size, t.index))  # largest first: even finish
    try:
        if tasks:
            pool = _Pool(min(jobs or default_jobs(), len(tasks)), timeout, work or review_centre)
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
            raise BatchError(f"{path}: cannot write ({_reason(exc)})") from None
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


__all__ = [
    "BatchError",
    "BatchResult",
    "Centre",
    "CentreResult",
    "Options",
    "discover",
    "review_centre",
    "run_batch",
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: planchecker batch DIR --out OUT")
