"""The command line: exit codes, formats, languages, and one clear line for every bad input."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner

from planchecker import __version__
from planchecker.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"
COMPLIANT = SAMPLES / "compliant-centre.dxf"
HALL_UPSTAIRS = SAMPLES / "fail-hall-upstairs.dxf"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_compliant_sample_passes_with_exit_0():
    result = run("review", COMPLIANT, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "VERDICT: PASS" in result.stdout
    assert "1080.00" in result.stdout


def test_failing_sample_exits_1_and_names_the_rule():
    result = run("review", HALL_UPSTAIRS, "--lang", "en")
    assert result.exit_code == 1
    failures = result.stdout.split("Failures (1)")[1].split("\n\n")[0]
    assert "service_hall.ground_floor" in failures
    assert "floor 2" in failures


def test_chinese_report_by_option_and_by_locale():
    zh = run("review", HALL_UPSTAIRS, "--lang", "zh")
    assert "结论：不通过" in zh.stdout
    by_locale = run("review", HALL_UPSTAIRS, env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert "结论：不通过" in by_locale.stdout
    english = run("review", HALL_UPSTAIRS, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert "VERDICT: FAIL" in english.stdout


def test_json_to_output_file(tmp_path):
    out = tmp_path / "report.json"
    result = run("review", COMPLIANT, "--format", "json", "--output", out, "--name", "东城社区")
    assert result.exit_code == 0
    assert result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["name"] == "东城社区"
    assert report["verdict"] == "pass"
    assert report["building"]["gross_area_m2"] == 1080.0
    hall = next(r for r in report["rooms"] if "service_hall" in r["functions"])
    assert hall["area_m2"] == 110.88 and hall["floor"] == 1


def test_markdown_format():
    result = run("review", HALL_UPSTAIRS, "--format", "markdown", "--lang", "en")
    assert result.exit_code == 1
    assert "| `service_hall.ground_floor` |" in result.stdout or "service_hall.ground_floor" in (
        result.stdout
    )
    assert result.stdout.lstrip().startswith("#")


def test_renovation_build_type_lowers_the_gross_area_minimum():
    result = run("review", COMPLIANT, "--format", "json", "--build-type", "renovation")
    gross = next(
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "building.gross_area"
    )
    assert gross["required"] == 500.0 and gross["status"] == "pass"


def test_units_option_overrides_the_header():
    result = run("review", COMPLIANT, "--format", "json", "--units", "cm")
    report = json.loads(result.stdout)
    assert report["units"] == {**report["units"], "source": "option", "metres_per_unit": 0.01}
    # millimetre coordinates read as centimetres: every length ten times, areas a hundred
    assert report["building"]["gross_area_m2"] == pytest.approx(108000.0)
    assert result.exit_code == 0


def test_rules_lists_the_catalogue():
    result = run("rules", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()[1:]
    assert len(lines) == 40
    assert any(line.startswith("accessible_toilet.turning_space") for line in lines)


def test_rules_markdown_is_the_committed_rule_reference():
    result = run("rules", "--format", "markdown")
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        "regenerate: planchecker rules --format markdown > docs/rules.md"
    )


def test_unknown_standard_is_a_usage_error():
    result = run("review", COMPLIANT, "--standard", "nowhere-2030")
    assert result.exit_code == 2
    assert "unknown standard 'nowhere-2030'" in result.stderr


# ------------------------------------------------------------------ bad input


def _self_referencing(path: Path) -> None:
    doc = ezdxf.new("R2010")
    block = doc.blocks.new("LOOP")
    block.add_lwpolyline([(0, 0), (5000, 0), (5000, 4000), (0, 4000)], close=True)
    block.add_blockref("LOOP", (100, 100))
    doc.modelspace().add_blockref("LOOP", (0, 0))
    doc.saveas(path)


def _no_plan(path: Path) -> None:
    doc = ezdxf.new("R2010")
    doc.modelspace().add_circle((0, 0), 50)
    doc.modelspace().add_text("电气系统图")
    doc.saveas(path)


def _truncated(path: Path) -> None:
    data = COMPLIANT.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_INPUTS = {
    "missing": (lambda p: None, "not found"),
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "truncated": (_truncated, "truncated"),
    "garbage": (lambda p: p.write_bytes(random.Random(7).randbytes(4096)), "not a DXF"),
    "dwg": (lambda p: p.write_bytes(b"AC1032\x00\x00\x00\x00" + bytes(2000)), "DWG"),
    "png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500)), "PNG"),
    "text": (lambda p: p.write_text("这不是图纸\nhello\n", encoding="utf-8"), "not a DXF"),
    "self-reference": (_self_referencing, "itself"),
    "no-plan": (_no_plan, "no floor plan found"),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_input_exits_2_with_one_clear_line(tmp_path, kind):
    make, words = BAD_INPUTS[kind]
    path = tmp_path / f"{kind}.dxf"
    make(path)
    result = run("review", path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert words.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr


def test_a_directory_of_drawings_is_one_centre():
    result = run("review", SAMPLES / "fail-small-mediation-room", "--format", "json")
    report = json.loads(result.stdout)
    assert len(report["files"]) == 2
    assert [f["rule"] for f in report["findings"] if f["status"] == "fail"] == ["mediation.area"]


def test_real_process_never_prints_a_traceback(tmp_path):
    """The installed console script, in its own process, on a damaged file."""
    path = tmp_path / "half.dxf"
    _truncated(path)
    env = {**os.environ, "PLANCHECKER_DEBUG": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "planchecker.cli", "review", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_input_files_are_not_written(tmp_path):
    before = (COMPLIANT.read_bytes(), COMPLIANT.stat().st_mtime_ns)
    run("review", COMPLIANT, "--format", "json", "--output", tmp_path / "r.json")
    assert (COMPLIANT.read_bytes(), COMPLIANT.stat().st_mtime_ns) == before
