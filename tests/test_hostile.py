"""Hostile structure (issue 7, bullet 2): absurd drawings end in a correct review or in
exit code 2 with the reason, within a bound on time and memory.

Every case is reviewed by the real command line in a child process
(``python -m planchecker.cli``) with a 20 s hang limit and a 2 GiB address-space
limit (RLIMIT_AS), through the fuzz harness (tests/fuzz/run.py), which also rejects
tracebacks and noise on stderr.  The drawings are the compliant sample with the
hostile part spliced into its BLOCKS or ENTITIES section as DXF text written here
directly (a million entities are written as bytes, not through ezdxf objects).

"Correct review" means the verdict and the rooms of the unmodified sample, or a
review that says what it dropped (a ``plan.read_quality`` warning); "clear reason"
means one line on stderr naming the cause.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ezdxf
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))

import mutate  # tests/fuzz is not a package: imported from sys.path
import run as fuzz

TIME_LIMIT = 20.0  # seconds for one review: the hang limit of the fuzz suite
MEMORY_LIMIT = 2 << 30  # bytes of address space
BASE = mutate.SAMPLES_DIR / "compliant-centre.dxf"  # a pass, rooms from outlines
TARCH = mutate.SAMPLES_DIR / "compliant-centre-tarch.dxf"  # a pass, rooms from walls
FAR = -300_000  # mm: hostile additions go 300 m left of the plan, not over it


# ------------------------------------------------------------------ running


@dataclass
class Reviewed:
    outcome: fuzz.Outcome
    result: fuzz.Result
    report: dict | None

    @property
    def line(self) -> str:
        return self.outcome.stderr.decode("utf-8", "replace").strip()

    def warnings(self) -> dict[str, str]:
        if not self.report:
            return {}
        return {
            f["rule"]: f.get("message", "")
            for f in self.report["findings"]
            if f.get("status") == "warn"
        }

    def issue_codes(self) -> set[str]:
        return {i["code"] for i in (self.report or {}).get("read_issues", [])}

    def rooms(self) -> dict[tuple, float]:
        return {
            (r["floor"], r["label"]): r["area_m2"] for r in (self.report or {}).get("rooms", [])
        }


def review(path: Path, tmp_path: Path, timeout: float = TIME_LIMIT) -> Reviewed:
    """Review `path` in a bounded child process; fail on any broken promise."""
    task = fuzz.Task(path.name, ["review", str(path), "--format", "json", "--lang", "en"],
                     tmp_path / f"run-{path.stem}")
    ((_, outcome),) = list(
        fuzz.run_tasks([task], jobs=1, timeout=timeout, memory_limit=MEMORY_LIMIT, mode="exec")
    )
    result = fuzz.classify(outcome, None)
    assert not result.failed, (
        f"{result.category}: {result.detail} "
        f"({outcome.seconds:.1f} s, {outcome.max_rss_kb // 1024} MB)"
    )
    report = json.loads(outcome.stdout) if outcome.exit_code in (0, 1) else None
    return Reviewed(outcome, result, report)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, Reviewed]:
    """The unmodified samples' reviews, to compare against."""
    tmp = tmp_path_factory.mktemp("baseline")
    return {p.name: review(p, tmp) for p in (BASE, TARCH)}


# ------------------------------------------------------------------ building drawings


def splice(data: bytes, section: bytes, text: bytes) -> bytes:
    """`data` with DXF `text` added at the end of its `section` (BLOCKS or ENTITIES)."""
    start = data.index(b"\n" + section + b"\n")
    end = data.index(b"\nENDSEC", start)
    end = data.rindex(b"\n", 0, end)  # before the "  0" line that opens ENDSEC
    return data[: end + 1] + text + data[end + 1 :]


def tags(*pairs: object) -> bytes:
    """DXF text from (code, value) pairs."""
    out = []
    for code, value in zip(pairs[::2], pairs[1::2], strict=True):
        v = value if isinstance(value, bytes) else str(value).encode()
        out.append(b"%d\n%s\n" % (code, v))
    return b"".join(out)


