"""A seeded, tag-level mutator of DXF files, ASCII and binary.

A *case* is fully determined by ``(seed, index)``: which sample plan, which of its
files, ASCII or binary, and which mutations at which places.  ``make_case(seed,
index)`` rebuilds it byte for byte on any machine (Python's ``random.Random`` seeded
with a string is stable across runs and versions), so a failing case is reproduced
by its two numbers alone (``python tests/fuzz/run.py --replay SEED:INDEX``).

ASCII DXF is handled as a list of ``[code, value]`` byte-line pairs, never decoded,
so a GBK file stays GBK unless a mutation re-encodes it on purpose.  Binary DXF is
made from the ASCII sample by our own serializer (deterministic, unlike a CAD
export with a time stamp) and mutated as typed tags, then as raw bytes.

Only the standard library and ezdxf's type tables are used: the mutator must not
depend on the code under test.
"""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import struct
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ezdxf.lldxf.types import BINARY_DATA, BYTES, DOUBLE, INT16, INT32, INT64

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_plans"
BINARY_SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"

# ---------------------------------------------------------------------- samples


@dataclass(frozen=True)
class Sample:
    """A bundled sample plan: one DXF, or a folder with one DXF per floor."""

    name: str
    path: Path  # the .dxf file or the folder
    verdict: str  # "pass" or "fail" (expected.toml)
    files: tuple[Path, ...]  # the DXF files it consists of

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()


@cache
def samples() -> tuple[Sample, ...]:
    """Every sample of sample_plans/expected.toml, in file order."""
    data = tomllib.loads((SAMPLES_DIR / "expected.toml").read_text(encoding="utf-8"))
    out = []
    for s in data["samples"]:
        path = SAMPLES_DIR / s["path"].rstrip("/")
        files = tuple(sorted(path.glob("*.dxf"))) if path.is_dir() else (path,)
        out.append(Sample(s["name"], path, s["verdict"], files))
    return tuple(out)


@cache
def _file_bytes(path: Path) -> bytes:
    return path.read_bytes()


# ---------------------------------------------------------------------- cases


@dataclass
class Case:
    """One mutant: a sample with one of its files replaced by mutated bytes."""

    seed: int
    index: int
    sample: Sample
    target: Path  # the sample file that was mutated
    fmt: str  # "ascii" or "binary"
    data: bytes  # the mutated file
    mutations: list[str] = field(default_factory=list)  # what was done, in order
    # True when the drawing's texts are no longer the original's minus some: a name
    # was changed, copied or moved, so a new verdict may be a legitimate one.
    relabelled: bool = False

    @property
    def ident(self) -> str:
        return f"{self.seed}:{self.index}"

    def describe(self) -> str:
        where = self.target.relative_to(SAMPLES_DIR)
        return f"case {self.ident} {where} [{self.fmt}] " + "; ".join(self.mutations)

    def write(self, directory: Path) -> Path:
        """Write the mutant (and the sample's other floors) under `directory`.

        Returns the path to review: the mutated file, or the folder of floors.
        """
        directory.mkdir(parents=True, exist_ok=True)
        if not self.sample.is_folder:
            out = directory / self.target.name
            out.write_bytes(self.data)
            return out
        folder = directory / self.sample.path.name
        folder.mkdir(exist_ok=True)
        for f in self.sample.files:
            if f != self.target:
                shutil.copyfile(f, folder / f.name)
        (folder / self.target.name).write_bytes(self.data)
        return folder


def make_case(seed: int, index: int) -> Case:
    """The case number `index` of the run seeded with `seed` (deterministic)."""
    rng = random.Random(f"planchecker-fuzz:{seed}:{index}")
    sample = rng.choice(samples())
    target = rng.choice(sample.files)
    original = _file_bytes(target)
    count = 1 + (rng.random() < 0.35) + (rng.random() < 0.15)
    before = ascii_texts(original)
    if rng.random() < 0.2:
        data, done, after = mutate_binary(to_binary(original), rng, count)
        fmt = "binary"
    else:
        data, done = mutate_ascii(original, rng, count)
        after = ascii_texts(data)
        fmt = "ascii"
    return Case(seed, index, sample, target, fmt, data, done, not _subsequence(after, before))


