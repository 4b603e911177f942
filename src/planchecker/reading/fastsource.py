"""The fast reader's view of a DXF file: its sections, block definitions and modelspace.

`FastSource` walks the structure entities `dxfscan.batches` hands out, as
``ezdxf.lldxf.loader.load_dxf_structure``, ``BlocksSection.load`` and
``EntitySection._build`` would: sections, BLOCK ... ENDBLK definitions, the
linking of VERTEX/ATTRIB/SEQEND to their POLYLINE/INSERT, and which entities
of the ENTITIES section belong to modelspace (owner handle first, then the
paperspace flag).  Each entity becomes an item for `fastread.FastExpander`:

- ``(I_LINE, layer, x1, y1, x2, y2)`` and
  ``(I_POLY, layer, [x, y, bulge, ...], closed, extrusion)`` for LINEs and
  LWPOLYLINEs read from their tags (see `_Planner`);
- ``(I_ENTITY, entity)`` for everything else: an ezdxf entity loaded by ezdxf from
  its own tags, or an `_Entity` stand-in (TEXT, CIRCLE, ARC, INSERT read from tags).

Everything that is not an entity of modelspace or of a block definition (header,
classes, tables, the BLOCK/ENDBLK entities, objects) is handed to ezdxf as a
"stub" document, built twice: once when modelspace starts (everything before
it, for block lookup), once at the end (the whole file, to be sure ezdxf would
have read it).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from ezdxf.entities.dxfentity import DXFTagStorage
from ezdxf.entities.dxfgfx import DXFGraphic
from ezdxf.entities.insert import Insert
from ezdxf.entitydb import DATABASE_EXCLUDE
from ezdxf.lldxf.types import POINT_CODES, TYPE_TABLE, DXFTag, is_valid_handle
from ezdxf.math import Vec3

from planchecker.reading.dxfscan import Unsupported, _int, batches
from planchecker.reading.entities import SKIPPED
from planchecker.reading.limits import MAX_ENTITIES

I_LINE, I_POLY, I_ENTITY = range(3)

SIMPLE = frozenset({"LINE", "CIRCLE", "ARC", "TEXT", "INSERT"})
# Skipped by the Expander and loaded by ezdxf with loaders that cannot fail on
# tags that passed dxfscan's checks, given no app data, embedded object or proxy
# graphic: only their tag layout is checked here.
LIGHT = frozenset(
    {
        "POINT", "SOLID", "TRACE", "3DFACE", "SHAPE", "XLINE", "RAY", "DIMENSION",
        "ARC_DIMENSION", "LARGE_RADIAL_DIMENSION", "SEQEND",
    }
)  # fmt: skip
LINKED = {"INSERT": "ATTRIB", "POLYLINE": "VERTEX"}
_APP_OR_EMBEDDED = frozenset({101, 102})
_PROXY_GRAPHIC = frozenset({92, 160, 310})
# Block names that stand for layouts, not for block definitions.
_LAYOUT_BLOCKS = ("*model_space", "*paper_space", "$model_space", "$paper_space")
MAX_PLANS = 20_000
MAX_DECODED = 200_000
# Pointers ezdxf follows while setting up layouts (see FastSource._layout_points_to).
_POINTERS = {"DICTIONARY": (350, 360), "LAYOUT": (330, 340), "BLOCK_RECORD": (340,)}
_READY = object()
_SENTINEL = DXFTag(0, "ENDSEC")  # follows an entity's tags when they are compiled alone


class _Decoder:
    """Raw values to text in the file's codec, as ezdxf's text stream decodes them
    (line by line is the same: no codec it uses has a newline inside a character)."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        "".encode(codec)  # an unknown codec fails here, as ezdxf's open() would
        self._cache: dict[bytes, str] = {}

    def __call__(self, raw: bytes) -> str:
        found = self._cache.get(raw)
        if found is None:
            found = raw.decode(self.codec, "surrogateescape")
            if len(self._cache) < MAX_DECODED:
                self._cache[raw] = found
        return found

    def tags(self, codes: list[int], values: list[bytes], s: int, e: int) -> list[DXFTag]:
        """Tags as ezdxf's ASCII loader yields them (code, text), not cached."""
        codec = self.codec
        return [DXFTag(codes[i], values[i].decode(codec, "surrogateescape")) for i in range(s, e)]


class _LoadingDoc:
    """What ``factory.load`` reads of the document while ezdxf loads a file: the
    header's DXF version (before ezdxf upgrades R13/R14 and older ones)."""

    def __init__(self, version: str) -> None:
        self.dxfversion = version