def block(name: str, content: bytes) -> bytes:
    return (
        tags(0, "BLOCK", 8, "0", 2, name, 70, 0, 10, 0, 20, 0, 30, 0, 3, name, 1, "")
        + content
        + tags(0, "ENDBLK", 8, "0")
    )


def insert(name: str, x: float = 0, y: float = 0, rows: int = 1, cols: int = 1,
           spacing: float = 0) -> bytes:
    out = tags(0, "INSERT", 8, "0", 2, name, 10, x, 20, y, 30, 0)
    if rows > 1 or cols > 1:
        out += tags(70, cols, 71, rows, 44, spacing, 45, spacing)
    return out


def line(x1: float, y1: float, x2: float, y2: float, layer: str = "0") -> bytes:
    return tags(0, "LINE", 8, layer, 10, x1, 20, y1, 30, 0, 11, x2, 21, y2, 31, 0)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_refused_or_correct(
    r: Reviewed,
    reason: str,
    base: Reviewed,
    dropped: Callable[[str], bool] | None = None,
) -> None:
    """Exit 2 with one line matching `reason`; or the clean sample's review (a pass,
    the same rooms and areas).  With `dropped`, the hostile part cannot have been
    read whole, so the review must say so: a plan.read_quality warning and a read
    issue whose code satisfies `dropped`."""
    if r.outcome.exit_code == 2:
        assert re.search(reason, r.line, re.I), r.line
        return
    assert r.report is not None
    assert r.report["verdict"] == "pass", [
        f["rule"] for f in r.report["findings"] if f["status"] == "fail"
    ]
    assert not _same_rooms(r, base, 0.011)
    if dropped is not None:
        assert "plan.read_quality" in r.warnings(), r.warnings()
        assert any(dropped(c) for c in r.issue_codes()), r.issue_codes()


# ------------------------------------------------------------------ nesting


def test_block_nesting_1000_deep(tmp_path: Path, baseline) -> None:
    chain = b"".join(block(f"N{i}", insert(f"N{i + 1}")) for i in range(1000))
    chain += block("N1000", line(0, 0, 1000, 1000))
    data = splice(splice(BASE.read_bytes(), b"BLOCKS", chain), b"ENTITIES", insert("N0", FAR))
    r = review(write(tmp_path, "deep.dxf", data), tmp_path)
    assert_refused_or_correct(
        r, r"nest|deep|depth", baseline[BASE.name], lambda c: "deep" in c or "depth" in c
    )


def test_block_inserting_itself(tmp_path: Path, baseline) -> None:
    data = splice(BASE.read_bytes(), b"BLOCKS", block("SELF", line(0, 0, 10, 10) + insert("SELF")))
    data = splice(data, b"ENTITIES", insert("SELF", FAR))
    r = review(write(tmp_path, "self.dxf", data), tmp_path)
    assert_refused_or_correct(
        r, r"SELF.*itself|recurs|cycle", baseline[BASE.name], lambda c: "self" in c or "cycl" in c
    )


def test_blocks_inserting_each_other(tmp_path: Path, baseline) -> None:
    data = splice(
        BASE.read_bytes(),
        b"BLOCKS",
        block("PING", line(0, 0, 10, 10) + insert("PONG"))
        + block("PONG", line(0, 0, 10, 5) + insert("PING")),
    )
    data = splice(data, b"ENTITIES", insert("PING", FAR))
    r = review(write(tmp_path, "mutual.dxf", data), tmp_path)
    assert_refused_or_correct(
        r,
        r"(PING|PONG).*(itself|PING|PONG)|recurs|cycle",
        baseline[BASE.name],
        lambda c: "self" in c or "cycl" in c,
    )


