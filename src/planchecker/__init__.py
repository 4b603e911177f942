"""planchecker: checks DXF floor plans of community service centres against a standard.

The API mirrors the command line: ``planchecker.review(paths, standard=..., build_type=...)``
returns the Review that every presenter reads.  Heavy modules are imported on first use so
that ``planchecker --help`` starts at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load_standard", "review"]

if TYPE_CHECKING:
    from .api import review
    from .standards import load_standard


def __getattr__(name: str) -> Any:
    if name == "review":
        from .api import review

        return review
    if name == "load_standard":
        from .standards import load_standard

        return load_standard
    raise AttributeError(f"module 'planchecker' has no attribute {name!r}")
