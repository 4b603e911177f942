"""`planchecker batch`: discovery, parallel review, summaries, resumption and safety.

The folder of 30 centres is built in code from the bundled samples (pass, fail, per-floor
folders, nested counties) plus broken, empty and odd inputs made here.  It is reviewed
once with `--jobs 2` through the command line and once with `--jobs 1` through the API;
other tests reuse those outputs.  Overlays are drawn at a low resolution to keep the
suite fast: what is checked here does not depend on it.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dxf_builders import Sheet, rect
from planchecker import batch as batch_mod
from planchecker.batch import BatchError, discover, read_settings, run_batch
from planchecker.batch import records as batch_records
from planchecker.batch import work as batch_work
from planchecker.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"
COMPLIANT = SAMPLES / "compliant-centre.dxf"
DPI = 40  # overlays at a low resolution: the checks below do not depend on it

LONG = "很长的社区名称" * 11  # 77 characters, 231 bytes: near the file-name limit


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _floors(sample: str, folder: Path) -> None:
    for f in sorted((SAMPLES / sample).glob("*.dxf")):
        _copy(f, folder / f.name)


def small_centre(path: Path) -> Path:
    """A 20 m x 18 m one-storey centre (360 m²): under the notice's 500 m²."""
    sheet = Sheet(units="mm")
    sheet.outline(rect(0, 0, 20, 18), "WALL")
    sheet.room(0.2, 0.2, 12, 8.4, "便民服务大厅")
    sheet.room(12.4, 0.2, 7.4, 8.4, "调解室")
    sheet.room(0.2, 8.8, 9.6, 9, "警务室")
    sheet.room(10, 8.8, 9.8, 9, "社区办公室")
    sheet.title("一层平面图 1:100", 10, -2)
    path.parent.mkdir(parents=True, exist_ok=True)
    return sheet.save(path)


# Expected verdict of every row, by path; failing rules where they are exact.
EXPECTED = {
    "compliant-centre.dxf": "pass",
    "dangling.dxf": "error",
    "empty.dxf": "error",
    "fail-hall-upstairs.dxf": "fail",
    "fail-no-accessible-toilet.dxf": "fail",
    "garbage.dxf": "error",
    "image.dxf": "error",
    "plan.dxf": "pass",
    "truncated.dxf": "error",
    "plan": "pass",
    "公安县/社区1": "pass",
    "公安县/社区2": "fail",
    "公安县/社区3": "pass",
    "公安县/社区4": "fail",
    "公安县/odd  name:*?": "pass",
    f"公安县/{LONG}/{LONG}": "pass",
    "沙市区/a/b/c/deep": "pass",
    "沙市区/半坏": "error",
    "沙市区/坏配置": "error",
    "沙市区/小社区": "fail",
    "沙市区/改建社区": "pass",
    "荆州区/loop": "pass",
    "荆州区/loop/self": "error",
    "荆州区/tarch": "pass",
    "荆州区/单位": "pass",
    "黄州区/东湖社区": "pass",
    "黄州区/中湖社区": "fail",
    "黄州区/北湖社区": "pass",
    "黄州区/南湖社区": "fail",
    "黄州区/西湖社区": "fail",
}
FAILING = {
    "fail-hall-upstairs.dxf": ["service_hall.ground_floor"],
    "黄州区/中湖社区": ["service_hall.ground_floor"],
    "黄州区/西湖社区": ["mediation.area"],
    "黄州区/南湖社区": ["accessible_toilet.turning_space"],
}