class _Dxf:
    """The DXF namespace of a stand-in: ezdxf's attribute semantics (a set value, else
    the attribute's DXF default; ``get`` gives the caller's default)."""

    __slots__ = ("_defs", "_values")

    def __init__(self, values: dict[str, Any], defs: Any) -> None:
        self._values = values
        self._defs = defs

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            pass
        attr = self._defs.get(key)
        if attr is None:
            from ezdxf.lldxf.const import DXFAttributeError

            raise DXFAttributeError(key)
        return attr.default

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._values:
            return self._values[key]
        if self._defs.get(key) is None:
            from ezdxf.lldxf.const import DXFAttributeError

            raise DXFAttributeError(key)
        return default

    def hasattr(self, key: str) -> bool:
        return key in self._values

    def is_supported(self, key: str) -> bool:
        return key in self._defs


class _Entity:
    """Stands in for an ezdxf TEXT, CIRCLE, ARC or INSERT read from its tags.

    INSERT's transform is ezdxf's own ``Insert.matrix44`` run on this object (it
    reads the DXF attributes, the OCS and the block's base point through
    ``block()``), so that it is the same matrix to the last bit.
    """

    __slots__ = ("_kind", "attribs", "doc", "dxf")

    def __init__(self, kind: str, values: dict[str, Any], defs: Any) -> None:
        self._kind = kind
        self.dxf = _Dxf(values, defs)
        self.attribs: list[Any] = []
        self.doc: Any = None

    def dxftype(self) -> str:
        return self._kind

    ocs = DXFGraphic.ocs
    block = Insert.block
    matrix44 = Insert.matrix44


class _Rec:
    """One structure entity read: its item for the Expander (None: nothing to expand),
    what decides its layout (owner, paperspace flag) and its linking."""

    __slots__ = ("follow", "item", "kind", "loaded", "owner", "pspace", "subs")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.item: tuple | None = None
        self.owner: bytes | None = None  # raw, as in the file
        self.pspace: int | None = None  # None: no paperspace attribute
        self.follow = False  # INSERT with ATTRIBs following
        self.loaded: Any = None  # the ezdxf entity when ezdxf loaded it
        self.subs: list[_Rec] = []


