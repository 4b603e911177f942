"""The rule catalogue, generated from a standard file and the rule kinds' docstrings.

`planchecker rules` prints it one line a rule; `--format markdown` writes the rule
reference that docs/rules.md holds, so the docs can never drift from the data.
"""

from __future__ import annotations

import inspect

from .rules import KINDS
from .standards import RuleSpec, Standard


def threshold(spec: RuleSpec) -> str:
    """A rule's threshold in words, from its parameters."""
    p = spec.params
    if spec.kind == "gross_area":
        return "; ".join(f"{k} ≥ {v:g} m²" for k, v in p["min_m2"].items())
    if spec.kind in ("min_area", "declared_sum"):
        how = " (sum of all such rooms)" if p.get("aggregate") == "sum" else ""
        if spec.kind == "declared_sum":
            how = " (sum of the areas declared in text)"
        return f"≥ {p['min_m2']:g} m²{how}"
    if spec.kind == "turning_space":
        return f"circle ⌀ ≥ {p['min_diameter_m']:.2f} m"
    if spec.kind == "floor_placement":
        return f"on level {p['level']} (1 = ground floor)"
    if spec.kind in ("declared_area", "building_declared_area"):
        return f"within {p['rel_tol'] * 100:g}% or {p['abs_tol_m2']:g} m², whichever is larger"
    if spec.kind == "presence":
        return "at least one room"
    return "—"


def rules_text(standard: Standard, lang: str) -> str:
    lines = [f"{standard.id}: {standard.title if lang == 'zh' else standard.title_en}"]
    width = max(len(r.id) for r in standard.rules)
    for spec in standard.rules:
        kind = "warning" if spec.severity == "warning" else spec.kind
        lines.append(f"{spec.id:<{width}}  {kind:<22} {spec.source:<28} {spec.text(lang)}")
    return "\n".join(lines) + "\n"


def kinds_text() -> str:
    lines = []
    for module in KINDS.values():
        lines.append(inspect.getdoc(module).splitlines()[0])
    return "\n".join(lines) + "\n"


def rules_markdown(standard: Standard) -> str:
    out = [
        f"# Rule reference: `{standard.id}`",
        "",
        f"{standard.title} — {standard.title_en}.",
        "",
        f"Source: {standard.source}",
        "",
        "Generated from `standards/"
        f"{standard.id}.toml` and the rule kinds by `planchecker rules --format markdown`; "
        "do not edit by hand (a test checks that this page is current).",
        "",
        "Status of a finding: `pass`, `fail`, `warn` (warnings never fail a review), "
        "`manual` (a person must check it) or `skip` (not applicable). Areas are compared "
        "after rounding to 0.01 m², lengths after rounding to 1 mm.",
        "",
    ]
    for group in standard.groups:
        specs = [s for s in standard.rules if s.group == group.id]
        if not specs:
            continue
        out += [f"## {group.en} ({group.zh})", ""]
        for spec in specs:
            out += [
                f"### `{spec.id}`",
                "",
                f"- Requirement: {spec.zh}",
                f"- In English: {spec.en}",
                f"- Source: {spec.source}",
                f"- Threshold: {threshold(spec)}",
                f"- Kind: [`{spec.kind}`](#kind-{spec.kind})"
                + (" (warning)" if spec.severity == "warning" else ""),
            ]
            if "function" in spec.params:
                function = standard.function(spec.params["function"])
                out.append(f"- Function: `{function.id}` ({function.zh}, {function.en})")
            out.append("")
    out += [
        "## Room-name vocabulary",
        "",
        "Labels are matched longest name first, without overlap; one label may name "
        "several functions (`调解室/社会工作室`).",
        "",
        "| function | 中文 | names recognised |",
        "|---|---|---|",
    ]
    for function in standard.functions.values():
        out.append(f"| `{function.id}` | {function.zh} | {'、'.join(function.names)} |")
    out += ["", "## Rule kinds: how each is measured", ""]
    for name, module in KINDS.items():
        out += [f"### kind: {name}", "", "```text", inspect.getdoc(module), "```", ""]
    return "\n".join(out)
