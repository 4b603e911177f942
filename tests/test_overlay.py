"""PNG overlays: colours read back from the pixels, Chinese glyphs, labels, names, CLI.

The failing samples are rendered once per module (`rendered`), then each test reads
what it needs back from the PNG bytes with numpy: a failing room's inside must be
mostly red, a passing room's mostly green, measured in the room's outline shrunk
inward with every label box cut out.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import planchecker
from planchecker.cli import main
from planchecker.model import Finding, Floor, Room
from planchecker.presenting import fonts, overlay
from planchecker.presenting.overlay import (
    failure_note,
    png_names,
    render_floor,
    render_floors,
    room_states,
)

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.image import imread  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["samples"]
FAILING = [s for s in EXPECTED if s["verdict"] == "fail"]


def _bench():
    """benchmarks/bench_overlay.py, for its synthetic many-room floor."""
    spec = importlib.util.spec_from_file_location(
        "bench_overlay", ROOT / "benchmarks" / "bench_overlay.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reviews():
    return {s["name"]: planchecker.review([SAMPLES / s["path"]]) for s in EXPECTED}


@pytest.fixture(scope="module")
def rendered(reviews):
    """{sample name: [FloorOverlay, ...]} for every failing sample, in Chinese."""
    return {s["name"]: render_floors(reviews[s["name"]], lang="zh") for s in FAILING}


def pixels(png: bytes) -> np.ndarray:
    """RGB in 0..255 as int, rows from the top."""
    image = imread(io.BytesIO(png), format="png")
    return (image[..., :3] * 255).round().astype(int)


def classify(rgb: np.ndarray) -> np.ndarray:
    """'red', 'green', 'orange' or 'other' per pixel (an (N, 3) array)."""
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    out = np.full(len(rgb), "other", dtype=object)
    out[(r > g + 50) & (r > b + 50) & (g < 190)] = "red"
    out[(g > r + 20) & (g > b + 15)] = "green"
    out[(r > 200) & (g > 90) & (g < 190) & (b < 90)] = "orange"
    return out


def room_pixels(image, rgb: np.ndarray, room: Room, inset_m: float = 0.25) -> np.ndarray:
    """The pixels inside `room`'s outline shrunk by `inset_m` (and 10 %), label boxes cut."""
    inner = room.polygon.buffer(-inset_m)
    if inner.is_empty:
        inner = room.polygon
    inner = inner.buffer(-0.1 * (inner.area**0.5) * 0.5)
    ring = image.frame.to_pixels(np.asarray(inner.exterior.coords))
    c0, r0 = np.floor(ring.min(axis=0)).astype(int)
    c1, r1 = np.ceil(ring.max(axis=0)).astype(int)
    cols, rows = np.meshgrid(np.arange(c0, c1 + 1), np.arange(r0, r1 + 1))
    pts = np.column_stack([cols.ravel() + 0.5, rows.ravel() + 0.5])
    keep = MplPath(ring).contains_points(pts)
    for bc0, br0, bc1, br1 in image.label_boxes():
        keep &= ~((pts[:, 0] >= bc0 - 3) & (pts[:, 0] <= bc1 + 3)
                  & (pts[:, 1] >= br0 - 3) & (pts[:, 1] <= br1 + 3))
    sel = pts[keep].astype(int)
    return rgb[sel[:, 1], sel[:, 0]]


def majority(classes: np.ndarray) -> tuple[str, float]:
    values, counts = np.unique(classes, return_counts=True)
    i = int(np.argmax(counts))
    return str(values[i]), float(counts[i] / counts.sum())


# -------------------------------------------------------------------------- colours


