"""The tags of an ASCII DXF file, read in one streaming pass, checked as ezdxf checks them.

``ezdxf.readfile`` builds a Python object for every tag and every entity of the
file; on a 40 MB drawing that is most of the 10 s and 350 MB a review used to
spend before looking at any geometry.  This module reads the file in small
chunks with C-level primitives only (``bytes.split``, ``map(int)``,
``map(float)``, numpy over the group codes) and hands out the structure
entities (a ``0`` tag and the tags up to the next one) as lists of group codes
and raw byte values, nothing decoded.

The fast reader (`planchecker.reading.fastread`) must give exactly the result
of the ezdxf path, and ezdxf turns some files away (``DXFStructureError``, after
which the reader uses recover mode): a group code that is not an integer, a
value of a float or an integer group code that does not parse, a point whose y
does not follow its x, binary data that is not hex.  ``ezdxf.lldxf.tagger``'s
``ascii_tags_loader`` and ``tag_compiler`` reject those; here every tag of the
file is checked the same way, vectorised, and `Unsupported` is raised so that
the caller uses ezdxf instead.  Anything else this reader is not sure about
(a lone carriage return, group codes outside 0..1071, text after a ``0 / EOF``
that is not exactly that tag) raises `Unsupported` as well: falling back is
always correct, only slower.
"""

from __future__ import annotations

from binascii import unhexlify
from collections.abc import Iterator

import numpy as np

# Read this many bytes at a time: small chunks keep the lists of lines in the
# CPU cache and the memory flat (measured: 256 KB is faster than 1 MB or 4 MB, and
# 64 KB as fast as 256 KB, with a review's peak 5 MiB lower on a 20 MB drawing).
CHUNK = 1 << 16
MAX_CODE = 1071  # the largest group code DXF defines (XDATA 1071)

Batch = tuple[list[int], list[bytes], list[int]]


