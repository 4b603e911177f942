"""The JSON report (`review --format json`): the shape `docs/interface.md` publishes.

`report(review, lang)` builds the document as plain dicts and lists; `render`
serialises it (UTF-8 text, not ASCII-escaped, indent 2, keys in a fixed order, no
time stamps), so equal reviews give byte-identical output.  The shape is published
as a JSON Schema inside the package: `schema()` returns it.

Conventions: areas in m² to 0.01, coordinates in metres to 0.001, in the drawing's
own axes; a polygon is its exterior ring without the repeated closing point.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from ..model import Floor, Label, Review, Room
from .common import area, coordinate, counts, number, rule_text

SCHEMA_ID = "planchecker.review/1"

_SCHEMA_RESOURCE = ("schema", "review.schema.json")


def schema() -> dict:
    """The JSON Schema (draft 2020-12) every report validates against.

    A fresh dict on each call, loaded from the file shipped in the package.
    """
    resource = resources.files("planchecker").joinpath(*_SCHEMA_RESOURCE)
    return json.loads(resource.read_text(encoding="utf-8"))


def render(review: Review, lang: str = "en") -> str:
    """The report as JSON text, ending in a newline; messages in `lang` ("zh" or "en")."""
    text = json.dumps(report(review, lang), ensure_ascii=False, indent=2, allow_nan=False)
    return text + "\n"


def report(review: Review, lang: str = "en") -> dict[str, Any]:
    """The report as a dict, keys in the published order."""
    from .. import __version__

    plan = review.plan
    lang = "zh" if lang == "zh" else "en"
    units: dict[str, Any] = {
        "source": plan.units.source,
        "metres_per_unit": plan.units.metres_per_unit,
        "insunits": plan.units.insunits,
    }
    if plan.units.note:
        units["note"] = plan.units.note
    return {
        "schema": SCHEMA_ID,
        "planchecker_version": __version__,
        "name": review.name,
        "files": list(plan.files),
        "standard": {
            "id": review.standard.id,
            "title": review.standard.title,
            "title_en": review.standard.title_en,
            "sha256": review.standard.sha256,
        },
        "build_type": review.build_type,
        "lang": lang,
        "verdict": review.verdict,
        "summary": counts(review),
        "units": units,
        "encoding": plan.encoding,
        "building": {
            "gross_area_m2": area(plan.gross_area),
            "declared_gross_area_m2": area(plan.declared_total_area),
            "floors": [_floor(f, review) for f in plan.floors],
        },
        "rooms": [_room(r) for r in plan.rooms],
        "findings": [_finding(f, review, lang) for f in review.findings],
        "orphan_labels": [_label(lb) for lb in plan.orphan_labels],
        "read_issues": [
            {"code": i.code, "count": i.count, "detail": i.detail} for i in plan.read_issues
        ],
    }


def _floor(floor: Floor, review: Review) -> dict[str, Any]:
    return {
        "level": floor.level,
        "name": floor.name,
        "gross_area_m2": area(_safe_area(floor.outline)),
        "rooms": sum(1 for r in review.plan.rooms if r.level == floor.level),
        "level_source": floor.level_source,
        "declared_gross_area_m2": area(floor.declared_gross_area),
        "outline_source": floor.outline_source,
        "file": floor.file,
    }


def _room(room: Room) -> dict[str, Any]:
    parts = polygon_parts(room.polygon)
    data: dict[str, Any] = {
        "id": room.id,
        "floor": room.level,
        "label": room.label,
        "functions": list(room.functions),
        "area_m2": area(_safe_area(room.polygon)),
        "source": room.source,
        "declared_area_m2": area(room.declared_area),
        "polygon": parts[0]["polygon"] if parts else [],
    }
    if parts and "holes" in parts[0]:
        data["holes"] = parts[0]["holes"]
    if len(parts) > 1:
        data["parts"] = parts  # every piece of a multi-part room, largest first
    if room.centreline:
        data["measured_to"] = "centre lines"
    data["file"] = room.file
    data["layer"] = room.layer
    return data


def _finding(finding, review: Review, lang: str) -> dict[str, Any]:
    try:
        group = review.standard.rule(finding.rule).group
    except KeyError:
        group = None
    return {
        "rule": finding.rule,
        "status": finding.status,
        "measured": number(finding.measured),
        "required": number(finding.required),
        "unit": finding.unit,
        "rooms": list(finding.rooms),
        "message": finding.message(lang),
        "group": group,
        "requirement": rule_text(review, finding.rule, lang),
    }


def _label(label: Label) -> dict[str, Any]:
    return {
        "text": label.text,
        "floor": label.level,
        "x": coordinate(label.x),
        "y": coordinate(label.y),
        "functions": list(label.functions),
        "declared_area_m2": area(label.declared_area),
        "file": label.file,
    }


# ----------------------------------------------------------------------- geometry


def _safe_area(geometry: BaseGeometry | None) -> float:
    if geometry is None:
        return 0.0
    try:
        return float(geometry.area)
    except Exception:  # a geometry shapely cannot measure is reported as 0 m²
        return 0.0


def polygons_of(geometry: BaseGeometry | None) -> list[Polygon]:
    """The non-empty polygons in a geometry (Polygon, MultiPolygon, collection), largest first."""
    found: list[Polygon] = []

    def walk(geom: BaseGeometry | None) -> None:
        if geom is None or geom.is_empty:
            return
        if isinstance(geom, Polygon):
            found.append(geom)
        elif hasattr(geom, "geoms"):
            for part in geom.geoms:
                walk(part)

    walk(geometry)
    return sorted(found, key=lambda p: -p.area)  # stable: ties keep their drawn order


def ring(coords) -> list[list[float]]:
    """[[x, y], ...] to 1 mm, without the closing point."""
    points = [[coordinate(c[0]), coordinate(c[1])] for c in coords]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def polygon_parts(geometry: BaseGeometry | None) -> list[dict[str, Any]]:
    """Each polygon of a geometry as {"polygon": ring, "holes": [ring, ...]} (holes if any)."""
    parts = []
    for poly in polygons_of(geometry):
        part: dict[str, Any] = {"polygon": ring(poly.exterior.coords)}
        holes = [ring(h.coords) for h in poly.interiors]
        if holes:
            part["holes"] = holes
        parts.append(part)
    return parts