class FastSource:
    """One pass over a DXF file; `partial` is the stub document once modelspace starts."""

    def __init__(self, path: str, codec: str) -> None:
        self.path = path
        self.text = _Decoder(codec)
        self.version = "AC1009"  # ezdxf's default for a file without header
        self.stub_tags: list[DXFTag] = []
        self.sections: list[str] = []
        self.blocks: dict[str, list[tuple]] = {}
        self.partial: Any = None
        self.doc: Any = None
        self._record_handles: set[str] = set()  # handles of BLOCK_RECORD table entries
        self._block_entities: list[Any] = []  # ezdxf entities of block definitions
        self._msp: Any = None  # the handle of the *Model_Space block record
        self._planner: _Planner | None = None
        self._entities = self._structure()
        self._steps = self._run()
        if next(self._steps) is not _READY:
            raise Unsupported("modelspace before the stub")

    # ------------------------------------------------------------- the walk

    def modelspace_items(self) -> Iterator[tuple]:
        """The items of modelspace, in order, while the rest of the file is read."""
        yield from self._steps

    def block_items(self, name: str) -> list[tuple]:
        """The items of a block definition (empty for a block record without one)."""
        return self.blocks.get(name.lower(), [])

    def finish(self, drain: bool = False) -> None:
        """Read what follows modelspace and check that ezdxf reads the whole file.

        `drain`: modelspace was left unfinished (the Expander stopped with an error);
        its remaining entities are read, not expanded.
        """
        for _ in self._steps:
            if not drain:
                raise Unsupported("modelspace items after modelspace")
        if self.doc is None:
            raise Unsupported("the file was not read to its end")

    def _structure(self) -> Iterator[tuple[str, list[int], list[bytes], int, int]]:
        """Structure entities: (type, codes, values, start, end)."""
        for codes, values, starts in batches(self.path):
            for k in range(len(starts) - 1):
                s = starts[k]
                raw = values[s]
                yield (
                    raw.strip().decode("ascii") if raw.isascii() else self.text(raw).strip(),
                    codes,
                    values,
                    s,
                    starts[k + 1],
                )

    def _run(self) -> Iterator[Any]:
        """load_dxf_structure: sections up to ENDSEC, EOF required; modelspace items
        are yielded as the ENTITIES section is read, after one _READY."""
        eof = False
        for kind, codes, values, s, e in self._entities:
            if kind == "SECTION":
                name = self._section(codes, values, s, e)
                if name == "ENTITIES":
                    self._stub_partial()
                    yield _READY
                    yield from self._entities_section()
                elif name == "BLOCKS":
                    self._blocks_section()
                else:
                    self._kept_section(name)
            elif kind == "ENDSEC":
                raise Unsupported("ENDSEC without SECTION")
            elif kind == "EOF":
                eof = True
            # anything else lies outside every section: ezdxf ignores it
        if not eof:
            raise Unsupported("no EOF")
        if self.partial is None:
            self._stub_partial()
            yield _READY
        self._stub_full()

    def _section(self, codes: list[int], values: list[bytes], s: int, e: int) -> str:
        if e - s < 2 or codes[s + 1] != 2:
            raise Unsupported("a section without its name")
        name = self.text(values[s + 1])
        if name in self.sections:
            raise Unsupported(f"section {name} twice")
        if self.partial is not None and name in ("HEADER", "CLASSES", "TABLES", "BLOCKS"):
            raise Unsupported(f"section {name} after ENTITIES")
        if name == "HEADER" and self._planner is not None:
            raise Unsupported("the header after the entities")
        self.sections.append(name)
        self.stub_tags.extend(self.text.tags(codes, values, s, e))
        return name

    def _section_entities(self) -> Iterator[tuple[str, list[int], list[bytes], int, int]]:
        """The structure entities of the current section, up to its ENDSEC."""
        for entity in self._entities:
            kind = entity[0]
            if kind == "ENDSEC":
                self.stub_tags.append(DXFTag(0, "ENDSEC"))
                return
            if kind in ("SECTION", "EOF"):
                raise Unsupported("missing ENDSEC")
            yield entity
        raise Unsupported("missing ENDSEC")

    def _kept_section(self, name: str) -> None:
        """A section ezdxf reads as a whole (HEADER, CLASSES, TABLES, OBJECTS ...)."""
        for kind, codes, values, s, e in self._section_entities():
            tags = self.text.tags(codes, values, s, e)
            self.stub_tags.extend(tags)
            if name == "TABLES" and kind == "BLOCK_RECORD":
                self._record_handles.update(t.value for t in tags if t.code == 5)
        if name == "HEADER":
            self.version = _header_version(self.stub_tags)

    # ------------------------------------------------------------- blocks

    def _blocks_section(self) -> None:
        """BlocksSection.load: content between BLOCK and ENDBLK, linked as ezdxf links."""
        planner = self._planner_for()
        block: list[DXFTag] | None = None
        content: list[tuple] = []
        for rec in self._linked(self._section_entities(), planner, keep_structure=True):
            if rec.kind == "BLOCK":
                block = rec.item  # type: ignore[assignment]
                content = []
            elif rec.kind == "ENDBLK":
                if block is not None:
                    self._define(block, content)
                block = None
                content = []
            elif rec.item is not None:
                content.append(rec.item)

    def _define(self, block: Any, content: list[tuple]) -> None:
        """One block definition: its BLOCK entity's name is the key ezdxf uses."""
        from ezdxf.entities import factory
        from ezdxf.lldxf.extendedtags import ExtendedTags

        try:
            entity = factory.load(ExtendedTags(_compiled(block)), _LoadingDoc(self.version))
            name = entity.dxf.get("name", "")
        except Exception as exc:  # ezdxf.readfile fails on this file
            raise Unsupported(f"ezdxf cannot load a BLOCK: {exc}") from None
        if not name:
            raise Unsupported("a BLOCK without a name")  # ezdxf would guess one
        key = str(name).lower()
        if key in self.blocks:
            raise Unsupported(f"block {name!r} defined twice")
        if key.startswith(_LAYOUT_BLOCKS) and content:
            raise Unsupported("layout content in the BLOCKS section")
        self.blocks[key] = content

    # ------------------------------------------------------------- entities

    def _entities_section(self) -> Iterator[tuple]:
        """EntitySection._build: the modelspace items, streamed."""
        planner = self._planner_for()
        msp_key = self._msp
        psp_key = self.partial.block_records.get("*Paper_Space").dxf.handle
        invented = msp_key not in self._record_handles or psp_key not in self._record_handles
        codec = self.text.codec
        msp = msp_key.encode(codec, "surrogateescape")
        psp = psp_key.encode(codec, "surrogateescape")
        self.stub_tags.append(DXFTag(0, "ENDSEC"))  # the stub's ENTITIES stays empty
        count, most = 0, MAX_ENTITIES
        for rec in self._linked(self._section_entities_raw(), planner):
            owner, pspace = rec.owner, rec.pspace
            if owner is not None and invented:
                # ezdxf invents the missing *Model_Space/*Paper_Space record with a
                # handle that depends on the whole file: owners cannot be compared
                raise Unsupported("entities owned by an invented layout")
            if owner == msp:
                pass
            elif owner == psp or pspace:
                continue
            count += 1
            if count > most:  # Expander.modelspace refuses it up front, with the count
                raise Unsupported("more modelspace entities than the reader takes")
            if rec.item is not None:
                yield rec.item

    def _section_entities_raw(self) -> Iterator[tuple[str, list[int], list[bytes], int, int]]:
        """The ENTITIES section's entities; its ENDSEC is already in the stub."""
        for entity in self._entities:
            kind = entity[0]
            if kind == "ENDSEC":
                return
            if kind in ("SECTION", "EOF"):
                raise Unsupported("missing ENDSEC")
            yield entity
        raise Unsupported("missing ENDSEC")

    def _linked(
        self,
        entities: Iterator[tuple[str, list[int], list[bytes], int, int]],
        planner: _Planner,
        keep_structure: bool = False,
    ) -> Iterator[_Rec]:
        """entity_linker: VERTEX/ATTRIB after their POLYLINE/INSERT up to SEQEND are
        linked to it, anything else in between is a structure error."""
        main: _Rec | None = None
        expected = ""
        for kind, codes, values, s, e in entities:
            if keep_structure and kind in ("BLOCK", "ENDBLK"):
                if main is not None:
                    raise Unsupported(f"{kind} inside linked entities")
                tags = self.text.tags(codes, values, s, e)
                self.stub_tags.extend(tags)
                rec = _Rec(kind)
                rec.item = tags  # type: ignore[assignment]
                yield rec
                continue
            rec = planner.record(kind, codes, values, s, e)
            if main is not None:
                if kind == "SEQEND":
                    yield self._linked_done(main)
                    main = None
                elif kind == expected:
                    main.subs.append(rec)
                else:
                    raise Unsupported("linked entities out of order")
                continue
            if kind == "POLYLINE" or (kind == "INSERT" and rec.follow):
                main, expected = rec, LINKED[kind]
                continue
            yield rec
        if main is not None:
            yield self._linked_done(main)

    def _linked_done(self, main: _Rec) -> _Rec:
        """Attach the linked VERTEXes or ATTRIBs to their entity."""
        entity = main.loaded
        for sub in main.subs:
            if sub.loaded is None:
                raise Unsupported("a linked entity not loaded by ezdxf")
            if entity is not None:
                entity.link_entity(sub.loaded)
            elif main.item is not None:
                main.item[1].attribs.append(sub.loaded)
        return main

    # ------------------------------------------------------------- stubs

    def _planner_for(self) -> _Planner:
        if self._planner is None:
            self._planner = _Planner(self.text, self.version, self._block_entities)
        return self._planner

    def _stub_partial(self) -> None:
        """The stub of everything before modelspace, for block lookup and layouts."""
        tags = list(self.stub_tags)
        if "ENTITIES" in self.sections:
            tags.append(DXFTag(0, "ENDSEC"))
        tags.append(DXFTag(0, "EOF"))
        self.partial = _stub(tags)
        self._msp = self.partial.block_records.get("*Model_Space").dxf.handle
        for entity in self._block_entities:
            entity.doc = self.partial
        self._planner_for().doc = self.partial

    def _stub_full(self) -> None:
        """The stub of the whole file: ezdxf must read it, and as the partial one."""
        doc = _stub([*self.stub_tags, DXFTag(0, "EOF")])
        if str(doc.dxfversion) != str(self.partial.dxfversion):
            raise Unsupported("the stubs disagree")
        try:
            modelspace = doc.modelspace().block_record.dxf.handle
        except Exception as exc:  # the ezdxf path fails there too
            raise Unsupported(f"ezdxf finds no modelspace: {exc!r}") from None
        if modelspace != self._msp:
            # ezdxf set up modelspace anew (its LAYOUT object is damaged): the
            # entities owned by the *Model_Space record are not in it
            raise Unsupported("modelspace is not the *Model_Space block record")
        db = doc.entitydb
        handles = np.unique(np.frombuffer(self._planner_for().handles, dtype=np.uint64))
        if _any_in(db.keys(), handles):
            # ezdxf would file the entity in place of a table entry or an object
            raise Unsupported("an entity with the handle of a table entry or an object")
        if self._layout_points_to(handles):
            raise Unsupported("a layout or dictionary pointing to an entity")
        self.doc = doc

    def _layout_points_to(self, handles: np.ndarray) -> bool:
        """True when a dictionary entry, a LAYOUT's owner or block record, or a block
        record's layout is the handle of an entity of modelspace or a block.

        ezdxf resolves those pointers while it sets up the layouts, expecting objects
        and block records, and fails on an entity; the stub, which holds no
        entities, would not.  (Other pointers to entities, a GROUP's members, a draw
        order table, an extension dictionary's owner, are resolved without a type.)
        """
        kind, pointers = "", []
        for tag in self.stub_tags:
            code = tag.code
            if code == 0:
                kind = tag.value.strip()
            elif code in _POINTERS.get(kind, ()):
                pointers.append(str(tag.value))
        return _any_in(pointers, handles)


