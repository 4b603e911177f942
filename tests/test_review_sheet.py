"""The PDF review sheet: pages, text a PDF tool extracts, embedded fonts, bytes, CLI."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import planchecker
from planchecker.cli import main
from planchecker.presenting.review_sheet import checklist_rows, render_pdf

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"


@pytest.fixture(scope="module")
def mediation():
    return planchecker.review([SAMPLES / "fail-small-mediation-room"])


@pytest.fixture(scope="module")
def sheet_zh(mediation):
    return render_pdf(mediation, lang="zh")


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_one_page_a_floor_after_the_checklist(mediation, sheet_zh):
    texts = pages_text(sheet_zh)
    checklist = [i for i, t in enumerate(texts) if "逐条审查结果" in t]
    floors = len(mediation.plan.floors)
    assert checklist[0] == 0
    assert checklist == list(range(len(checklist)))  # the checklist comes first
    assert len(texts) == len(checklist) + floors
    assert "一层平面图" in texts[len(checklist)] and "二层平面图" in texts[len(checklist) + 1]
    reader = pypdf.PdfReader(io.BytesIO(sheet_zh))
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert float(first.width) < float(first.height)  # A4 portrait
    assert float(last.width) > float(last.height)  # A3 landscape


def test_first_page_names_centre_drawings_hashes_standard_and_verdict(mediation, sheet_zh):
    text = "\n".join(pages_text(sheet_zh))
    first = pages_text(sheet_zh)[0]
    assert mediation.name in first
    for path in mediation.plan.files:
        assert Path(path).name in first
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        assert digest in first.replace("\n", "")
    assert "jingzhou-2016" in first and "新建" in first
    assert "结论：不通过" in first
    # every rule of the standard is listed, the failing one with its status
    for spec in mediation.standard.rules:
        assert spec.id in text.replace("\n", ""), spec.id
    assert "mediation.area" in first and "不通过" in first
    assert "16.00㎡" in first


def test_manual_items_have_tick_boxes(mediation, sheet_zh):
    text = "\n".join(pages_text(sheet_zh))
    manual = [f for f in mediation.findings if f.status == "manual"]
    assert len(manual) >= 5
    assert text.count("不符合") == len(manual)
    rows = [r for r in checklist_rows(mediation, "zh") if r.kind == "finding"]
    assert len(rows) == len(mediation.findings)


@pytest.mark.parametrize(
    ("sample", "rule"),
    [
        ("fail-hall-upstairs.dxf", "service_hall.ground_floor"),
        ("fail-no-accessible-toilet.dxf", "accessible_toilet.present"),
        ("fail-narrow-accessible-toilet", "accessible_toilet.turning_space"),
    ],
)
def test_failing_rule_ids_are_in_the_text(sample, rule):
    review = planchecker.review([SAMPLES / sample])
    data = render_pdf(review, lang="en")
    texts = pages_text(data)
    assert rule in texts[0].replace("\n", "")
    assert "Verdict: FAIL" in texts[0]
    assert len(texts) >= 1 + len(review.plan.floors)


def test_fonts_are_embedded(sheet_zh):
    reader = pypdf.PdfReader(io.BytesIO(sheet_zh))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            seen += 1
            if font["/Subtype"] == "/Type3":
                assert "/CharProcs" in font  # glyph outlines live in the file
                continue
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()[
                "/FontDescriptor"
            ]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert seen > 0


def test_same_review_gives_byte_identical_pdf(mediation, sheet_zh):
    assert render_pdf(mediation, lang="zh") == sheet_zh
    assert b"CreationDate" not in sheet_zh


def test_cli_pdf_keeps_exit_codes(tmp_path):
    out = tmp_path / "审查意见.pdf"
    result = CliRunner().invoke(
        main, ["review", str(SAMPLES / "compliant-centre.dxf"), "--pdf", str(out),
               "--lang", "en", "--name", "XX社区"],
    )
    assert result.exit_code == 0, result.output
    texts = pages_text(out.read_bytes())
    assert "XX社区" in texts[0] and "Verdict: PASS" in texts[0]
    failing = CliRunner().invoke(
        main, ["review", str(SAMPLES / "fail-hall-upstairs.dxf"), "--pdf", str(out)]
    )
    assert failing.exit_code == 1
    unwritable = CliRunner().invoke(
        main, ["review", str(SAMPLES / "fail-hall-upstairs.dxf"), "--pdf",
               str(tmp_path / "no" / "such" / "dir" / "x.pdf")]
    )
    assert unwritable.exit_code == 2
    assert "cannot write" in unwritable.stderr


def test_first_page_says_the_verdict_may_be_unreliable_after_a_lossy_read(mediation):
    assert "不可靠" not in pages_text(render_pdf(mediation, lang="zh"))[0]
    findings = tuple(
        replace(f, status="warn") if f.rule == "plan.read_quality" else f
        for f in mediation.findings
    )
    lossy = replace(mediation, findings=findings)
    first = pages_text(render_pdf(lossy, lang="zh"))[0].replace("\n", "")
    assert "审查结论可能不可靠" in first
    first_en = pages_text(render_pdf(lossy, lang="en"))[0].replace("\n", " ")
    assert "may be unreliable" in first_en