def ascii_texts(data: bytes) -> list[bytes]:
    """The non-ASCII text values (codes 1 and 3: names, notes, titles) in file order."""
    pairs, _ = split_tags(data)
    return [p[1] for p in pairs if len(p) == 2 and p[0].strip() in (b"1", b"3") and _wide(p[1])]


def _wide(value: object) -> bool:
    return isinstance(value, bytes) and not value.isascii()


def _subsequence(small: list[bytes], big: list[bytes]) -> bool:
    """True when `small` is `big` with some items left out (only deletions)."""
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def cases(seed: int, count: int, start: int = 0) -> list[Case]:
    return [make_case(seed, i) for i in range(start, start + count)]


# ---------------------------------------------------------------------- ASCII tags

Pairs = list[list[bytes]]  # [code line, value line], exactly as in the file


def split_tags(data: bytes) -> tuple[Pairs, bytes]:
    """The file as [code, value] line pairs and its line ending (b"\\n" or b"\\r\\n")."""
    newline = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    lines = data.split(newline)
    if lines and lines[-1] == b"":
        lines.pop()
    pairs = [lines[i : i + 2] for i in range(0, len(lines), 2)]
    return pairs, newline


def join_tags(pairs: Pairs, newline: bytes) -> bytes:
    return newline.join(line for pair in pairs for line in pair) + newline


def _code(pair: list[bytes]) -> int | None:
    try:
        return int(pair[0])
    except ValueError:
        return None


def _entity_range(pairs: Pairs) -> tuple[int, int]:
    """Indices of the pairs from the BLOCKS section on (where the geometry is)."""
    for i, pair in enumerate(pairs):
        if len(pair) == 2 and pair[1].strip() == b"BLOCKS" and i and _code(pairs[i - 1]) == 0:
            return i, len(pairs)
    return 0, len(pairs)


def _pick(rng: random.Random, pairs: Pairs, codes: frozenset[int] | None = None) -> int | None:
    """A random pair index, mostly in the BLOCKS/ENTITIES part, with a code in `codes`."""
    lo, hi = _entity_range(pairs) if rng.random() < 0.85 else (0, len(pairs))
    if codes is None:
        return rng.randrange(lo, hi) if hi > lo else None
    found = [i for i in range(lo, hi) if len(pairs[i]) == 2 and _code(pairs[i]) in codes]
    if not found:
        found = [i for i in range(len(pairs)) if len(pairs[i]) == 2 and _code(pairs[i]) in codes]
    return rng.choice(found) if found else None


COORD_CODES = frozenset(range(10, 60)) | frozenset(range(110, 150)) | frozenset(range(210, 240))
COUNT_CODES = frozenset({62, 66, 70, 71, 72, 73, 74, 75, 76, 90, 91, 92, 93, 94, 95, 96, 97, 98})
HANDLE_LIKE = frozenset({5, 105, 330, 340, 350, 360, 390, 1005})
NAME_CODES = frozenset({2, 3, 6, 7, 8})
TEXT_CODES = frozenset({1, 3})

