"""What `--resume` trusts: a centre's key and the record written after its outputs.

A centre's `record.json` is written last, after every output it lists; a resumed run
reuses the outputs only when the key (drawings, settings, options, standard,
planchecker version) is unchanged and every listed output is still there with its
recorded size and hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .common import CENTRES_DIR, RECORD_FORMAT, RECORD_NAME, file_sha256
from .model import CentreResult, Task

_TMP_RE = re.compile(r"^\..+\.tmp-\d+$")


def centre_key(task: Task, hashes: Sequence[tuple[str, str]]) -> str:
    """What a centre's outputs depend on: its drawings' contents, its settings, the
    batch's options, the standard file and planchecker's version.  A resumed run
    reuses the outputs only when this is unchanged."""
    centre, options = task.centre, task.options
    material = {
        "format": RECORD_FORMAT,
        "planchecker": __version__,
        "standard": options.standard_sha256,
        "path": centre.path,
        "files": [list(h) for h in hashes],
        "name": centre.name,
        "build_type": task.build_type,
        "units": centre.units,
        "settings": centre.settings_sha256,
        "lang": options.lang,
        "dpi": options.dpi,
    }
    text = json.dumps(material, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()



def reusable_row(previous: dict, key: str, folder: str) -> CentreResult | None:
    """The last run's row when its key matches and every output it lists is intact."""
    try:
        if previous.get("format") != RECORD_FORMAT or previous.get("key") != key:
            return None
        outputs = previous["outputs"]
        for name, meta in outputs.items():
            if not _plain_name(name):
                return None
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != meta["size"]:
                return None
            if file_sha256(path) != meta["sha256"]:
                return None
        return CentreResult.from_dict(previous["row"])
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _plain_name(name: Any) -> bool:
    return (
        isinstance(name, str)
        and bool(name)
        and name not in (".", "..")
        and "/" not in name
        and os.sep not in name
        and "\x00" not in name
    )


def clear_outputs(folder: Path, previous: dict | None) -> None:
    """Before a centre is redone: drop its record (so that nothing half-done is ever
    trusted), the outputs the last run listed, and temporary files left by a kill."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / RECORD_NAME)
    names: list[str] = []
    if isinstance(previous, dict) and isinstance(previous.get("outputs"), dict):
        names = [n for n in previous["outputs"] if _plain_name(n)]
    for name in names:
        with contextlib.suppress(OSError):
            path = folder / name
            if not path.is_dir():
                os.unlink(path)
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if _TMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def read_record(out: str, slug: str) -> dict | None:
    """A centre's record.json from the last run, or None (missing, damaged, a link)."""
    path = os.path.join(out, CENTRES_DIR, slug, RECORD_NAME)
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 10 << 20:
            return None
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
