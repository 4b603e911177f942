"""Which codec the text of a DXF file is really in.

R2007 and newer files are always UTF-8.  Older ones declare a code page in
``$DWGCODEPAGE`` (ANSI_936 = GBK for Chinese drawings), but real files lie:
GBK bytes under an ANSI_1252 header (a Chinese CAD on an English Windows), or
UTF-8 bytes under ANSI_936 (a converter that ignored the header).  Reading them
with the declared codec gives mojibake such as ``±ã Ãñ`` instead of ``便民``, and
every room label is then unrecognisable.  So the reader looks at the non-ASCII
bytes itself and overrides the header when the evidence is clear.

GB18030 is GBK plus characters GBK lacks (䶮 as a two-byte code GBK leaves unused,
𠮷 as a four-byte one); a Chinese CAD on a GB18030 system writes them under the same
ANSI_936 header.  Decoded as GBK they become lone bytes that shift the decoding of
their neighbours, so a GBK-family file that is not pure GBK is read as GB18030,
which decodes every GBK byte pair to the same character.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

FIRST_UTF8_VERSION = "AC1021"  # R2007
MAX_SAMPLE_LINES = 4000
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CJK_CODECS = {"gbk", "gb2312", "gb18030", "big5", "cp950", "cp936", "cp932", "shift_jis"}
# Code pages whose bytes GB18030 decodes to the same characters, and more.
GBK_FAMILY = frozenset({"gbk", "gb2312", "cp936"})


def python_codec(name: str | None) -> str:
    """A canonical Python codec name ("gbk", "utf-8", "cp1252"), "cp1252" when unknown."""
    try:
        return codecs.lookup(name or "cp1252").name
    except LookupError:
        return "cp1252"


def uses_code_page(dxf_version: str) -> bool:
    """True for R2004 and older files, whose text follows ``$DWGCODEPAGE``."""
    return dxf_version < FIRST_UTF8_VERSION


def detect_codec(data: bytes, declared: str) -> str | None:
    """The codec the non-ASCII text in `data` is really in, when it is not `declared`.

    Returns None when the declared codec is plausible or the evidence is weak: a
    wrong override would damage a file that was fine.
    """
    declared = python_codec(declared)
    sample = _non_ascii_lines(data)
    if not sample:
        return None
    if declared != "utf-8" and _is_utf8_text(sample):
        return "utf-8"
    if declared in GBK_FAMILY:
        return "gb18030" if needs_gb18030(data) else None
    if declared not in _CJK_CODECS:
        found = _chinese_codec(sample)
        if found == "gbk" and needs_gb18030(data):
            return "gb18030"  # the sample was pure GBK, the rest of the file is not
        return found
    return None


def needs_gb18030(data: bytes) -> bool:
    """True when `data` is not pure GBK but more of it decodes as GB18030.

    GB18030 decodes every GBK byte pair to the same character, so only bytes GBK
    cannot decode can tell them apart; one strict GBK pass answers for most files.
    """
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        pass
    else:
        return False
    bad_gbk = _undecodable(data, "gbk")
    return _undecodable(data, "gb18030") < bad_gbk


def _undecodable(data: bytes, codec: str) -> int:
    """How many bytes of `data` `codec` cannot decode."""
    return len(_SURROGATE.findall(data.decode(codec, "surrogateescape")))


def _non_ascii_lines(data: bytes) -> bytes:
    """The lines of `data` that hold non-ASCII bytes, joined (at most MAX_SAMPLE_LINES).

    Found from the high-byte runs outwards, in linear time: a "line containing a
    high byte" regex backtracks quadratically on the long hex lines of proxy data.
    """
    lines: list[bytes] = []
    end = -1
    for match in _HIGH_RUN.finditer(data):
        if match.start() < end:
            continue  # same line as the previous run
        start = max(data.rfind(b"\n", 0, match.start()), data.rfind(b"\r", 0, match.start())) + 1
        end = len(data)
        for stop in (data.find(b"\n", match.end()), data.find(b"\r", match.end())):
            if stop != -1:
                end = min(end, stop)
        lines.append(data[start:end])
        if len(lines) >= MAX_SAMPLE_LINES:
            break
    return b"\n".join(lines)


def _is_utf8_text(sample: bytes) -> bool:
    """True when the non-ASCII bytes decode strictly as UTF-8 into several letters.

    Text in a legacy code page (GBK, cp1252) is almost never valid UTF-8 by
    accident once it holds more than a couple of non-ASCII characters.
    """
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text if ord(ch) > 0x7F) >= 2


def _chinese_codec(sample: bytes) -> str | None:
    """The codec ("gbk" or "gb18030") of Chinese text in the non-ASCII bytes, else None.

    GBK Chinese comes in runs of 2+ high bytes that decode to CJK ideographs;
    Western accented text has isolated high bytes that rarely do.
    """
    runs = _HIGH_RUN.findall(sample)
    high = sum(len(r) for r in runs)
    long_runs = sum(len(r) for r in runs if len(r) >= 4)
    if high < 4 or long_runs < 0.8 * high:
        return None
    for codec in ("gbk", "gb18030"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ord(ch) > 0x7F]
        cjk = sum(1 for ch in wide if _is_cjk(ch))
        return codec if cjk >= 0.8 * len(wide) else None
    return None


def _is_cjk(ch: str) -> bool:
    """True for CJK ideographs and CJK punctuation / full-width forms."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x3200 <= code <= 0x33FF  # enclosed letters, ㎡
        or unicodedata.east_asian_width(ch) == "W"
    )


def clean(text: str) -> str:
    """Replace undecodable bytes (kept by ezdxf as lone surrogates) with U+FFFD.

    Lone surrogates crash ``print`` and JSON writers later, far from the cause.
    """
    if text.isascii():  # most names and texts: no regex needed
        return text
    return _SURROGATE.sub("\ufffd", text)