def _any_in(keys: Iterable[str], handles: np.ndarray) -> bool:
    """Whether one of the handle strings `keys` is one of `handles` (sorted numbers).

    Compared as numbers, "0A" and "A" are one handle: that can only find a match
    where the strings differ, which sends the file to ezdxf, never the reverse.
    """
    numbers = []
    for key in keys:
        try:
            numbers.append(int(key, 16))
        except (TypeError, ValueError):
            continue  # not hexadecimal: no entity has it
    wanted = np.array([n for n in numbers if 0 <= n < 1 << 64], dtype=np.uint64)
    return bool(len(wanted) and len(handles) and np.isin(wanted, handles).any())


class _Plan:
    """How to read one layout of group codes of one entity type: the tag offsets of
    the attributes the Expander reads, as ezdxf's loader would fill them."""

    __slots__ = ("attrs", "ids", "kind", "layer", "line", "offs", "pspace")

    def __init__(self, kind: str, attrs: dict[str, tuple[int, int]], ids: tuple) -> None:
        self.kind = kind
        self.ids = ids  # (code, offset) of the base class's 5 and 330 tags, in order
        self.layer = attrs.pop("layer", (-1, _STR))[0]
        self.pspace = attrs.pop("paperspace", None)
        self.attrs = tuple(attrs.items())  # the others: (name, (offset, conversion))
        self.line: tuple[int, int, int, int] | None = None  # LINE: x1, y1, x2, y2
        self.offs: list[int] = []  # LWPOLYLINE: x, y, bulge (-1: none) of each vertex
        if kind == "LINE":
            start, end = attrs.get("start", (-1, 0))[0], attrs.get("end", (-1, 0))[0]
            self.line = (start, start + 1 if start >= 0 else -1, end, end + 1 if end >= 0 else -1)


