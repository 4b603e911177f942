"""Writing output files so that a reader never sees half of one.

Every file planchecker writes (the report, the PNG overlays, the PDF review sheet,
everything under a batch's OUT) goes through `atomic_write`: the bytes go to a
temporary file beside the target, which is renamed over the target only once it is
complete.  A full disk, a killed process or a crash leaves the old file whole and no
temporary file behind (a resumed batch must never trust a half-written report).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` by a temporary file beside it renamed into place.

    The temporary file is created exclusively and never through a symbolic link; the
    rename replaces a link at `path` rather than writing through it.  On any failure
    the temporary file is removed and the exception passes on.
    """
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except FileExistsError:  # left by a killed process with the same pid
        os.unlink(tmp)
        fd = os.open(tmp, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def same_file_as_any(
    target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]
) -> str | None:
    """The input that `target` would overwrite, if any.

    Compares the files themselves (device and inode), so another spelling of the path,
    a hard link or a symbolic link to an input is caught too; a target that does not
    exist yet cannot be an input.
    """
    try:
        mine = os.stat(target)
    except OSError:
        return None
    for item in inputs:
        try:
            theirs = os.stat(item)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
            return os.fspath(item)
    return None