def test_unused_self_referencing_block_does_not_matter(tmp_path: Path, baseline) -> None:
    """A cyclic block definition that modelspace never inserts changes nothing."""
    data = splice(BASE.read_bytes(), b"BLOCKS", block("LOOP", insert("LOOP")))
    r = review(write(tmp_path, "unused-loop.dxf", data), tmp_path)
    assert r.outcome.exit_code == 0, r.line
    assert r.rooms() == baseline[BASE.name].rooms()


# ------------------------------------------------------------------ size


def test_insert_array_of_a_million_copies(tmp_path: Path, baseline) -> None:
    """A MINSERT of 1000 x 1000 cells of a three-line block: three million segments."""
    cell = block("CELL", line(0, 0, 50, 0) + line(50, 0, 50, 50) + line(50, 50, 0, 50))
    data = splice(BASE.read_bytes(), b"BLOCKS", cell)
    data = splice(data, b"ENTITIES", insert("CELL", FAR, 0, rows=1000, cols=1000, spacing=100))
    r = review(write(tmp_path, "minsert.dxf", data), tmp_path)
    assert_refused_or_correct(
        r, r"array|copies|too (large|many)|limit", baseline[BASE.name],
        lambda c: "limit" in c or "expan" in c,
    )


def test_dense_array_of_small_blocks(tmp_path: Path, baseline) -> None:
    """A 50 x 50 MINSERT of a 3-line block 50 mm wide at 100 mm spacing: 7,500 segments,
    within every limit, reviewed in seconds (5 s here, to keep the test short)."""
    cell = block("CELL", line(0, 0, 50, 0) + line(50, 0, 50, 50) + line(50, 50, 0, 50))
    data = splice(BASE.read_bytes(), b"BLOCKS", cell)
    data = splice(data, b"ENTITIES", insert("CELL", FAR, 0, rows=50, cols=50, spacing=100))
    r = review(write(tmp_path, "dense.dxf", data), tmp_path, timeout=5.0)
    assert_refused_or_correct(r, r"array|copies|too (large|many)|limit", baseline[BASE.name])


def _lwpolyline_text(n: int, x0: float) -> bytes:
    """One open LWPOLYLINE of `n` vertices (a zigzag), written as bytes."""
    head = tags(0, "LWPOLYLINE", 100, "AcDbEntity", 8, "0", 100, "AcDbPolyline", 90, n, 70, 0)
    body = b"".join(b"10\n%d\n20\n%d\n" % (x0 + i, (i % 2) * 10) for i in range(n))
    return head + body


def test_polyline_with_three_million_vertices(tmp_path: Path, baseline) -> None:
    data = splice(BASE.read_bytes(), b"ENTITIES", _lwpolyline_text(3_000_000, FAR * 10))
    r = review(write(tmp_path, "vertices.dxf", data), tmp_path)
    assert_refused_or_correct(
        r, r"vertices|too (large|many)|limit|size", baseline[BASE.name]
    )


