"""The read stage: DXF file -> `planchecker.model.Drawing` in metres.

This is the only package that imports ezdxf, and it does so lazily inside
functions so that the command line starts fast.
"""

from __future__ import annotations

from planchecker.reading.reader import read_drawing

__all__ = ["read_drawing"]