class _Planner:
    """Entity tags to records: read from the tags when their layout has a plan,
    else loaded by ezdxf."""

    def __init__(self, text: _Decoder, version: str, loaded: list[Any]) -> None:
        from ezdxf.entities import Arc, Circle, Insert, Line, LWPolyline, Text
        from ezdxf.entities.arc import merged_arc_group_codes
        from ezdxf.entities.circle import merged_circle_group_codes
        from ezdxf.entities.dxfgfx import acdb_entity_group_codes
        from ezdxf.entities.insert import merged_insert_group_codes
        from ezdxf.entities.line import merged_line_group_codes
        from ezdxf.entities.lwpolyline import acdb_lwpolyline_group_codes
        from ezdxf.entities.text import merged_text_group_codes

        self.text = text
        self.version = version
        self.loading = _LoadingDoc(version)
        self.doc: Any = None  # the partial stub, once there is one
        self.loaded = loaded  # ezdxf entities waiting for the stub
        self.maps = {
            "LINE": merged_line_group_codes,
            "CIRCLE": merged_circle_group_codes,
            "ARC": merged_arc_group_codes,
            "TEXT": merged_text_group_codes,
            "INSERT": merged_insert_group_codes,
        }
        self.defs = {
            "LINE": Line.DXFATTRIBS,
            "CIRCLE": Circle.DXFATTRIBS,
            "ARC": Arc.DXFATTRIBS,
            "TEXT": Text.DXFATTRIBS,
            "INSERT": Insert.DXFATTRIBS,
            "LWPOLYLINE": LWPolyline.DXFATTRIBS,
        }
        self.entity_codes = acdb_entity_group_codes
        self.lw_codes = acdb_lwpolyline_group_codes
        self.plans: dict[str, dict[tuple[int, ...], _Plan | None]] = {}
        # the handles of the entities of modelspace and blocks, as numbers: 8 bytes
        # each, not a bytes object and a set slot (92,000 of them in a 20 MB file)
        self.handles = array("Q")

    def record(self, kind: str, codes: list[int], values: list[bytes], s: int, e: int) -> _Rec:
        rec = _Rec(kind)
        plans = self.plans.get(kind)
        if plans is None and (kind in SIMPLE or kind in LIGHT or kind == "LWPOLYLINE"):
            plans = self.plans[kind] = {}
        if plans is not None:
            sig = tuple(codes[s:e])
            if sig in plans:
                plan = plans[sig]
            else:
                plan = self._plan(kind, sig)
                if len(plans) < MAX_PLANS:
                    plans[sig] = plan
            if plan is not None:
                self._apply(rec, plan, values, s)
                return rec
        if kind in DATABASE_EXCLUDE:
            raise Unsupported(f"a {kind} among the entities")
        self._load(rec, codes, values, s, e)
        return rec

    def _bound(self, handle: bytes | None) -> None:
        """EntityDB.add of an entity with this handle (its raw bytes): ezdxf refuses
        "0" and what is not hexadecimal (here: anything not plain ASCII hex too)."""
        if handle is not None:
            if handle == b"0":
                raise Unsupported("the handle 0")
            try:
                self.handles.append(int(handle, 16))
            except (ValueError, OverflowError):
                raise Unsupported(f"an invalid handle {handle!r}") from None

    # ----------------------------------------------------------- ezdxf loads

    def _load(self, rec: _Rec, codes: list[int], values: list[bytes], s: int, e: int) -> None:
        from ezdxf.entities import factory
        from ezdxf.lldxf.extendedtags import ExtendedTags

        tags = self.text.tags(codes, values, s, e)
        try:
            entity = factory.load(ExtendedTags(_compiled(tags)), self.loading)
        except Exception as exc:  # ezdxf.readfile fails on this file
            raise Unsupported(f"ezdxf cannot load a {rec.kind}: {exc}") from None
        kind = entity.dxftype()
        if not isinstance(entity, DXFGraphic | DXFTagStorage):
            # ezdxf files it in the layout all the same, and may fail doing so
            raise Unsupported(f"a {kind} among the entities")
        if kind == "MTEXT" and _mtext_acts_on_load(entity):
            raise Unsupported("an MTEXT with columns or a text frame")
        if kind == "INSERT":
            _check_block_name(entity.dxf.name)
        codec = self.text.codec
        handle = entity.dxf.handle
        if handle is not None and (handle == "0" or not is_valid_handle(handle)):
            raise Unsupported(f"an invalid handle {handle!r}")
        if handle is not None:
            try:
                self.handles.append(int(handle, 16))
            except (ValueError, OverflowError):
                raise Unsupported(f"an invalid handle {handle!r}") from None
        rec.loaded = entity
        owner = entity.dxf.owner
        rec.owner = None if owner is None else str(owner).encode(codec, "surrogateescape")
        rec.pspace = entity.dxf.paperspace if entity.dxf.hasattr("paperspace") else None
        rec.follow = kind == "INSERT" and bool(entity.dxf.get("attribs_follow", 0))
        if self.doc is not None:
            entity.doc = self.doc
        else:
            self.loaded.append(entity)
        if kind not in SKIPPED:
            rec.item = (I_ENTITY, entity)

    # ----------------------------------------------------------- plans

    def _plan(self, kind: str, codes: tuple[int, ...]) -> _Plan | None:
        if _APP_OR_EMBEDDED.intersection(codes):
            return None
        try:
            xdata = codes.index(1001)
        except ValueError:
            xdata = len(codes)
        if xdata < len(codes) and min(codes[xdata:]) < 1000:
            return None
        tags = _compile_codes(codes, xdata)
        if kind in LIGHT:
            if _PROXY_GRAPHIC.intersection(codes):
                return None
            base = tuple((c, o) for c, o, _ in tags[: _first_subclass(tags)] if c in (5, 330))
            return _Plan(kind, {}, base)
        if kind == "LWPOLYLINE":
            return self._lw_plan(tags)
        return self._simple_plan(kind, tags)

    def _simple_plan(self, kind: str, tags: list[tuple[int, int, int]]) -> _Plan:
        """simple_dxfattribs_loader: every mapped group code of every subclass, the
        last one wins; handle and owner from the base class (before the first 100)."""
        mapping = self.maps[kind]
        attrs: dict[str, tuple[int, int]] = {}
        ids: list[tuple[int, int]] = []
        base = True
        for code, off, width in tags:
            if code == 100:
                base = False
            if base and code in (5, 330):
                ids.append((code, off))
            name = mapping.get(code)
            if isinstance(name, str) and not name.startswith("*"):
                attrs[name] = (off, _conversion(code, width))
        return _Plan(kind, attrs, tuple(ids))

    def _lw_plan(self, tags: list[tuple[int, int, int]]) -> _Plan | None:
        """An LWPOLYLINE as DXFGraphic + LWPolyline.load_dxf_attribs read it, for the
        plain layout only: base class of handle and owner, AcDbEntity, AcDbPolyline."""
        if self.version == "AC1009":  # ezdxf reads every entity of an R12 file as R12
            return None
        parts: list[list[tuple[int, int, int]]] = [[]]
        for tag in tags:
            if tag[0] == 100:
                parts.append([])
            parts[-1].append(tag)
        if len(parts) != 3:
            return None
        base, entity, poly = parts
        if any(code not in (0, 5, 330) for code, _, _ in base):
            return None
        if _PROXY_GRAPHIC.intersection(code for code, _, _ in entity):
            return None
        from ezdxf.entities.dxfns import GRAPHIC_ATTRIBUTES_TO_RECOVER

        attrs: dict[str, tuple[int, int]] = {}
        for code, off, width in entity[1:]:
            name = self.entity_codes.get(code)
            if isinstance(name, str) and not name.startswith("*"):
                attrs[name] = (off, _conversion(code, width))
        vertices: list[list[int]] = []  # [x, y, bulge or -1] offsets
        for code, off, width in poly[1:]:
            if code == 10:
                vertices.append([off, off + 1, -1])
            elif code in (20, 40, 41, 42):
                if code == 42 and vertices:
                    vertices[-1][2] = off
            elif code in GRAPHIC_ATTRIBUTES_TO_RECOVER:
                return None  # ezdxf would take it as the entity's (recover mode)
            else:
                name = self.lw_codes.get(code)
                if isinstance(name, str) and not name.startswith("*"):
                    attrs[name] = (off, _conversion(code, width))
        plan = _Plan("LWPOLYLINE", attrs, tuple((c, o) for c, o, _ in base if c in (5, 330)))
        plan.offs = [o for vertex in vertices for o in vertex]
        return plan

    def _apply(self, rec: _Rec, plan: _Plan, values: list[bytes], s: int) -> None:
        """The record of an entity read by its plan."""
        handle = owner = None  # DXFNamespace's loop over the base class
        for code, off in plan.ids:
            if code == 5:
                handle = values[s + off]
                if owner:
                    break
            else:
                owner = values[s + off]
                if handle:
                    break
        self._bound(handle)
        rec.owner = owner
        if plan.pspace is not None:
            off, conv = plan.pspace
            rec.pspace = _convert(values, s + off, conv, self.text)
        kind = plan.kind
        if kind in LIGHT:
            return
        layer = self.text(values[s + plan.layer]) if plan.layer >= 0 else "0"
        if kind == "LINE":
            x1, y1, x2, y2 = (float(values[s + o]) if o >= 0 else 0.0 for o in plan.line)  # type: ignore[union-attr]
            rec.item = (I_LINE, layer, x1, y1, x2, y2)
            return
        text = self.text
        attrs = {name: _convert(values, s + off, conv, text) for name, (off, conv) in plan.attrs}
        if "extrusion" in attrs:
            attrs["extrusion"] = _vec3(attrs["extrusion"])
        if kind == "LWPOLYLINE":
            xyb = [float(values[s + o]) if o >= 0 else 0.0 for o in plan.offs]
            closed = bool(attrs.get("flags", 0) & 1)
            rec.item = (I_POLY, layer, xyb, closed, attrs.get("extrusion"))
        else:  # TEXT, CIRCLE, ARC, INSERT: stand-ins for the Expander's own code
            attrs["layer"] = layer
            for name in ("center", "insert", "align_point"):
                if name in attrs:
                    attrs[name] = _vec3(attrs[name])
            entity = _Entity(kind, attrs, self.defs[kind])
            if kind == "INSERT":
                _check_block_name(entity.dxf.name)
                rec.follow = bool(attrs.get("attribs_follow", 0))
                entity.doc = self.doc
                if self.doc is None:
                    self.loaded.append(entity)
            rec.item = (I_ENTITY, entity)