@pytest.mark.parametrize("sample", [s["name"] for s in FAILING])
def test_failing_rooms_read_back_red_and_passing_rooms_green(sample, reviews, rendered):
    review = reviews[sample]
    states = room_states(review, "zh")
    by_id = {r.id: r for r in review.plan.rooms}
    judged = {"fail": 0, "pass": 0}
    for image in rendered[sample]:
        rgb = pixels(image.png)
        assert rgb.shape[:2] == (image.frame.height, image.frame.width)
        for mark in image.rooms:
            status = states[mark.id].status
            if status not in judged:
                continue
            inside = room_pixels(image, rgb, by_id[mark.id])
            assert len(inside) > 50, f"{sample} {mark.id}: too few pixels to judge"
            colour, share = majority(classify(inside))
            expected = "red" if status == "fail" else "green"
            assert colour == expected and share > 0.6, (
                f"{sample} {mark.id} ({status}): majority {colour} at {share:.0%}"
            )
            judged[status] += 1
    failing_rooms = {rid for f in review.findings if f.status == "fail" for rid in f.rooms}
    assert judged["fail"] == len(failing_rooms)
    assert judged["pass"] > 10


def test_every_failing_room_is_marked_and_no_other(reviews):
    review = reviews["fail-hall-upstairs"]
    states = room_states(review, "zh")
    assert {rid for rid, s in states.items() if s.status == "fail"} == {"F2-R09"}
    assert states["F2-R09"].rules == ("service_hall.ground_floor",)
    assert states["F1-R08"].status == "other"  # 门厅: no function


def test_warned_room_is_hatched_orange(reviews):
    review = reviews["fail-small-mediation-room"]
    warn = Finding("room.declared_area", "warn", "x", "x", rooms=("F1-R11",))
    warned = dataclasses.replace(review, findings=(*review.findings, warn))
    floor = next(f for f in warned.plan.floors if f.level == 1)
    image = render_floor(warned, floor, lang="en")
    room = next(r for r in review.plan.rooms if r.id == "F1-R11")
    classes = classify(room_pixels(image, pixels(image.png), room))
    assert (classes == "orange").mean() > 0.05
    plain = render_floor(review, floor, lang="en")
    assert (classify(room_pixels(plain, pixels(plain.png), room)) == "orange").mean() == 0


# ---------------------------------------------------------------------------- fonts


def _ink(text: str, fontproperties=None) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 0.6), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    fig.text(0.05, 0.5, text, va="center", fontproperties=fontproperties or fonts.props(16))
    canvas.draw()
    grey = np.asarray(canvas.buffer_rgba())[..., :3].mean(axis=2)
    return grey < 128


def test_chinese_renders_as_glyphs_not_boxes():
    import warnings

    from matplotlib.font_manager import FontProperties

    hall = _ink("便民服务大厅")
    boxes = _ink("□□□□□□")
    assert hall.sum() > 400  # glyph pixels exist
    assert boxes.sum() > 100
    # six different characters with many strokes, not six copies of one outline
    assert hall.sum() > 1.5 * boxes.sum()
    assert (hall != boxes).sum() > 0.5 * hall.sum()
    columns = np.flatnonzero(hall.any(axis=0))
    assert columns[-1] - columns[0] > 100  # six wide characters, not one
    # matplotlib's own default font has no such glyphs: what it draws is not this
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tofu = _ink("便民服务大厅", FontProperties(family="DejaVu Sans", size=16))
    assert (hall != tofu).sum() > 0.5 * hall.sum()


def test_shipped_font_covers_vocabulary_rule_wording_messages_and_m2(reviews):
    from fontTools.ttLib import TTFont

    cmap = TTFont(fonts.font_path(), lazy=True).getBestCmap()
    standard = planchecker.load_standard()
    text = [standard.title, standard.title_en, "㎡"]
    for function in standard.functions.values():
        text += [function.zh, function.en, *function.names]
    for spec in standard.rules:
        text += [spec.zh, spec.en, spec.id, spec.source]
    for group in standard.groups:
        text += [group.zh, group.en]
    for build in standard.build_types.values():
        text += list(build.values())
    for review in reviews.values():  # every message the sheets and panels show
        for f in review.findings:
            text += [f.message_zh, f.message_en, failure_note(review, f, "zh"),
                     failure_note(review, f, "en")]
        for lang in ("zh", "en"):
            for floor in review.plan.floors:
                rooms = [r for r in review.plan.rooms if r.level == floor.level]
                rows = overlay.build_panel(review, floor, rooms, room_states(review, lang), lang)
                text += [row[1] for row in rows]
    from planchecker.presenting import review_sheet

    text += [v for entry in review_sheet._SHEET.values() for v in entry.values()]
    for lang in ("zh", "en"):
        text += list(overlay.panel._words(lang).values())
    missing = sorted({ch for s in text for ch in s if not ch.isspace() and ord(ch) not in cmap})
    assert missing == []
    assert ord("㎡") in cmap


