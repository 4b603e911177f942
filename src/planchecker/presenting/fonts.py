"""The one font the PNG overlays and the PDF review sheet set their text in.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: room names would come
out as boxes.  planchecker therefore ships Noto Sans SC (SIL Open Font License 1.1)
through the data-only PyPI package `pylopdf-fonts-zh-cn`, and sets *every* text of
its figures in it by passing the font file explicitly: the user's matplotlib
settings (matplotlibrc, rcParams, the global font list) are never changed, and the
pictures look the same on every machine.  docs/decisions/cjk-font.md says why this
font and this package.

Noto Sans SC covers Latin, digits and the symbols the reports use (≥, ㎡, ²,
full-width punctuation) as well as 30 000+ Chinese characters, so one font serves
mixed text such as `调解室 16.00㎡` or `mediation.area` without a fallback chain.

Text is measured here with the same FreeType face that draws it (matplotlib's
`get_font`), so that label layout can be decided before anything is drawn.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

PACKAGE = "pylopdf_fonts_zh_cn"  # pip name: pylopdf-fonts-zh-cn
FILENAME = "NotoSansSC-Regular.otf"

# Height matplotlib gives each line of a text block in this face, as a multiple of
# the font size (its default line spacing, 1.2, times the face's "lp" height),
# measured once with the Agg renderer and rounded up.
LINE_HEIGHT_EM = 1.05


class FontMissing(RuntimeError):
    """The CJK font package is not installed (a broken or partial install)."""


@lru_cache(maxsize=1)
def font_path() -> str:
    """The path of the shipped Noto Sans SC font file."""
    try:
        import pylopdf_fonts_zh_cn as package
    except ImportError:  # pragma: no cover - a dependency of planchecker
        raise FontMissing(
            "the Chinese font package is missing: run `pip install pylopdf-fonts-zh-cn` "
            "(a dependency of planchecker) to draw overlays"
        ) from None
    path = Path(package.__file__).with_name(FILENAME)
    if not path.is_file():  # pragma: no cover - a damaged install
        raise FontMissing(f"{path}: font file missing; reinstall pylopdf-fonts-zh-cn")
    return str(path)


@lru_cache(maxsize=64)
def props(size: float) -> FontProperties:
    """FontProperties for the shipped font at `size` points.

    Only the regular face ships (a bold one is another 8 MB); emphasis is drawn with
    colour, size or a thin stroke of the text's own colour (see `overlay.draw`).
    """
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=font_path(), size=size)


def family_name() -> str:
    """The font's family name as its file states it ("Noto Sans SC")."""
    return _face().family_name


def charmap() -> frozenset[int]:
    """Code points the font has a glyph for."""
    return frozenset(_face().get_charmap())


def missing(text: str) -> list[str]:
    """The characters of `text` the font cannot draw (whitespace ignored), in order."""
    have = charmap()
    seen: list[str] = []
    for ch in text:
        if not ch.isspace() and ord(ch) not in have and ch not in seen:
            seen.append(ch)
    return seen


def _face():
    from matplotlib.font_manager import get_font

    return get_font(font_path())


@lru_cache(maxsize=8192)
def text_width(text: str, size: float) -> float:
    """Advance width of one line of `text` at `size` points, in points."""
    if not text:
        return 0.0
    face = _face()
    face.set_size(size, 72)  # at 72 dpi one pixel is one point
    face.set_text(text, 0.0)
    width, _ = face.get_width_height()
    return width / 64.0


def block_size(lines: list[str] | tuple[str, ...], size: float) -> tuple[float, float]:
    """(width, height) in points of a block of text lines at `size` points."""
    if not lines:
        return 0.0, 0.0
    width = max(text_width(line, size) for line in lines)
    return width, len(lines) * size * LINE_HEIGHT_EM


def wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Break `text` into lines no wider than `width_pt` points at `size` points.

    Breaks at spaces in Latin text and between any two characters in Chinese text
    (never before closing punctuation).  A single word longer than the width is cut.
    """
    out: list[str] = []
    for paragraph in str(text).split("\n"):
        out.extend(_wrap_paragraph(paragraph, width_pt, size))
    return out or [""]


_NO_BREAK_BEFORE = set("，。、；：）」』》〉！？,.;:)]%㎡")


def _wrap_paragraph(text: str, width_pt: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = line + token
        if text_width(candidate.rstrip(), size) <= width_pt:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        token = token.lstrip()
        while token and text_width(token.rstrip(), size) > width_pt:  # a very long word
            cut = len(token) - 1
            while cut > 1 and text_width(token[:cut], size) > width_pt:
                cut -= 1
            lines.append(token[:cut])
            token = token[cut:]
        line = token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Units that wrap keeps together: Latin words with their trailing space (broken
    after `.`, `_`, `/` and `-` too, so that rule ids wrap at their parts), single CJK
    characters, each with the closing punctuation that may not start a line."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch in _NO_BREAK_BEFORE and (word or tokens) and not ch.isascii():
            if word:
                word += ch
            else:
                tokens[-1] += ch
            continue
        if ch == " ":
            tokens.append(word + " ")
            word = ""
        elif ord(ch) < 0x2E80:  # Latin, digits, symbols: part of a word
            word += ch
            if ch in "._/-" and len(word) > 1:
                tokens.append(word)
                word = ""
        else:  # CJK: every character may start a line
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens
