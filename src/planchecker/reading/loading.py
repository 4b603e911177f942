"""Open a sniffed DXF file with ezdxf: strict first, recover mode when that fails.

``ezdxf.readfile`` raises on structural errors; ``ezdxf.recover.readfile``
repairs what it can but returns an empty document, without error, for files
it cannot make sense of.  The caller therefore checks the content; this module
only records how the file was opened and in which text codec.

A file ezdxf reads without complaint can still lack what the reader needs: a
damaged layout dictionary leaves ``doc.modelspace()`` raising ``KeyError('MODEL')``
although every entity is intact (and recover mode raises the same).  The entities
of modelspace still belong to the ``*Model_Space`` block record, so such a document
is read through that (`BlockModelspace`) and the file counts as ``recovered``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from planchecker.errors import DrawingError
from planchecker.reading.encoding import detect_codec, python_codec, uses_code_page
from planchecker.reading.primitives import Issues
from planchecker.reading.sniff import Inventory, Sniffed, check_inventory

DAMAGED_ADVICE = "export the DXF again"


@dataclass(frozen=True)
class Loaded:
    """An ezdxf document and how it was read."""

    doc: Any
    codec: str  # Python codec name the text was decoded with
    recovered: bool


def load(sniffed: Sniffed, issues: Issues) -> Loaded:
    """Read the document, falling back to recover mode for damaged ASCII files.

    The text is decoded with the codec it is really in, whatever the header says
    (see `encoding.detect_codec`); an `encoding_corrected` issue says when that
    was not the header's.
    """
    import ezdxf

    _quiet_ezdxf()
    path = sniffed.path
    override, note = None, ""
    try:
        if sniffed.fmt == "binary":
            doc, override, note = _read_binary(path)
        else:
            override, note = _codec_override(sniffed)
            doc = ezdxf.readfile(path, encoding=override)
        doc, repaired = _with_modelspace(doc)
        recovered = bool(repaired)
        if repaired:
            issues.add("recovered", example=repaired)
        if note:
            issues.add("encoding_corrected", example=note)
    except DrawingError:  # beyond a limit (`check_inventory`)
        raise
    except Exception as exc:  # DXFStructureError, IOError, UnicodeDecodeError ...
        if sniffed.fmt == "binary":
            raise DrawingError(path, _damaged(sniffed, exc), DAMAGED_ADVICE) from None
        doc = _recover(sniffed, exc)
        recovered = True
        issues.add("recovered", example=_short(exc))
        override = None
    if sniffed.truncated:
        issues.add("file_truncated")
    return Loaded(doc, _codec(doc, override), recovered)


def _quiet_ezdxf() -> None:
    """Keep ezdxf's repair warnings off the user's terminal.

    ezdxf logs every value it repairs; with no handler configured Python prints
    them to stderr, hundreds of lines for one damaged file.  A NullHandler on the
    "ezdxf" logger stops that and still lets an application's own logging
    configuration see the records (they propagate to the root logger).
    """
    logger = logging.getLogger("ezdxf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


# At import, too: every reader (this module's `load`, the fast reader's stub
# document) imports this module before it lets ezdxf parse anything.
_quiet_ezdxf()


def _recover(sniffed: Sniffed, first: Exception) -> Any:
    """ezdxf's recover mode; a DrawingError when even that fails."""
    from ezdxf import recover

    try:
        doc, _auditor = recover.readfile(sniffed.path)
        doc, _ = _with_modelspace(doc)
    except Exception:
        raise DrawingError(sniffed.path, _damaged(sniffed, first), DAMAGED_ADVICE) from None
    return doc


MODELSPACE_BLOCK = "*Model_Space"


class MissingModelspace(ValueError):
    """The document has no modelspace: no layout and no block record either."""


def _with_modelspace(doc: Any) -> tuple[Any, str]:
    """`doc`, or a `BlockModelspace` over it when its modelspace layout is missing,
    and what was repaired ("" for nothing).  Raises MissingModelspace when the
    modelspace block record is missing too."""
    try:
        doc.modelspace()
        return doc, ""
    except Exception:
        pass
    try:
        block = doc.blocks.get(MODELSPACE_BLOCK)
    except Exception:
        block = None
    if block is None:
        raise MissingModelspace("the modelspace is missing")
    return BlockModelspace(doc), "the layout dictionary has no modelspace entry"


class BlockModelspace:
    """A document whose ``modelspace()`` is its ``*Model_Space`` block layout.

    For a file whose layout dictionary lost its 'Model' entry: everything else is
    the document's own (header, blocks, tables, version, encoding).
    """

    def __init__(self, doc: Any) -> None:
        self._doc = doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._doc, name)

    def modelspace(self) -> Any:
        return self._doc.blocks.get(MODELSPACE_BLOCK)


