"""SHA-256 of the standard file, without loading OpenSSL.

``import hashlib`` loads OpenSSL's libcrypto, which costs 3.4 MiB of resident memory
on CPython 3.11 on Linux: an eighth of all a review of a 10.8 MB drawing holds
beyond its imports, and the review only hashes one file of a few kilobytes.  CPython
ships its own SHA-256 (``_sha2`` from 3.12, ``_sha256`` before), the module hashlib
itself falls back to when OpenSSL is missing; its digests are the same.  A Python
built without it gets hashlib's.  See docs/performance.md ("Where the memory goes").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _constructor() -> Callable[[bytes], Any]:
    for name in ("_sha2", "_sha256"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        sha256 = getattr(module, "sha256", None)
        if sha256 is not None:
            return sha256
    from hashlib import sha256

    return sha256


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` as 64 lowercase hex digits, as hashlib gives it."""
    return _constructor()(data).hexdigest()
