"""Look at a file's first and last bytes before handing it to ezdxf.

ezdxf's own checks are too forgiving for a review tool: ``recover`` turns an
empty file, a DWG or a half-written DXF into an empty drawing without an error,
and a user would then read "no rooms found" instead of "this is a DWG".  So the
reader sniffs the file first, cheaply (a few KB at each end), and says in one
line what is wrong and what to do.

An ASCII file is then counted (`inventory`: its entities, texts and the vertices
of its largest entity) in one vectorised pass over its bytes, so that a drawing
beyond the limits of `limits` is refused in a second instead of after ezdxf has
spent minutes and gigabytes parsing it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from planchecker.errors import DrawingError
from planchecker.reading import limits

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
    """Classify `path` as ASCII or binary DXF, or raise DrawingError saying why not.

    Also raises DrawingError for a file beyond the size limits (`check_inventory`).
    """
    size = _file_size(path)
    if size > limits.MAX_FILE_BYTES:
        raise DrawingError(
            path,
            f"file is {size / 1e6:,.0f} MB, more than the limit of "
            f"{limits.MAX_FILE_BYTES / 1e6:,.0f} MB",
            "split the drawing (one file per floor) or purge it (PURGE, -PURGE) and "
            "export the DXF again",
        )
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
    check_inventory(path, inventory(path))
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


# ------------------------------------------------------------------ inventory

SCAN_CHUNK = 1 << 23  # bytes read at a time (bounded memory for any file size)
# ... and counted a piece at a time: the counting makes some ten arrays of one
# number per line, 130 MB for a chunk of 8 MB; pieces of 256 KB keep them small
# (and in the CPU cache: twice as fast).  Reading stays by SCAN_CHUNK, as the cut
# of a line longer than MAX_CARRY depends on where the reads fall.
SCAN_PIECE = 1 << 18
MAX_CARRY = 1 << 20  # a "line" longer than this is cut (only damaged files have one)
_SPACE, _TAB, _CR = 32, 9, 13
_ZERO, _ONE, _TWO = 48, 49, 50
_KEY_BYTES = 8  # entity type names are compared on their first 8 bytes


def _key(name: bytes) -> int:
    return int.from_bytes(name.ljust(_KEY_BYTES, b"\0"), "little")


_TEXT_KEYS = np.array([_key(b"TEXT"), _key(b"MTEXT"), _key(b"ATTRIB")], dtype=np.uint64)
_VERTEX_KEY = np.uint64(_key(b"VERTEX"))


@dataclass(frozen=True)
class Inventory:
    """What an ASCII DXF holds, counted on its bytes before it is parsed."""

    entities: int  # 0 / TYPE tags: entities, VERTEX, SEQEND, table entries, objects
    texts: int  # TEXT, MTEXT and ATTRIB entities
    vertices: int  # the most points (code 10 followed by code 20) in one entity
    vertices_of: str  # that entity's type; a POLYLINE counts its VERTEX entities


def check_inventory(path: str, inv: Inventory | None) -> None:
    """DrawingError when a count is beyond its limit (None: the file could not be
    counted, and the limits are checked again while it is read)."""
    if inv is None:
        return
    split = "split the drawing (one file per floor) and export the DXF again"
    if inv.vertices > limits.MAX_VERTICES:
        raise DrawingError(
            path,
            f"a {inv.vertices_of} has {inv.vertices:,} vertices, more than the limit of "
            f"{limits.MAX_VERTICES:,}",
            "simplify or delete it in CAD and export the DXF again",
        )
    if inv.texts > limits.MAX_TEXTS:
        raise DrawingError(
            path,
            f"the drawing holds {inv.texts:,} texts, more than the limit of {limits.MAX_TEXTS:,}",
            "delete the texts that are neither room names nor notes, or " + split,
        )
    if inv.entities > limits.MAX_ENTITIES:
        raise DrawingError(
            path,
            f"the drawing holds {inv.entities:,} entities, more than the limit of "
            f"{limits.MAX_ENTITIES:,}",
            split,
        )


def inventory(path: str) -> Inventory | None:
    """Count the entities, texts and per-entity vertices of an ASCII DXF.

    Works on lines, not on tag pairs, so that it needs no parser and no knowledge
    of which line is a group code: an entity starts where a line that is a bare
    ``0`` is followed by a line starting with a letter (a value line is always
    followed by a group code, which starts with a digit or a blank); a vertex is a
    bare ``10`` line with a bare ``20`` line two lines on.  Group codes are taken
    as writers write them (right-aligned or not, CRLF or LF or CR); a file written
    otherwise is under-counted, never over-counted, and is then held to the limits
    while it is read.  Returns None when the file cannot be read.
    """
    try:
        with open(path, "rb") as fp:
            return _Counter(fp).run()
    except OSError:
        return None


class _Counter:
    """The state of `inventory` across chunks of the file."""

    def __init__(self, fp: object) -> None:
        self.fp = fp
        self.entities = 0
        self.texts = 0
        self.open_count = 0  # vertices of the entity still open at the end of a chunk
        self.open_kind = "entity"
        self.most = 0
        self.most_kind = "entity"

    def run(self) -> Inventory | None:
        block = self.fp.read(SCAN_CHUNK)  # type: ignore[attr-defined]
        if b"\n" in block:
            sep = 10
        elif b"\r" in block:
            sep = _CR  # old Mac line ends
        else:
            return None
        carry = b""
        while True:
            nxt = self.fp.read(SCAN_CHUNK) if block else b""  # type: ignore[attr-defined]
            buf = carry + block
            carry = self._pieces(buf, sep, final=not nxt)
            if len(carry) > MAX_CARRY:
                carry = carry[-MAX_CARRY:]
            if not nxt:
                break
            block = nxt
        self._close()
        return Inventory(self.entities, self.texts, self.most, self.most_kind)

    def _close(self) -> None:
        if self.open_count > self.most:
            self.most, self.most_kind = self.open_count, self.open_kind

    def _pieces(self, buf: bytes, sep: int, final: bool) -> bytes:
        """`_chunk` of `buf`, a piece of about SCAN_PIECE bytes at a time.

        Pieces end after a line end, and what one leaves uncounted (its last two
        lines, whose lookahead it lacks) goes on with the next, so that every line
        is counted once with the same lookahead, in order.  The last piece holds
        the last three line ends of `buf`, so that it leaves the same carry as one
        `_chunk` of all of `buf` would: the counts and the carry are the same.
        """
        end = bytes((sep,))
        limit = len(buf)
        for _ in range(3):
            limit = buf.rfind(end, 0, limit)
            if limit < 0:  # fewer than three lines: one piece
                return self._chunk(buf, sep, final)
        start, carry = 0, b""
        while limit - start > SCAN_PIECE:
            cut = buf.rfind(end, start, start + SCAN_PIECE) + 1
            if cut <= start:  # a line longer than a piece: the rest in one
                break
            carry = self._chunk(carry + buf[start:cut], sep, final=False)
            start = cut
        return self._chunk(carry + buf[start:], sep, final)

    def _chunk(self, buf: bytes, sep: int, final: bool) -> bytes:
        """Count the lines of `buf` that have their two following lines in it; return
        the rest (the last two lines and a partial one) for the next chunk."""
        if not buf:
            return b""
        raw = np.frombuffer(buf, dtype=np.uint8)
        ends = np.flatnonzero(raw == sep)
        if final and buf[-1] != sep:
            ends = np.append(ends, len(buf))  # a last line without its line end
        n = len(ends)
        done = n if final else n - 2  # lines whose lookahead is complete
        if done <= 0:
            return buf
        pad = 4
        a = np.concatenate((np.zeros(pad, np.uint8), raw, np.zeros(_KEY_BYTES + pad, np.uint8)))
        starts = np.empty(n, dtype=np.int64)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        cend = ends.astype(np.int64)
        if sep == 10:  # CRLF: the CR is no part of the line
            cend -= (cend > starts) & (a[cend - 1 + pad] == _CR)
        length = cend - starts
        c1, c2, c3 = a[cend - 1 + pad], a[cend - 2 + pad], a[cend - 3 + pad]
        blank3 = (length == 2) | (c3 == _SPACE) | (c3 == _TAB)
        zero = (length >= 1) & (c1 == _ZERO)
        zero &= (length == 1) | (c2 == _SPACE) | (c2 == _TAB)
        ten = (length >= 2) & (c1 == _ZERO) & (c2 == _ONE) & blank3
        twenty = (length >= 2) & (c1 == _ZERO) & (c2 == _TWO) & blank3
        first = a[starts + pad] | 0x20  # lower-cased first byte of each line
        letter = (first >= ord("a")) & (first <= ord("z")) & (length >= 1)
        entity = np.zeros(n, dtype=bool)
        entity[:-1] = zero[:-1] & letter[1:]
        vertex = np.zeros(n, dtype=bool)
        vertex[:-2] = ten[:-2] & twenty[2:]
        entity[done:] = False
        vertex[done:] = False
        at = np.flatnonzero(entity)
        keys = self._keys(a, starts[at + 1] + pad, length[at + 1])
        self.entities += len(at)
        self.texts += int(np.isin(keys, _TEXT_KEYS).sum())
        owners = at[keys != _VERTEX_KEY]  # a VERTEX belongs to its POLYLINE
        self._vertices(buf, owners, np.flatnonzero(vertex), starts, length)
        return buf[starts[done] :] if done < n else b""

    @staticmethod
    def _keys(a: np.ndarray, where: np.ndarray, length: np.ndarray) -> np.ndarray:
        """The first 8 bytes of each line as an integer (0 past its end; a longer
        line gets a key no type name has)."""
        cols = np.arange(_KEY_BYTES)
        grid = a[where[:, None] + cols]
        grid[cols[None, :] >= length[:, None]] = 0
        keys = np.ascontiguousarray(grid).view("<u8").ravel()
        return np.where(length > _KEY_BYTES, np.uint64(2**64 - 1), keys)

    def _vertices(
        self,
        buf: bytes,
        owners: np.ndarray,
        vertices: np.ndarray,
        starts: np.ndarray,
        length: np.ndarray,
    ) -> None:
        """Add this chunk's vertices to the entities they follow."""
        counts = np.bincount(
            np.searchsorted(owners, vertices, side="right"), minlength=len(owners) + 1
        )
        self.open_count += int(counts[0])
        if not len(owners):
            return
        self._close()
        inner = counts[1:-1]
        if len(inner) and int(inner.max()) > self.most:
            k = int(inner.argmax())
            self.most, self.most_kind = int(inner[k]), _name(buf, owners[k], starts, length)
        self.open_count = int(counts[-1])
        self.open_kind = _name(buf, owners[-1], starts, length)


def _name(buf: bytes, line: int, starts: np.ndarray, length: np.ndarray) -> str:
    """The entity type named on the line after `line` (the ``0`` line)."""
    s = int(starts[line + 1])
    return buf[s : s + min(int(length[line + 1]), 40)].decode("ascii", "replace").strip()
