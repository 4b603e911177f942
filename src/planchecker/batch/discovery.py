"""Finding the centres under DIR, their `centre.toml` settings and their output names.

Each `.dxf` directly in DIR is one centre; every folder below DIR, at any depth, that
directly holds `.dxf` files is one centre whose files are its floors.  Symbolic-link
loops, broken links, files that are not regular files and unreadable folders become
centres with an error, never a crash; hidden folders (`.git` ...) and OUT itself are
not searched.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .common import BatchError, inside, reason

SETTINGS_NAME = "centre.toml"
SETTINGS_KEYS = ("name", "build_type", "units")
UNITS = ("mm", "cm", "m")
MAX_DEPTH = 64  # folders below DIR
SLUG_BYTES = 120  # a centre's output folder name, UTF-8 bytes, before any hash suffix
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


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
        raise BatchError(f"{root_path}: {reason(exc)}") from None
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
                Centre(rel or ".", "folder", error=f"cannot list folder: {reason(exc)}")
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
                Centre(child_rel, "folder", error=f"cannot open folder: {reason(exc)}")
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
        if entry.is_symlink() and inside(real, self.root_real):
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
        return reason(exc)
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
        raise ValueError(f"cannot read ({reason(exc)})") from None
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