def build_city(base: Path) -> Path:
    """The 30 centres of EXPECTED, and things that are no centre at all."""
    d = base / "city"
    d.mkdir()
    # Directly in DIR: a centre per file.
    _copy(COMPLIANT, d / "compliant-centre.dxf")
    _copy(SAMPLES / "fail-hall-upstairs.dxf", d / "fail-hall-upstairs.dxf")
    _copy(SAMPLES / "fail-no-accessible-toilet.dxf", d / "fail-no-accessible-toilet.dxf")
    _copy(COMPLIANT, d / "plan.dxf")
    (d / "empty.dxf").write_bytes(b"")
    (d / "garbage.dxf").write_text("hello, not a drawing\n", encoding="utf-8")
    (d / "truncated.dxf").write_bytes(COMPLIANT.read_bytes()[:15000])
    _copy(ROOT / "docs" / "img" / "fail-small-mediation-room-F1.png", d / "image.dxf")
    os.symlink(d / "no-such-file.dxf", d / "dangling.dxf")
    (d / "notes.txt").write_text("not a drawing", encoding="utf-8")
    # A folder named like a file centre: their output folders must not collide.
    _floors("compliant-centre-per-floor", d / "plan")
    # A county of communities, each a folder; two of them hold a `plan.dxf`.
    _floors("compliant-centre-per-floor", d / "黄州区" / "东湖社区")
    _floors("fail-small-mediation-room", d / "黄州区" / "西湖社区")
    _floors("fail-narrow-accessible-toilet", d / "黄州区" / "南湖社区")
    _copy(COMPLIANT, d / "黄州区" / "北湖社区" / "plan.dxf")
    _copy(SAMPLES / "fail-hall-upstairs.dxf", d / "黄州区" / "中湖社区" / "plan.dxf")
    # Deep nesting, settings, a broken floor, a bad centre.toml, a small centre.
    _copy(COMPLIANT, d / "沙市区" / "a" / "b" / "c" / "deep" / "centre.dxf")
    _copy(COMPLIANT, d / "沙市区" / "改建社区" / "centre.dxf")
    (d / "沙市区" / "改建社区" / "centre.toml").write_text(
        'name = "沙市区改建社区"\nbuild_type = "renovation"\n', encoding="utf-8"
    )
    first_floor = SAMPLES / "compliant-centre-per-floor" / "一层平面图.dxf"
    _copy(first_floor, d / "沙市区" / "半坏" / "一层平面图.dxf")
    (d / "沙市区" / "半坏" / "二层平面图.dxf").write_bytes(b"")
    _copy(COMPLIANT, d / "沙市区" / "坏配置" / "centre.dxf")
    (d / "沙市区" / "坏配置" / "centre.toml").write_text('build_type = "old"\n', encoding="utf-8")
    small_centre(d / "沙市区" / "小社区" / "一层平面图.dxf")
    (d / "沙市区" / "小社区" / "centre.toml").write_text(
        'build_type = "renovation"\n', encoding="utf-8"
    )
    # TArch drawing; units given in centre.toml; a symbolic-link loop and a second
    # way into a folder already searched.
    _copy(SAMPLES / "compliant-centre-tarch.dxf", d / "荆州区" / "tarch" / "plan.dxf")
    _copy(COMPLIANT, d / "荆州区" / "单位" / "plan.dxf")
    (d / "荆州区" / "单位" / "centre.toml").write_text('units = "mm"\n', encoding="utf-8")
    _copy(COMPLIANT, d / "荆州区" / "loop" / "plan.dxf")
    os.symlink("..", d / "荆州区" / "loop" / "self")
    os.symlink("../黄州区/东湖社区", d / "荆州区" / "link-to-东湖")
    # More communities, odd and very long folder names among them.
    for i, sample in enumerate(
        ["compliant-centre.dxf", "fail-hall-upstairs.dxf"] * 2, start=1
    ):
        _copy(SAMPLES / sample, d / "公安县" / f"社区{i}" / "plan.dxf")
    _copy(COMPLIANT, d / "公安县" / "odd  name:*?" / "plan.dxf")
    _copy(COMPLIANT, d / "公安县" / LONG / LONG / "plan.dxf")
    # No centre: an empty folder, a folder with only settings, a hidden folder.
    (d / "空文件夹").mkdir()
    (d / "只有配置").mkdir()
    (d / "只有配置" / "centre.toml").write_text('name = "x"\n', encoding="utf-8")
    _copy(COMPLIANT, d / ".hidden" / "plan.dxf")
    return d


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder` (links not followed): what it is, its bytes' hash and mtime."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            if p.is_symlink():
                state[str(p)] = ("link", os.readlink(p))
            elif p.is_file():
                state[str(p)] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_mtime_ns)
            else:
                state[str(p)] = ("dir",)
    return state


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The city folder reviewed with --jobs 2 (CLI) and --jobs 1 (API)."""
    base = tmp_path_factory.mktemp("batch")
    folder = build_city(base)
    before = tree_state(folder)
    out2 = base / "out-j2"
    t = time.monotonic()
    cli = run_cli("batch", folder, "--out", out2, "--jobs", "2", "--dpi", DPI, "--lang", "zh")
    took2 = time.monotonic() - t
    out1 = base / "out-j1"
    result1 = run_batch(folder, out1, jobs=1, lang="zh", dpi=DPI)
    return {
        "base": base,
        "folder": folder,
        "before": before,
        "out1": out1,
        "out2": out2,
        "cli": cli,
        "result1": result1,
        "took2": took2,
    }


def load_summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------- the 30 centres


def test_thirty_centres_rows_and_verdicts(city):
    cli = city["cli"]
    assert cli.exit_code == 1, cli.output
    assert "30 个中心" in cli.stdout and "不通过" in cli.stdout
    summary = load_summary(city["out2"])
    rows = {r["path"]: r for r in summary["centres"]}
    assert len(summary["centres"]) == 30
    assert {p: r["verdict"] for p, r in rows.items()} == EXPECTED
    for path, rules in FAILING.items():
        assert rows[path]["failing_rules"] == rules, path
    assert summary["counts"] == {"centres": 30, "pass": 14, "fail": 8, "error": 8}
    # rows in path order, whatever order they finished in
    paths = [r["path"] for r in summary["centres"]]
    assert paths == sorted(paths, key=lambda p: tuple(p.split("/")))
    # the link into a folder already searched is skipped, and said so
    assert summary["skipped"] == [
        {"path": "荆州区/link-to-东湖", "reason": "symbolic link to 黄州区/东湖社区, reviewed there"}  # noqa: E501
    ]
    assert "跳过 荆州区/link-to-东湖" in cli.stdout


def test_rows_carry_settings_errors_and_outputs(city):
    out = city["out2"]
    rows = {r["path"]: r for r in load_summary(out)["centres"]}
    renovated = rows["沙市区/改建社区"]
    assert renovated["name"] == "沙市区改建社区" and renovated["build_type"] == "renovation"
    assert rows["黄州区/东湖社区"]["name"] == "东湖社区"
    assert rows["黄州区/北湖社区"]["name"] == "北湖社区"  # the folder, not plan.dxf
    assert rows["plan.dxf"]["name"] == "plan"
    assert rows["黄州区/东湖社区"]["files"] == [
        "黄州区/东湖社区/一层平面图.dxf",
        "黄州区/东湖社区/二层平面图.dxf",
    ]
    assert rows["compliant-centre.dxf"]["gross_area_m2"] == 1080.0
    assert rows["沙市区/小社区"]["gross_area_m2"] == 360.0
    assert "building.gross_area" in rows["沙市区/小社区"]["failing_rules"]
    # errors: one line each, naming the file relative to DIR
    errors = {p: r["error"] for p, r in rows.items() if r["verdict"] == "error"}
    assert errors["empty.dxf"].startswith("empty.dxf: file is empty")
    assert "not a DXF file" in errors["garbage.dxf"] and "PNG" in errors["image.dxf"]
    assert "truncated" in errors["truncated.dxf"]
    assert errors["dangling.dxf"] == "broken symbolic link (its target does not exist)"
    assert errors["沙市区/坏配置"].startswith("centre.toml: build_type must be")
    assert errors["沙市区/半坏"].startswith("沙市区/半坏/二层平面图.dxf: file is empty")
    assert errors["荆州区/loop/self"].startswith("symbolic link loop")
    assert all("\n" not in e and str(city["folder"]) not in e for e in errors.values())
    for row in rows.values():
        if row["verdict"] == "error":
            assert row["report"] is None and row["thumbnail"] is None and row["floors"] == []
            continue
        report = json.loads((out / row["report"]).read_text(encoding="utf-8"))
        assert report["verdict"] == row["verdict"] and report["name"] == row["name"]
        assert report["lang"] == "zh"
        assert (out / row["thumbnail"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert row["floors"] and all((out / f["png"]).is_file() for f in row["floors"])
        assert row["floors"][0]["tag"] == "F1"


def test_output_folders_are_unique_and_inside_out(city):
    out = city["out2"]
    rows = load_summary(out)["centres"]
    folders = [r["output"] for r in rows if r["output"]]
    assert len(folders) == len({f.casefold() for f in folders})
    centres = (out / "centres").resolve()
    for f in folders:
        path = (out / f).resolve()
        assert path.parent == centres, f
        assert len(path.name.encode("utf-8")) <= 140
    by_path = {r["path"]: r["output"] for r in rows}
    # `plan.dxf` and the folder `plan` would both be "plan": each gets a hash suffix
    assert by_path["plan.dxf"] != by_path["plan"]
    assert by_path["plan.dxf"].startswith("centres/plan-")
    assert by_path["黄州区/东湖社区"] == "centres/黄州区__东湖社区"
    assert ":" not in by_path["公安县/odd  name:*?"] and "*" not in by_path["公安县/odd  name:*?"]
    # nothing but the summaries and centres/ at the top of OUT
    assert sorted(p.name for p in out.iterdir()) == [
        "centres",
        "index.html",
        "summary.csv",
        "summary.json",
    ]
    assert not list(out.rglob(".*tmp*"))  # no temporary file left behind


def test_inputs_untouched_and_nothing_written_outside_out(city):
    assert tree_state(city["folder"]) == city["before"]
    assert sorted(p.name for p in city["base"].iterdir()) == ["city", "out-j1", "out-j2"]


def test_jobs_1_and_jobs_2_give_identical_outputs(city):
    out1, out2 = city["out1"], city["out2"]
    assert city["result1"].exit_code == 1
    for name in ("summary.csv", "summary.json", "index.html"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    files1 = {p.relative_to(out1): p.read_bytes() for p in out1.rglob("*") if p.is_file()}
    files2 = {p.relative_to(out2): p.read_bytes() for p in out2.rglob("*") if p.is_file()}
    assert files1.keys() == files2.keys()
    assert [k for k in files1 if files1[k] != files2[k]] == []


def test_summary_csv_opens_in_excel(city):
    data = (city["out2"] / "summary.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert list(rows[0]) == [
        "path", "name", "verdict", "gross_area_m2", "build_type",
        "failing_rules_count", "failing_rules", "warnings", "error", "report",
    ]
    by_path = {r["path"]: r for r in rows}
    west = by_path["黄州区/西湖社区"]
    assert (west["verdict"], west["gross_area_m2"]) == ("fail", "1080.00")
    assert west["build_type"] == "new"
    assert (west["failing_rules_count"], west["failing_rules"]) == ("1", "mediation.area")
    assert by_path["empty.dxf"]["gross_area_m2"] == "" and by_path["empty.dxf"]["error"]
    assert by_path["沙市区/改建社区"]["name"] == "沙市区改建社区"


def test_city_figures(city):
    summary = load_summary(city["out2"])
    figures = summary["city"]
    assert figures["measured"] == 22 and figures["not_measured"] == 8
    assert figures["under_500_m2"] == 1 and figures["under_500_m2_centres"] == ["沙市区/小社区"]
    assert figures["at_least_1000_m2"] == 21
    assert figures["share_at_least_1000_m2"] == round(21 / 22, 4)
    assert figures["targets_met"] == {"none_under_500_m2": False, "share_at_least_1000_m2": True}
    top = figures["top_failures"]
    assert top[0] == {"rule": "service_hall.ground_floor", "centres": 4}
    assert summary["rules"]["service_hall.ground_floor"]["zh"].startswith("便民服务大厅")
    page = (city["out2"] / "index.html").read_text(encoding="utf-8")
    assert 'id="city-under-500">1<' in page and "95.5%" in page
    assert "全市指标" in page and "不通过" in page
    assert "http://" not in page and "https://" not in page  # nothing from the network


# ---------------------------------------------------------------------- resuming


def test_resume_keeps_finished_centres(city, tmp_path):
    """A finished batch resumed: nothing reviewed again but the centres that failed to read."""
    out = tmp_path / "out"
    shutil.copytree(city["out2"], out)
    reports = {p: p.stat().st_mtime_ns for p in out.rglob("report.json")}
    result = run_batch(city["folder"], out, jobs=2, resume=True, lang="zh", dpi=DPI)
    assert (result.reused, result.reviewed) == (22, 8)  # errors are always tried again
    assert {p: p.stat().st_mtime_ns for p in out.rglob("report.json")} == reports
    fresh, resumed = load_summary(city["out2"]), load_summary(out)
    assert resumed["run"] == {"reviewed": 8, "reused": 22}
    fresh.pop("run"), resumed.pop("run")
    assert fresh == resumed
    assert (out / "summary.csv").read_bytes() == (city["out2"] / "summary.csv").read_bytes()


def _small_city(base: Path) -> Path:
    d = base / "small"
    _copy(COMPLIANT, d / "a.dxf")
    _copy(SAMPLES / "fail-hall-upstairs.dxf", d / "b.dxf")
    _floors("compliant-centre-per-floor", d / "县" / "c")
    _copy(COMPLIANT, d / "县" / "d" / "plan.dxf")
    return d


def test_resume_after_a_partial_run_redoes_only_what_changed(tmp_path):
    folder = _small_city(tmp_path)
    out = tmp_path / "out"
    # "Killed" after two centres: a run over part of the folder.
    part = tmp_path / "part"
    shutil.copytree(folder, part)
    shutil.rmtree(part / "县")
    first = run_batch(part, out, jobs=2, dpi=DPI)
    assert (first.reviewed, first.reused) == (2, 0)
    done = {p: p.stat().st_mtime_ns for p in (out / "centres").rglob("*") if p.is_file()}
    # the whole folder, resumed: the two finished centres are kept
    second = run_batch(folder, out, jobs=2, resume=True, dpi=DPI)
    assert (second.reviewed, second.reused) == (2, 2)
    assert {p: p.stat().st_mtime_ns for p in done} == done
    assert load_summary(out)["run"] == {"reviewed": 2, "reused": 2}
    # A changed drawing, a damaged output, a changed option: only those are redone.
    shutil.copyfile(SAMPLES / "fail-no-accessible-toilet.dxf", folder / "a.dxf")
    rows = {r.path: r for r in second.rows}
    (out / rows["县/d"].report).write_text("{", encoding="utf-8")  # half-written
    third = run_batch(folder, out, jobs=2, resume=True, dpi=DPI)
    assert (third.reviewed, third.reused) == (2, 2)
    rows = {r.path: r for r in third.rows}
    assert rows["a.dxf"].verdict == "fail" and rows["a.dxf"].failing_rules == (
        "accessible_toilet.present",
    )
    assert json.loads((out / rows["县/d"].report).read_text(encoding="utf-8"))["verdict"] == "pass"


def test_resume_key_covers_options_settings_and_version(monkeypatch):
    centre = batch_mod.Centre(path="县/c", kind="folder", files=("/x/县/c/1.dxf",), name="c")
    task = batch_mod.Task(
        index=0, centre=centre, root="/x", out="/o", options=batch_mod.Options(
            standard_sha256="s" * 64), build_type="new", resume=True,
    )
    hashes = [("县/c/1.dxf", "h" * 64)]
    key = batch_mod.centre_key(task, hashes)
    assert batch_mod.centre_key(task, hashes) == key
    variants = [
        batch_mod.centre_key(task, [("县/c/1.dxf", "g" * 64)]),
        batch_mod.centre_key(task, [*hashes, ("县/c/2.dxf", "h" * 64)]),
        batch_mod.centre_key(replace(task, build_type="renovation"), hashes),
        batch_mod.centre_key(replace(task, options=replace(task.options, lang="en")), hashes),
        batch_mod.centre_key(replace(task, options=replace(task.options, dpi=300)), hashes),
        batch_mod.centre_key(
            replace(task, options=replace(task.options, standard_sha256="t" * 64)), hashes
        ),
        batch_mod.centre_key(replace(task, centre=replace(centre, units="m")), hashes),
        batch_mod.centre_key(replace(task, centre=replace(centre, name="d")), hashes),
        batch_mod.centre_key(replace(task, centre=replace(centre, settings_sha256="1")), hashes),
    ]
    monkeypatch.setattr(batch_records, "__version__", "99.0")
    variants.append(batch_mod.centre_key(task, hashes))
    assert len({key, *variants}) == len(variants) + 1


def test_resume_notices_a_changed_standard_file(tmp_path):
    folder = tmp_path / "one"
    _copy(COMPLIANT, folder / "a.dxf")
    standard = tmp_path / "std.toml"
    text = (ROOT / "standards" / "jingzhou-2016.toml").read_text(encoding="utf-8")
    standard.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run_batch(folder, out, jobs=1, standard=str(standard), dpi=DPI)
    again = run_batch(folder, out, jobs=1, standard=str(standard), dpi=DPI, resume=True)
    assert (again.reviewed, again.reused) == (0, 1)
    standard.write_text(text + "\n# a comment changes the file's hash\n", encoding="utf-8")
    changed = run_batch(folder, out, jobs=1, standard=str(standard), dpi=DPI, resume=True)
    assert (changed.reviewed, changed.reused) == (1, 0)
    without = run_batch(folder, out, jobs=1, standard=str(standard), dpi=DPI)
    assert (without.reviewed, without.reused) == (1, 0)  # no --resume: everything redone
    summary = load_summary(out)
    assert summary["standard"]["sha256"] == hashlib.sha256(standard.read_bytes()).hexdigest()


def test_killed_batch_resumes_without_redoing_finished_centres(tmp_path):
    """SIGKILL the whole batch (workers included) midway, then --resume."""
    folder = tmp_path / "city"
    for i in range(6):
        _copy(COMPLIANT, folder / f"c{i}.dxf")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "planchecker.cli", "batch", str(folder), "--out", str(out),
           "--jobs", "1", "--dpi", "100"]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if len(list(out.glob("centres/*/record.json"))) >= 2 or proc.poll() is not None:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch ended before it could be killed"
    time.sleep(0.2)
    finished = {p.parent: p.stat().st_mtime_ns for p in out.glob("centres/*/record.json")}
    assert 2 <= len(finished) < 6
    assert not (out / "summary.json").exists()
    reports = {d: (d / "report.json").stat().st_mtime_ns for d in finished}
    result = run_batch(folder, out, jobs=2, resume=True, dpi=100, lang="en")
    assert result.reused == len(finished) and result.reviewed == 6 - len(finished)
    assert {d: (d / "report.json").stat().st_mtime_ns for d in finished} == reports
    assert result.counts == {"centres": 6, "pass": 6, "fail": 0, "error": 0}
    assert not list(out.rglob(".*.tmp-*"))  # the killed run's temporary files are gone


# ------------------------------------------------------------ hangs and crashes


def flaky_work(task):
    """Wraps the real work: hangs on a centre named `hang`, dies on one named `crash`."""
    if task.centre.name == "hang":
        time.sleep(600)
    if task.centre.name == "crash":
        os._exit(3)
    if task.centre.name == "raise":
        raise RuntimeError("boom")
    return batch_mod.review_centre(task)


def test_hang_and_crash_become_error_rows(tmp_path):
    folder = tmp_path / "in"
    for name in ("hang", "crash", "raise", "ok1", "ok2"):
        _copy(COMPLIANT, folder / name / "plan.dxf")
    t = time.monotonic()
    result = run_batch(folder, tmp_path / "out", jobs=2, timeout=5, dpi=DPI, work=flaky_work)
    took = time.monotonic() - t
    rows = {r.path: r for r in result.rows}
    assert rows["hang"].verdict == "error" and rows["hang"].error.startswith("timed out after 5 s")
    assert rows["crash"].verdict == "error"
    assert rows["crash"].error == "the review stopped unexpectedly (exit code 3)"
    assert rows["raise"].error == "internal error (RuntimeError: boom)"
    assert rows["ok1"].verdict == rows["ok2"].verdict == "pass"
    assert result.exit_code == 1
    assert took < 30  # the hung centre did not hold up the batch
    assert load_summary(tmp_path / "out")["counts"]["error"] == 3


def full_disk_work(task):
    """The real work on a disk that is full."""

    def no_space(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    batch_work.atomic_write = no_space  # the name the work module writes with
    return batch_mod.review_centre(task)


def test_full_disk_stops_the_batch(tmp_path):
    folder = tmp_path / "in"
    for i in range(2):
        _copy(COMPLIANT, folder / f"c{i}.dxf")
    with pytest.raises(batch_mod.OutputError, match=r"cannot write the results \(No space"):
        run_batch(folder, tmp_path / "out", jobs=1, dpi=DPI, work=full_disk_work)
    assert not (tmp_path / "out" / "summary.json").exists()
    result = run_cli("batch", folder, "--out", tmp_path / "out2", "--dpi", DPI, "--jobs", "1",
                     "--timeout", "60")
    assert result.exit_code == 0, result.output  # on a disk with room


# ---------------------------------------------------------------------- safety


def test_output_folder_that_is_a_link_is_refused(tmp_path):
    folder = tmp_path / "in"
    _copy(COMPLIANT, folder / "evil.dxf")
    _copy(COMPLIANT, folder / "good.dxf")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    (out / "centres").mkdir(parents=True)
    os.symlink(outside, out / "centres" / "evil")
    result = run_batch(folder, out, jobs=1, dpi=DPI)
    rows = {r.path: r for r in result.rows}
    assert rows["evil.dxf"].verdict == "error" and "symbolic link" in rows["evil.dxf"].error
    assert rows["good.dxf"].verdict == "pass"
    assert list(outside.iterdir()) == []


def test_out_may_not_be_or_hold_dir(tmp_path):
    folder = tmp_path / "in"
    _copy(COMPLIANT, folder / "a.dxf")
    with pytest.raises(BatchError, match="must not be the drawings' folder"):
        run_batch(folder, folder, jobs=1)
    with pytest.raises(BatchError, match="must not be the drawings' folder"):
        run_batch(folder, tmp_path, jobs=1)
    assert sorted(p.name for p in folder.iterdir()) == ["a.dxf"]


def test_out_inside_dir_is_not_searched(tmp_path):
    folder = tmp_path / "in"
    _copy(COMPLIANT, folder / "a.dxf")
    out = folder / "results"
    first = run_batch(folder, out, jobs=1, dpi=DPI)
    _copy(COMPLIANT, out / "centres" / "a" / "copy.dxf")  # a drawing inside OUT
    second = run_batch(folder, out, jobs=1, dpi=DPI)
    assert [r.path for r in first.rows] == [r.path for r in second.rows] == ["a.dxf"]


def test_slugs_never_collide_or_escape(tmp_path):
    d = tmp_path / "in"
    for rel in ("x.dxf", "x/p.dxf", "a/b/p.dxf", "a__b/p.dxf", "A/p.dxf", "a/p.dxf",
                "dots../p.dxf", "con/p.dxf", "sp ace/p.dxf", "new\nline/p.dxf",
                f"{LONG}/{LONG}/p.dxf", f"{LONG}/{LONG}x/p.dxf"):
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_bytes(b"0\nSECTION\n")
    centres, _ = discover(d)
    slugs = [c.slug for c in centres]
    assert len(centres) == 12
    assert len({s.casefold() for s in slugs}) == 12
    for s in slugs:
        assert s and "/" not in s and "\n" not in s and not s.startswith(".")
        assert s.lower() != "con" and len(s.encode("utf-8")) <= 130
    # a name depends only on its own path: the same folder in another batch, same name
    again, _ = discover(d)
    assert [c.slug for c in again] == slugs


def test_files_that_cannot_be_opened_are_errors_found_without_opening_them(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "pipe.dxf")  # opening it would block: never opened
    os.symlink("loop.dxf", d / "loop.dxf")
    (d / "folder.dxf").mkdir()  # a folder named like a drawing is a folder
    _copy(COMPLIANT, d / "folder.dxf" / "plan.dxf")
    centres, _ = discover(d)
    errors = {c.path: c.error for c in centres}
    assert errors == {
        "folder.dxf": "",
        "loop.dxf": "symbolic link loop",
        "pipe.dxf": "not a regular file",
    }
    result = run_batch(d, tmp_path / "out", jobs=1, dpi=DPI, timeout=60)
    assert [r.verdict for r in result.rows] == ["pass", "error", "error"]


def test_centre_toml(tmp_path):
    p = tmp_path / "centre.toml"
    p.write_bytes('name = "东湖社区"\nbuild_type = "renovation"\nunits = "m"\n'.encode("gbk"))
    settings, sha = read_settings(str(p))
    assert settings == {"name": "东湖社区", "build_type": "renovation", "units": "m"}
    assert sha == hashlib.sha256(p.read_bytes()).hexdigest()
    for text, message in (
        ("buildtype = 'new'", "unknown key 'buildtype'"),
        ("units = 'ft'", "units must be one of mm, cm, m"),
        ("name = ''", "'name' must be a non-empty string"),
        ("name = ", "not valid TOML"),
    ):
        p.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            read_settings(str(p))


# ------------------------------------------------------------------ command line


def test_cli_usage_errors_exit_2(tmp_path):
    missing = run_cli("batch", tmp_path / "nope", "--out", tmp_path / "o")
    assert missing.exit_code == 2 and "no such folder" in missing.output
    (tmp_path / "empty").mkdir()
    nothing = run_cli("batch", tmp_path / "empty", "--out", tmp_path / "o")
    assert nothing.exit_code == 2 and "no .dxf drawings found" in nothing.output
    a_file = tmp_path / "file"
    a_file.write_text("x")
    bad_out = run_cli("batch", tmp_path / "empty", "--out", a_file)
    assert bad_out.exit_code == 2 and "not a folder" in bad_out.output
    zero = run_cli("batch", tmp_path / "empty", "--jobs", "0")
    assert zero.exit_code == 2
    std = run_cli("batch", tmp_path / "empty", "--out", tmp_path / "o", "--standard", "nope")
    assert std.exit_code == 2 and "unknown standard" in std.output
    assert "Traceback" not in missing.output + nothing.output + bad_out.output + std.output


def test_cli_all_pass_exits_0_without_progress_bar(tmp_path):
    folder = tmp_path / "in"
    _floors("compliant-centre-per-floor", folder / "东城社区")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "planchecker.cli", "batch", str(folder), "--out", str(out),
         "--dpi", str(DPI), "--lang", "en"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # not a terminal: no progress bar
    assert proc.stdout.startswith("1 centres: 1 pass, 0 fail, 0 could not be read")
    assert (out / "index.html").is_file()


def test_progress_bar_on_a_terminal(tmp_path):
    folder = tmp_path / "in"
    _copy(COMPLIANT, folder / "a.dxf")
    (folder / "b.dxf").write_bytes(b"")
    stream = io.StringIO()
    run_batch(folder, tmp_path / "out", jobs=1, dpi=DPI, progress=stream, lang="en")
    text = stream.getvalue()
    assert "\r[" in text and "2/2" in text and "pass 1" in text and "error 1" in text
    assert "ETA" in text and text.endswith("\n")


def test_help_lists_batch_options():
    result = run_cli("batch", "--help")
    assert result.exit_code == 0
    for option in ("--out", "--jobs", "--timeout", "--resume", "--standard", "--build-type",
                   "--lang"):
        assert option in result.output
