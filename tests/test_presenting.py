"""The present stage: text, JSON and markdown reports of a Review built by hand."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import jsonschema
import pytest
from shapely.geometry import MultiPolygon, Polygon

from planchecker import __version__
from planchecker.judge import judge
from planchecker.model import Floor, Label, Notice, Plan, ReadIssue, Review, Room, Units
from planchecker.presenting import render
from planchecker.presenting.common import display_width, pad, table
from planchecker.presenting.json_report import report, schema
from planchecker.presenting.markdown import escape
from planchecker.standards import load_standard

STANDARD = load_standard()
NAME = "示例社区党员群众服务中心"


def rect(x: float, y: float, w: float, h: float) -> list[tuple[float, float]]:
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def room(rid, level, ring, label, functions=(), **kw) -> Room:
    polygon = kw.pop("polygon", None) or Polygon(ring)
    return Room(
        id=rid,
        level=level,
        polygon=polygon,
        label=label,
        functions=tuple(functions),
        source=kw.pop("source", "outline"),
        file="centre.dxf",
        layer="房间",
        **kw,
    )


def make_plan(police_area_side: float = 4.0, corridor_label: str = "走廊") -> Plan:
    """Two floors; one room serves two functions, one has a hole, one is short."""
    side = police_area_side
    rooms = (
        room(
            "F1-R01", 1, rect(0, 0, 10, 10), "便民服务大厅", ["service_hall"], declared_area=100.0
        ),
        # drawn 0.4 mm off the grid: coordinates round back to it at 1 mm
        room(
            "F1-R02", 1, rect(10.0004, 0, 5, 5), "调解室/社会工作室", ["mediation", "social_work"]
        ),
        room("F1-R03", 1, rect(15, 0, side, side), "警务室", ["police"], declared_area=20.0),
        room("F1-R04", 1, rect(19, 0, 4, 5), "计划生育服务室", ["family_planning"]),
        room("F1-R05", 1, rect(23, 0, 4, 5), "慈善物品保管室", ["charity_storage"]),
        room("F1-R06", 1, rect(0, 10, 9, 5), "社区办公室", ["community_office"]),
        room("F1-R07", 1, rect(9, 10, 4.1234, 3), "档案室", ["auxiliary"]),
        room("F1-R08", 1, rect(13.2, 10, 4, 2.5), "财务室", ["auxiliary"]),
        room("F1-R09", 1, rect(17.3, 10, 2, 2.2), "无障碍卫生间", ["accessible_toilet"]),
        room("F1-R10", 1, rect(19.4, 10, 3, 4), "男卫", ["public_toilet"]),
        room("F1-R11", 1, rect(0, 15, 30, 2), corridor_label),
        room(
            "F2-R01",
            2,
            None,
            "党员活动室（多功能室）",
            ["party_activity"],
            source="hatch",
            polygon=Polygon(rect(0, 0, 10, 8), [rect(4, 3, 2, 2)]),
        ),
        room("F2-R02", 2, rect(10, 0, 8, 5), "居民议事室", ["residents_council"]),
        room("F2-R03", 2, rect(18, 0, 5, 4), "社会组织活动室", ["social_org"]),
        room("F2-R04", 2, rect(0, 8, 10, 9), "文体活动室", ["culture_sports"]),
        room(
            "F2-R05", 2, rect(10, 8, 8, 5), "阅览室", ["reading"], source="walls", centreline=True
        ),
        room("F2-R06", 2, rect(18, 8, 5, 4), "残疾人康复室", ["rehab"]),
    )
    floors = (
        Floor(
            1,
            "一层平面图",
            Polygon(rect(0, 0, 30, 20)),
            "title",
            file="centre.dxf",
            declared_gross_area=600.0,
            outline_source="outer_wall",
        ),
        Floor(2, "二层平面图", Polygon(rect(0, 0, 30, 20)), "layer", file="centre.dxf"),
    )
    return Plan(
        files=("centre.dxf",),
        floors=floors,
        rooms=rooms,
        orphan_labels=(
            Label("居务公开栏 4㎡", 5.00049, -1.2, 1, ("notice_board",), "centre.dxf", 4.0),
        ),
        units=Units(0.001, "header", insunits=4),
        encoding="gbk",
        notices=(
            Notice(
                "plan.read_quality",
                "2 self-intersecting outlines were repaired",
                "2个自相交轮廓已修复",
            ),
        ),
        read_issues=(ReadIssue("outline_repaired", 2, "self-intersecting outlines repaired"),),
    )


def make_review(plan: Plan | None = None, build_type: str = "new") -> Review:
    plan = plan or make_plan()
    return Review(NAME, plan, STANDARD, build_type, judge(plan, STANDARD, build_type))


@pytest.fixture(scope="module")
def review() -> Review:
    return make_review()


@pytest.fixture(scope="module")
def data(review) -> dict:
    return json.loads(render(review, "json", "zh"))


def validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(schema()).validate(doc)


# ------------------------------------------------------------------------------ JSON


def test_schema_is_a_valid_draft_2020_12_schema():
    doc = schema()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)
    assert schema() is not doc  # a fresh copy each time


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_validates_against_the_schema(review, lang):
    doc = json.loads(render(review, "json", lang))
    validate(doc)
    assert doc["schema"] == "planchecker.review/1"
    assert doc["planchecker_version"] == __version__
    assert doc["name"] == NAME
    assert doc["files"] == ["centre.dxf"]
    assert doc["standard"]["id"] == "jingzhou-2016"
    assert doc["standard"]["title"] == STANDARD.title
    assert doc["build_type"] == "new"
    assert doc["encoding"] == "gbk"
    assert doc["units"] == {"source": "header", "metres_per_unit": 0.001, "insunits": 4}


def test_json_top_level_keys_in_the_published_order(data):
    assert list(data)[:2] == ["schema", "planchecker_version"]
    keys = list(data)
    assert keys.index("files") < keys.index("standard") < keys.index("verdict")
    assert keys.index("building") < keys.index("rooms") < keys.index("findings")


def test_json_verdict_fails_exactly_when_a_finding_fails(review, data):
    fails = [f for f in data["findings"] if f["status"] == "fail"]
    assert [f["rule"] for f in fails] == ["police.area"]
    assert data["verdict"] == "fail"
    passing = make_review(make_plan(police_area_side=4.5))
    doc = report(passing, "en")
    assert not [f for f in doc["findings"] if f["status"] == "fail"]
    assert doc["verdict"] == "pass"
    validate(doc)
    # the schema itself ties the verdict to the findings
    with pytest.raises(jsonschema.ValidationError):
        validate({**data, "verdict": "pass"})
    with pytest.raises(jsonschema.ValidationError):
        validate({**doc, "verdict": "fail"})


def test_json_every_rule_of_the_standard_appears_exactly_once(data):
    rules = [f["rule"] for f in data["findings"]]
    assert sorted(rules) == sorted(spec.id for spec in STANDARD.rules)
    assert len(rules) == len(set(rules))


def test_json_summary_counts_the_statuses(data):
    summary = data["summary"]
    assert list(summary) == ["fail", "pass", "warn", "manual", "skip"]
    for status, n in summary.items():
        assert n == sum(1 for f in data["findings"] if f["status"] == status)
    assert summary["fail"] == 1
    assert summary["warn"] == 2  # room.declared_area and plan.read_quality
    assert summary["manual"] >= 7


def test_json_findings_carry_measured_required_and_message_in_the_language(data, review):
    police = next(f for f in data["findings"] if f["rule"] == "police.area")
    assert police == {
        "rule": "police.area",
        "status": "fail",
        "measured": 16.0,
        "required": 20.0,
        "unit": "m2",
        "rooms": ["F1-R03"],
        "message": "警务室（F1-R03）：16.00㎡ < 20.00㎡，差4.00㎡",
        "group": "office",
        "requirement": "警务室面积一般不低于20㎡",
    }
    en = report(review, "en")
    police_en = next(f for f in en["findings"] if f["rule"] == "police.area")
    assert police_en["message"].endswith("16.00 m² < 20.00 m², short 4.00 m²")
    assert police_en["requirement"] == "Police room at least 20 m²"


def test_json_building_and_floors(data):
    building = data["building"]
    assert building["gross_area_m2"] == 1200.0
    assert building["declared_gross_area_m2"] is None
    assert building["floors"] == [
        {
            "level": 1,
            "name": "一层平面图",
            "gross_area_m2": 600.0,
            "rooms": 11,
            "level_source": "title",
            "declared_gross_area_m2": 600.0,
            "outline_source": "outer_wall",
            "file": "centre.dxf",
        },
        {
            "level": 2,
            "name": "二层平面图",
            "gross_area_m2": 600.0,
            "rooms": 6,
            "level_source": "layer",
            "declared_gross_area_m2": None,
            "outline_source": "rooms_and_walls",
            "file": "centre.dxf",
        },
    ]


def test_json_rooms_polygons_in_metres_to_a_millimetre(data):
    rooms = {r["id"]: r for r in data["rooms"]}
    assert list(rooms) == [r.id for r in make_plan().rooms]
    two = rooms["F1-R02"]
    assert two["functions"] == ["mediation", "social_work"]
    assert two["label"] == "调解室/社会工作室"
    assert two["floor"] == 1
    assert two["polygon"] == [[10.0, 0.0], [15.0, 0.0], [15.0, 5.0], [10.0, 5.0]]
    assert two["area_m2"] == 25.0
    assert two["declared_area_m2"] is None
    assert "holes" not in two and "measured_to" not in two and "parts" not in two
    assert rooms["F1-R07"]["area_m2"] == 12.37  # 4.1234 m x 3 m = 12.3702 m²
    assert rooms["F1-R03"]["declared_area_m2"] == 20.0
    for r in data["rooms"]:
        for x, y in r["polygon"]:
            assert round(x, 3) == x and round(y, 3) == y
        assert r["polygon"][0] != r["polygon"][-1]  # no repeated closing point
        assert round(r["area_m2"], 2) == r["area_m2"]


def test_json_room_with_a_hole(data):
    hall = next(r for r in data["rooms"] if r["id"] == "F2-R01")
    assert hall["area_m2"] == 76.0  # 10 x 8 minus a 2 x 2 shaft
    assert hall["source"] == "hatch"
    assert hall["polygon"] == [[0.0, 0.0], [10.0, 0.0], [10.0, 8.0], [0.0, 8.0]]
    assert hall["holes"] == [[[4.0, 3.0], [6.0, 3.0], [6.0, 5.0], [4.0, 5.0]]]


def test_json_centreline_room_says_how_it_was_measured(data):
    reading = next(r for r in data["rooms"] if r["id"] == "F2-R05")
    assert reading["measured_to"] == "centre lines"
    assert reading["source"] == "walls"


def test_json_orphan_labels_and_read_issues(data):
    assert data["orphan_labels"] == [
        {
            "text": "居务公开栏 4㎡",
            "floor": 1,
            "x": 5.0,
            "y": -1.2,
            "functions": ["notice_board"],
            "declared_area_m2": 4.0,
            "file": "centre.dxf",
        }
    ]
    assert data["read_issues"] == [
        {"code": "outline_repaired", "count": 2, "detail": "self-intersecting outlines repaired"}
    ]


def test_json_units_note_when_inferred():
    plan = replace(make_plan(), units=Units(1.0, "inferred", 0, "room sizes suggest metres"))
    doc = report(make_review(plan), "en")
    assert doc["units"] == {
        "source": "inferred",
        "metres_per_unit": 1.0,
        "insunits": 0,
        "note": "room sizes suggest metres",
    }
    validate(doc)


def test_json_is_not_ascii_escaped_and_is_indented(review):
    text = render(review, "json", "zh")
    assert "便民服务大厅" in text and "\\u" not in text
    assert text.startswith('{\n  "schema": "planchecker.review/1",')
    assert text.endswith("}\n")


def test_empty_and_multipart_rooms_do_not_crash():
    plan = make_plan()
    odd = (
        room("F1-R90", 1, None, "储藏室", polygon=Polygon()),
        room(
            "F1-R91",
            1,
            None,
            "设备间",
            polygon=MultiPolygon([Polygon(rect(40, 0, 1, 1)), Polygon(rect(42, 0, 2, 3))]),
        ),
    )
    plan = replace(
        plan,
        rooms=plan.rooms + odd,
        floors=(*plan.floors, Floor(3, "三层平面图", Polygon(), "assumed")),
    )
    review = make_review(plan)
    for fmt in ("text", "json", "markdown"):
        for lang in ("zh", "en"):
            assert render(review, fmt, lang)
    doc = report(review, "en")
    validate(doc)
    rooms = {r["id"]: r for r in doc["rooms"]}
    assert rooms["F1-R90"]["polygon"] == [] and rooms["F1-R90"]["area_m2"] == 0.0
    multi = rooms["F1-R91"]
    assert multi["area_m2"] == 7.0
    assert multi["polygon"] == [[42.0, 0.0], [44.0, 0.0], [44.0, 3.0], [42.0, 3.0]]  # largest
    assert [len(p["polygon"]) for p in multi["parts"]] == [4, 4]
    assert doc["building"]["floors"][2]["gross_area_m2"] == 0.0


def test_output_is_identical_across_calls_and_equal_reviews(review):
    again = make_review()
    for fmt in ("text", "json", "markdown"):
        for lang in ("zh", "en"):
            first = render(review, fmt, lang)
            assert first == render(review, fmt, lang)
            assert first == render(again, fmt, lang)


def test_render_rejects_unknown_format_and_language(review):
    with pytest.raises(ValueError, match="format"):
        render(review, "html", "en")
    with pytest.raises(ValueError, match="language"):
        render(review, "text", "fr")


# ------------------------------------------------------------------------------ text


def col(line: str, needle: str, last: bool = False) -> int:
    """Display column at which `needle` starts in `line`."""
    index = line.rfind(needle) if last else line.find(needle)
    assert index >= 0, (needle, line)
    return display_width(line[:index])


def finding_lines(text: str, lang: str) -> dict[str, str]:
    words = "通过|不通过|警告|人工|不适用" if lang == "zh" else "PASS|FAIL|WARN|MANUAL|SKIP"
    marks = r"\[(" + words + r")\]"
    lines = {}
    for line in text.splitlines():
        m = re.match(r"\s*" + marks + r"\s+(\S+)", line)
        if m:
            assert m.group(2) not in lines, f"{m.group(2)} listed twice"
            lines[m.group(2)] = line
    return lines


def test_text_zh_header_and_verdict(review):
    text = render(review, "text", "zh")
    assert text.startswith(f"平面图审查报告：{NAME}\n")
    assert "结论：不通过" in text
    assert STANDARD.title in text
    assert "新建" in text
    assert "1 图形单位 = 0.001 m（毫米），来源：文件头（$INSUNITS = 4）" in text
    assert "gbk" in text
    assert "centre.dxf" in text


def test_text_zh_lists_failures_first_with_the_shortfall(review):
    text = render(review, "text", "zh")
    failures_at = text.index("不通过的条款（1）")
    findings_at = text.index("逐条审查结果")
    assert failures_at < findings_at
    summary = text[failures_at:findings_at]
    assert "police.area" in summary and "差4.00㎡" in summary
    assert "mediation.area" not in summary


def test_text_has_one_line_per_rule_with_aligned_columns(review):
    for lang in ("zh", "en"):
        text = render(review, lang=lang, fmt="text")
        lines = finding_lines(text, lang)
        assert sorted(lines) == sorted(spec.id for spec in STANDARD.rules)
        # the rule id, and the text after it, start at the same display column on every line
        assert len({col(line, rule) for rule, line in lines.items()}) == 1
        after_id = {
            display_width(re.match(r"\s*\S+\s+\S+\s+", line).group(0)) for line in lines.values()
        }
        assert len(after_id) == 1
        for rule, line in lines.items():
            assert STANDARD.rule(rule).text(lang) in line  # the rule's wording is on its line
        police = lines["police.area"]
        if lang == "zh":
            assert police.lstrip().startswith("[不通过]")
            assert "警务室面积一般不低于20㎡" in police and "16.00㎡ < 20.00㎡，差4.00㎡" in police
        else:
            assert police.lstrip().startswith("[FAIL]")
            assert "16.00 m² < 20.00 m², short 4.00 m²" in police
        zh = lang == "zh"
        assert lines["building.gross_area"].lstrip().startswith("[通过]" if zh else "[PASS]")
        assert lines["room.declared_area"].lstrip().startswith("[警告]" if zh else "[WARN]")
        assert lines["building.signage"].lstrip().startswith("[人工]" if zh else "[MANUAL]")


def test_text_groups_in_the_standards_order(review):
    text = render(review, "text", "zh")
    positions = [text.index("\n" + g.zh + "\n") for g in STANDARD.groups]
    assert positions == sorted(positions)
    # each finding sits under its own group's heading
    for spec in STANDARD.rules:
        at = text.index(f" {spec.id} ", text.index("逐条审查结果"))
        heading = max((p, g.id) for p, g in zip(positions, STANDARD.groups, strict=True) if p < at)
        assert heading[1] == spec.group, spec.id
    en = render(review, "text", "en")
    assert [en.index("\n" + g.en + "\n") for g in STANDARD.groups] == sorted(
        en.index("\n" + g.en + "\n") for g in STANDARD.groups
    )


def test_text_floors_and_rooms_tables(review):
    text = render(review, "text", "zh")
    floors = text[text.index("楼层\n--") : text.index("房间（")]
    assert "1层" in floors and "一层平面图" in floors and "图名" in floors and "图层名" in floors
    assert "600.00" in floors and "1200.00" in floors
    rooms = text[text.index("房间（17）") :]
    row = next(line for line in rooms.splitlines() if line.strip().startswith("F1-R02"))
    assert "调解室/社会工作室" in row and "调解室、社会工作室" in row and "25.00" in row
    assert "墙线*" in rooms and "标*的房间按墙中线量得面积" in rooms
    en = render(review, "text", "en")
    row = next(line for line in en.splitlines() if line.strip().startswith("F1-R02"))
    assert "调解室/社会工作室" in row and "mediation room, social work room" in row
    row = next(line for line in en.splitlines() if line.strip().startswith("F1-R11"))
    assert " other " in row  # a room serving no listed function


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_rooms_table_aligns_cjk_columns(review, lang):
    from planchecker.presenting.common import function_names

    text = render(review, "text", lang)
    rows = {
        line.split()[0]: line for line in text.splitlines() if re.match(r"\s+F\d-R\d\d\s", line)
    }
    assert len(rows) == 17
    function_cols, area_ends = set(), set()
    for r in review.plan.rooms:
        line = rows[r.id]
        function_cols.add(col(line, function_names(review, r.functions, lang), last=True))
        area = f"{r.area:.2f}"
        area_ends.add(col(line, " " + area + " ") + 1 + len(area))
    assert len(function_cols) == 1  # labels of every width padded to the same column
    assert len(area_ends) == 1  # areas right-aligned


def test_text_counts_and_extras(review):
    text = render(review, "text", "zh")
    n = report(review, "zh")["summary"]
    assert text.rstrip().splitlines()[-1] == (
        f"统计：不通过 {n['fail']} 项，通过 {n['pass']} 项，警告 {n['warn']} 项，"
        f"人工核查 {n['manual']} 项，不适用 {n['skip']} 项"
    )
    assert "未落在房间内的名称" in text and "居务公开栏 4㎡" in text
    assert "outline_repaired" in text
    en = render(review, "text", "en")
    assert "VERDICT: FAIL" in en
    assert en.rstrip().splitlines()[-1].startswith("Counts: 1 failed, ")


def test_text_passing_review_says_so():
    review = make_review(make_plan(police_area_side=4.5))
    assert "结论：通过" in render(review, "text", "zh")
    zh = render(review, "text", "zh")
    assert "不通过的条款（0）\n-----------------\n  无\n" in zh
    assert "VERDICT: PASS" in render(review, "text", "en")


def test_display_width_and_padding():
    assert display_width("abc") == 3
    assert display_width("调解室") == 6
    assert display_width("（F1）") == 6
    assert display_width("20㎡") == 4
    assert display_width("e\u0301") == 1  # combining accent
    assert pad("调解室", 8) == "调解室  "
    assert pad("12.5", 6, ">") == "  12.5"
    lines = table(["名称", "面积"], [["调解室", "25.00"], ["走廊", "6.00"]], aligns="<>")
    assert lines == ["名称     面积", "------  -----", "调解室  25.00", "走廊     6.00"]


# -------------------------------------------------------------------------- markdown


def md_cells(line: str) -> list[str]:
    """A markdown table row split on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_has_a_table_row_per_finding(review, lang):
    md = render(review, "markdown", lang)
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    findings = [
        line for line in rows if md_cells(line)[0].strip("`") in {s.id for s in STANDARD.rules}
    ]
    assert sorted(md_cells(r)[0].strip("`") for r in findings) == sorted(
        s.id for s in STANDARD.rules
    )
    assert all(len(md_cells(r)) == 7 for r in findings)
    police = next(r for r in findings if r.startswith("| `police.area`"))
    cells = md_cells(police)
    if lang == "zh":
        assert cells[1:6] == [
            "警务室面积一般不低于20㎡",
            "16.00㎡",
            "20.00㎡",
            "**不通过**",
            "F1-R03",
        ]
        assert md.startswith(f"# 平面图审查报告：{NAME}\n\n**结论：不通过**")
    else:
        assert cells[1:6] == [
            "Police room at least 20 m²",
            "16.00 m²",
            "20.00 m²",
            "**FAIL**",
            "F1-R03",
        ]
        assert "**Verdict: FAIL**" in md