# ------------------------------------------------------------------ helpers

_FLOAT, _INT, _STR, _POINT2, _POINT3 = range(5)


def _compile_codes(codes: tuple[int, ...], end: int) -> list[tuple[int, int, int]]:
    """The tags ezdxf's tag compiler makes of `codes[:end]`: (code, offset, width),
    a point's x, y (and z when its code follows) becoming one tag."""
    out: list[tuple[int, int, int]] = []
    i = 1  # after the entity's type
    while i < end:
        code = codes[i]
        if code in POINT_CODES:
            width = 3 if i + 2 < end and codes[i + 2] == code + 20 else 2
        else:
            width = 1
        out.append((code, i, width))
        i += width
    return out


def _first_subclass(tags: list[tuple[int, int, int]]) -> int:
    """Index of the first subclass marker among compiled tags (the base class ends)."""
    return next((i for i, tag in enumerate(tags) if tag[0] == 100), len(tags))


def _conversion(code: int, width: int) -> int:
    if width == 3:
        return _POINT3
    if width == 2:
        return _POINT2
    caster = TYPE_TABLE.get(code, str)
    return _FLOAT if caster is float else _INT if caster is int else _STR


def _convert(values: list[bytes], i: int, conv: int, text: _Decoder) -> Any:
    if conv == _FLOAT:
        return float(values[i])
    if conv == _STR:
        return text(values[i])
    if conv == _INT:
        return _int(values[i])
    if conv == _POINT2:
        return (float(values[i]), float(values[i + 1]))
    return (float(values[i]), float(values[i + 1]), float(values[i + 2]))