def _codec_override(sniffed: Sniffed) -> tuple[str | None, str]:
    """A codec to read an old ASCII file with when its header names the wrong one.

    Returns the codec (None to trust the header) and a note for the report.
    """
    if sniffed.fmt != "ascii":
        return None, ""
    from ezdxf.filemanagement import dxf_file_info

    try:
        info = dxf_file_info(sniffed.path)
        if not uses_code_page(info.version):
            return None, ""
        with open(sniffed.path, "rb") as fp:
            data = fp.read()
    except Exception:
        return None, ""  # readfile will say what is wrong
    declared = python_codec(info.encoding)
    detected = detect_codec(data, declared)
    if detected is None:
        return None, ""
    note = f"the header declares {declared} but the text is {detected}; read as {detected}"
    return detected, note


def _read_binary(path: str) -> tuple[Any, str | None, str]:
    """A binary DXF read with ezdxf's tag loader, its strings re-decoded when the
    header names the wrong code page.

    ezdxf decodes a binary file's strings with the header's code page and ignores
    any override; so the strings it decoded are encoded back into the bytes they
    were (lossless: undecodable bytes are kept as surrogates) and, when those bytes
    are really in another codec, decoded again with it.  Returns the document, the
    codec used instead of the header's (or None) and a note for the report.
    """
    from ezdxf.document import Drawing as Document
    from ezdxf.lldxf.tagger import binary_tags_loader

    with open(path, "rb") as fp:
        data = fp.read()
    tags = list(binary_tags_loader(data))
    check_inventory(path, _binary_inventory(tags))
    version, codepage = _header_values(tags, "$ACADVER", "$DWGCODEPAGE")
    override, note = None, ""
    if uses_code_page(str(version or "AC1009")):
        declared = _python_codepage(str(codepage or "ANSI_1252"))
        override = _detect_in_strings(tags, declared)
        if override is not None:
            tags = _recoded(tags, declared, override)
            note = f"the header declares {declared} but the text is {override}; read as {override}"
    doc = Document.load(iter(tags))
    doc.filename = path
    return doc, override, note


def _binary_inventory(tags: list[Any]) -> Inventory:
    """`sniff.inventory` for a binary DXF, counted on its tags (the ASCII count works
    on lines, which a binary file does not have)."""
    entities = texts = most = count = 0
    kind = most_kind = "entity"
    for tag in tags:
        code = tag.code
        if code == 10:
            count += 1
        elif code == 0:
            entities += 1
            value = tag.value
            if value in ("TEXT", "MTEXT", "ATTRIB"):
                texts += 1
            if value != "VERTEX":  # a VERTEX belongs to its POLYLINE
                if count > most:
                    most, most_kind = count, kind
                count, kind = 0, str(value)[:40]
    if count > most:
        most, most_kind = count, kind
    return Inventory(entities, texts, most, most_kind)


def _header_values(tags: list[Any], *names: str) -> list[Any]:
    """The values of header variables (``9 / $NAME`` then the value tag), None if absent."""
    found: dict[str, Any] = {}
    for i, tag in enumerate(tags):
        if tag.code == 0 and tag.value == "ENDSEC":
            break  # the HEADER section comes first
        if tag.code == 9 and tag.value in names and i + 1 < len(tags):
            found.setdefault(tag.value, tags[i + 1].value)
    return [found.get(name) for name in names]


def _python_codepage(codepage: str) -> str:
    """The Python codec of a ``$DWGCODEPAGE`` value (``ANSI_936`` -> ``gbk``)."""
    from ezdxf.tools.codepage import toencoding

    return python_codec(toencoding(codepage))


def _detect_in_strings(tags: list[Any], declared: str) -> str | None:
    """`detect_codec` on the bytes of the binary file's non-ASCII strings."""
    raw = [_encoded(t.value, declared) for t in tags if _non_ascii(t.value)]
    sample = b"\n".join(b for b in raw if b is not None)
    return detect_codec(sample, declared) if sample else None


def _recoded(tags: list[Any], declared: str, codec: str) -> list[Any]:
    """`tags` with every non-ASCII string decoded again from its bytes with `codec`."""
    from ezdxf.lldxf.types import DXFTag

    out = list(tags)
    for i, tag in enumerate(tags):
        if _non_ascii(tag.value):
            raw = _encoded(tag.value, declared)
            if raw is not None:
                out[i] = DXFTag(tag.code, raw.decode(codec, "surrogateescape"))
    return out


def _non_ascii(value: Any) -> bool:
    return isinstance(value, str) and not value.isascii()


def _encoded(text: str, codec: str) -> bytes | None:
    """The bytes `text` was decoded from with `codec` (None when it cannot have been)."""
    try:
        return text.encode(codec, "surrogateescape")
    except UnicodeError:
        return None


def _codec(doc: Any, override: str | None) -> str:
    """The codec the document's text was actually decoded with."""
    if not uses_code_page(str(doc.dxfversion)):
        return "utf-8"
    return python_codec(override or doc.encoding)


def damaged_message(sniffed: Sniffed, detail: str) -> str:
    """The problem text for a file that cannot be used."""
    if sniffed.truncated:
        return f"file is truncated or damaged ({detail})"
    return f"file is damaged ({detail})"


def _damaged(sniffed: Sniffed, exc: Exception) -> str:
    return damaged_message(sniffed, _short(exc))


def _short(exc: Exception) -> str:
    """A one-line description of an ezdxf error."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
