"""Look at a file's first and last bytes before handing it to ezdxf.

ezdxf's own checks are too forgiving for a review tool: ``recover`` turns an
empty file, a DWG or a half-written DXF into an empty drawing without an error,
and a user would then read "no rooms found" instead of "this is a DWG".  So the
reader sniffs the file first, cheaply (a few KB at each end), and says in one
line what is wrong and what to do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

from planchecker.errors import DrawingError

HEAD_BYTES = 4096
TAIL_BYTES = 512
BINARY_DXF_SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"
MAX_GROUP_CODE = 1071

# Magic numbers of files people mistake for drawings: (prefix, what it is).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"(DWF V", "DWF file"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"{\\rtf", "RTF document"),
)

DWG_PREFIXES = (b"AC10", b"AC1.", b"AC2.", b"AC1001", b"AC1002")
_SECTION_NAME = re.compile(
    rb"(?:^|\n)[ \t]*0\r?\n[ \t]*SECTION\r?\n[ \t]*2\r?\n[ \t]*([A-Z]+)\r?\n"
)


@dataclass(frozen=True)
class Sniffed:
    """What the first and last bytes say about a file that looks like a DXF."""

    path: str
    fmt: Literal["ascii", "binary"]
    truncated: bool
    size: int


def sniff(path: str) -> Sniffed:
    """Classify `path` as ASCII or binary DXF, or raise DrawingError saying why not."""
    size = _file_size(path)
    head, tail = _read_ends(path, size)
    if not head.strip(b" \t\r\n\x00"):
        what = "file is empty" if size == 0 else "file is empty (only blank or zero bytes)"
        raise DrawingError(path, what, "export the DXF again")
    if head.startswith(BINARY_DXF_SENTINEL):
        return Sniffed(path, "binary", _binary_truncated(tail), size)
    if head.startswith(DWG_PREFIXES):
        raise DrawingError(
            path,
            "DWG is not supported",
            "save as DXF (AutoCAD: SAVEAS → DXF; TArch: 图形导出 → T3 DXF)",
        )
    kind = _magic_kind(head)
    if kind:
        raise DrawingError(
            path, f"not a DXF file (looks like {kind})", "give the drawing exported as DXF"
        )
    if not _looks_like_ascii_dxf(head):
        what = "binary data" if _is_binary(head) else "text that is not DXF"
        raise DrawingError(
            path, f"not a DXF file (contains {what})", "give the drawing exported as DXF"
        )
    return Sniffed(path, "ascii", _ascii_truncated(tail), size)


def _file_size(path: str) -> int:
    """Size in bytes, or a DrawingError for paths that are not readable files."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DrawingError(path, "file not found", "check the path") from None
    except OSError as exc:
        raise DrawingError(path, f"cannot open file ({exc.strerror})", "check the path") from None
    if os.path.isdir(path):
        raise DrawingError(path, "is a directory, not a file", "give the path of a .dxf file")
    return st.st_size


def _read_ends(path: str, size: int) -> tuple[bytes, bytes]:
    """The first HEAD_BYTES and the last TAIL_BYTES of the file (seeking, not reading all)."""
    try:
        with open(path, "rb") as fp:
            head = fp.read(HEAD_BYTES)
            if size > TAIL_BYTES:
                fp.seek(-TAIL_BYTES, os.SEEK_END)
            else:
                fp.seek(0)
            tail = fp.read(TAIL_BYTES)
    except PermissionError:
        raise DrawingError(
            path, "cannot open file (permission denied)", "check the file's permissions"
        ) from None
    except OSError as exc:
        raise DrawingError(path, f"cannot read file ({exc.strerror})", "check the path") from None
    return head, tail


def _magic_kind(head: bytes) -> str:
    """Name of a known non-DXF format whose magic number starts `head`, else ""."""
    for prefix, kind in MAGIC:
        if head.startswith(prefix):
            return kind
    return ""


def _is_binary(head: bytes) -> bool:
    """True when `head` holds control bytes that never occur in text.

    NUL / Ctrl-Z padding at the very end (old DOS tools) does not count.
    """
    body = head.rstrip(b"\x00\x1a")
    return bool(body.translate(None, b"\t\r\n\x0c" + bytes(range(32, 256))))


def _looks_like_ascii_dxf(head: bytes) -> bool:
    """True when the first non-blank line is a DXF group code (0, 999 ...).

    A DXF starts with a comment (999) or ``0 / SECTION``; NUL bytes never occur in an
    ASCII DXF, so random binary data is rejected here without parsing anything.
    """
    if _is_binary(head):
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    lines = [line.strip() for line in head.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return False
    first = lines[0]
    if not first.isdigit() or int(first) > MAX_GROUP_CODE:
        return False
    # a structural tag (group code 0) must name a section or a comment follows
    return first != b"0" or lines[1].upper() in (b"SECTION", b"EOF")


def _ascii_truncated(tail: bytes) -> bool:
    """True when the file does not end with the tags ``0`` / ``EOF``.

    Trailing padding (NUL, Ctrl-Z, blanks) that some writers append is ignored.
    """
    text = tail.rstrip(b" \t\r\n\x00\x1a")
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return not (len(lines) >= 2 and lines[-1].upper() == b"EOF" and lines[-2] == b"0")


def _binary_truncated(tail: bytes) -> bool:
    """True when a binary DXF does not end with the EOF tag (``EOF\\0``)."""
    return not tail.rstrip(b"\x1a").endswith(b"EOF\x00")


def last_section(path: str) -> str:
    """The name of the last section an ASCII DXF starts (where a cut file stops), or ""."""
    try:
        with open(path, "rb") as fp:
            data = fp.read()
    except OSError:
        return ""
    names = _SECTION_NAME.findall(data)
    return names[-1].decode("ascii", "replace") if names else ""
