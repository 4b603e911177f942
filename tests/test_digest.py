"""The standard's digest: the same as hashlib's, without loading OpenSSL on a review."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from planchecker.digest import sha256_hex
from planchecker.standards import DEFAULT_STANDARD, load_standard

SAMPLES = Path(__file__).resolve().parents[1] / "sample_plans"


def load_text() -> str:
    """The shipped standard's text, as the report's digest is taken of it."""
    shipped = resources.files("planchecker.standard_files") / f"{DEFAULT_STANDARD}.toml"
    return shipped.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [b"", b"abc", "服务大厅 = 120 m²\n".encode(), bytes(range(256)) * 1000],
    ids=["empty", "abc", "chinese", "256k"],
)
def test_digest_is_hashlibs(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_known_digest() -> None:
    # FIPS 180-2, appendix B.1
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_standard_digest_is_the_files(tmp_path: Path) -> None:
    text = "# 荆州 2016, a county's copy\n" + load_text()
    path = tmp_path / "county.toml"
    path.write_bytes(text.encode("utf-8"))
    assert load_standard(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_review_does_not_load_openssl() -> None:
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from planchecker.cli import main\n"
        f"r = CliRunner().invoke(main, ['review', {str(SAMPLES / 'compliant-centre.dxf')!r},"
        " '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps([json.loads(r.output)['standard']['sha256'],"
        " '_hashlib' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    digest, loaded = json.loads(out.stdout)
    assert loaded is False
    assert digest == hashlib.sha256(load_text().encode("utf-8")).hexdigest()
