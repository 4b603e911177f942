"""Floor levels from plan titles, layer names and file names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planchecker.extraction.levels import (
    TitleInfo,
    chinese_numeral,
    parse_level_token,
    parse_levels_token,
    parse_title,
)

CHINESE = "一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1..99 in the Chinese a drawing would use (test oracle, written independently)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE[ones - 1]
    head = "" if tens == 1 else CHINESE[tens - 1]
    return head + "十" + (CHINESE[ones - 1] if ones else "")


# ------------------------------------------------------------- Chinese numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("二", 2),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("五十五", 55),
        ("九十九", 99),
    ],
)
def test_chinese_numeral(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(
    "text", ["", "两", "零", "〇", "一十", "百", "十十", "1", "一二", "二十十"]
)
def test_chinese_numeral_rejects(text: str) -> None:
    assert chinese_numeral(text) is None


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numeral_round_trip(n: int) -> None:
    assert chinese_numeral(to_chinese(n)) == n


# ------------------------------------------------------------------------ titles


@pytest.mark.parametrize(
    ("text", "kind", "levels"),
    [
        # ground floor, every spelling
        ("一层平面图", "floor", (1,)),
        ("首层平面图 1:100", "floor", (1,)),
        ("首层平面图  1：100", "floor", (1,)),
        ("底层平面图", "floor", (1,)),
        ("一楼平面图", "floor", (1,)),
        ("1F平面图", "floor", (1,)),
        ("F1平面图", "floor", (1,)),
        ("1层平面图", "floor", (1,)),
        ("第一层平面图", "floor", (1,)),
        ("一 层 平 面 图", "floor", (1,)),  # spaced out to fill the title line
        ("一层平面图 比例 1:100", "floor", (1,)),
        ("一层平面图 比例：1:100", "floor", (1,)),
        ("一层平面图（1：100）", "floor", (1,)),
        ("一层平面图 1∶100", "floor", (1,)),
        ("一层平面图 SCALE 1:100", "floor", (1,)),
        ("一层平面图\n1:100", "floor", (1,)),
        ("一层平面图\\P1:100", "floor", (1,)),
        ("一层平面图(一)", "floor", (1,)),
        ("一层平面布置图", "floor", (1,)),
        ("图名：一层平面图", "floor", (1,)),
        ("XX社区党员群众服务中心一层平面图", "floor", (1,)),
        ("3#楼一层平面图", "floor", (1,)),
        ("A-03-01 一层平面图", "floor", (1,)),
        ("一层平面图\n本层建筑面积：286.73m2", "floor", (1,)),
        ("一層平面圖", "floor", (1,)),  # traditional characters
        # upper floors
        ("二层平面图", "floor", (2,)),
        ("三层平面图", "floor", (3,)),
        ("十层平面图", "floor", (10,)),
        ("十一层平面图", "floor", (11,)),
        ("十二层平面图", "floor", (12,)),
        ("二十一层平面图", "floor", (21,)),
        ("2层平面图", "floor", (2,)),
        ("F2平面图", "floor", (2,)),
        ("2F平面图", "floor", (2,)),
        ("二楼平面图", "floor", (2,)),
        ("1号楼二层平面图", "floor", (2,)),
        ("12层平面图", "floor", (12,)),
        # basements: 地下一层 contains 一层 but is not the ground floor
        ("地下一层平面图", "floor", (-1,)),
        ("地下1层平面图", "floor", (-1,)),
        ("地下室平面图", "floor", (-1,)),
        ("负一层平面图", "floor", (-1,)),
        ("B1层平面图", "floor", (-1,)),
        ("B1平面图", "floor", (-1,)),
        ("B1F平面图", "floor", (-1,)),
        ("-1F平面图", "floor", (-1,)),
        ("－1F平面图", "floor", (-1,)),
        ("地下二层平面图", "floor", (-2,)),
        ("负二层平面图", "floor", (-2,)),
        ("B2平面图", "floor", (-2,)),
        ("-2F平面图", "floor", (-2,)),
        # typical floors
        ("二~四层平面图", "floor", (2, 3, 4)),
        ("二～四层平面图", "floor", (2, 3, 4)),
        ("二—四层平面图", "floor", (2, 3, 4)),
        ("2-4层平面图", "floor", (2, 3, 4)),
        ("二至四层平面图", "floor", (2, 3, 4)),
        ("二层至四层平面图", "floor", (2, 3, 4)),
        ("2~4F平面图", "floor", (2, 3, 4)),
        ("2F~4F平面图", "floor", (2, 3, 4)),
        ("F2~F4平面图", "floor", (2, 3, 4)),
        ("一至三层平面图", "floor", (1, 2, 3)),
        ("二、三层平面图", "floor", (2, 3)),
        ("二层、三层平面图", "floor", (2, 3)),
        ("三~五层(标准层)平面图", "floor", (3, 4, 5)),
        ("标准层平面图(三~五层)", "floor", (3, 4, 5)),
        ("标准层平面图", "floor", ()),  # the caller decides
        ("平面图", "floor", ()),
        ("夹层平面图", "floor", ()),
        # plans of a floor that are not its floor plan
        ("一层顶棚平面图", "other_plan", (1,)),
        ("二层给排水平面图", "other_plan", (2,)),
        ("一层照明平面图", "other_plan", (1,)),
        ("基础平面图", "other_plan", ()),
        ("地下室顶板平面图", "other_plan", (-1,)),
        ("防火分区平面图", "other_plan", ()),
        # not floors
        ("总平面图", "site", ()),
        ("总平面图 1:500", "site", ()),
        ("总图", "site", ()),
        ("总平面布置图", "site", ()),
        ("屋顶平面图", "roof", ()),
        ("屋面平面图", "roof", ()),
        ("屋顶层平面图", "roof", ()),
        ("屋面排水平面图", "roof", ()),
        ("南立面图", "elevation", ()),
        ("①-⑧轴立面图", "elevation", ()),
        ("1~3轴立面图", "elevation", ()),
        ("轴立面图", "elevation", ()),
        ("东立面", "elevation", ()),
        ("1-1剖面图", "section", ()),
        ("A-A剖面图", "section", ()),
        ("剖面图A-A", "section", ()),
        ("卫生间大样图", "detail", ()),
        ("一层卫生间大样图", "detail", ()),
        ("楼梯详图", "detail", ()),
        ("节点详图", "detail", ()),
        ("墙身大样", "detail", ()),
        ("楼梯平面大样图", "detail", ()),
        # English
        ("Ground Floor Plan", "floor", (1,)),
        ("GROUND FLOOR PLAN 1:100", "floor", (1,)),
        ("Level 1 Plan", "floor", (1,)),
        ("Level 2", None, None),  # no view word: not a title
        ("Floor 1 Plan", "floor", (1,)),
        ("Floor 2 Plan", "floor", (2,)),
        ("Basement Plan", "floor", (-1,)),
        ("Basement 2 Plan", "floor", (-2,)),
        ("First Floor Plan", "floor", ()),  # UK level 2, US level 1: not guessed
        ("Second Floor Plan", "floor", ()),
        ("1st Floor Plan", "floor", ()),
        ("Lower Ground Floor Plan", "floor", ()),
        ("Site Plan", "site", ()),
        ("Roof Plan", "roof", ()),
        ("North Elevation", "elevation", ()),
        ("Section A-A", "section", ()),
        ("Wall Detail", "detail", ()),
        ("Reflected Ceiling Plan", "other_plan", ()),
    ],
)
def test_parse_title(text: str, kind: str | None, levels: tuple[int, ...] | None) -> None:
    info = parse_title(text)
    if kind is None:
        assert info is None
        return
    assert info is not None
    assert (info.kind, info.levels) == (kind, levels)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "一层",
        "警务室",
        "设计说明",
        "门窗表",
        "配电箱系统图",
        "一层框架结构",
        "不上人保温屋面",
        "详见一层平面图",  # a cross-reference, not a title
        "见总平面图",
        "详见总图专业图纸",
        "说明：见一层平面图",
        "一层平面图。",
        "1:100",
        "本层建筑面积：286.73m2",
        "1.室内地坪设计标高：±0.000，相当于绝对标高详见总图专业图纸，室内外",
        "这是一段非常非常长的说明文字它恰好以平面图结尾但是长度超过了四十个字符所以它不是标题平面图",
        "FLOOR",
    ],
)
def test_parse_title_rejects(text: str) -> None:
    assert parse_title(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("一层平面图", "一层平面图"),
        ("首层平面图 1:100", "首层平面图"),
        ("一层平面图 比例 1:100", "一层平面图"),
        ("一层平面图（1：100）", "一层平面图"),
        ("一 层 平 面 图", "一层平面图"),
        ("图名：二层平面图", "二层平面图"),
        ("Ground Floor Plan 1:100", "Ground Floor Plan"),
        ("①-⑧轴立面图", "①-⑧轴立面图"),
        ("-1F平面图", "-1F平面图"),
    ],
)
def test_title_name_is_the_title_without_its_scale(text: str, name: str) -> None:
    info = parse_title(text)
    assert info is not None
    assert info.name == name


def test_title_info_is_frozen() -> None:
    info = TitleInfo("floor", (1,), "一层平面图")
    with pytest.raises(AttributeError):
        info.kind = "roof"  # type: ignore[misc]


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["", " 1:100", "  比例 1:50"]))
def test_every_chinese_floor_title(n: int, scale: str) -> None:
    info = parse_title(f"{to_chinese(n)}层平面图{scale}")
    assert info == TitleInfo("floor", (n,), f"{to_chinese(n)}层平面图")


@given(st.integers(min_value=1, max_value=9))
def test_every_basement_title_is_below_ground(n: int) -> None:
    for title in (
        f"地下{to_chinese(n)}层平面图",
        f"负{to_chinese(n)}层平面图",
        f"B{n}平面图",
        f"-{n}F平面图",
    ):
        info = parse_title(title)
        assert info is not None and info.levels == (-n,), title


@given(
    st.integers(min_value=1, max_value=98),
    st.integers(min_value=1, max_value=20),
    st.sampled_from(["{a}~{b}层平面图", "{a}-{b}层平面图", "{a}至{b}层平面图", "{a}~{b}F平面图"]),
    st.booleans(),
)
def test_every_typical_floor_range(low: int, span: int, form: str, chinese: bool) -> None:
    high = min(low + span, 99)
    spell = to_chinese if chinese and "F" not in form else str
    info = parse_title(form.format(a=spell(low), b=spell(high)))
    assert info is not None
    assert info.levels == tuple(range(low, high + 1))


# ----------------------------------------------------------- layer and file names


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("F1_房间", 1),
        ("1F-SPACE", 1),
        ("1F_SPACE", 1),
        ("ROOM 1F", 1),
        ("一层-房间", 1),
        ("一层房间", 1),
        ("首层", 1),
        ("底层", 1),
        ("一楼", 1),
        ("1层", 1),
        ("一层平面图", 1),
        ("2F", 2),
        ("F2", 2),
        ("f2", 2),
        ("二层平面图", 2),
        ("F10", 10),
        ("十一层", 11),
        ("B1", -1),
        ("B1层", -1),
        ("B1F", -1),
        ("B1F_房间", -1),
        ("-1F", -1),
        ("地下一层平面图", -1),
        ("地下室", -1),
        ("负一层", -1),
        ("B2", -2),
        ("地下二层", -2),
        ("-2F", -2),
        ("A-1F", 1),  # the dash is a delimiter after a letter, not a minus
        ("A-1F-WALL", 1),
        ("房间-1F", 1),
        ("_-1F", -1),
        ("(-1F)", -1),
        ("1F-03", 1),
        ("Ground Floor", 1),
        ("GROUND_FLOOR", 1),
        ("LEVEL 1", 1),
        ("LEVEL_2", 2),
        ("Floor 2", 2),
        ("BASEMENT", -1),
        ("A2-RV-F2$0$A-WALL", 2),  # an xref-bound layer
        ("1209-3#泵房001（水反资1210）$0$建.1F墙体$0$建-文字", 1),
        ("3-1F", 1),  # a descending "range" is block 3, floor 1
        ("二層", 2),
    ],
)
def test_parse_level_token(text: str, level: int) -> None:
    assert parse_level_token(text) == level


@pytest.mark.parametrize(
    "text",
    [
        "",
        "WALL",
        "PUB_TEXT",
        "A-WALL",
        "F-FURN",
        "DOOR_FIRE",
        "FIRE",
        "0",
        "1",
        "10",
        "Defpoints",
        "plan",
        "centre-2021",
        "2017_11-sheet-R$0$C-SHET-TTLB",
        "FF1A",
        "HATCH_F10X",
        "F100",
        "F0",
        "0F",
        "B0",
        "L1",
        "GF",
        "FLOOR",
        "LEVEL",
        "Ground",
        "First Floor",  # UK/US ambiguous
        "3FLOOR",
        "F1A",
        "F1.5",
        "1.1F",
        "AF1",
        "标准层",
        "夹层",
        "屋顶层",
        "地下",
        "两层",
        "3#泵房",
        "一层-二层",  # two floors: not one level
        "F1_B2",
        "2-4层",  # a range: see parse_levels_token
    ],
)
def test_parse_level_token_rejects(text: str) -> None:
    assert parse_level_token(text) is None


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("2-4层", (2, 3, 4)),
        ("二~四层平面图", (2, 3, 4)),
        ("二至四层", (2, 3, 4)),
        ("2~4F", (2, 3, 4)),
        ("2F-4F", (2, 3, 4)),
        ("F2-F4", (2, 3, 4)),
        ("F2-4", (2, 3, 4)),
        ("一层", (1,)),
        ("一层-二层", (1, 2)),
        ("F1_B2", (-2, 1)),
        ("WALL", ()),
        ("1-1剖面图", ()),
    ],
)
def test_parse_levels_token(text: str, levels: tuple[int, ...]) -> None:
    assert parse_levels_token(text) == levels


@given(
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["F{n}", "{n}F", "{n}层", "{cn}层", "{cn}楼", "第{cn}层"]),
    st.sampled_from(["{t}", "{t}_房间", "房间-{t}", "A-WALL-{t}", "{t} SPACE", "X$0${t}$0$WALL"]),
)
def test_level_token_in_any_layer_name(n: int, token: str, layer: str) -> None:
    text = layer.format(t=token.format(n=n, cn=to_chinese(n)))
    assert parse_level_token(text) == n


@given(
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["F{n}", "{n}F", "B{n}"]),
    st.sampled_from(["X{t}", "{t}X", "Z{t}A", "X_{t}Y", "{t}.5"]),
)
def test_glued_ascii_tokens_are_not_levels(n: int, token: str, layer: str) -> None:
    text = layer.format(t=token.format(n=n))
    assert parse_level_token(text) is None
