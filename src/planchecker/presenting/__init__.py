"""The present stage: a Review as text, JSON or markdown (PNG overlays live elsewhere).

Presenters only read a Review; they never judge.  Every format is deterministic
(no time stamps, stable order) and ends in a newline, so write it as is.

    >>> from planchecker.presenting import render
    >>> print(render(review, "text", "zh"), end="")
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Review

FORMATS = ("text", "json", "markdown")
LANGS = ("zh", "en")


def _renderer(fmt: str) -> Callable[[Review, str], str]:
    if fmt == "text":
        from .text import render as text_render

        return text_render
    if fmt == "json":
        from .json_report import render as json_render

        return json_render
    if fmt == "markdown":
        from .markdown import render as markdown_render

        return markdown_render
    raise ValueError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")


def render(review: Review, fmt: str = "text", lang: str = "en") -> str:
    """The review as `fmt` ("text", "json" or "markdown") in `lang` ("zh" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}': use one of {', '.join(LANGS)}")
    return _renderer(fmt)(review, lang)


__all__ = ["FORMATS", "LANGS", "render"]