def test_matplotlib_settings_are_left_alone_and_do_not_change_the_output(reviews):
    import matplotlib as mpl

    review = reviews["fail-hall-upstairs"]
    floor = review.plan.floors[0]
    reference = render_floor(review, floor, lang="zh", dpi=60).png
    with mpl.rc_context({"font.family": "serif", "lines.linewidth": 5.0, "pdf.fonttype": 42,
                         "savefig.facecolor": "black"}):
        again = render_floor(review, floor, lang="zh", dpi=60).png
        assert mpl.rcParams["font.family"] == ["serif"]
        assert mpl.rcParams["lines.linewidth"] == 5.0
    assert again == reference
    assert "Noto Sans SC" not in mpl.rcParams["font.family"]


# ---------------------------------------------------------------------------- labels


def test_labels_name_every_room_with_its_area_and_failing_rooms_their_shortfall(rendered):
    images = rendered["fail-small-mediation-room"]
    ground = next(i for i in images if i.level == 1)
    marks = {m.id: m for m in ground.rooms}
    mediation = marks["F1-R06"]
    joined = "".join(mediation.lines)
    assert "调解室" in joined and "16.00㎡" in joined
    assert "≥20㎡，差4.00㎡" in joined
    assert all(m.lines for m in ground.rooms)
    assert "无障碍卫生间" in "".join(marks["F1-R01"].lines)


def test_failure_note_in_both_languages(reviews):
    review = reviews["fail-small-mediation-room"]
    f = review.finding("mediation.area")
    assert failure_note(review, f, "zh") == "≥20㎡，差4.00㎡"
    assert failure_note(review, f, "en") == "≥20 m², short 4.00 m²"
    narrow = reviews["fail-narrow-accessible-toilet"]
    note = failure_note(narrow, narrow.finding("accessible_toilet.turning_space"), "en")
    assert note == "turning circle 1.40 m < 1.50 m"
    upstairs = reviews["fail-hall-upstairs"]
    assert failure_note(upstairs, upstairs.finding("service_hall.ground_floor"), "zh") == (
        "应设在1层"
    )


def _overlaps(boxes) -> list[tuple[int, int]]:
    b = np.asarray(boxes)
    hits = (
        (b[:, None, 0] < b[None, :, 2] - 1e-9) & (b[:, None, 2] > b[None, :, 0] + 1e-9)
        & (b[:, None, 1] < b[None, :, 3] - 1e-9) & (b[:, None, 3] > b[None, :, 1] + 1e-9)
    )
    np.fill_diagonal(hits, False)
    return [tuple(p) for p in np.argwhere(np.triu(hits))]


@pytest.fixture(scope="module")
def crowded():
    """The benchmark's 300-room floor (88 m x 72 m, 2 m² stores among offices)."""
    review = _bench().synthetic_review(300)
    return review, render_floor(review, review.plan.floors[0], lang="zh")


def test_crowded_floor_labels_never_overlap_and_small_rooms_keep_their_names(crowded):
    review, image = crowded
    assert len(image.rooms) == 300
    assert _overlaps([m.box for m in image.rooms]) == []
    small = [r for r in review.plan.rooms if r.area < 2.5]
    assert len(small) >= 10
    marks = {m.id: m for m in image.rooms}
    for room in small:
        mark = marks[room.id]
        assert mark.lines and room.label in "".join(mark.lines), room.id
        assert mark.leader  # 1.4 m x 1.4 m is too small for its name at 6 pt
        assert mark.size >= 6.0
    # a leader label's box lies inside the picture
    for mark in image.rooms:
        c0, r0, c1, r1 = image.frame.box_to_pixels(mark.box)
        assert c0 >= 0 and r0 >= 0
        assert c1 <= image.frame.width and r1 <= image.frame.height


