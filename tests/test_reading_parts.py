"""The read stage's pure helpers, tested with plain data (no DXF files)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from planchecker.reading.encoding import detect_codec, needs_gb18030
from planchecker.reading.geometry import (
    OUTLINE_STEP,
    Flatten,
    bulge_polyline,
    even_odd,
    ring_polygon,
)
from planchecker.reading.sniff import sniff
from planchecker.reading.text import percent_codes, plain_single_line
from planchecker.reading.units import declared_area

FINE = Flatten(OUTLINE_STEP, 0.0)


def test_bulge_half_circle_points_lie_on_the_circle() -> None:
    pts = bulge_polyline(np.array([(0.0, 0.0, 1.0), (2.0, 0.0, 0.0)]), False, FINE)
    assert pts[0].tolist() == [0.0, 0.0] and pts[-1].tolist() == [2.0, 0.0]
    assert np.hypot(pts[:, 0] - 1.0, pts[:, 1]) == pytest.approx(np.ones(len(pts)))
    assert pts[:, 1].min() == pytest.approx(-1.0, abs=1e-3)  # counter-clockwise: below
    assert len(pts) - 1 == math.ceil(math.pi / OUTLINE_STEP)


def test_flatten_step_is_coarser_only_for_small_arcs() -> None:
    flat = Flatten(math.radians(2), 0.1)
    assert flat.step(10_000.0) == pytest.approx(math.radians(2))
    assert math.radians(2) < flat.step(6.5) <= math.radians(45)
    assert flat.step(0.05) == pytest.approx(math.radians(45))


def test_ring_polygon_keeps_the_biggest_lobe_of_a_bow_tie() -> None:
    ring = ring_polygon(np.array([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)], dtype=float))
    assert ring.repaired and ring.pieces == 2
    assert ring.polygon is not None and ring.polygon.area == pytest.approx(1.0)
    assert ring_polygon(np.array([(0, 0), (1, 0), (2, 0)], dtype=float)).polygon is None
    assert ring_polygon(np.array([(0, 0), (1, np.nan), (2, 0)], dtype=float)).polygon is None


def test_even_odd_nesting_and_crossing() -> None:
    nested = even_odd([box(0, 0, 10, 10), box(2, 2, 8, 8), box(4, 4, 6, 6)])
    assert sorted(p.area for p in nested) == [4.0, 64.0]
    crossing = even_odd([box(0, 0, 2, 2), box(1, 1, 3, 3)])
    assert sum(p.area for p in crossing) == pytest.approx(6.0)
    assert even_odd([Polygon()]) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25.36㎡", 25.36),
        ("2.43 m²", 2.43),
        ("调解室\n18.5m2", 18.5),
        ("面积：18平方米", 18.0),
        ("12 sqm", 12.0),
        ("N0 25", None),
        ("Ø110UPVC", None),
    ],
)
def test_declared_area(text: str, value: float | None) -> None:
    assert declared_area(text) == value


def test_detect_codec() -> None:
    chinese = "0\nTEXT\n1\n便民服务大厅\n1\n调解室\n"
    assert detect_codec(chinese.encode("gbk"), "cp1252") == "gbk"
    assert detect_codec(chinese.encode("gbk"), "gbk") is None
    assert detect_codec(chinese.encode("utf-8"), "gbk") == "utf-8"
    german = "0\nTEXT\n1\nGrundfläche Büro\n1\nGröße\n"
    assert detect_codec(german.encode("cp1252"), "cp1252") is None
    assert detect_codec(b"0\nTEXT\n1\nROOM\n", "cp1252") is None


def test_detect_codec_gb18030() -> None:
    # 䶮 is a two-byte GB18030 code GBK leaves unused, 𠮷 a four-byte one.
    rare = "0\nTEXT\n1\n䶮城慈善物品室\n1\n𠮷安社区办公室\n1\n调解室\n"
    plain = "0\nTEXT\n1\n便民服务大厅\n1\n调解室\n"
    assert detect_codec(rare.encode("gb18030"), "gbk") == "gb18030"
    assert detect_codec(rare.encode("gb18030"), "cp936") == "gb18030"
    assert detect_codec(rare.encode("gb18030"), "cp1252") == "gb18030"
    assert detect_codec(plain.encode("gb18030"), "gbk") is None  # pure GBK: trust it
    assert detect_codec(plain.encode("gb18030"), "cp1252") == "gbk"
    assert detect_codec(rare.encode("utf-8"), "gbk") == "utf-8"
    # a pure-GBK sample whose GB18030 character comes after the sampled lines
    many = plain * 2500 + "1\n𠮷安社区办公室\n"
    assert detect_codec(many.encode("gb18030"), "cp1252") == "gb18030"


def test_needs_gb18030() -> None:
    assert not needs_gb18030("调解室 ROOM".encode("gbk"))
    assert needs_gb18030("𠮷安 ROOM".encode("gb18030"))
    assert needs_gb18030("䶮城".encode("gb18030"))
    assert not needs_gb18030(b"\x80\xff junk no codec decodes")


def test_a_repeated_text_is_converted_once_and_shares_its_string() -> None:
    raw = "%%c50\\U+8BBE备"
    again = (raw + "x")[:-1]  # an equal string, another object
    assert again is not raw
    first = plain_single_line(raw)
    assert first == "Ø50设备"
    assert plain_single_line(again) is first


def test_percent_codes() -> None:
    assert percent_codes("%%c50 %%d %%p %%u%%o%%k%%%") == "Ø50 ° ± %"
    assert percent_codes("%%065%%200") == "A"


def test_sniff_tolerates_bom_comments_and_padding(tmp_path: Path) -> None:
    path = tmp_path / "a.dxf"
    path.write_bytes(b"\xef\xbb\xbf999\r\nmade by hand\r\n  0\r\nSECTION\r\n  0\r\nEOF\r\n\x00\x1a")
    found = sniff(str(path))
    assert found.fmt == "ascii" and not found.truncated
    path.write_bytes(b"  0\nSECTION\n  2\nENTITIES\n  0\nLINE\n")
    assert sniff(str(path)).truncated
