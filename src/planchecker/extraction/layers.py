"""What a layer or block name says about the things drawn on it.

Design institutes name layers by habit, not by rule, but the habits are few: TArch
(天正) uses WALL, WINDOW, DOOR_FIRE, PUB_TEXT, SPACE, AXIS, DIM_SYMB ...; AutoCAD
offices use the AIA names (A-WALL, A-FURN, A-ANNO-DIMS ...) or Chinese ones (墙体,
家具, 尺寸标注 ...).  A role decides whether an outline on the layer can be a room,
whether a line on it bounds rooms, and whether its text can name a room.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache


class Role(Enum):
    WALL = "wall"  # bounds rooms
    WINDOW = "window"  # windows, glazing, curtain walls: span wall openings, bound rooms
    DOOR = "door"  # door leaves and swings: inside rooms, never bound them
    COLUMN = "column"  # solid inside rooms: a hole in the room
    ROOM = "room"  # room outlines, spaces, areas
    FURNITURE = "furniture"  # furniture, fixtures, equipment: never a room
    ANNOTATION = "annotation"  # dimensions, axes, symbols, hatching: never a room
    FRAME = "frame"  # sheet frames and title blocks
    TEXT = "text"
    OTHER = "other"


# Order matters: the first pattern that matches decides.  Patterns are searched in
# the upper-cased layer name.
_PATTERNS: tuple[tuple[Role, str], ...] = (
    (Role.FRAME, r"图框|图签|标题栏|会签|^TK|FRAME|BORDER|TITLE.?BLOCK|TTLB|SHEE?T|视口|VPORT"),
    (Role.ROOM, r"SPACE|ROOM|房间|空间"),
    (Role.ANNOTATION, r"留洞|洞口|人孔|HOLE|FLOOR|FINISH|地面|铺装|地坪"),
    (Role.FURNITURE, r"STAIR|楼梯|台阶|STEP|RAMP|坡道|扶手|RAIL"),
    (
        Role.ANNOTATION,
        r"DIM|尺寸|标注|AXIS|轴|标高|ELEV|索引|SYMB|符号|指北|NORTH|LEAD|引线|"
        r"DEFPOINTS|HATCH|填充|ANNO|PATT|网格|GRID|打印|NPLT|CLOUD|云线",
    ),
    (
        Role.FURNITURE,
        r"FURN|家具|EQUIP|设备|洁具|LVTRY|SANI|PLUMB|FIXT|卫浴|厨具|TOILET|CASE|"
        r"装饰|陈设|绿化|PLANT|LANDSCAPE|植物|车位|PARK|ELEC|电气|灯|LIGHT|"
        r"喷淋|消防|给排水|暖通|HVAC|MECH",
    ),
    (Role.COLUMN, r"COLU|柱|COL\b|^COL[-_]|-COL\b"),
    (Role.WINDOW, r"WIND|窗|GLAZ|GLASS|CRYSTAL|玻璃|幕墙|CURTAIN"),
    (Role.DOOR, r"DOOR|门|OPENING"),
    (Role.WALL, r"WALL|墙|PARTITION|隔断|STRU|结构|BEAM|梁"),
    (Role.ROOM, r"AREA|面积|功能|^RM|-RM|ZONE"),
    (Role.TEXT, r"TEXT|文字|字|NAME|名称|NOTE|说明"),
)

_COMPILED = tuple((role, re.compile(pattern)) for role, pattern in _PATTERNS)


@lru_cache(maxsize=4096)
def layer_role(name: str) -> Role:
    """The role a layer's name suggests; OTHER when it says nothing we know.

    A bound xref's layers are named `<xref>$0$<layer>`: the part after the last
    `$0$` is the layer's own name (`建.1F墙体$0$建-文字` is a text layer).
    """
    upper = name.rsplit("$0$", 1)[-1].upper()
    for role, pattern in _COMPILED:
        if pattern.search(upper):
            return role
    return Role.OTHER


# Blocks whose names say furniture, fixtures, doors or symbols.  TArch door and
# window libraries are $DorLib2D$..., $WinLib2D$...; AutoCAD design centre blocks
# are named in English.
_BLOCK_PATTERN = re.compile(
    r"\$DORLIB|\$WINLIB|DOOR|WIN|门|窗|FURN|CHAIR|DESK|TABLE|SOFA|BED|SINK|WC|TOILET|"
    r"BASIN|URINAL|LAV|KITCH|桌|椅|沙发|床|柜|洗|便|厕|蹲|盆|灶|NORTH|指北|AXIS|轴|"
    r"TITLE|图框|图签|TK|PLANT|TREE|CAR|车|STAIR|楼梯|ELEV|电梯|SYMBOL|SYM|箭头|ARROW"
)


@lru_cache(maxsize=4096)
def block_is_clutter(name: str | None) -> bool:
    """True when a block's name says it holds furniture, fixtures or symbols, not rooms."""
    if not name:
        return False
    return bool(_BLOCK_PATTERN.search(name.upper()))


_DOOR_BLOCK = re.compile(r"\$DORLIB|DOOR|门")


@lru_cache(maxsize=4096)
def door_block(name: str | None) -> bool:
    """True for a door block (TArch `$DorLib2D$...`, `DOOR-900`, `单扇门`): its leaf and
    swing are never walls, on whatever layer it was inserted."""
    return bool(name) and bool(_DOOR_BLOCK.search(name.upper()))


def can_bound_room(role: Role) -> bool:
    """Lines of these roles are walls for polygonisation (door swings are not: a
    leaf and its arc inside a room would cut a sector out of it)."""
    return role in (Role.WALL, Role.WINDOW, Role.COLUMN, Role.ROOM, Role.OTHER)


def can_be_room(role: Role) -> bool:
    """Closed outlines on these layers may be rooms.  Not wall layers: a closed
    outline there is a wall's body (a pier, a façade strip), or the outer wall line,
    which is used for the gross area instead."""
    return role in (Role.ROOM, Role.OTHER, Role.TEXT)