def test_a_2_m2_room_gets_its_name(reviews):
    review = reviews["fail-small-mediation-room"]
    cupboard = Room(
        id="F1-R99", level=1, polygon=__import__("shapely").box(26.6, 9.0, 28.0, 10.4),
        label="清洁间", functions=(), source="outline",
    )
    plan = dataclasses.replace(review.plan, rooms=(*review.plan.rooms, cupboard))
    with_cupboard = dataclasses.replace(review, plan=plan)
    floor = next(f for f in plan.floors if f.level == 1)
    image = render_floor(with_cupboard, floor, lang="zh")
    mark = next(m for m in image.rooms if m.id == "F1-R99")
    assert "清洁间" in "".join(mark.lines) and "1.96㎡" in "".join(mark.lines)
    assert _overlaps([m.box for m in image.rooms]) == []


def test_a_100_m_wide_floor_stays_legible():
    review = _bench().synthetic_review(100, room_w=4.2, room_d=8.0, per_row=24)
    floor = review.plan.floors[0]
    x0, _, x1, _ = floor.outline.bounds
    assert x1 - x0 >= 100
    image = render_floor(review, floor, lang="en", dpi=100)
    # at least 0.15 inch a metre: a 1.4 m store is 21 pixels at 100 dpi
    assert image.frame.px_per_m >= 0.15 * 100 - 1e-9
    assert min(m.size for m in image.rooms) >= 6.0
    assert _overlaps([m.box for m in image.rooms]) == []


def test_unlabelled_room_is_named_as_such(reviews):
    review = reviews["fail-small-mediation-room"]
    rooms = tuple(dataclasses.replace(r, label="") if r.id == "F1-R09" else r
                  for r in review.plan.rooms)
    review = dataclasses.replace(review, plan=dataclasses.replace(review.plan, rooms=rooms))
    floor = next(f for f in review.plan.floors if f.level == 1)
    marks = {m.id: m for m in render_floor(review, floor, lang="zh", dpi=50).rooms}
    assert "（无名称）" in "".join(marks["F1-R09"].lines)


# ------------------------------------------------------------------ names and bytes


def test_file_names_follow_the_drawing_or_the_centre(reviews):
    assert png_names(reviews["fail-hall-upstairs"]) == [
        "fail-hall-upstairs-F1.png", "fail-hall-upstairs-F2.png",
    ]
    assert png_names(reviews["fail-small-mediation-room"]) == [
        "fail-small-mediation-room-F1.png", "fail-small-mediation-room-F2.png",
    ]
    review = reviews["compliant-centre"]
    basement = Floor(level=-1, name="地下一层平面图", outline=review.plan.floors[0].outline,
                     level_source="title")
    plan = dataclasses.replace(review.plan, floors=(*review.plan.floors, basement))
    named = dataclasses.replace(review, plan=plan, name="东/门 社区")
    assert png_names(named) == [
        "compliant-centre-B1.png", "compliant-centre-F1.png", "compliant-centre-F2.png",
    ]
    plan = dataclasses.replace(plan, files=("a.dxf", "b.dxf"))
    assert png_names(dataclasses.replace(named, plan=plan))[0] == "东_门 社区-B1.png"


def test_same_review_gives_byte_identical_pngs(reviews, rendered):
    again = render_floors(reviews["fail-hall-upstairs"], lang="zh")
    assert [i.png for i in again] == [i.png for i in rendered["fail-hall-upstairs"]]
    assert b"Software" not in again[0].png[:2000]