def test_a_million_texts(tmp_path: Path, baseline) -> None:
    texts = b"".join(
        b"0\nTEXT\n100\nAcDbEntity\n8\nNOTE\n100\nAcDbText\n10\n%d\n20\n%d\n30\n0\n40\n100\n"
        b"1\nX%d\n" % (FAR * 10 + (i % 1000) * 300, (i // 1000) * 300, i % 97)
        for i in range(1_000_000)
    )
    data = splice(BASE.read_bytes(), b"ENTITIES", texts)
    r = review(write(tmp_path, "texts.dxf", data), tmp_path)
    assert_refused_or_correct(
        r, r"texts?|too (large|many)|limit|size", baseline[BASE.name]
    )


# ------------------------------------------------------------------ precision


def _shifted(data: bytes, offset: float) -> bytes:
    """Every x coordinate (codes 10..18) of BLOCKS and ENTITIES moved by `offset`."""
    pairs, newline = mutate.split_tags(data)
    start = next(i for i, p in enumerate(pairs) if p[1].strip() == b"BLOCKS")
    for pair in pairs[start:]:
        if len(pair) == 2 and pair[0].strip() in {str(c).encode() for c in range(10, 19)}:
            pair[1] = repr(float(pair[1]) + offset).encode()
    return mutate.join_tags(pairs, newline)


def _same_rooms(r: Reviewed, base: Reviewed, tolerance: float) -> list[str]:
    """Rooms whose area differs from the unshifted drawing's by more than `tolerance`."""
    got, want = r.rooms(), base.rooms()
    if set(got) != set(want):
        return [f"rooms differ: {sorted(set(got) ^ set(want))}"]
    return [f"{k}: {got[k]} != {want[k]}" for k in want if abs(got[k] - want[k]) > tolerance]


def test_coordinates_at_1e15_are_measured_right(tmp_path: Path, baseline) -> None:
    """At 1e15 mm a double still resolves 0.125 mm: same verdict, same areas (to
    0.01 m2), or a warning about precision."""
    r = review(write(tmp_path, "far.dxf", _shifted(BASE.read_bytes(), 1e15)), tmp_path)
    if r.outcome.exit_code == 2:
        assert re.search(r"coordinat|precision|far", r.line, re.I), r.line
        return
    wrong = _same_rooms(r, baseline[BASE.name], 0.011)
    warned = any(re.search(r"precision|coordinat", m, re.I) for m in r.warnings().values())
    assert not wrong or warned, wrong[:5]
    assert r.report["verdict"] == "pass" or warned


def test_coordinates_at_1e18_warn_or_refuse(tmp_path: Path, baseline) -> None:
    """At 1e18 mm a double resolves only 128 mm: walls 200 mm thick and room sides are
    rounded, so the review must warn about precision or refuse, not mis-measure."""
    r = review(write(tmp_path, "farther.dxf", _shifted(BASE.read_bytes(), 1e18)), tmp_path)
    if r.outcome.exit_code == 2:
        assert re.search(r"coordinat|precision|far", r.line, re.I), r.line
        return
    warned = any(re.search(r"precision|coordinat", m, re.I) for m in r.warnings().values())
    wrong = _same_rooms(r, baseline[BASE.name], 0.011)
    assert warned or not wrong, f"mis-measured without a warning: {wrong[:5]}"


# ------------------------------------------------------------------ degenerate linework


def _entity_runs(data: bytes, kind: bytes) -> list[bytes]:
    """The DXF text of every `kind` entity in ENTITIES, without handles (copies)."""
    pairs, newline = mutate.split_tags(data)
    start = next(i for i, p in enumerate(pairs) if p[1].strip() == b"ENTITIES")
    runs, current = [], None
    for pair in pairs[start + 1 :]:
        if pair[0].strip() == b"0":
            if current is not None:
                runs.append(mutate.join_tags(current, newline))
            current = [] if pair[1].strip() == kind else None
        if current is not None and pair[0].strip() not in (b"5", b"330"):
            current.append(pair)
    return runs


def _compare(r: Reviewed, base: Reviewed, sample: Path) -> None:
    assert r.report is not None, r.line
    assert r.report["verdict"] == base.report["verdict"]
    tolerance = 0.011 if sample == BASE else 0.01 * max(base.rooms().values())
    assert not _same_rooms(r, base, tolerance)


DUPLICATE_CASES = [pytest.param(BASE, id="outlines"), pytest.param(TARCH, id="walls")]


@pytest.mark.parametrize("sample", DUPLICATE_CASES)
def test_duplicate_segments(sample: Path, tmp_path: Path, baseline) -> None:
    """Every LINE and LWPOLYLINE drawn twice: the same verdict and rooms."""
    data = sample.read_bytes()
    copies = _entity_runs(data, b"LINE") + _entity_runs(data, b"LWPOLYLINE")
    assert copies
    out = splice(data, b"ENTITIES", b"".join(copies))
    _compare(review(write(tmp_path, f"dup-{sample.name}", out), tmp_path), baseline[sample.name],
             sample)


@pytest.mark.parametrize("sample", [BASE, TARCH], ids=["outlines", "walls"])
def test_zero_length_segments(sample: Path, tmp_path: Path, baseline) -> None:
    """A zero-length LINE on the wall layer at the start of every LINE."""
    data = sample.read_bytes()
    zero = []
    for run in _entity_runs(data, b"LINE"):
        x = re.search(rb"\n *10\n([^\n]+)\n", run).group(1)
        y = re.search(rb"\n *20\n([^\n]+)\n", run).group(1)
        zero.append(line(float(x), float(y), float(x), float(y), "WALL"))
    assert zero
    out = splice(data, b"ENTITIES", b"".join(zero))
    _compare(review(write(tmp_path, f"zero-{sample.name}", out), tmp_path),
             baseline[sample.name], sample)


def test_repeated_vertices_in_outlines(tmp_path: Path, baseline) -> None:
    """Every vertex of every LWPOLYLINE given twice (zero-length edges in each room)."""
    pairs, newline = mutate.split_tags(BASE.read_bytes())
    start = next(i for i, p in enumerate(pairs) if p[1].strip() == b"ENTITIES")
    out, kind = pairs[:start], b""
    for i in range(start, len(pairs)):
        pair = pairs[i]
        code = pair[0].strip()
        if code == b"0":
            kind = pair[1].strip()
        out.append(pair)
        if kind != b"LWPOLYLINE":
            continue
        if code == b"90":  # the vertex count, doubled
            out[-1] = [pair[0], str(int(pair[1]) * 2).encode()]
        elif code == b"20" and pairs[i - 1][0].strip() == b"10":
            out += [pairs[i - 1], pair]  # the same (10, 20) vertex again
    r = review(write(tmp_path, "repeated.dxf", mutate.join_tags(out, newline)), tmp_path)
    assert r.report is not None, r.line
    assert r.report["verdict"] == "pass"
    assert not _same_rooms(r, baseline[BASE.name], 0.011)


# ------------------------------------------------------------------ hidden layers


def _label_on_hidden_layer(tmp_path: Path, how: str) -> Path:
    """The compliant centre with its only barrier-free toilet label on a frozen or off
    layer (so the drawing passes only if hidden entities count)."""
    doc = ezdxf.readfile(BASE)
    layer = doc.layers.add("HIDDEN")
    if how == "frozen":
        layer.freeze()
    else:
        layer.off()
    (label,) = [e for e in doc.modelspace().query("TEXT") if e.dxf.text == "无障碍卫生间"]
    label.dxf.layer = "HIDDEN"
    path = tmp_path / f"{how}.dxf"
    doc.saveas(path)
    return path


@pytest.mark.parametrize("how", ["frozen", "off"])
def test_entities_on_hidden_layers(how: str, tmp_path: Path) -> None:
    """Either hidden entities count (the drawing passes), or they do not, and then the
    report says what it left out (never wrong by silence)."""
    r = review(_label_on_hidden_layer(tmp_path, how), tmp_path)
    assert r.report is not None, r.line
    if r.report["verdict"] == "pass":
        return
    failing = {f["rule"] for f in r.report["findings"] if f["status"] == "fail"}
    assert failing == {"accessible_toilet.present"}, failing
    said = " ".join(r.warnings().values()) + json.dumps(r.report["read_issues"])
    assert re.search(how + r"|hidden", said, re.I), "a hidden label was dropped silently"


def test_hidden_layer_decision_is_documented() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    pages = [docs / "user-guide.md", *sorted((docs / "decisions").glob("*.md"))]
    text = " ".join(p.read_text(encoding="utf-8") for p in pages if p.exists())
    assert re.search(r"frozen", text, re.I) and re.search(r"\boff\b.*layer|layer.*\boff\b",
                                                         text, re.I)
