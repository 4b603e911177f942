"""The batch's summaries: `summary.csv`, `summary.json` and `index.html`.

Presenters only read: `summary(result, standard, options)` gathers the rows (in
path order) and the city figures of the notice's §2 into one plain dict, which
`summary.json` is; `render_csv` and `render_html` lay out the same dict.  Nothing
here depends on time, on `--jobs` or on the order the centres finished in, so equal
batches give byte-identical files.

The city figures (notice §2, 明确工作目标): within three years no centre under
500 m² (全市面积在500m2以下的社区清零) and 30 % of centres at 1000 m² or more
(面积在1000 m2以上的社区提高到30%).  They are counted over the centres whose area
was measured; centres that could not be read are counted apart.

`index.html` is one static page that opens from disk (file://): inline CSS and
JavaScript, no network, no external font; links and thumbnails are relative paths
into `centres/`.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from ..batch import BatchResult, Options
    from ..standards import Standard

SCHEMA_ID = "planchecker.batch/1"

# Notice §2: the city's three-year targets.
SMALL_M2 = 500.0  # no centre under this
LARGE_M2 = 1000.0  # ... and this share of centres at or above this
LARGE_TARGET_SHARE = 0.30
TOP_FAILURES = 5

CSV_COLUMNS = (
    "path",
    "name",
    "verdict",
    "gross_area_m2",
    "build_type",
    "failing_rules_count",
    "failing_rules",
    "warnings",
    "error",
    "report",
)

VERDICTS_ZH = {"pass": "通过", "fail": "不通过", "error": "无法读取"}
VERDICT_RANK = {"fail": 0, "error": 1, "pass": 2}  # ascending sort: failures first


# ------------------------------------------------------------------------ summary


def summary(result: BatchResult, standard: Standard, options: Options) -> dict[str, Any]:
    """Everything the three summary files show, as plain data (summary.json)."""
    from .. import __version__

    rows = [r.to_dict() for r in result.rows]
    rule_order = {r.id: i for i, r in enumerate(standard.rules)}
    failing: Counter[str] = Counter()
    for row in result.rows:
        failing.update(row.failing_rules)
    ranked = sorted(failing.items(), key=lambda kv: (-kv[1], rule_order.get(kv[0], 1 << 30), kv[0]))
    rules = {}
    for rule_id, _ in ranked:
        rules[rule_id] = _rule_texts(standard, rule_id)
    build_types = {
        bt: {"zh": standard.build_type_name(bt, "zh"), "en": standard.build_type_name(bt, "en")}
        for bt in sorted({r.build_type for r in result.rows if r.build_type})
    }
    return {
        "schema": SCHEMA_ID,
        "planchecker_version": __version__,
        "standard": {
            "id": standard.id,
            "title": standard.title,
            "title_en": standard.title_en,
            "sha256": standard.sha256,
        },
        "options": {"build_type": options.build_type, "lang": options.lang, "dpi": options.dpi},
        "counts": result.counts,
        "city": city_figures(result.rows, ranked),
        "centres": rows,
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "rules": rules,
        "build_types": build_types,
        "run": {"reviewed": result.reviewed, "reused": result.reused},
    }


def _rule_texts(standard: Standard, rule_id: str) -> dict[str, str]:
    try:
        spec = standard.rule(rule_id)
    except KeyError:
        return {"zh": "", "en": "", "source": ""}
    return {"zh": spec.zh, "en": spec.en, "source": spec.source}


def city_figures(rows, ranked_failures) -> dict[str, Any]:
    """The notice's §2 figures over the centres whose area was measured."""
    measured = [r for r in rows if r.verdict != "error" and r.gross_area_m2 is not None]
    small = [r.path for r in measured if r.gross_area_m2 < SMALL_M2]
    large = [r.path for r in measured if r.gross_area_m2 >= LARGE_M2]
    share = round(len(large) / len(measured), 4) if measured else None
    return {
        "measured": len(measured),
        "not_measured": len(rows) - len(measured),
        "under_500_m2": len(small),
        "under_500_m2_centres": small,
        "at_least_1000_m2": len(large),
        "share_at_least_1000_m2": share,
        "target_share_at_least_1000_m2": LARGE_TARGET_SHARE,
        "targets_met": {
            "none_under_500_m2": bool(measured) and not small,
            "share_at_least_1000_m2": share is not None and share >= LARGE_TARGET_SHARE,
        },
        "top_failures": [
            {"rule": rule, "centres": count} for rule, count in ranked_failures[:TOP_FAILURES]
        ],
    }


