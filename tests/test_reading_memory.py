"""The read stage holds a large drawing's linework once (issue 6), with the same result.

`Collector.pack` packs the linework where it was written (LINEs first, then the
rest, out-of-range segments dropped in order), `reader._drawing` scales it in place,
outlines are scaled a batch at a time, and `sniff.inventory` counts a piece of the
file at a time.  Each of these is checked against the plain way of doing the same
(concatenating, masking, scaling a copy, all at once), with the sizes that decide
how the work is cut made small, so that every boundary is crossed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import ezdxf
import numpy as np
import pytest
import shapely

from planchecker import columns
from planchecker.reading import blocks, primitives, reader, sniff
from planchecker.reading.geometry import Affine
from planchecker.reading.limits import MAX_COORDINATE
from planchecker.reading.primitives import INHERIT, Collector, Packed
from planchecker.reading.reader import read_drawing

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"
SAMPLE_FILES = sorted(SAMPLES.glob("*.dxf")) + sorted(SAMPLES.glob("*/*.dxf"))


# Peak RSS of a fresh process around one call: ru_maxrss would not do (a child
# inherits its parent's, pytest's), VmHWM reset by clear_refs does.
_PEAK = textwrap.dedent(
    """
    def _status(key):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key))

    def peak_growth(call):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # the peak RSS starts again from the current RSS
        before = _status("VmRSS:")
        result = call()
        return _status("VmHWM:") - before, result
    """
)


def _growth(script: str) -> int:
    """Run `script` (which prints peak_growth's first result last) in a fresh process."""
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux's /proc/self/clear_refs")
    done = subprocess.run(
        [sys.executable, "-c", _PEAK + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


# ------------------------------------------------------------------ Collector.pack


def _block(rng: np.random.Generator, n: int, block_id: int) -> Packed:
    """A block definition's primitives: n segments, some on layer 0 (INHERIT)."""
    segments = rng.uniform(-50.0, 50.0, (n, 2, 2))
    layers = rng.choice(np.array([INHERIT, 3, 4], dtype=primitives.ID), n)
    ids = np.full(n, block_id, dtype=primitives.ID)
    return Packed(segments, layers, [], [], segment_blocks=ids, reach=50.0)


def _fill(seed: int, more_lines: bool) -> tuple[Collector, dict[str, list]]:
    """A collector fed LINEs, segment runs and block copies in a random order, some of
    them with coordinates out of range, and what each call added, for `_plain_pack`."""
    rng = np.random.default_rng(seed)
    out = Collector(block=7)
    added: dict[str, list] = {"lines": [], "rest": []}
    bad = (np.nan, np.inf, -np.inf, 2 * MAX_COORDINATE, -2 * MAX_COORDINATE)
    defs = [_block(rng, n, b) for b, n in ((11, 5), (12, 40))]
    for _ in range(300):
        what = rng.integers(0, 10)
        if what < (7 if more_lines else 2):
            xy = rng.uniform(-1e4, 1e4, 4)
            if rng.random() < 0.05:
                xy[rng.integers(0, 4)] = bad[rng.integers(0, len(bad))]
            layer = int(rng.integers(0, 5))
            out.add_line(*map(float, xy), layer)
            added["lines"].append((xy.reshape(1, 2, 2), np.array([layer]), np.array([7])))
        elif what < 9:
            segs = rng.uniform(-1e4, 1e4, (int(rng.integers(1, 60)), 2, 2))
            if rng.random() < 0.3:
                segs[rng.integers(0, len(segs)), rng.integers(0, 2), rng.integers(0, 2)] = bad[
                    rng.integers(0, len(bad))
                ]
            layer = int(rng.integers(0, 5))
            out.add_segments(segs, layer)
            added["rest"].append((segs, np.full(len(segs), layer), np.full(len(segs), 7)))
        else:
            packed = defs[int(rng.integers(0, len(defs)))]
            where = Affine(rng.uniform(-2, 2, (2, 2)), rng.uniform(-1e3, 1e3, 2))
            layer = int(rng.integers(0, 5))
            out.add_instance(packed, where, layer)
            layers = np.where(packed.segment_layers == INHERIT, layer, packed.segment_layers)
            added["rest"].append((where.points(packed.segments), layers, packed.segment_blocks))
    return out, added


def _plain_pack(added: dict[str, list]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """What pack must give: everything concatenated, LINEs first, out-of-range
    segments masked out, and the largest |coordinate| kept."""
    parts = added["lines"] + added["rest"]
    segments = np.concatenate([p[0] for p in parts])
    layers = np.concatenate([p[1] for p in parts])
    ids = np.concatenate([p[2] for p in parts])
    size = np.abs(segments).max(axis=(1, 2))
    keep = size <= MAX_COORDINATE
    reach = float(size[keep].max()) if keep.any() else 0.0
    return segments[keep], layers[keep], ids[keep], reach


@pytest.mark.parametrize("mapped", [False, True], ids=["numpy", "mapped"])
@pytest.mark.parametrize("more_lines", [True, False], ids=["more-lines", "more-segments"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pack_gives_the_concatenated_and_gated_segments(
    seed: int, more_lines: bool, mapped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small moves and batches: every slice boundary of the gate and the join is crossed
    monkeypatch.setattr(primitives, "MOVE_ROWS", 7)
    monkeypatch.setattr(primitives, "LINE_BATCH", 5)
    if mapped:
        if not columns.CAN_MAP:
            pytest.skip("columns are mapped on Linux only")
        monkeypatch.setattr(columns, "MAPPED", 64)
    out, added = _fill(seed, more_lines)
    expected = _plain_pack(added)
    packed = out.pack()
    got = (packed.segments, packed.segment_layers, packed.segment_blocks)
    for array, want in zip(got, expected[:3], strict=True):
        np.testing.assert_array_equal(array, want)
    assert [a.dtype for a in got] == [np.float64, primitives.ID, primitives.ID]
    assert packed.reach == expected[3]
    assert packed.dropped == sum(len(p[0]) for p in added["lines"] + added["rest"]) - len(
        expected[0]
    )
    assert packed.dropped > 0  # the gate was exercised
    assert packed.segments.flags.c_contiguous and packed.segments.flags.writeable


def test_a_mapped_column_grows_while_a_view_of_it_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """A debugger or profiler holding a frame keeps a view alive; mremap refuses to
    move the mapping then, and the column is copied instead of the read failing."""
    if not columns.CAN_MAP:
        pytest.skip("columns are mapped on Linux only")
    monkeypatch.setattr(columns, "MAPPED", 64)
    column = columns.Column((2, 2), np.float64)
    column.resize(10)
    column.data[:] = np.arange(40.0).reshape(10, 2, 2)
    held = column.data[3:5]
    column.resize(1000)
    np.testing.assert_array_equal(column.data[:10].ravel(), np.arange(40.0))
    np.testing.assert_array_equal(held.ravel(), np.arange(12.0, 20.0))
    column.resize(4)
    np.testing.assert_array_equal(column.data.ravel(), np.arange(16.0))


@pytest.mark.skipif(not columns.CAN_MAP, reason="columns are mapped on Linux only")
def test_pack_does_not_copy_the_linework() -> None:
    """Packing 2 M segments (80 MB with their ids) raises the peak RSS by far less
    than one copy of them (the old concatenation and gate took 2.5 copies)."""
    grown = _growth(
        """
        import numpy as np
        from planchecker.reading.primitives import Collector
        out = Collector()
        chunk = np.random.default_rng(0).uniform(-1e4, 1e4, (125, 2, 2))
        for i in range(16_000):
            out.add_segments(chunk, i % 9)
        for i in range(5_000):
            out.add_line(1.0, 2.0, 3.0, float(i), 1)
        grown, packed = peak_growth(out.pack)
        assert len(packed.segments) == 2_005_000
        print(grown)
        """
    )
    assert grown < 16 * 2**20, f"pack raised the peak by {grown / 2**20:.0f} MiB"


# ------------------------------------------------------------------ the reader


def test_segments_are_scaled_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Drawing's segments are the packed array, scaled where it lies."""
    seen: list[np.ndarray] = []
    plain = reader._drawing

    def spy(path, packed, units, source, issues):  # type: ignore[no-untyped-def]
        seen.append(packed.segments)
        return plain(path, packed, units, source, issues)

    monkeypatch.setattr(reader, "_drawing", spy)
    path = SAMPLES / "compliant-centre.dxf"
    drawing = read_drawing(path)
    assert drawing.units.metres_per_unit != 1.0
    assert np.shares_memory(seen[-1], drawing.segments)


def _outline_drawing(tmp_path: Path) -> Path:
    """Closed outlines in millimetres, one a sliver that mirroring in a block and
    scaling may leave invalid, many copies of a block holding outlines."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    blk = doc.blocks.new("CHAIR")
    blk.add_lwpolyline([(0, 0), (450, 0, 1.0), (450, 450), (0, 450)], format="xyb", close=True)
    blk.add_lwpolyline([(0, 0), (1e-3, 0), (0, 1e-9)], close=True, dxfattribs={"layer": "X"})
    for i in range(40):
        msp.add_blockref("CHAIR", (i * 1000.0, 0), dxfattribs={"xscale": -1 if i % 3 else 1})
        msp.add_lwpolyline(
            [(i * 1000.0, 2000), (i * 1000.0 + 800, 2000), (i * 1000.0 + 800, 2900)], close=True
        )
    path = tmp_path / "outlines.dxf"
    doc.saveas(path)
    return path


def _outlines(path: Path) -> tuple:
    d = read_drawing(path)
    polys = np.array([o.polygon for o in d.outlines], dtype=object)
    meta = [(o.layer, o.kind, o.block, o.repaired, o.solid) for o in d.outlines]
    return shapely.to_wkb(polys).tolist(), meta, d.issues


@pytest.mark.parametrize("batch", [1, 3, 50])
def test_outlines_scaled_in_batches_as_all_at_once(
    batch: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _outline_drawing(tmp_path)
    monkeypatch.setattr(reader, "OUTLINE_BATCH", 10**9)
    whole = _outlines(path)
    monkeypatch.setattr(reader, "OUTLINE_BATCH", batch)
    assert _outlines(path) == whole
    assert len(whole[0]) > 80


def test_door_test_runs_once_per_block_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4  # millimetres: modelspace is expanded once
    msp = doc.modelspace()
    for name in ("DOOR-900", "TABLE"):
        doc.blocks.new(name).add_line((0, 0), (900, 0))
    for i in range(30):
        msp.add_blockref("DOOR-900" if i % 2 else "TABLE", (i * 2000.0, 0))
    path = tmp_path / "doors.dxf"
    doc.saveas(path)
    asked: list[str] = []
    plain = blocks._is_door

    def counting(name: str) -> bool:
        asked.append(name)
        return plain(name)

    monkeypatch.setattr(blocks, "_is_door", counting)
    drawing = read_drawing(path)
    assert sorted(asked) == ["DOOR-900", "TABLE"]
    assert len(drawing.segments) == 30


# ------------------------------------------------------------------ sniff.inventory


def _count(path: Path, piece: int, monkeypatch: pytest.MonkeyPatch) -> sniff.Inventory | None:
    monkeypatch.setattr(sniff, "SCAN_PIECE", piece)
    return sniff.inventory(str(path))


def _odd_files(tmp_path: Path) -> list[Path]:
    """Line ends and lengths the counter must take the same in pieces as whole."""
    sample = (SAMPLES / "compliant-centre.dxf").read_bytes()
    variants = {
        "lf.dxf": sample,
        "crlf.dxf": sample.replace(b"\n", b"\r\n"),
        "cr.dxf": sample.replace(b"\n", b"\r"),
        "no-last-newline.dxf": sample.rstrip(b"\n"),
        "cut.dxf": sample[: len(sample) // 2 + 3],
        "long-line.dxf": sample.replace(b"\nLAYER\n", b"\nLAYER" + b" " * 5000 + b"\n", 1),
        "polyline.dxf": b"0\nSECTION\n2\nENTITIES\n0\nPOLYLINE\n"
        + b"0\nVERTEX\n10\n1.0\n20\n2.0\n" * 500
        + b"0\nSEQEND\n0\nLWPOLYLINE\n"
        + b" 10\n1.0\n 20\n2.0\n" * 700
        + b"0\nENDSEC\n0\nEOF\n",
    }
    paths = []
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_inventory_in_pieces_counts_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in [*SAMPLE_FILES, *_odd_files(tmp_path)]:
        whole = _count(path, 1 << 40, monkeypatch)
        assert whole is not None
        for piece in (7, 64, 1000):
            assert _count(path, piece, monkeypatch) == whole, (path.name, piece)
    assert _count(tmp_path / "polyline.dxf", 50, monkeypatch) == sniff.Inventory(
        506, 0, 700, "LWPOLYLINE"
    )


def test_inventory_keeps_its_memory_small(tmp_path: Path) -> None:
    """Counting a 24 MB file of short lines raises the peak RSS by the 8 MB read and
    its copies (about 35 MB), not by 160 MB (arrays of one number per line of it)."""
    path = tmp_path / "big.dxf"
    path.write_bytes(
        b"0\nSECTION\n2\nENTITIES\n"
        + b"0\nLINE\n8\nA\n10\n1.0\n20\n2.0\n11\n3.0\n21\n4.0\n" * 600_000
        + b"0\nENDSEC\n0\nEOF\n"
    )
    grown = _growth(
        f"""
        from planchecker.reading import sniff
        grown, inv = peak_growth(lambda: sniff.inventory({str(path)!r}))
        assert inv.entities == 600_003, inv
        print(grown)
        """
    )
    assert grown < 64 * 2**20, f"inventory raised the peak by {grown / 2**20:.0f} MiB"
