"""The extract stage: Drawing(s) -> Plan (floors, rooms, labels, warnings).

Uses shapely and plain data only; never ezdxf.
"""

from __future__ import annotations

from .assemble import extract

__all__ = ["extract"]
