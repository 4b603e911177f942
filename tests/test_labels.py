"""Label text: normalising, area notes, room numbers, vocabulary matching, text roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planchecker.extraction.labels import (
    TEXT_ROLES,
    Vocabulary,
    classify_text,
    normalise,
    parse_area_note,
    parse_building_area,
    parse_building_area_caption,
    split_lines,
    strip_room_number,
)

# The room-area table of requirements.md, plus the public toilet names of
# `public_toilet.present`: the vocabulary a Jingzhou standard file carries.
JINGZHOU = {
    "service_hall": ["便民服务大厅", "服务大厅", "一站式服务大厅", "便民服务厅"],
    "mediation": ["调解室", "人民调解室", "矛盾调解室"],
    "police": ["警务室", "社区警务室"],
    "family_planning": ["计划生育服务室", "计生服务室", "计划生育室"],
    "social_work": ["社会工作室", "社工室", "社会工作服务室"],
    "charity_storage": ["慈善物品保管室", "慈善物品室"],
    "community_office": ["社区办公室", "办公室", "两委办公室"],
    "auxiliary": ["辅助用房", "档案室", "财务室", "工作人员卫生间", "员工卫生间"],
    "notice_board": ["居务公开栏", "公开栏", "宣传栏"],
    "residents_council": ["居民议事室", "居民说事室", "议事室", "说事室", "居民议事(说事)室"],
    "party_activity": ["党员活动室", "多功能室", "多功能厅", "党员活动室(多功能室)"],
    "social_org": ["社会组织活动室", "志愿者活动室"],
    "culture_sports": ["文体活动室", "文化活动室", "文体室"],
    "reading": ["阅览室", "图书阅览室", "电子阅览室", "图书室"],
    "rehab": ["残疾人康复室", "康复室"],
    "plaza": ["文体活动广场", "活动广场", "文体广场"],
    "accessible_toilet": ["无障碍卫生间", "无障碍厕所", "无障碍公共卫生间", "第三卫生间"],
    "public_toilet": ["公共卫生间", "卫生间", "男卫", "女卫", "男厕", "女厕"],
}
ALL_NAMES = [(f, n) for f, names in JINGZHOU.items() for n in names]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(JINGZHOU)


# ------------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("警务室", "警务室"),
        ("  警 务 室  ", "警务室"),
        ("警\u3000务室", "警务室"),  # ideographic space
        ("\t警务室\xa0", "警务室"),
        ("居民议事（说事）室", "居民议事(说事)室"),
        ("居民议事【说事】室", "居民议事(说事)室"),
        ("居民议事〔说事〕室", "居民议事(说事)室"),
        ("居民议事[说事]室", "居民议事(说事)室"),
        ("居民议事{说事}室", "居民议事(说事)室"),
        ("调解室／社会工作室", "调解室/社会工作室"),
        ("调解室、社会工作室", "调解室,社会工作室"),
        ("调解室，社会工作室", "调解室,社会工作室"),
        ("面积：25.36㎡", "面积:25.36m2"),
        ("25.36 m²", "25.36m2"),
        ("25.36M2", "25.36M2"),  # case kept; matchers ignore it
        ("Ｓ＝２５．３６", "S=25.36"),
        ("二～四层", "二~四层"),
        ("二〜四层", "二~四层"),
        ("二—四层", "二-四层"),
        ("二－四层", "二-四层"),
        ("1∶100", "1:100"),
        ("%%C110", "Ø110"),
        ("%%c110", "Ø110"),
        ("%%P0.000", "±0.000"),
        ("90%%D", "90°"),
        ("5%%%", "5%"),
        ("%%U警务室", "警务室"),
        ("101 25.36㎡", "101 25.36m2"),  # two numbers stay two numbers
        ("101   25.36", "101 25.36"),
        ("1 0 1", "1 0 1"),
        ("调解室\n社会工作室", "调解室\n社会工作室"),
        ("调解室\r\n社会工作室", "调解室\n社会工作室"),
        ("调解室\\P社会工作室", "调解室\n社会工作室"),  # MTEXT paragraph left by a reader
        ("调解室\n\n  \n社会工作室\n", "调解室\n社会工作室"),
        ("  \n  ", ""),
        ("", ""),
        ("⼀层", "一层"),  # Kangxi radical from a bad font mapping
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_split_lines() -> None:
    assert split_lines(" 调解室 \n\n 社会工作室 ") == ["调解室", "社会工作室"]
    assert split_lines("  ") == []
    assert split_lines("警务室") == ["警务室"]


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.sampled_from(" \t\u3000%%%cCpPdDuU\n12 .m²㎡（）【】、：～")))
def test_normalise_is_idempotent_on_tricky_characters(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_normalised_text_has_no_white_space_but_line_breaks_and_digit_gaps(text: str) -> None:
    result = normalise(text)
    for i, char in enumerate(result):
        if char.isspace() and char != "\n":
            assert char == " "
            assert result[i - 1] in "0123456789" and result[i + 1] in "0123456789"
    assert not result.startswith("\n") and not result.endswith("\n") and "\n\n" not in result


# ------------------------------------------------------------------ area notes


@pytest.mark.parametrize(
    ("raw", "name", "area"),
    [
        ("调解室 25.36㎡", "调解室", 25.36),
        ("调解室25.36㎡", "调解室", 25.36),
        ("调解室 25.36m2", "调解室", 25.36),
        ("调解室 25.36 m²", "调解室", 25.36),
        ("调解室 25.36M2", "调解室", 25.36),
        ("调解室 25.36平方米", "调解室", 25.36),
        ("调解室 25.36平米", "调解室", 25.36),
        ("调解室 S=25.36", "调解室", 25.36),
        ("调解室 S=25.36㎡", "调解室", 25.36),
        ("调解室 s = 25.36", "调解室", 25.36),
        ("调解室 S:25.36", "调解室", 25.36),
        ("调解室 面积:25.36", "调解室", 25.36),
        ("调解室 面积：25.36m²", "调解室", 25.36),
        ("调解室 面积=25.36", "调解室", 25.36),
        ("调解室 面积为25.36㎡", "调解室", 25.36),
        ("调解室 使用面积：25.36㎡", "调解室", 25.36),
        ("调解室(25.36㎡)", "调解室", 25.36),
        ("调解室（25.36㎡）", "调解室", 25.36),
        ("调解室(S=25.36)", "调解室", 25.36),
        ("调解室,25.36㎡", "调解室", 25.36),
        ("调解室/25.36㎡", "调解室", 25.36),
        ("调解室\n25.36㎡", "调解室", 25.36),
        ("调解室\\P25.36㎡", "调解室", 25.36),
        ("25.36㎡", "", 25.36),
        ("25.36m2", "", 25.36),
        ("25.36 m²", "", 25.36),
        ("25.36M2", "", 25.36),
        ("25.36平方米", "", 25.36),
        ("S=25.36", "", 25.36),
        ("S=25.36㎡", "", 25.36),
        ("面积:25.36", "", 25.36),
        ("面积：25.36m²", "", 25.36),
        ("(25.36㎡)", "", 25.36),
        ("（25.36㎡）", "", 25.36),
        ("25㎡", "", 25.0),
        ("2.43 m²", "", 2.43),
        ("便民服务大厅 120㎡", "便民服务大厅", 120.0),
        ("居务公开栏 4㎡", "居务公开栏", 4.0),
        ("调解室/社会工作室 53.20㎡", "调解室/社会工作室", 53.2),
        ("警务室 101 25.36㎡", "警务室101", 25.36),  # the room number is strip_room_number's
        ("101 25.36㎡", "101", 25.36),
        ("调解室 25.36㎡ 社工室 20㎡", "调解室\n社工室", 25.36),  # the first area counts
    ],
)
def test_parse_area_note_finds_the_area(raw: str, name: str, area: float) -> None:
    assert parse_area_note(raw) == (name, pytest.approx(area))


@pytest.mark.parametrize(
    "raw",
    [
        "警务室",
        "101",
        "3600",
        "调解室 101",
        "调解室 3600",
        "1:100",
        "±0.000",
        "3.600",
        "A-101",
        "M1021",
        "S202-C16/2P",  # S without = is not an area prefix
        "3m",  # a length, not an area
        "本层建筑面积：286.73m2",  # a building's, never a room's
        "总建筑面积：573.46m2",
        "建筑面积=1200㎡",
        "占地面积:500m2",
        "用地面积 800㎡",
        "",
    ],
)
def test_parse_area_note_finds_no_room_area(raw: str) -> None:
    name, area = parse_area_note(raw)
    assert area is None
    assert name == normalise(raw)


def test_bare_number_after_a_name_is_not_an_area() -> None:
    assert parse_area_note("调解室 25.36") == ("调解室25.36", None)


_AREA_FORMS = [
    "{name}{a}㎡",
    "{name} {a}㎡",
    "{name}{a}m2",
    "{name} {a} m²",
    "{name}{a}M2",
    "{name}{a}平方米",
    "{name} S={a}",
    "{name} S={a}㎡",
    "{name} 面积:{a}",
    "{name} 面积：{a}m²",
    "{name}({a}㎡)",
    "{name}（{a}㎡）",
    "{name}\n{a}㎡",
    "{name}\nS={a}m2",
]


@given(
    st.sampled_from(ALL_NAMES),
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from(_AREA_FORMS),
)
def test_parse_area_note_recovers_any_two_decimal_area(
    named: tuple[str, str], hundredths: int, form: str
) -> None:
    _, name = named
    area = f"{hundredths / 100:.2f}"
    assert parse_area_note(form.format(name=name, a=area)) == (normalise(name), float(area))


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(_AREA_FORMS))
def test_parse_area_note_alone(hundredths: int, form: str) -> None:
    area = f"{hundredths / 100:.2f}"
    assert parse_area_note(form.format(name="", a=area)) == ("", float(area))


# ------------------------------------------------------------------ room numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("101 警务室", "警务室"),
        ("警务室 101", "警务室"),
        ("警务室101", "警务室"),
        ("101警务室", "警务室"),
        ("A-101 警务室", "警务室"),
        ("A101 警务室", "警务室"),
        ("B101 警务室", "警务室"),
        ("1F-03警务室", "警务室"),
        ("2F-101 警务室", "警务室"),
        ("101A 警务室", "警务室"),
        ("警务室 A-101", "警务室"),
        ("警务室-101", "警务室"),
        ("警务室(101)", "警务室"),
        ("(101)警务室", "警务室"),
        ("101-警务室", "警务室"),
        ("警务室 2-1", "警务室"),
        ("128a WC", "WC"),
        ("WC 128a", "WC"),
        ("警务室\n101", "警务室"),
        ("101\n警务室\n102", "警务室"),
        ("调解室/社会工作室 101", "调解室/社会工作室"),
        # what is not a room number stays
        ("警务室", "警务室"),
        ("1号会议室", "1号会议室"),
        ("3#泵房", "3#泵房"),
        ("24小时自助服务区", "24小时自助服务区"),
        ("101室", "101室"),
        ("50人会议室", "50人会议室"),
        ("101人民调解室", "人民调解室"),
        ("101 人民调解室", "人民调解室"),
        ("3D打印室", "3D打印室"),
        ("5G体验室", "5G体验室"),
        ("调解室25.36", "调解室25.36"),  # a decimal is not a room number
        ("党员活动室(多功能室)", "党员活动室(多功能室)"),
        ("WC", "WC"),
        # nothing but a number: returned as is, never emptied
        ("101", "101"),
        ("WC101", "WC101"),
        ("B1", "B1"),
        ("101\n102", "101\n102"),
    ],
)
def test_strip_room_number(raw: str, expected: str) -> None:
    assert strip_room_number(raw) == expected


@given(
    st.sampled_from(ALL_NAMES),
    st.sampled_from(["101", "A-101", "1F-03", "B12", "2-15", "305A"]),
    st.sampled_from(["{n} {name}", "{n}{name}", "{name} {n}", "{name}{n}", "{name}({n})"]),
)
def test_strip_room_number_recovers_the_name(
    named: tuple[str, str], number: str, form: str
) -> None:
    _, name = named
    assert strip_room_number(form.format(n=number, name=name)) == normalise(name)


# -------------------------------------------------------------------- vocabulary


@pytest.mark.parametrize(
    ("label", "functions", "names"),
    [
        ("警务室", ("police",), ("警务室",)),
        ("社区警务室", ("police",), ("社区警务室",)),
        ("警 务 室", ("police",), ("警务室",)),
        ("无障碍卫生间", ("accessible_toilet",), ("无障碍卫生间",)),
        ("无障碍公共卫生间", ("accessible_toilet",), ("无障碍公共卫生间",)),
        ("第三卫生间", ("accessible_toilet",), ("第三卫生间",)),
        ("公共卫生间", ("public_toilet",), ("公共卫生间",)),
        ("卫生间", ("public_toilet",), ("卫生间",)),
        ("男卫", ("public_toilet",), ("男卫",)),
        ("男卫生间", ("public_toilet",), ("卫生间",)),
        ("工作人员卫生间", ("auxiliary",), ("工作人员卫生间",)),
        ("员工卫生间", ("auxiliary",), ("员工卫生间",)),
        ("居民议事(说事)室", ("residents_council",), ("居民议事(说事)室",)),
        ("居民议事（说事）室", ("residents_council",), ("居民议事(说事)室",)),
        ("居民议事【说事】室", ("residents_council",), ("居民议事(说事)室",)),
        ("党员活动室(多功能室)", ("party_activity",), ("党员活动室(多功能室)",)),
        ("党员活动室（多功能室）", ("party_activity",), ("党员活动室(多功能室)",)),
        ("社区办公室", ("community_office",), ("社区办公室",)),
        ("两委办公室", ("community_office",), ("两委办公室",)),
        ("办公室", ("community_office",), ("办公室",)),
        ("人民调解室", ("mediation",), ("人民调解室",)),
        ("图书阅览室", ("reading",), ("图书阅览室",)),
        ("文体活动广场", ("plaza",), ("文体活动广场",)),
        ("慈善物品保管室", ("charity_storage",), ("慈善物品保管室",)),
        ("计划生育服务室", ("family_planning",), ("计划生育服务室",)),
        ("一站式服务大厅", ("service_hall",), ("一站式服务大厅",)),
        ("便民服务大厅", ("service_hall",), ("便民服务大厅",)),
        # one room, several plaques
        ("调解室/社会工作室", ("mediation", "social_work"), ("调解室", "社会工作室")),
        ("调解室／社会工作室", ("mediation", "social_work"), ("调解室", "社会工作室")),
        ("调解室、社会工作室", ("mediation", "social_work"), ("调解室", "社会工作室")),
        ("调解室\n社会工作室", ("mediation", "social_work"), ("调解室", "社会工作室")),
        ("调解室\\P社会工作室", ("mediation", "social_work"), ("调解室", "社会工作室")),
        (
            "居民议事室(兼党员活动室)",
            ("residents_council", "party_activity"),
            ("居民议事室", "党员活动室"),
        ),
        ("社会工作室/调解室", ("social_work", "mediation"), ("社会工作室", "调解室")),
        ("调解室调解室", ("mediation",), ("调解室",)),  # each once
        ("党员活动室/多功能室", ("party_activity",), ("党员活动室", "多功能室")),
        ("档案室、财务室", ("auxiliary",), ("档案室", "财务室")),
        # with room numbers and areas around the names
        ("101 警务室 25.36㎡", ("police",), ("警务室",)),
        ("便民服务大厅 S=120.5", ("service_hall",), ("便民服务大厅",)),
        # a line break separates names: no name across it
        ("无障碍\n卫生间", ("public_toilet",), ("卫生间",)),
        # other rooms
        ("走廊", (), ()),
        ("楼梯间", (), ()),
        ("储藏室", (), ()),
        ("101", (), ()),
        ("", (), ()),
    ],
)
def test_match(
    vocabulary: Vocabulary, label: str, functions: tuple[str, ...], names: tuple[str, ...]
) -> None:
    found = vocabulary.match(label)
    assert found.functions == functions
    assert found.names == names
    assert vocabulary.find_functions(label) == functions


def test_match_positions(vocabulary: Vocabulary) -> None:
    found = vocabulary.match("101 调解室\n社会工作室")
    assert [(m.name, m.line, m.start, m.end) for m in found.matches] == [
        ("调解室", 0, 3, 6),
        ("社会工作室", 1, 0, 5),
    ]


def test_longest_first_is_global_not_leftmost() -> None:
    # the longer name wins even when a shorter one starts further left; what
    # does not overlap it is still found
    vocabulary = Vocabulary({"a": ["AB"], "b": ["BCDE"], "c": ["A"]})
    assert vocabulary.find_functions("ABCDE") == ("c", "b")


def test_vocabulary_ignores_latin_case() -> None:
    vocabulary = Vocabulary({"public_toilet": ["WC"]})
    assert vocabulary.find_functions("wc") == ("public_toilet",)
    assert vocabulary.match("Wc").names == ("WC",)


def test_vocabulary_normalises_its_names() -> None:
    vocabulary = Vocabulary({"residents_council": ["居民议事（说事）室"]})
    assert vocabulary.match("居民议事(说事)室").names == ("居民议事（说事）室",)
    assert vocabulary.function_of("居民议事[说事]室") == "residents_council"
    assert vocabulary.function_of("走廊") is None


def test_vocabulary_rejects_a_name_of_two_functions() -> None:
    with pytest.raises(ValueError, match="卫生间"):
        Vocabulary({"public_toilet": ["卫生间"], "auxiliary": ["卫生间"]})


@pytest.mark.parametrize("bad", ["", "  ", "调解\n室"])
def test_vocabulary_rejects_empty_or_multiline_names(bad: str) -> None:
    with pytest.raises(ValueError):
        Vocabulary({"mediation": [bad]})


def test_empty_vocabulary_finds_nothing() -> None:
    assert Vocabulary({}).find_functions("警务室") == ()


def test_vocabulary_lists_names_and_functions(vocabulary: Vocabulary) -> None:
    assert vocabulary.functions == tuple(JINGZHOU)
    assert vocabulary.names["无障碍卫生间"] == "accessible_toilet"
    assert len(vocabulary.names) == len(ALL_NAMES)


@given(
    st.lists(st.sampled_from(ALL_NAMES), min_size=1, max_size=6),
    st.sampled_from(["/", "、", "／", ",", "\n", " / "]),
)
def test_joined_names_give_exactly_their_functions(
    picked: list[tuple[str, str]], separator: str
) -> None:
    vocabulary = Vocabulary(JINGZHOU)
    label = separator.join(name for _, name in picked)
    expected = tuple(dict.fromkeys(function for function, _ in picked))
    assert vocabulary.find_functions(label) == expected
    assert vocabulary.match(label).names == tuple(dict.fromkeys(name for _, name in picked))


def test_thousands_of_labels_are_quick(vocabulary: Vocabulary) -> None:
    import time

    labels = [f"{i} {name} {i % 97}.5㎡" for i, (_, name) in enumerate(ALL_NAMES * 200)]
    started = time.perf_counter()
    found = [vocabulary.find_functions(label) for label in labels]
    assert all(found)
    assert time.perf_counter() - started < 2.0


# ---------------------------------------------------------------- building areas


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("本层建筑面积：286.73m2", ("floor", 286.73)),
        ("本层建筑面积:286.73㎡", ("floor", 286.73)),
        ("本层建筑面积 286.73 m²", ("floor", 286.73)),
        ("总建筑面积：573.46m2", ("total", 573.46)),
        ("总建筑面积573.46㎡", ("total", 573.46)),
        ("建筑总面积=1000㎡", ("total", 1000.0)),
        ("建筑面积=1200㎡", ("floor", 1200.0)),
        ("建筑面积:1,200.50m2", ("floor", 1200.5)),
        ("建筑面积：286.73平方米", ("floor", 286.73)),
        ("建筑面积(m2):286.73", ("floor", 286.73)),
        ("建筑面积为286.73m2", ("floor", 286.73)),
        ("一层建筑面积：300m2", ("floor", 300.0)),
        ("首层建筑面积：300m2", ("floor", 300.0)),
        ("地下一层建筑面积：300m2", ("floor", 300.0)),
        ("2F建筑面积：300m2", ("floor", 300.0)),
        ("标准层建筑面积：300m2", ("floor", 300.0)),
        ("总建筑面积：573.46m2(含地下室)", ("total", 573.46)),
        ("一层平面图\n本层建筑面积：286.73m2", ("floor", 286.73)),
    ],
)
def test_parse_building_area(raw: str, expected: tuple[str, float]) -> None:
    scope, value = expected
    assert parse_building_area(raw) == (scope, pytest.approx(value))


@pytest.mark.parametrize(
    "raw",
    [
        "调解室 25.36㎡",
        "25.36㎡",
        "占地面积:500m2",
        "地上建筑面积：500m2",  # a part total, neither a floor nor the whole
        "本单项工程为中原市人工智能计算中心工程水泵房，建筑物为一层框架结构，建筑面积为5",
        "建筑面积",
        "警务室",
        "",
    ],
)
def test_parse_building_area_rejects(raw: str) -> None:
    assert parse_building_area(raw) is None


@pytest.mark.parametrize(
    ("raw", "scope"),
    [
        # as in the TArch pump-house sheet: caption and number are two TEXTs
        ("本层建筑面积：", "floor"),
        ("本层建筑面积", "floor"),
        ("建筑面积:", "floor"),
        ("一层建筑面积：", "floor"),
        ("总建筑面积：", "total"),
        ("建筑总面积：", "total"),
        ("地上建筑面积：", "part"),
        ("地下建筑面积：", "part"),
        ("建筑面积(m2):", "floor"),
        # not captions
        ("本层建筑面积：286.73m2", None),
        ("286.73m2", None),
        ("占地面积：", None),
        ("面积：", None),
        ("警务室", None),
        ("", None),
    ],
)
def test_parse_building_area_caption(raw: str, scope: str | None) -> None:
    assert parse_building_area_caption(raw) == scope


# -------------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        # titles
        ("一层平面图", "title"),
        ("首层平面图 1:100", "title"),
        ("A-A剖面图", "title"),
        ("南立面图", "title"),
        ("总平面图", "title"),
        ("屋顶平面图", "title"),
        ("卫生间大样图", "title"),
        ("①-⑧轴立面图", "title"),
        ("一层平面图\n本层建筑面积：286.73m2", "title"),
        # area notes
        ("25.36㎡", "area_note"),
        ("S=25.36", "area_note"),
        ("面积：25.36m²", "area_note"),
        ("(25.36㎡)", "area_note"),
        ("2.43 m²", "area_note"),
        ("101 25.36㎡", "area_note"),
        # building areas
        ("本层建筑面积：286.73m2", "building_area"),
        ("总建筑面积：573.46m2", "building_area"),
        ("建筑面积=1200㎡", "building_area"),
        ("本层建筑面积：", "building_area"),
        ("总建筑面积：", "building_area"),
        ("地上建筑面积：286.73m2", "building_area"),
        ("地下建筑面积：", "building_area"),
        # numbers
        ("101", "number"),
        ("3600", "number"),
        ("A", "number"),
        ("1/A", "number"),
        ("A-A", "number"),
        ("±0.000", "number"),
        ("%%P0.000", "number"),
        ("%%C", "number"),
        ("3.600", "number"),
        ("128a", "number"),
        ("A-101", "number"),
        ("1F-03", "number"),
        ("B1", "number"),
        ("A2", "number"),
        ("A-03-01", "number"),
        ("E-00-11-01", "number"),
        ("M1021", "number"),
        ("C1521", "number"),
        ("FM甲1021", "number"),
        ("N0 25", "number"),
        ("~", "number"),
        # notes
        ("1:100", "note"),
        ("比例 1:100", "note"),
        ("说明：本工程为二层框架结构", "note"),
        ("注：", "note"),
        ("注1", "note"),
        ("设计说明", "note"),
        ("一、工程概况：", "note"),
        ("1.承重墙、柱见结构施工图", "note"),
        ("%%C110UPVC雨水管", "note"),
        ("审核", "note"),
        ("配电箱系统图", "note"),
        ("门窗表", "note"),
        ("Scale in metres", "note"),
        ("brick and rendered building", "note"),
        ("S202-C16/2P+GDA202/30mA", "note"),
        ("本单项工程为中原市人工智能计算中心工程水泵房，建筑物为一层框架结构，建筑面积为5", "note"),
        ("占地面积:500m2", "note"),
        ("", "note"),
        ("   ", "note"),
        # names
        ("警务室", "name"),
        ("调解室 25.36㎡", "name"),
        ("101 警务室", "name"),
        ("调解室/社会工作室", "name"),
        ("调解室\n社会工作室", "name"),
        ("居民议事室(兼党员活动室)", "name"),
        ("党员活动室(多功能室)/居民议事室/文体活动室", "name"),
        ("注射室", "name"),
        ("走廊", "name"),
        ("3#水泵房", "name"),
        ("WC", "name"),
        ("KITCHEN", "name"),
        ("LIVING AREA", "name"),
        ("WC/Du", "name"),
        ("2er Zimmer", "name"),
    ],
)
def test_classify_text(raw: str, role: str) -> None:
    assert classify_text(raw) == role


@given(st.text())
def test_classify_text_always_gives_a_role(text: str) -> None:
    assert classify_text(text) in TEXT_ROLES


@given(st.sampled_from(ALL_NAMES), st.sampled_from(["", " 25.36㎡", "\nS=25.36", " 101"]))
def test_every_vocabulary_name_is_a_name(named: tuple[str, str], suffix: str) -> None:
    _, name = named
    assert classify_text(name + suffix) == "name"
