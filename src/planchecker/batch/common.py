"""What every part of a batch shares: the output layout, errors, hashing, safe folders."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path

from ..errors import PlancheckerError

# Bumped when the record or row layout changes: a resumed run then redoes everything.
RECORD_FORMAT = 1

DEFAULT_TIMEOUT = 120.0
DEFAULT_DPI = 150
CENTRES_DIR = "centres"
RECORD_NAME = "record.json"
REPORT_NAME = "report.json"
THUMB_NAME = "thumb.png"
THUMB_BOX = (360, 240)  # pixels: the thumbnail fits in this box


class BatchError(PlancheckerError):
    """A batch that cannot start (bad DIR or OUT, no drawings) or cannot write its
    results (a full disk, a read-only OUT): exit code 2, one line."""


class OutputError(BatchError):
    """OUT cannot be written (full, read-only, over quota): the whole batch stops."""


# Errors writing into OUT that no other centre would escape: they stop the batch.
FATAL_WRITE = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM} | (
    {errno.EDQUOT} if hasattr(errno, "EDQUOT") else set()
)



def one_line(text: str) -> str:
    return " ".join(str(text).split())


def reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()



def inside(path: str, folder: str) -> bool:
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
    if not inside(os.path.realpath(current), out_root):
        raise OSError(errno.EXDEV, f"{current} leads outside the output folder")
    return Path(current)

