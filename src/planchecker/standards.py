"""Loading a standard (a TOML file) into plain data the rules read.

A standard is data, not code: it names functions and their vocabulary, and lists
rules, each of a *kind* that `planchecker.rules` implements.  A file is checked
fully on load so that a typo in a county's own standard is one clear error, not a
KeyError in the middle of a review.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .digest import sha256_hex
from .errors import StandardFileError

DEFAULT_STANDARD = "jingzhou-2016"


@dataclass(frozen=True)
class Function:
    """A room function (服务大厅, 调解室 ...) and every name a drawing may give it."""

    id: str
    zh: str
    en: str
    names: tuple[str, ...]
    room: bool = True  # False: a board or sign, drawn as a line, declared in text
    outdoor: bool = False  # may be drawn on a site plan

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class RuleSpec:
    """One rule of a standard: its public id, wording, source and kind parameters."""

    id: str
    kind: str
    group: str
    source: str
    zh: str
    en: str
    severity: str = "rule"  # "rule" or "warning"
    params: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Group:
    id: str
    zh: str
    en: str

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, eq=False)
class Standard:
    id: str
    title: str
    title_en: str
    source: str
    default_build_type: str
    build_types: MappingProxyType  # id -> {"zh": ..., "en": ...}
    groups: tuple[Group, ...]
    functions: MappingProxyType  # id -> Function
    rules: tuple[RuleSpec, ...]
    path: str = ""
    sha256: str = ""

    def function(self, function_id: str) -> Function:
        return self.functions[function_id]

    def rule(self, rule_id: str) -> RuleSpec:
        for spec in self.rules:
            if spec.id == rule_id:
                return spec
        raise KeyError(rule_id)

    def vocabulary(self) -> dict[str, list[str]]:
        """{function id: names}: what the label matcher is built from."""
        return {f.id: list(f.names) for f in self.functions.values()}

    def build_type_name(self, build_type: str, lang: str) -> str:
        entry = self.build_types.get(build_type, {})
        return entry.get(lang, build_type)


def builtin_standards() -> list[str]:
    """Ids of the standards shipped inside the package."""
    folder = resources.files("planchecker.standard_files")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_standard(ref: str | Path = DEFAULT_STANDARD) -> Standard:
    """Load a shipped standard by id, or any standard file by path."""
    text, origin = _read_standard_text(str(ref))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardFileError(f"{origin}: not valid TOML: {exc}") from None
    standard = _parse(data, origin)
    digest = sha256_hex(text.encode("utf-8"))
    return _with(standard, path=origin, sha256=digest)


def _read_standard_text(ref: str) -> tuple[str, str]:
    looks_like_path = ref.endswith(".toml") or "/" in ref or "\\" in ref
    if looks_like_path:
        path = Path(ref)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise StandardFileError(f"{ref}: cannot read standard file ({exc})") from None
    resource = resources.files("planchecker.standard_files") / f"{ref}.toml"
    if not resource.is_file():
        known = ", ".join(builtin_standards())
        raise StandardFileError(f"unknown standard '{ref}': use one of {known} or a .toml path")
    return resource.read_text(encoding="utf-8"), ref


def _with(standard: Standard, **changes: Any) -> Standard:
    from dataclasses import replace

    return replace(standard, **changes)


def _require(table: dict, key: str, where: str, kind: type = str) -> Any:
    if key not in table:
        raise StandardFileError(f"{where}: missing '{key}'")
    value = table[key]
    if kind is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, kind):
        raise StandardFileError(f"{where}: '{key}' must be {kind.__name__}")
    return value


def _parse(data: dict, origin: str) -> Standard:
    functions = {}
    for fid, table in data.get("functions", {}).items():
        where = f"{origin}: function '{fid}'"
        names = _require(table, "names", where, list)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise StandardFileError(f"{where}: 'names' must be a non-empty list of names")
        functions[fid] = Function(
            id=fid,
            zh=_require(table, "zh", where),
            en=_require(table, "en", where),
            names=tuple(names),
            room=bool(table.get("room", True)),
            outdoor=bool(table.get("outdoor", False)),
        )
    groups = tuple(
        Group(gid, _require(t, "zh", f"{origin}: group '{gid}'"), _require(t, "en", gid))
        for gid, t in data.get("groups", {}).items()
    )
    build_types = data.get("build_types", {})
    if not build_types:
        raise StandardFileError(f"{origin}: no [build_types]")
    rules = tuple(_parse_rule(t, i, origin) for i, t in enumerate(data.get("rules", [])))
    standard = Standard(
        id=_require(data, "id", origin),
        title=_require(data, "title", origin),
        title_en=str(data.get("title_en", data["title"])),
        source=str(data.get("source", "")),
        default_build_type=str(data.get("default_build_type", next(iter(build_types)))),
        build_types=MappingProxyType(build_types),
        groups=groups,
        functions=MappingProxyType(functions),
        rules=rules,
    )
    _validate(standard, origin)
    return standard


_RULE_KEYS = {"id", "kind", "group", "source", "zh", "en", "severity"}


def _parse_rule(table: dict, index: int, origin: str) -> RuleSpec:
    where = f"{origin}: rule #{index + 1}"
    rule_id = _require(table, "id", where)
    where = f"{origin}: rule '{rule_id}'"
    severity = str(table.get("severity", "rule"))
    if severity not in ("rule", "warning"):
        raise StandardFileError(f"{where}: severity must be 'rule' or 'warning'")
    params = {k: v for k, v in table.items() if k not in _RULE_KEYS}
    return RuleSpec(
        id=rule_id,
        kind=_require(table, "kind", where),
        group=_require(table, "group", where),
        source=str(table.get("source", "")),
        zh=_require(table, "zh", where),
        en=_require(table, "en", where),
        severity=severity,
        params=MappingProxyType(params),
    )


def _validate(standard: Standard, origin: str) -> None:
    from .rules import KINDS  # the kinds define which parameters they need

    seen: set[str] = set()
    group_ids = {g.id for g in standard.groups}
    for spec in standard.rules:
        where = f"{origin}: rule '{spec.id}'"
        if spec.id in seen:
            raise StandardFileError(f"{where}: duplicate rule id")
        seen.add(spec.id)
        if spec.kind not in KINDS:
            raise StandardFileError(f"{where}: unknown kind '{spec.kind}' ({', '.join(KINDS)})")
        if spec.group not in group_ids:
            raise StandardFileError(f"{where}: unknown group '{spec.group}'")
        KINDS[spec.kind].validate(spec, standard, where)
    if standard.default_build_type not in standard.build_types:
        raise StandardFileError(f"{origin}: default_build_type is not one of [build_types]")