def test_dpi_sets_the_pixel_size(reviews):
    review = reviews["fail-hall-upstairs"]
    floor = review.plan.floors[0]
    small = render_floor(review, floor, dpi=75)
    large = render_floor(review, floor, dpi=150)
    assert abs(large.frame.width - 2 * small.frame.width) <= 2
    assert pixels(small.png).shape[:2] == (small.frame.height, small.frame.width)


# ------------------------------------------------------------------------------ CLI


def test_cli_png_writes_one_file_per_floor_and_keeps_exit_codes(tmp_path):
    out = tmp_path / "png"
    result = CliRunner().invoke(
        main, ["review", str(SAMPLES / "fail-small-mediation-room"), "--png", str(out),
               "--lang", "zh", "--dpi", "40"],
    )
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "fail-small-mediation-room-F1.png", "fail-small-mediation-room-F2.png",
    ]
    assert "结论：不通过" in result.stdout  # the report still goes to stdout
    passing = CliRunner().invoke(
        main, ["review", str(SAMPLES / "compliant-centre.dxf"), "--png", str(out), "--dpi", "40"]
    )
    assert passing.exit_code == 0, passing.output
    assert (out / "compliant-centre-F1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_png_into_an_unwritable_place_is_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        main, ["review", str(SAMPLES / "compliant-centre.dxf"), "--png", str(blocker / "sub")]
    )
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.output
    bad_dpi = CliRunner().invoke(
        main, ["review", str(SAMPLES / "compliant-centre.dxf"), "--dpi", "0"]
    )
    assert bad_dpi.exit_code == 2


def test_help_and_plain_review_do_not_import_matplotlib():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from planchecker.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "r = CliRunner().invoke(main, ['review', '--help'])\n"
        "assert '--png' in r.output and '--pdf' in r.output and '--dpi' in r.output\n"
        f"r = CliRunner().invoke(main, ['review', {str(SAMPLES / 'compliant-centre.dxf')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_readme_image_is_what_the_readme_command_makes(tmp_path):
    """docs/img holds the README's picture; rerun the README's command if this fails."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(
        line.strip() for line in readme.splitlines()
        if line.startswith("planchecker review") and "--png docs/img" in line
    )
    args = command.split()[1:]
    args[args.index("docs/img")] = str(tmp_path)
    args = [str(ROOT / a) if a.startswith("sample_plans/") else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    image = "fail-small-mediation-room-F1.png"
    assert f"docs/img/{image}" in readme
    made, committed = pixels((tmp_path / image).read_bytes()), pixels(
        (ROOT / "docs" / "img" / image).read_bytes()
    )
    assert made.shape == committed.shape
    # equal up to anti-aliasing differences between matplotlib / FreeType versions
    assert (np.abs(made - committed).max(axis=2) > 40).mean() < 0.01


def test_odd_floors_still_render(reviews):
    """A basement with no rooms or outline, a site plan, a room with a hole, a sliver."""
    import shapely
    from shapely.geometry import Polygon

    review = reviews["compliant-centre"]
    basement = Floor(level=-1, name="地下室", outline=Polygon(), level_source="title")
    holed = Room(id="F1-R77", level=1, polygon=shapely.box(40, 0, 50, 10).difference(
        shapely.box(44, 4, 46, 6)), label="带洞的房间", functions=(), source="outline")
    sliver = Room(id="F1-R78", level=1, polygon=Polygon([(55, 0), (60, 0), (55, 0.3)]),
                  label="极窄的三角形房间", functions=(), source="outline")
    plan = dataclasses.replace(review.plan, floors=(*review.plan.floors, basement),
                               rooms=(*review.plan.rooms, holed, sliver))
    images = render_floors(dataclasses.replace(review, plan=plan), lang="en", dpi=40)
    assert [i.tag for i in images] == ["B1", "F1", "F2"]
    marks = {m.id: m for m in images[1].rooms}
    assert "带洞的房间" in "".join(marks["F1-R77"].lines)
    assert "极窄的三角形房间" in "".join(marks["F1-R78"].lines)
    assert images[0].rooms == ()