def _vec3(value: Any) -> Any:
    return Vec3(value) if isinstance(value, tuple) else value


def _mtext_acts_on_load(mtext: Any) -> bool:
    """True when MText.post_load_hook would change the document: it unlinks the MTEXT
    entities of its columns from their layout and destroys its text frame entities."""
    from ezdxf.entities.mtext import extract_mtext_text_frame_handles

    if mtext.has_columns:
        return True
    return bool(mtext.xdata and extract_mtext_text_frame_handles(mtext.xdata))


def _check_block_name(name: Any) -> None:
    """An INSERT of a layout (modelspace, paperspace) is ezdxf's business."""
    if name is not None and str(name).lower().startswith(_LAYOUT_BLOCKS):
        raise Unsupported("an INSERT of a layout block")


def _compiled(tags: list[DXFTag]) -> Any:
    """The entity's tags through ezdxf's tag compiler, as in the stream of the file.

    A sentinel tag follows them: alone, the compiler loses a point that ends the
    list (it looks for a z and meets the end of the stream; the very bug of
    ``iterdxf.single_pass_modelspace`` that drops the file's last entity).
    """
    from ezdxf.lldxf.tagger import tag_compiler
    from ezdxf.lldxf.tags import Tags

    compiled = Tags(tag_compiler(iter([*tags, _SENTINEL])))
    if not compiled or compiled[-1] != (0, "ENDSEC"):
        raise Unsupported("the tag compiler lost the end of an entity")
    compiled.pop()
    return compiled


def _header_version(stub_tags: list[DXFTag]) -> str:
    """$ACADVER as ezdxf's HeaderSection reads it from the HEADER section's first entity."""
    from ezdxf.sections.header import HeaderSection

    start = next(
        i
        for i in range(len(stub_tags) - 1)
        if stub_tags[i].code == 0
        and stub_tags[i].value.strip() == "SECTION"
        and stub_tags[i + 1] == (2, "HEADER")
    )
    end = next(
        (i for i in range(start + 1, len(stub_tags)) if stub_tags[i].code == 0), len(stub_tags)
    )
    try:
        header = HeaderSection.load(_compiled(stub_tags[start:end]))
    except Exception as exc:
        raise Unsupported(f"ezdxf cannot read the header: {exc}") from None
    return str(header.get("$ACADVER", "AC1009"))


def _stub(tags: list[DXFTag]) -> Any:
    """An ezdxf document of the given tags (the file without its entities)."""
    from ezdxf.document import Drawing

    try:
        return Drawing.load(iter(tags))
    except Exception as exc:
        raise Unsupported(f"ezdxf cannot read the document: {exc}") from None