def test_markdown_sections_floors_and_rooms(review):
    md = render(review, "markdown", "zh")
    for g in STANDARD.groups:
        assert f"\n### {g.zh}\n" in md
    assert "\n## 楼层\n" in md and "\n## 房间（17）\n" in md
    room_rows = [line for line in md.splitlines() if re.match(r"\| F\d-R\d\d \|", line)]
    assert len(room_rows) == 17
    assert all(len(md_cells(r)) == 7 for r in room_rows)
    assert "| F2-R01 | 2层 | 党员活动室（多功能室） | 党员活动室 | 76.00 | - | 填充 |" in md
    assert "- `police.area`：" in md


def test_markdown_escapes_pipes_in_cells():
    review = make_review(make_plan(corridor_label="走廊|过道*"))
    md = render(review, "markdown", "en")
    row = next(line for line in md.splitlines() if line.startswith("| F1-R11 |"))
    assert "走廊\\|过道\\*" in row
    assert len(md_cells(row)) == 7
    assert escape("a|b <br> c\nd $x") == "a\\|b &lt;br> c d \\$x"


def test_skipped_rules_without_a_barrier_free_toilet():
    plan = make_plan()
    plan = replace(plan, rooms=tuple(r for r in plan.rooms if r.id != "F1-R09"))
    review = make_review(plan)
    doc = report(review, "en")
    validate(doc)
    status = {f["rule"]: f["status"] for f in doc["findings"]}
    assert status["accessible_toilet.present"] == "fail"
    assert status["accessible_toilet.area"] == "skip"
    assert status["accessible_toilet.turning_space"] == "skip"
    for lang, skip in (("zh", "[不适用]"), ("en", "[SKIP]")):
        lines = finding_lines(render(review, "text", lang), lang)
        assert lines["accessible_toilet.area"].lstrip().startswith(skip)
        assert len({col(line, rule) for rule, line in lines.items()}) == 1
    zh = render(review, "text", "zh")
    assert "不通过的条款（2）" in zh and "缺少无障碍卫生间" in zh


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verdict_says_it_may_be_unreliable_when_parts_were_dropped(review, fmt, lang):
    """Issue 7: a read that lost something puts a warning right beside the verdict."""
    assert review.finding("plan.read_quality").status == "warn"
    lines = render(review, fmt, lang).splitlines()
    (at,) = [i for i, line in enumerate(lines) if "unreliable" in line or "不可靠" in line]
    verdict_at = next(i for i, line in enumerate(lines) if "FAIL" in line or "不通过" in line)
    assert at - verdict_at <= 3, "the note must stand beside the verdict"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_no_unreliable_note_on_a_clean_read(fmt):
    clean = make_review(replace(make_plan(), notices=(), read_issues=()))
    assert clean.finding("plan.read_quality").status == "pass"
    assert "unreliable" not in render(clean, fmt, "en")
    assert "不可靠" not in render(clean, fmt, "zh")
