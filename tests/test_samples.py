"""The bundled sample plans give exactly what sample_plans/expected.toml states."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest

import planchecker
from planchecker.presenting import render
from planchecker.presenting.json_report import schema
from planchecker.rules.turning_space import inscribed_diameter

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["samples"]
REQUIREMENTS = ROOT.parent / "shared" / "notice" / "requirements.md"

# Every rule id of ../shared/notice/requirements.md (the rule catalogue), including
# the warnings interface.md lists.  Kept here so the check runs where shared/ is absent;
# test_rule_ids_match_requirements compares it with the file where it is present.
RULE_IDS = {
    "building.gross_area",
    "accessible_toilet.present",
    "accessible_toilet.area",
    "accessible_toilet.turning_space",
    "service_hall.ground_floor",
    "public_toilet.present",
    "service_hall.area",
    "mediation.area",
    "police.area",
    "family_planning.area",
    "social_work.area",
    "charity_storage.area",
    "community_office.area",
    "auxiliary.area",
    "notice_board.area",
    "residents_council.area",
    "party_activity.area",
    "social_org.area",
    "culture_sports.area",
    "reading.area",
    "rehab.area",
    "plaza.area",
    "party_activity.capacity",
    "culture_sports.capacity",
    "reading.computers",
    "service_hall.layout",
    "building.accessibility_safety",
    "building.signage",
    "building.management",
    "room.declared_area",
    "building.declared_area",
    "plan.unlabelled_room",
    "plan.orphan_label",
    "plan.units_guessed",
    "plan.floor_assumed",
    "plan.floor_conflict",
    "room.label_outside",
    "room.label_conflict",
    "plan.encoding_repaired",
    "plan.read_quality",
}


def sample_files(sample: dict) -> list[Path]:
    path = SAMPLES / sample["path"]
    if sample["path"].endswith("/"):
        return [path / name for name in sample["files"]]
    return [path]


@pytest.fixture(scope="module", params=EXPECTED, ids=[s["name"] for s in EXPECTED])
def reviewed(request):
    sample = request.param
    return sample, planchecker.review(sample_files(sample), build_type=sample["build_type"])


def test_verdict_and_exactly_the_failing_rules(reviewed):
    sample, review = reviewed
    failing = sorted(f.rule for f in review.findings if f.status == "fail")
    assert failing == sorted(sample["failing_rules"])
    assert review.verdict == sample["verdict"]


def test_gross_area_and_floors(reviewed):
    sample, review = reviewed
    tolerance = sample.get("area_tolerance") or 0.005 / sample["gross_area"]
    assert review.plan.gross_area == pytest.approx(sample["gross_area"], rel=tolerance)
    assert [f.level for f in review.plan.floors] == [1, 2]
    assert {f.level_source for f in review.plan.floors} == (
        {"file"} if sample["convention"] == "B" else {"title"}
    )


def test_named_rooms_measured(reviewed):
    sample, review = reviewed
    for function, expect in sample.get("rooms", {}).items():
        rooms = [r for r in review.plan.rooms if function in r.functions]
        assert rooms, function
        room = max(rooms, key=lambda r: r.area)
        assert room.label == expect["name"]
        assert room.level == expect["floor"]
        tolerance = sample.get("area_tolerance")
        if tolerance:
            assert room.area == pytest.approx(expect["area"], rel=tolerance)
        else:
            assert room.area == pytest.approx(expect["area"], abs=0.005)
        if "turning_diameter" in expect:
            assert inscribed_diameter(room) == pytest.approx(expect["turning_diameter"], abs=0.001)


def test_only_the_expected_warnings(reviewed):
    sample, review = reviewed
    warned = sorted(f.rule for f in review.findings if f.status == "warn")
    assert warned == sorted(sample.get("warnings", []))


def test_json_validates_and_names_every_rule(reviewed):
    _, review = reviewed
    report = json.loads(render(review, "json", "en"))
    jsonschema.validate(report, schema())
    ids = [f["rule"] for f in report["findings"]]
    assert set(ids) >= RULE_IDS
    assert len(ids) == len(set(ids))
    assert report["verdict"] == (
        "fail" if "fail" in {f["status"] for f in report["findings"]} else "pass"
    )


def test_rule_ids_match_requirements():
    if not REQUIREMENTS.is_file():
        pytest.skip(f"{REQUIREMENTS} is absent (the shared notice folder is not beside the repo)")
    text = REQUIREMENTS.read_text(encoding="utf-8")
    ids = set(re.findall(r"`((?:[a-z_]+)\.(?:[a-z_]+))`", text))
    ids |= {f"{fid}.area" for fid in re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE)}
    ids = {i for i in ids if not i.endswith(".dxf") and not i.startswith("jingzhou")}
    assert ids <= RULE_IDS, ids - RULE_IDS
    standard = planchecker.load_standard()
    assert {r.id for r in standard.rules} == RULE_IDS


def test_tarch_style_centre_matches_the_clean_one():
    """Issue 3: the same centre drawn TArch-style (walls with door gaps, GBK R2000,
    unitless) gives the clean drawing's verdict and room areas within 1%."""
    clean = planchecker.review([SAMPLES / "compliant-centre.dxf"])
    tarch = planchecker.review([SAMPLES / "compliant-centre-tarch.dxf"])
    assert tarch.verdict == clean.verdict == "pass"
    rules = {f.rule: f.status for f in clean.findings if not f.rule.startswith("plan.")}
    assert {f.rule: f.status for f in tarch.findings if f.rule in rules} == rules

    def by_name(review):
        return {
            (r.level, r.label.replace("（", "(").replace("）", ")")): r for r in review.plan.rooms
        }

    clean_rooms, tarch_rooms = by_name(clean), by_name(tarch)
    assert set(tarch_rooms) == set(clean_rooms)
    for key, room in clean_rooms.items():
        assert tarch_rooms[key].area == pytest.approx(room.area, rel=0.01), key
        assert tarch_rooms[key].source == "walls"
    assert tarch.plan.gross_area == pytest.approx(clean.plan.gross_area, rel=0.01)