SPECIAL_FLOATS = (
    b"nan",
    b"NaN",
    b"-nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b"1e300",
    b"-1e300",
    b"1e308",
    b"1.8e308",
    b"5e-324",
    b"1e15",
    b"-1e15",
    b"1e15.5",
    b"",
    b" ",
    b"1,5",
    b"0x10",
    b"1e",
    b"--1",
    b"1.2.3",
    b"\xef\xbc\x91",  # full-width digit one
)
SPECIAL_INTS = (
    b"2147483647",
    b"-2147483648",
    b"2147483648",
    b"-1",
    b"4294967296",
    b"1000000",
    b"99999999999999999999",
    b"0",
    b"-32768",
    b"32767",
    b"65535",
    b"1e6",
    b"1.5",
    b"",
    b"x",
)
BAD_CODES = (
    b"",
    b"-1",
    b"abc",
    b"99999",
    b"1.5",
    b"10 0",
    b"0x10",
    b"4294967297",
    b"   ",
    b"-0",
    b"1072",
    b"\xd9\xa1",  # an Arabic-Indic digit
)
REAL_CODES = (0, 1, 2, 5, 8, 10, 11, 20, 21, 40, 42, 62, 66, 70, 71, 90, 100, 330, 999, 1001)
STRUCTURE = (
    b"SECTION",
    b"ENDSEC",
    b"EOF",
    b"BLOCK",
    b"ENDBLK",
    b"TABLE",
    b"ENDTAB",
    b"SEQEND",
    b"INSERT",
    b"LWPOLYLINE",
    b"POLYLINE",
    b"VERTEX",
    b"LINE",
    b"TEXT",
    b"MTEXT",
    b"HATCH",
    b"DIMENSION",
    b"ARC",
    b"CIRCLE",
    b"SPLINE",
    b"ELLIPSE",
    b"SOLID",
    b"ACAD_PROXY_ENTITY",
    b"TCH_WALL",
    b"FOOBAR",
    b"",
    b"ATTRIB",
    b"MINSERT",
)
BAD_HANDLES = (b"", b"0", b"ZZZZ", b"FFFFFFFFFFFFFFFFFFFFFFFF", b"-1", b"1" * 200, b"\xff\xfe")
WEIRD_TEXTS = (
    b"\\P" * 2000,
    b"{" * 500,
    b"}" * 500,
    b"%%" * 300,
    b"%%u%%c%%d%%p",
    b"\\U+D800\\U+DFFF",
    b"\xff\xfe\xc3\x28\xa0\xa1",
    b"A" * 100_000,
    b"\x01\x02\x03\x7f",
    b"\\S1^2;\\H1000x;",
    b"\\fSimSun|b0|i0|c134|p2;\xe8\xb0\x83\xe8\xa7\xa3\xe5\xae\xa4",
    b"\\A1;\\pxqc;",
    b"\xe8\xb0\x83\xe8\xa7\xa3\xe5\xae\xa4 1e300\xe3\x8e\xa1",
    b"\xb5\xf7\xbd\xe2\xca\xd2",
    b"\\",
)
WEIRD_NAMES = (
    b"",
    b"*Model_Space",
    b"*Paper_Space",
    b"0",
    b"A" * 5000,
    b"\xff\xfe",
    b"*U1",
    b"|",
    b"xref|WALL",
    b"Defpoints",
)


def mutate_ascii(data: bytes, rng: random.Random, count: int) -> tuple[bytes, list[str]]:
    """Apply `count` random mutations to an ASCII DXF; returns the bytes and what was done."""
    done = []
    for _ in range(count):
        name = rng.choices(ASCII_NAMES, ASCII_WEIGHTS)[0]
        data, what = ASCII_MUTATIONS[name][0](data, rng)
        done.append(f"{name}: {what}")
    return data, done


def _tagwise(fn):
    """Lift a mutation of (pairs, rng) -> description to one of bytes."""

    def run(data: bytes, rng: random.Random) -> tuple[bytes, str]:
        pairs, newline = split_tags(data)
        if not pairs:
            return data, "no tags"
        what = fn(pairs, rng)
        return join_tags(pairs, newline), what

    return run


def _run(rng: random.Random, pairs: Pairs, longest: int) -> tuple[int, int]:
    i = _pick(rng, pairs) or 0
    n = rng.randint(2, longest)
    return i, min(len(pairs), i + n)


@_tagwise
def m_drop(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    gone = pairs.pop(i)
    return f"tag {i} {gone!r}"


@_tagwise
def m_drop_run(pairs: Pairs, rng: random.Random) -> str:
    i, j = _run(rng, pairs, 60)
    del pairs[i:j]
    return f"tags {i}..{j}"


@_tagwise
def m_dup(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    pairs.insert(i, list(pairs[i]))
    return f"tag {i} {pairs[i]!r}"


@_tagwise
def m_dup_run(pairs: Pairs, rng: random.Random) -> str:
    i, j = _run(rng, pairs, 60)
    at = _pick(rng, pairs) or 0
    pairs[at:at] = [list(p) for p in pairs[i:j]]
    return f"tags {i}..{j} copied to {at}"


@_tagwise
def m_swap(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    j = min(len(pairs) - 1, i + 1) if rng.random() < 0.6 else (_pick(rng, pairs) or 0)
    pairs[i], pairs[j] = pairs[j], pairs[i]
    return f"tags {i}<->{j}"


@_tagwise
def m_swap_values(pairs: Pairs, rng: random.Random) -> str:
    i, j = _pick(rng, pairs) or 0, _pick(rng, pairs) or 0
    if len(pairs[i]) == 2 and len(pairs[j]) == 2:
        pairs[i][1], pairs[j][1] = pairs[j][1], pairs[i][1]
    return f"values {i}<->{j}"


@_tagwise
def m_move_run(pairs: Pairs, rng: random.Random) -> str:
    i, j = _run(rng, pairs, 40)
    chunk = pairs[i:j]
    del pairs[i:j]
    at = rng.randrange(0, len(pairs) + 1)
    pairs[at:at] = chunk
    return f"tags {i}..{j} moved to {at}"


@_tagwise
def m_truncate_value(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    if len(pairs[i]) == 2:
        value = pairs[i][1]
        pairs[i][1] = value[: rng.randrange(0, max(1, len(value)))]
    return f"tag {i} value cut to {pairs[i][-1]!r}"


@_tagwise
def m_bad_code(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    pairs[i][0] = rng.choice(BAD_CODES)
    return f"tag {i} code -> {pairs[i][0]!r}"


@_tagwise
def m_change_code(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs) or 0
    pairs[i][0] = str(rng.choice(REAL_CODES)).encode()
    return f"tag {i} code -> {pairs[i][0]!r}"


def _set_value(pairs: Pairs, rng: random.Random, codes: frozenset[int], values) -> str:
    i = _pick(rng, pairs, codes)
    if i is None:
        return "no such tag"
    value = rng.choice(values)
    pairs[i][1] = value
    return f"tag {i} (code {pairs[i][0].strip().decode(errors='replace')}) -> {value[:40]!r}"


@_tagwise
def m_coord(pairs: Pairs, rng: random.Random) -> str:
    return _set_value(pairs, rng, COORD_CODES, SPECIAL_FLOATS)


@_tagwise
def m_coords_far(pairs: Pairs, rng: random.Random) -> str:
    """Move every x (or y) of the entities by a huge offset (precision loss)."""
    offset = rng.choice((1e9, 1e12, 1e15, -1e15, 1e17))
    code_set = frozenset(range(10, 19)) if rng.random() < 0.5 else frozenset(range(20, 29))
    lo, _ = _entity_range(pairs)
    for pair in pairs[lo:]:
        if len(pair) == 2 and _code(pair) in code_set:
            with contextlib.suppress(ValueError):
                pair[1] = repr(float(pair[1]) + offset).encode()
    return f"codes {min(code_set)}.. + {offset:g}"


@_tagwise
def m_count(pairs: Pairs, rng: random.Random) -> str:
    return _set_value(pairs, rng, COUNT_CODES, SPECIAL_INTS)


@_tagwise
def m_handle(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs, HANDLE_LIKE)
    if i is None:
        return "no handle"
    if rng.random() < 0.3:  # a duplicate of another handle in the file
        others = [p[1] for p in pairs if len(p) == 2 and _code(p) == 5]
        value = rng.choice(others) if others else b"0"
    else:
        value = rng.choice(BAD_HANDLES)
    pairs[i][1] = value
    return f"tag {i} (code {pairs[i][0].strip().decode()}) -> {value[:40]!r}"


@_tagwise
def m_name(pairs: Pairs, rng: random.Random) -> str:
    """A block, layer or style name replaced, often by another name in the file
    (an INSERT may then name its own block: a self reference)."""
    i = _pick(rng, pairs, NAME_CODES)
    if i is None:
        return "no name"
    if rng.random() < 0.5:
        names = [p[1] for p in pairs if len(p) == 2 and _code(p) == 2]
        value = rng.choice(names) if names else b"X"
    else:
        value = rng.choice(WEIRD_NAMES)
    pairs[i][1] = value
    return f"tag {i} (code {pairs[i][0].strip().decode()}) -> {value[:40]!r}"


@_tagwise
def m_text(pairs: Pairs, rng: random.Random) -> str:
    return _set_value(pairs, rng, TEXT_CODES, WEIRD_TEXTS)


@_tagwise
def m_structure(pairs: Pairs, rng: random.Random) -> str:
    i = _pick(rng, pairs, frozenset({0}))
    if i is None:
        return "no structure tag"
    choice = rng.random()
    if choice < 0.4:
        pairs.pop(i)
        return f"tag {i} (0) dropped"
    if choice < 0.6:
        pairs.insert(i, [b"  0", b"EOF"])
        return f"EOF inserted at {i}"
    pairs[i][1] = rng.choice(STRUCTURE)
    return f"tag {i} (0) -> {pairs[i][1]!r}"


@_tagwise
def m_header(pairs: Pairs, rng: random.Random) -> str:
    """A header variable that steers reading: version, code page, units, extents."""
    variables = {
        b"$ACADVER": (
            b"AC1009",
            b"AC1012",
            b"AC1015",
            b"AC1018",
            b"AC1032",
            b"AC9999",
            b"",
            b"R14",
        ),
        b"$DWGCODEPAGE": (
            b"ANSI_936",
            b"ANSI_1252",
            b"ANSI_950",
            b"ANSI_932",
            b"UTF8",
            b"ANSI_99999",
            b"",
            b"\xff",
        ),
        b"$INSUNITS": (b"0", b"1", b"2", b"4", b"5", b"6", b"-1", b"99", b"1e300", b"x"),
        b"$EXTMIN": (b"nan", b"-1e300"),
        b"$EXTMAX": (b"inf", b"1e300"),
    }
    name = rng.choice(list(variables))
    for i, pair in enumerate(pairs):
        if len(pair) == 2 and pair[1].strip() == name and i + 1 < len(pairs):
            value = rng.choice(variables[name])
            pairs[i + 1][1] = value
            return f"{name.decode()} -> {value!r}"
    return f"{name.decode()} absent"


def m_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(0, len(data))
    return data[:cut], f"cut at byte {cut} of {len(data)}"


def m_random_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    n = rng.choice((1, 4, 16, 64, 512))
    at = rng.randrange(0, max(1, len(data) - n))
    junk = bytes(rng.randrange(256) for _ in range(n))
    return data[:at] + junk + data[at + n :], f"{n} random bytes at {at}"


def m_insert_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    n = rng.choice((1, 8, 100, 4096))
    at = rng.randrange(0, len(data))
    junk = bytes(rng.randrange(256) for _ in range(n))
    return data[:at] + junk + data[at:], f"{n} random bytes inserted at {at}"


def m_bitflip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    flips = []
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
        flips.append(at)
    return bytes(out), f"bits flipped at {flips}"


def m_line_endings(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    style = rng.choice(("crlf", "cr", "mixed", "trailing-space"))
    lf = data.replace(b"\r\n", b"\n")
    if style == "crlf":
        return lf.replace(b"\n", b"\r\n"), style
    if style == "cr":
        return lf.replace(b"\n", b"\r"), style
    if style == "mixed":
        lines = lf.split(b"\n")
        return b"".join(x + (b"\r\n" if i % 3 else b"\n") for i, x in enumerate(lines)), style
    return lf.replace(b"\n", b"  \t\n"), style


def m_encoding(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The whole file in a codec it does not declare, or with a byte-order mark."""
    src = "gbk" if b"ANSI_936" in data[:2000] else "utf-8"
    text = data.decode(src, errors="surrogateescape")
    target = rng.choice(
        ("gbk", "utf-8", "big5", "shift_jis", "latin-1", "utf-16", "utf-8-sig", "mojibake")
    )
    if target == "mojibake":  # UTF-8 bytes read as cp1252 and written as UTF-8 again
        raw = data.decode("cp1252", errors="replace").encode("utf-8")
    else:
        raw = text.encode(target, errors="replace")
    return raw, f"{src} -> {target}"


def m_pad(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(("nul-tail", "ctrlz-tail", "blank-head", "nul-head", "garbage-tail"))
    if kind == "nul-tail":
        return data + b"\x00" * 1000, kind
    if kind == "ctrlz-tail":
        return data + b"\x1a", kind
    if kind == "blank-head":
        return b"\n\n   \n" + data, kind
    if kind == "nul-head":
        return b"\x00" * 16 + data, kind
    return data + b"  0\nLINE\n  8\n0\n 10\n", kind


ASCII_MUTATIONS = {
    "drop": (m_drop, 10),
    "drop_run": (m_drop_run, 5),
    "dup": (m_dup, 6),
    "dup_run": (m_dup_run, 4),
    "swap": (m_swap, 6),
    "swap_values": (m_swap_values, 5),
    "move_run": (m_move_run, 3),
    "truncate_value": (m_truncate_value, 5),
    "bad_code": (m_bad_code, 5),
    "change_code": (m_change_code, 5),
    "coord": (m_coord, 12),
    "coords_far": (m_coords_far, 2),
    "count": (m_count, 10),
    "handle": (m_handle, 6),
    "name": (m_name, 6),
    "text": (m_text, 6),
    "structure": (m_structure, 5),
    "header": (m_header, 4),
    "truncate": (m_truncate, 3),
    "random_bytes": (m_random_bytes, 5),
    "insert_bytes": (m_insert_bytes, 2),
    "bitflip": (m_bitflip, 4),
    "line_endings": (m_line_endings, 1),
    "encoding": (m_encoding, 3),
    "pad": (m_pad, 1),
}
ASCII_NAMES = list(ASCII_MUTATIONS)
ASCII_WEIGHTS = [w for _, w in ASCII_MUTATIONS.values()]


# ---------------------------------------------------------------------- binary


@dataclass
class BinTag:
    """A binary DXF tag: its code and its value, or raw bytes written as they are."""

    code: int
    value: object
    raw: bytes | None = None  # replaces the encoded value (a deliberately broken one)


def _typed(code: int, value: bytes) -> object:
    """The Python value of an ASCII tag, as the binary serializer writes it."""
    text = value.strip()
    if code in DOUBLE:
        return float(text)
    if code in INT16 or code in INT32 or code in INT64 or code in BYTES:
        return int(text)
    if code in BINARY_DATA:
        return bytes.fromhex(text.decode("ascii"))
    return value  # strings keep their bytes, in the file's own codec


def ascii_to_tags(data: bytes) -> list[BinTag]:
    pairs, _ = split_tags(data)
    return [BinTag(int(c), _typed(int(c), v)) for c, v in pairs]


def encode_value(code: int, value: object) -> bytes:
    if code in DOUBLE:
        return struct.pack("<d", value)
    if code in INT16:
        return struct.pack("<h", value)
    if code in INT32:
        return struct.pack("<i", value)
    if code in INT64:
        return struct.pack("<q", value)
    if code in BYTES:
        return struct.pack("<B", value)
    if code in BINARY_DATA:
        assert isinstance(value, bytes)
        return struct.pack("<B", len(value)) + value
    assert isinstance(value, bytes)
    return value + b"\x00"


def tags_to_binary(tags: list[BinTag]) -> bytes:
    """A binary DXF (R13 and later: two-byte group codes) of `tags`."""
    out = [BINARY_SENTINEL]
    for t in tags:
        out.append(struct.pack("<H", t.code & 0xFFFF))
        out.append(t.raw if t.raw is not None else encode_value(t.code, t.value))
    return b"".join(out)


@cache
def to_binary(data: bytes) -> bytes:
    """The binary DXF holding the same tags as the ASCII DXF `data`."""
    return tags_to_binary(ascii_to_tags(data))


def mutate_binary(
    data: bytes, rng: random.Random, count: int
) -> tuple[bytes, list[str], list[bytes]]:
    """Mutate a binary DXF: typed tag mutations first, then raw byte damage.

    Returns the bytes, what was done and the non-ASCII texts after the tag mutations.
    """
    tags = binary_tags(data)
    done = []
    raw_steps = []
    for _ in range(count):
        name = rng.choices(BINARY_NAMES, BINARY_WEIGHTS)[0]
        fn, _weight, on_bytes = BINARY_MUTATIONS[name]
        if on_bytes:
            raw_steps.append((name, fn))
        else:
            done.append(f"bin-{name}: {fn(tags, rng)}")
    out = tags_to_binary(tags)
    for name, fn in raw_steps:
        out, what = fn(out, rng)
        done.append(f"bin-{name}: {what}")
    texts = [t.value for t in tags if t.code in (1, 3) and _wide(t.value) and t.raw is None]
    return out, done, texts


def binary_tags(data: bytes) -> list[BinTag]:
    """Parse a binary DXF made by `tags_to_binary` back into tags (for mutation)."""
    tags, i = [], len(BINARY_SENTINEL)
    while i < len(data):
        code = struct.unpack_from("<H", data, i)[0]
        i += 2
        if code in DOUBLE:
            value, i = struct.unpack_from("<d", data, i)[0], i + 8
        elif code in INT16:
            value, i = struct.unpack_from("<h", data, i)[0], i + 2
        elif code in INT32:
            value, i = struct.unpack_from("<i", data, i)[0], i + 4
        elif code in INT64:
            value, i = struct.unpack_from("<q", data, i)[0], i + 8
        elif code in BYTES:
            value, i = data[i], i + 1
        elif code in BINARY_DATA:
            n = data[i]
            value, i = data[i + 1 : i + 1 + n], i + 1 + n
        else:
            end = data.index(b"\x00", i)
            value, i = data[i:end], end + 1
        tags.append(BinTag(code, value))
    return tags


def _bin_pick(rng: random.Random, tags: list[BinTag], codes=None) -> int | None:
    lo = next((i for i, t in enumerate(tags) if t.code == 2 and t.value == b"BLOCKS"), 0)
    if rng.random() < 0.15:
        lo = 0
    found = [i for i in range(lo, len(tags)) if codes is None or tags[i].code in codes]
    return rng.choice(found) if found else None


def b_drop(tags: list[BinTag], rng: random.Random) -> str:
    i = _bin_pick(rng, tags) or 0
    t = tags.pop(i)
    return f"tag {i} ({t.code})"


def b_dup(tags: list[BinTag], rng: random.Random) -> str:
    i = _bin_pick(rng, tags) or 0
    n = rng.choice((1, 1, 5, 40))
    tags[i:i] = [BinTag(t.code, t.value, t.raw) for t in tags[i : i + n]]
    return f"tags {i}..{i + n}"


def b_swap(tags: list[BinTag], rng: random.Random) -> str:
    i = _bin_pick(rng, tags) or 0
    j = min(len(tags) - 1, i + 1)
    tags[i], tags[j] = tags[j], tags[i]
    return f"tags {i}<->{j}"


def b_double(tags: list[BinTag], rng: random.Random) -> str:
    i = _bin_pick(rng, tags, DOUBLE)
    if i is None:
        return "no double"
    value = rng.choice((math.nan, math.inf, -math.inf, 1e300, -1e300, 1e15, 5e-324, -0.0))
    tags[i].value = value
    return f"tag {i} ({tags[i].code}) -> {value!r}"


def b_count(tags: list[BinTag], rng: random.Random) -> str:
    i = _bin_pick(rng, tags, COUNT_CODES)
    if i is None:
        return "no count"
    t = tags[i]
    values = (32767, -32768, -1, 0) if t.code in INT16 else (2**31 - 1, -(2**31), -1, 10**6, 0)
    t.value = rng.choice(values)
    return f"tag {i} ({t.code}) -> {t.value}"


def b_string(tags: list[BinTag], rng: random.Random) -> str:
    codes = frozenset({1, 2, 3, 5, 7, 8, 330, 340, 360})
    i = _bin_pick(rng, tags, codes)
    if i is None:
        return "no string"
    t = tags[i]
    t.value = rng.choice(WEIRD_TEXTS + BAD_HANDLES + WEIRD_NAMES).replace(b"\x00", b"")
    return f"tag {i} ({t.code}) -> {t.value[:40]!r}"


def b_retype(tags: list[BinTag], rng: random.Random) -> str:
    """A tag given a code of another value type: the rest of the file is misread."""
    i = _bin_pick(rng, tags) or 0
    old = tags[i].code
    tags[i].raw = tags[i].raw if tags[i].raw is not None else encode_value(old, tags[i].value)
    tags[i].code = rng.choice((1, 10, 40, 70, 90, 160, 290, 310, 1071, 9999, 65535))
    return f"tag {i} code {old} -> {tags[i].code} (value bytes kept)"


def b_unterminate(tags: list[BinTag], rng: random.Random) -> str:
    """A string without its NUL: it runs on into the next tags."""
    i = _bin_pick(rng, tags, frozenset({0, 1, 2, 5, 8}))
    if i is None:
        return "no string"
    value = tags[i].value
    tags[i].raw = value if isinstance(value, bytes) else b""
    return f"tag {i} ({tags[i].code}) NUL removed"


def b_chunk(tags: list[BinTag], rng: random.Random) -> str:
    """A binary chunk whose length byte promises more than follows."""
    i = _bin_pick(rng, tags, BINARY_DATA)
    if i is None:
        i = _bin_pick(rng, tags) or 0
        tags.insert(i, BinTag(310, b"", raw=b"\xff\x01\x02"))
        return f"lying 310 chunk inserted at {i}"
    tags[i].raw = b"\xff" + (tags[i].value if isinstance(tags[i].value, bytes) else b"")
    return f"tag {i} length byte -> 255"


def br_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return m_truncate(data, rng)


def br_random(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return m_random_bytes(data, rng)


def br_bitflip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return m_bitflip(data, rng)


def br_sentinel(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    n = rng.randrange(len(BINARY_SENTINEL))
    out = bytearray(data)
    out[n] ^= 0x20
    return bytes(out), f"sentinel byte {n} changed"


BINARY_MUTATIONS = {
    "drop": (b_drop, 8, False),
    "dup": (b_dup, 5, False),
    "swap": (b_swap, 5, False),
    "double": (b_double, 12, False),
    "count": (b_count, 10, False),
    "string": (b_string, 8, False),
    "retype": (b_retype, 5, False),
    "unterminate": (b_unterminate, 3, False),
    "chunk": (b_chunk, 2, False),
    "truncate": (br_truncate, 4, True),
    "random_bytes": (br_random, 5, True),
    "bitflip": (br_bitflip, 6, True),
    "sentinel": (br_sentinel, 1, True),
}
BINARY_NAMES = list(BINARY_MUTATIONS)
BINARY_WEIGHTS = [w for _, w, _ in BINARY_MUTATIONS.values()]
