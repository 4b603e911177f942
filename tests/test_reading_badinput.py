"""Unreadable input: every case ends in one DrawingError naming the cause, fast.

The reader must never let another exception out (the CLI turns DrawingError
into exit code 2 and one line on stderr), and binary garbage must be rejected
from its first bytes, without parsing.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import ezdxf
import pytest

from planchecker.errors import DrawingError
from planchecker.model import Drawing
from planchecker.reading import read_drawing

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def good_dxf(tmp_path: Path, name: str = "good.dxf", fmt: str = "asc") -> Path:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    blk = doc.blocks.new("ROOM")
    for i in range(200):
        blk.add_line((i, 0), (i, 100))
    for i in range(50):
        msp.add_lwpolyline([(0, 0), (5000, 0), (5000, 4000), (0, 4000)], close=True)
        msp.add_blockref("ROOM", (i * 6000, 0))
        msp.add_text(f"房间{i}", height=300)
    path = tmp_path / name
    doc.saveas(path, fmt=fmt)
    return path


def write(tmp_path: Path, data: bytes, name: str = "bad.dxf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def message(path: Path | str) -> str:
    with pytest.raises(DrawingError) as info:
        read_drawing(path)
    return str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    text = message(tmp_path / "nope.dxf")
    assert "file not found" in text and "check the path" in text
    assert text.startswith(str(tmp_path / "nope.dxf"))


def test_directory(tmp_path: Path) -> None:
    assert "directory" in message(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "file is empty" in message(write(tmp_path, b""))
    assert "file is empty" in message(write(tmp_path, b"\r\n  \n", "blank.dxf"))


def test_truncated_ascii_dxf(tmp_path: Path) -> None:
    data = good_dxf(tmp_path).read_bytes()
    text = message(write(tmp_path, data[: len(data) // 2]))
    assert "truncated" in text or "damaged" in text
    assert "export the DXF again" in text


def test_truncated_binary_dxf(tmp_path: Path) -> None:
    data = good_dxf(tmp_path, fmt="bin").read_bytes()
    text = message(write(tmp_path, data[: len(data) // 2]))
    assert "truncated" in text or "damaged" in text


def test_random_bytes_fail_fast(tmp_path: Path) -> None:
    rng = random.Random(20240501)
    path = write(tmp_path, bytes(rng.getrandbits(8) for _ in range(1 << 20)))
    start = time.perf_counter()
    assert "not a DXF file" in message(path)
    assert time.perf_counter() - start < 1.0


def test_dwg_header(tmp_path: Path) -> None:
    text = message(write(tmp_path, b"AC1032\x00\x00\x00\x00\x00\x00" + os.urandom(256)))
    assert "DWG is not supported" in text and "save as DXF" in text


def test_png_renamed_dxf(tmp_path: Path) -> None:
    assert "not a DXF file (looks like PNG image)" in message(write(tmp_path, PNG))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
    ],
)
def test_other_formats(tmp_path: Path, data: bytes, what: str) -> None:
    assert what in message(write(tmp_path, data + bytes(100)))


def test_text_file(tmp_path: Path) -> None:
    text = message(write(tmp_path, "房间清单\n调解室 25㎡\n".encode()))
    assert "not a DXF file" in text


def test_dxf_that_is_only_eof(tmp_path: Path) -> None:
    text = message(write(tmp_path, b"  0\nEOF\n"))
    assert "damaged" in text


def test_not_a_path() -> None:
    with pytest.raises(DrawingError):
        read_drawing(12345)  # type: ignore[arg-type]


def bad_inputs(tmp_path: Path) -> list[Path]:
    """A broad set of broken files built from a good one and from noise."""
    good = good_dxf(tmp_path).read_bytes()
    good_bin = good_dxf(tmp_path, "good_bin.dxf", fmt="bin").read_bytes()
    rng = random.Random(7)
    blobs: dict[str, bytes] = {
        "noise_small": bytes(rng.getrandbits(8) for _ in range(64)),
        "zeros": bytes(4096),
        "only_section": b"0\nSECTION\n",
        "header_only": b"0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1015\n0\nENDSEC\n0\nEOF\n",
        "bad_group_code": b"0\nSECTION\n2\nENTITIES\nxx\nLINE\n0\nENDSEC\n0\nEOF\n",
        "bad_number": good.replace(b" 10\n0.0\n", b" 10\nnot-a-number\n", 5),
        "ascii_then_noise": good[:3000] + bytes(rng.getrandbits(8) for _ in range(3000)),
        "binary_sentinel_noise": b"AutoCAD Binary DXF\r\n\x1a\x00" + os.urandom(2000),
        "binary_cut": good_bin[: len(good_bin) // 3],
        "ascii_cut_small": good[:200],
        "ascii_missing_middle": good[: len(good) // 3] + good[2 * len(good) // 3 :],
        "utf16": "0\nSECTION\n".encode("utf-16"),
        "line_noise": b"0\nSECTION\n" + b"\n".join(str(rng.random()).encode() for _ in range(500)),
    }
    # chop a good file at many places
    for i, frac in enumerate((0.05, 0.33, 0.66, 0.95, 0.999)):
        blobs[f"cut_{i}"] = good[: int(len(good) * frac)]
    # flip bytes in a good file
    for i in range(4):
        data = bytearray(good)
        for _ in range(50):
            data[rng.randrange(len(data))] = rng.getrandbits(8)
        blobs[f"flipped_{i}"] = bytes(data)
    return [write(tmp_path, data, f"{name}.dxf") for name, data in blobs.items()]


def test_broad_bad_inputs_only_raise_drawing_error(tmp_path: Path) -> None:
    for path in bad_inputs(tmp_path):
        start = time.perf_counter()
        try:
            result = read_drawing(path)
        except DrawingError as exc:
            assert str(exc).startswith(str(path)), exc
        else:
            assert isinstance(result, Drawing)
        assert time.perf_counter() - start < 5.0, path.name