class Unsupported(Exception):
    """The fast reader cannot promise the result ``ezdxf.readfile`` would give."""


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Per group code: its value type as ezdxf's tag compiler converts it
    (0 string, 1 float, 2 int, 3 hex binary) and whether it starts a point."""
    from ezdxf.lldxf.types import BINARY_DATA, POINT_CODES, TYPE_TABLE

    kind = np.zeros(MAX_CODE + 1, dtype=np.int8)
    for code, caster in TYPE_TABLE.items():
        if 0 <= code <= MAX_CODE:
            kind[code] = 1 if caster is float else 2
    for code in POINT_CODES:
        kind[code] = 1  # x, y and z of a point are converted with float()
    for code in BINARY_DATA:
        kind[code] = 3
    point = np.zeros(MAX_CODE + 1, dtype=bool)
    point[sorted(POINT_CODES)] = True
    return kind, point


_KIND, _POINT = _tables()


def batches(path: str) -> Iterator[Batch]:
    """The file's tags as (codes, values, starts): `starts` are the indices of the
    ``0`` tags that begin structure entities, with ``len(codes)`` appended.

    Every batch holds whole entities only (an entity longer than a chunk is
    gathered over several chunks, in linear time); tags before the first ``0`` tag
    of the file are left out, as ezdxf leaves them out, and so is everything after
    ``0 / EOF``.  Comments (group code 999) are dropped like ezdxf drops them.
    """
    pending_codes: list[int] = []
    pending_values: list[bytes] = []
    started = False
    for codes, values, zeros in _tag_chunks(path):
        if not started:
            if not zeros:
                continue  # tags outside any entity: ignored, as ezdxf ignores them
            started = True
            first = zeros[0]
            del codes[:first], values[:first]
            zeros = [z - first for z in zeros]
        if not zeros:  # one entity longer than the chunk: keep gathering it
            pending_codes.extend(codes)
            pending_values.extend(values)
            continue
        if pending_codes:
            pending_codes.extend(codes[: zeros[0]])
            pending_values.extend(values[: zeros[0]])
            yield pending_codes, pending_values, [0, len(pending_codes)]
        last = zeros[-1]
        if len(zeros) > 1:
            first = zeros[0]
            yield codes[first:last], values[first:last], [z - first for z in zeros]
        pending_codes, pending_values = codes[last:], values[last:]
    if pending_codes:
        yield pending_codes, pending_values, [0, len(pending_codes)]


def _tag_chunks(path: str) -> Iterator[tuple[list[int], list[bytes], list[int]]]:
    """(group codes, raw values, indices of the 0 codes) chunk by chunk, every tag
    checked, up to and including ``0 / EOF``."""
    carry = b""
    point_open = 0  # a point x code that ended the previous chunk (its y must follow)
    with open(path, "rb") as fp:
        while True:
            block = fp.read(CHUNK)
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                part, carry = data[:cut], data[cut:]
            else:
                part, carry = data, b""
            if b"\r" in part:
                part = part.replace(b"\r\n", b"\n")
                if b"\r" in part:  # a text stream would end a line here too
                    raise Unsupported("a carriage return without a line feed")
            lines = part.split(b"\n")
            if part.endswith(b"\n"):
                lines.pop()
            if len(lines) % 2:
                if not block:
                    lines.pop()  # a code without a value at the end: ezdxf stops there too
                else:
                    carry = lines.pop() + b"\n" + carry
            values = lines[1::2]
            end = _eof_index(lines, values) if b"EOF" in part else None
            if end is not None:
                del values[end + 1 :]
            try:
                codes = list(map(int, lines[0 : 2 * len(values) : 2]))
            except ValueError:
                raise Unsupported("a group code that is not an integer") from None
            if 999 in codes:
                keep = [i for i, c in enumerate(codes) if c != 999]
                codes = [codes[i] for i in keep]
                values = [values[i] for i in keep]
            arr = np.fromiter(codes, dtype=np.int64, count=len(codes))
            point_open = _check(arr, values, point_open)
            yield codes, values, np.flatnonzero(arr == 0).tolist()
            if end is not None or not block:
                if point_open:
                    raise Unsupported("a point without its y coordinate")
                return


def _eof_index(lines: list[bytes], values: list[bytes]) -> int | None:
    """Index in `values` of the ``0 / EOF`` tag that ends the file for ezdxf, if here.

    ezdxf's loader stops at a value of exactly ``EOF`` after a code 0; a value that
    is ``EOF`` only once stripped ends the structure but not the reading, and what
    follows would still be read: not this reader's business.
    """
    for i, value in enumerate(values):
        if value.strip() == b"EOF":
            try:
                code = int(lines[2 * i])
            except ValueError:
                raise Unsupported("a group code that is not an integer") from None
            if code == 0:
                if value != b"EOF":
                    raise Unsupported("an EOF tag with blanks around it")
                return i
    return None


def _check(arr: np.ndarray, values: list[bytes], point_open: int) -> int:
    """Raise Unsupported for any tag ezdxf's tag compiler would reject.

    `point_open` is the x code of a point that ended the previous chunk (0: none);
    returns the same for this chunk.
    """
    if not len(arr):
        return point_open
    if arr.min() < 0 or arr.max() > MAX_CODE:
        raise Unsupported("a group code outside 0..1071")
    if point_open and arr[0] != point_open + 10:
        raise Unsupported("a point without its y coordinate")
    kinds = _KIND[arr]
    floats = np.flatnonzero(kinds == 1).tolist()
    if floats:
        try:
            for _ in map(float, [values[i] for i in floats]):
                pass
        except ValueError:
            raise Unsupported("a float value that does not parse") from None
    ints = np.flatnonzero(kinds == 2).tolist()
    if ints:
        raw = [values[i] for i in ints]
        try:
            for _ in map(int, raw):
                pass
        except ValueError:
            for value in raw:  # ezdxf accepts an integer written as a float
                _int(value)
    for i in np.flatnonzero(kinds == 3).tolist():
        try:
            unhexlify(values[i])
        except ValueError:
            raise Unsupported("binary data that is not hex") from None
    points = np.flatnonzero(_POINT[arr])
    if not len(points):
        return 0
    if points[-1] == len(arr) - 1:  # its y is in the next chunk
        point_open = int(arr[-1])
        points = points[:-1]
    else:
        point_open = 0
    if not np.all(arr[points + 1] == arr[points] + 10):
        raise Unsupported("a point without its y coordinate")
    return point_open


def _int(value: bytes) -> int:
    """An integer group code's value as ezdxf's tag compiler reads it."""
    try:
        return int(value)
    except ValueError:
        try:
            return int(float(value))
        except (ValueError, OverflowError):
            raise Unsupported("an integer value that does not parse") from None
