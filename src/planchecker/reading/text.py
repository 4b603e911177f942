"""Turn the raw strings of TEXT, MTEXT and ATTRIB into what a person reads.

Raw DXF text carries escapes (``\\U+4FBF`` for 便 in files written by older
programs, ``\\M+`` multibyte codes), MTEXT inline formatting
(``{\\fSimSun|b0;\\C1;调解室}\\P25.36㎡``) and ``%%`` control codes
(``%%C`` diameter, ``%%D`` degree, ``%%P`` plus-minus, ``%%U`` underline).
Labels are matched against room vocabularies later, so all of that must go.
"""

from __future__ import annotations

import re
from functools import lru_cache

from planchecker.reading.encoding import clean

_PERCENT_CODE = re.compile(r"%%([cCdDpP%]|[uUoOkK]|\d{3})")
_SPECIAL = {"c": "Ø", "d": "°", "p": "±", "%": "%"}
# A drawing repeats its single-line texts (furniture names, door marks, dimension
# values): each is converted once, and its repeats share the one string.
TEXT_CACHE = 8192


def decode_escapes(raw: str) -> str:
    """Decode ``\\U+XXXX`` and ``\\M+NXXXX`` escapes that ezdxf.readfile leaves in text."""
    from ezdxf.lldxf.encoding import (
        decode_dxf_unicode,
        decode_mif_to_unicode,
        has_dxf_unicode,
        has_mif_encoding,
    )

    if has_dxf_unicode(raw):
        raw = decode_dxf_unicode(raw)
    if has_mif_encoding(raw):
        raw = decode_mif_to_unicode(raw)
    return raw


def plain_name(raw: str) -> str:
    """A layer or block name with its ``\\U+XXXX`` escapes decoded.

    ezdxf writes characters the code page lacks as escapes in names too (a layer
    家具 in a cp1252 drawing is ``\\U+5bb6\\U+5177``), and leaves them when reading.
    Undecodable bytes (lone surrogates) become U+FFFD, as in texts: names reach the
    report, and a JSON or terminal writer rejects a lone surrogate.
    """
    return clean(decode_escapes(raw) if "\\" in raw else raw)


def percent_codes(text: str) -> str:
    """Convert ``%%c``/``%%d``/``%%p`` to symbols and drop ``%%u``/``%%o``/``%%k``.

    ``%%nnn`` (a character by its code) becomes that character when printable.
    """

    def repl(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            value = int(code)
            return chr(value) if 32 <= value < 127 else ""
        return _SPECIAL.get(code.lower(), "")

    return _PERCENT_CODE.sub(repl, text)


@lru_cache(maxsize=TEXT_CACHE)
def plain_single_line(raw: str) -> str:
    """Plain text of a TEXT or ATTRIB string (the same string object for a repeat)."""
    from ezdxf.tools.text import plain_text

    text = plain_text(decode_escapes(raw))
    return _tidy(percent_codes(text))


def plain_multi_line(raw: str) -> str:
    """Plain text of an MTEXT string: formatting stripped, paragraphs as ``\\n``."""
    from ezdxf.tools.text import plain_mtext

    text = plain_mtext(decode_escapes(raw), split=False)
    if isinstance(text, list):
        text = "\n".join(text)
    return _tidy(percent_codes(text))


def _tidy(text: str) -> str:
    """Strip each line, drop blank lines and replace undecodable characters."""
    lines = (line.strip() for line in clean(text).splitlines())
    return "\n".join(line for line in lines if line)