# --------------------------------------------------------------------------- JSON


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------- CSV


def _cell(value: Any) -> str:
    """A CSV cell; text that Excel would run as a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def render_csv(data: dict[str, Any]) -> bytes:
    """summary.csv: UTF-8 with a BOM (so that Excel reads Chinese), CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["centres"]:
        writer.writerow(
            [
                _cell(row["path"]),
                _cell(row["name"]),
                row["verdict"],
                _cell(row["gross_area_m2"]),
                _cell(row["build_type"]),
                str(len(row["failing_rules"])),
                ";".join(row["failing_rules"]),
                ";".join(row["warnings"]),
                _cell(row["error"]),
                _cell(row["report"]),
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- HTML


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(path: str | None) -> str:
    return _e(quote(path or "", safe="/"))


def _area(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def render_html(data: dict[str, Any]) -> str:
    """index.html: the city figures, a failing-rule filter and a sortable table."""
    std = data["standard"]
    counts = data["counts"]
    city = data["city"]
    rules = data["rules"]
    build_names = data["build_types"]
    title = "社区党员群众服务中心平面图批量审查"
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        f'<p class="meta">审查标准：{_e(std["title"])}（{_e(std["id"])}）'
        f" · planchecker {_e(data['planchecker_version'])}"
        f" · 共 {counts['centres']} 个中心</p>",
        "</header>",
        _city_html(city, counts, rules),
        _controls_html(data),
        _table_html(data["centres"], rules, build_names),
    ]
    if data["skipped"]:
        parts.append('<section class="skipped"><h2>未检查的文件夹</h2><ul>')
        for s in data["skipped"]:
            parts.append(f"<li>{_e(s['path'])}：{_e(s['reason'])}</li>")
        parts.append("</ul></section>")
    parts += [
        '<footer><p>结论：<span class="badge v-pass">通过</span> 每条可检查的条款都满足；'
        '<span class="badge v-fail">不通过</span> 至少一条不满足；'
        '<span class="badge v-error">无法读取</span> 图纸无法读取或审查出错（见原因）。'
        "点击表头排序，点击缩略图看各层审查图，“审查报告”为该中心的 JSON 报告。</p></footer>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _city_html(city: dict, counts: dict, rules: dict) -> str:
    small = city["under_500_m2"]
    met = city["targets_met"]
    out = ['<section id="city" aria-label="全市指标">', "<h2>全市指标（通知第二条：3年目标）</h2>"]
    out.append('<div class="cards">')
    out.append(
        '<div class="card"><div class="label">中心</div>'
        f'<div class="value" id="city-total">{counts["centres"]}</div>'
        f'<div class="sub">通过 {counts["pass"]} · 不通过 {counts["fail"]} · '
        f'无法读取 {counts["error"]}</div></div>'
    )
    cls = "good" if met["none_under_500_m2"] else "bad"
    names = ""
    if city["under_500_m2_centres"]:
        items = "".join(f"<li>{_e(p)}</li>" for p in city["under_500_m2_centres"])
        names = f"<details><summary>名单</summary><ul>{items}</ul></details>"
    out.append(
        f'<div class="card {cls}"><div class="label">建筑面积500㎡以下</div>'
        f'<div class="value" id="city-under-500">{small}</div>'
        f'<div class="sub">目标：清零（已量得面积的 {city["measured"]} 个中心中）</div>'
        f"{names}</div>"
    )
    cls = "good" if met["share_at_least_1000_m2"] else "bad"
    out.append(
        f'<div class="card {cls}"><div class="label">建筑面积1000㎡及以上</div>'
        f'<div class="value" id="city-share-1000">'
        f'{_percent(city["share_at_least_1000_m2"])}</div>'
        f'<div class="sub">{city["at_least_1000_m2"]} / {city["measured"]} 个中心；'
        f'目标 ≥ {city["target_share_at_least_1000_m2"] * 100:.0f}%</div></div>'
    )
    out.append('<div class="card wide"><div class="label">最常见的不通过条款</div>')
    if city["top_failures"]:
        out.append('<ol class="top">')
        for item in city["top_failures"]:
            rule = item["rule"]
            text = rules.get(rule, {}).get("zh", "")
            out.append(
                f'<li><button type="button" class="rule-link" data-rule="{_e(rule)}" '
                f'title="按此条款筛选"><code>{_e(rule)}</code></button> {_e(text)}'
                f' <span class="count">{item["centres"]} 个中心</span></li>'
            )
        out.append("</ol>")
    else:
        out.append('<p class="sub">无</p>')
    out.append("</div>")
    out.append("</div>")
    if city["not_measured"]:
        out.append(
            f'<p class="note">另有 {city["not_measured"]} 个中心图纸无法读取，未计入面积指标。</p>'
        )
    out.append("</section>")
    return "\n".join(out)


def _controls_html(data: dict) -> str:
    rules = data["rules"]
    counts: Counter[str] = Counter()
    for row in data["centres"]:
        counts.update(row["failing_rules"])
    options = ['<option value="">全部中心</option>']
    for rule in rules:  # most common first
        text = rules[rule].get("zh", "")
        label = f"{rule}（{counts[rule]}）" + (f" {text}" if text else "")
        options.append(f'<option value="{_e(rule)}">{_e(label)}</option>')
    verdicts = ['<option value="">全部</option>'] + [
        f'<option value="{v}">{VERDICTS_ZH[v]}</option>' for v in ("fail", "error", "pass")
    ]
    total = len(data["centres"])
    return (
        '<section id="controls" aria-label="筛选">'
        '<label>不通过条款 <select id="rule-filter">' + "".join(options) + "</select></label> "
        '<label>结论 <select id="verdict-filter">' + "".join(verdicts) + "</select></label> "
        f'<span id="shown">显示 {total} / {total} 个中心</span>'
        "</section>"
    )


_HEADERS = (
    # (label, sort key, type) — None: not sortable
    ("平面图", None, None),
    ("中心", "path", "text"),
    ("结论", "verdict", "number"),
    ("建筑面积（㎡）", "area", "number"),
    ("建设类型", "build", "text"),
    ("不通过条款数", "failcount", "number"),
    ("不通过条款 / 原因", None, None),
    ("报告", None, None),
)


def _table_html(rows: list[dict], rules: dict, build_names: dict) -> str:
    out = ['<table id="centres">', "<thead><tr>"]
    for label, key, kind in _HEADERS:
        if key is None:
            out.append(f"<th>{label}</th>")
        else:
            out.append(
                f'<th data-sort="{key}" data-type="{kind}" aria-sort="none">'
                f'<button type="button">{label}<span class="arrow"></span></button></th>'
            )
    out.append("</tr></thead>")
    out.append("<tbody>")
    for index, row in enumerate(rows):
        out.append(_row_html(index, row, rules, build_names))
    out.append("</tbody></table>")
    return "\n".join(out)


def _row_html(index: int, row: dict, rules: dict, build_names: dict) -> str:
    verdict = row["verdict"]
    area = row["gross_area_m2"]
    build = row["build_type"] or ""
    build_zh = build_names.get(build, {}).get("zh", build)
    failing = row["failing_rules"]
    attrs = {
        "class": f"v-{verdict}",
        "data-index": str(index),
        "data-path": row["path"],
        "data-verdict": verdict,
        "data-verdict-rank": str(VERDICT_RANK.get(verdict, 3)),
        "data-area": "" if area is None else f"{area:.2f}",
        "data-build": build_zh,
        "data-failcount": str(len(failing)),
        "data-rules": " ".join(failing),
    }
    cells = []
    # thumbnail: the ground floor, linking to its overlay
    floors = row["floors"]
    if row["thumbnail"] and floors:
        ground = next((f for f in floors if f["png"] and f["level"] >= 1), floors[0])
        cells.append(
            f'<td class="thumb"><a href="{_href(ground["png"])}">'
            f'<img src="{_href(row["thumbnail"])}" alt="{_e(row["name"])} {_e(ground["tag"])}"'
            ' loading="lazy"></a></td>'
        )
    else:
        cells.append('<td class="thumb"><span class="nothumb">—</span></td>')
    cells.append(
        f'<td class="centre"><div class="name">{_e(row["name"])}</div>'
        f'<div class="path">{_e(row["path"])}</div></td>'
    )
    cells.append(
        f'<td><span class="badge v-{verdict}">{VERDICTS_ZH.get(verdict, _e(verdict))}</span></td>'
    )
    cells.append(f'<td class="num">{_area(area)}</td>')
    cells.append(f"<td>{_e(build_zh)}</td>")
    cells.append(f'<td class="num">{len(failing) if verdict != "error" else "—"}</td>')
    if verdict == "error":
        cells.append(f'<td class="error">{_e(row["error"])}</td>')
    elif failing:
        items = "".join(
            f'<li title="{_e(rules.get(r, {}).get("zh", ""))}"><code>{_e(r)}</code> '
            f'{_e(rules.get(r, {}).get("zh", ""))}</li>'
            for r in failing
        )
        cells.append(f'<td><ul class="rules">{items}</ul></td>')
    else:
        cells.append("<td></td>")
    links = []
    if row["report"]:
        links.append(f'<a href="{_href(row["report"])}">审查报告</a>')
    floor_links = " ".join(
        f'<a href="{_href(f["png"])}" title="{_e(f["name"])}">{_e(f["tag"])}</a>'
        for f in floors
        if f["png"]
    )
    if floor_links:
        links.append(f'<span class="floors">各层：{floor_links}</span>')
    cells.append(f'<td class="links">{"<br>".join(links)}</td>')
    attr_text = " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())
    return f"<tr {attr_text}>{''.join(cells)}</tr>"


_CSS = """
:root { --pass:#2e7d32; --pass-bg:#e8f5e9; --fail:#c62828; --fail-bg:#ffebee;
  --error:#e65100; --error-bg:#fff3e0; --ink:#212121; --muted:#616161; --line:#e0e0e0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 16px 20px 40px; color: var(--ink);
  font: 14px/1.5 "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC",
  sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 16px 0 8px; }
.meta, .sub, .path, .note { color: var(--muted); }
.path { font-size: 12px; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 180px; }
.card.wide { flex: 1 1 360px; }
.card .label { font-weight: 600; }
.card .value { font-size: 28px; font-weight: 700; }
.card.good .value { color: var(--pass); }
.card.bad .value { color: var(--fail); }
.card ol.top { margin: 6px 0 0; padding-left: 20px; }
.count { color: var(--muted); white-space: nowrap; }
.rule-link { border: 0; background: none; padding: 0; cursor: pointer; color: #1565c0; }
.rule-link:hover code { text-decoration: underline; }
#controls { margin: 16px 0 8px; display: flex; flex-wrap: wrap; gap: 16px; align-items: center; }
select { font: inherit; max-width: 520px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
  vertical-align: top; }
th { background: #fafafa; position: sticky; top: 0; z-index: 1; white-space: nowrap; }
th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer;
  padding: 0; color: inherit; }
th[aria-sort="ascending"] .arrow::after { content: " ▲"; }
th[aria-sort="descending"] .arrow::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.v-pass td:first-child { border-left: 4px solid var(--pass); }
tr.v-fail td:first-child { border-left: 4px solid var(--fail); }
tr.v-error td:first-child { border-left: 4px solid var(--error); }
tr.v-fail { background: var(--fail-bg); }
tr.v-error { background: var(--error-bg); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-weight: 600; white-space: nowrap; }
.badge.v-pass { background: var(--pass); }
.badge.v-fail { background: var(--fail); }
.badge.v-error { background: var(--error); }
td.thumb { width: 190px; }
td.thumb img { display: block; width: 180px; height: auto; border: 1px solid var(--line);
  background: #fff; }
.nothumb { color: var(--muted); }
ul.rules { margin: 0; padding-left: 16px; }
td.error { color: var(--error); word-break: break-word; }
td.links { white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
footer { margin-top: 20px; color: var(--muted); font-size: 12px; }
footer .badge { font-size: 11px; }
"""

_JS = """
(function () {
  "use strict";
  var table = document.getElementById("centres");
  var tbody = table.tBodies[0];
  var ruleFilter = document.getElementById("rule-filter");
  var verdictFilter = document.getElementById("verdict-filter");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(tbody.rows);
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  var sortKeys = {
    path: function (r) { return r.getAttribute("data-path"); },
    verdict: function (r) { return parseFloat(r.getAttribute("data-verdict-rank")); },
    area: function (r) {
      var v = r.getAttribute("data-area");
      return v === "" ? null : parseFloat(v);
    },
    build: function (r) { return r.getAttribute("data-build"); },
    failcount: function (r) {
      if (r.getAttribute("data-verdict") === "error") { return null; }
      return parseFloat(r.getAttribute("data-failcount"));
    }
  };

  function index(r) { return parseInt(r.getAttribute("data-index"), 10); }

  function compare(a, b, type) {
    if (a === null && b === null) { return 0; }
    if (a === null) { return 1; }
    if (b === null) { return -1; }
    return type === "number" ? a - b : collator.compare(a, b);
  }

  function sortBy(th) {
    var key = th.getAttribute("data-sort");
    var type = th.getAttribute("data-type");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = dir === "ascending" ? 1 : -1;
    var get = sortKeys[key];
    rows.sort(function (ra, rb) {
      var a = get(ra), b = get(rb);
      // no value (an unreadable centre) sorts last in both directions
      var c = (a === null || b === null) ? compare(a, b, type) : sign * compare(a, b, type);
      if (c === 0) { c = index(ra) - index(rb); }
      return c;
    });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (h) {
      h.setAttribute("aria-sort", h === th ? dir : "none");
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
  }

  function applyFilter() {
    var rule = ruleFilter.value;
    var verdict = verdictFilter.value;
    var n = 0;
    rows.forEach(function (r) {
      var rules = " " + r.getAttribute("data-rules") + " ";
      var ok = (!rule || rules.indexOf(" " + rule + " ") !== -1) &&
               (!verdict || r.getAttribute("data-verdict") === verdict);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = "显示 " + n + " / " + rows.length + " 个中心";
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort] button"), function (b) {
    b.addEventListener("click", function () { sortBy(b.parentNode); });
  });
  ruleFilter.addEventListener("change", applyFilter);
  verdictFilter.addEventListener("change", applyFilter);
  Array.prototype.forEach.call(document.querySelectorAll(".rule-link"), function (b) {
    b.addEventListener("click", function () {
      ruleFilter.value = b.getAttribute("data-rule");
      applyFilter();
      table.scrollIntoView();
    });
  });
  applyFilter();
}());
"""
