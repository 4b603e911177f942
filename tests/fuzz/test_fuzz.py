"""The fixed-seed fuzz run of the normal suite: 200 mutants of the sample plans.

Every mutant is reviewed in a forked child (tests/fuzz/run.py) with the 20 s hang
limit and a 2 GiB address-space limit, two at a time; the whole module takes about
20 s on two cores.  The long run is ``python tests/fuzz/run.py --cases 5000``; see
tests/fuzz/README.md for what counts as a failure and docs/robustness.md for its
last result.

Cases 0..199 of the default seed are the first 200 cases of the long run, so a case
that fails here is replayed with ``python tests/fuzz/run.py --replay SEED:INDEX``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mutate  # the folder is not a package: imported from sys.path
import run as fuzz

SEED = 20240601  # run.py's default seed
CASES = 200
JOBS = 2
REPROS = Path(__file__).resolve().parent / "repros"


@pytest.fixture(scope="module")
def fuzz_results(tmp_path_factory):
    """(case, outcome, result) for the 200 fixed-seed cases, run once per module."""
    root = tmp_path_factory.mktemp("fuzz")
    cases = mutate.cases(SEED, CASES)
    return list(fuzz.run_cases(cases, root, jobs=JOBS))


def _failures(rows) -> list[str]:
    return [
        f"{r.category}: {c.describe()[:240]}\n      {r.detail}" for c, _, r in rows if r.failed
    ]


# Known bugs (see docs/robustness.md, "Open bugs"): a failure matching one of these
# is expected until it is fixed; any other failure is a new one and fails at once.
KNOWN_BUGS: dict[str, Callable[[Any], bool]] = {
    # none open: B1, B2 and B11 are fixed (docs/robustness.md); add an entry here,
    # with a strict-xfail regression test on its repro, for the next one found
}


def _known(result) -> str | None:
    return next((name for name, match in KNOWN_BUGS.items() if match(result)), None)


def test_fuzz_200_no_new_failure(fuzz_results) -> None:
    """No traceback, hang, crash, memory blow-up or wrong pass beyond the known bugs."""
    assert len(fuzz_results) == CASES
    new = [
        f"{r.category}: {c.describe()[:240]}\n      {r.detail}"
        for c, _, r in fuzz_results
        if r.failed and _known(r) is None
    ]
    assert not new, "new fuzz failures:\n" + "\n".join(new)


def test_fuzz_200_clean(fuzz_results) -> None:
    """The Done-when criterion: 0 tracebacks, 0 hangs, 0 wrong passes in the 200 cases."""
    failures = _failures(fuzz_results)
    assert not failures, f"{len(failures)} failing cases:\n" + "\n".join(failures)


def test_fuzz_200_covers_every_outcome(fuzz_results) -> None:
    """The mutants are not all rejected at the door: some are reviewed, some refused."""
    counts = Counter(r.category for _, _, r in fuzz_results)
    assert counts["exit0"] + counts["exit1"] >= CASES // 4, counts
    assert counts["exit2"] >= CASES // 10, counts
    assert max(o.seconds for _, o, _ in fuzz_results) < fuzz.HANG_LIMIT


# ------------------------------------------------------------------ the harness itself


def test_mutator_is_deterministic() -> None:
    for index in (0, 7, 123):
        a, b = mutate.make_case(SEED, index), mutate.make_case(SEED, index)
        assert (a.data, a.mutations, a.target) == (b.data, b.mutations, b.target)
        assert a.data != a.target.read_bytes() or a.fmt == "binary"


def test_mutator_covers_every_mutation() -> None:
    """Over the 200 cases every kind of mutation is drawn at least once."""
    names = Counter(
        m.split(":")[0] for c in mutate.cases(SEED, CASES) for m in c.mutations
    )
    expected = set(mutate.ASCII_MUTATIONS) | {f"bin-{n}" for n in mutate.BINARY_MUTATIONS}
    missing = expected - set(names)
    assert len(missing) <= 3, f"never drawn: {sorted(missing)}"


@pytest.mark.parametrize("sample", mutate.samples(), ids=lambda s: s.name)
@pytest.mark.parametrize("fmt", ["ascii", "binary"])
def test_unmutated_samples_keep_their_verdict(sample, fmt, tmp_path: Path) -> None:
    """The harness and the binary serializer are sound: an unmutated sample, as ASCII
    or converted to binary DXF, gets its expected verdict and a clean outcome."""
    target = sample.files[0]
    data = target.read_bytes()
    if fmt == "binary":
        data = mutate.to_binary(data)
    case = mutate.Case(0, 0, sample, target, fmt, data)
    ((_, outcome, result),) = fuzz.run_cases([case], tmp_path, jobs=1)
    assert result.category == ("exit0" if sample.verdict == "pass" else "exit1"), (
        result,
        outcome.stderr[-500:],
    )


def test_harness_sees_a_traceback_and_a_hang(tmp_path: Path) -> None:
    """classify() is not blind: a traceback, noise on stderr and a hang are failures."""
    def outcome(code, err=b"", out=b"", timed_out=False):
        return fuzz.Outcome(code, None, out, err, 0.1, 1000, timed_out)

    tb = b'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: x\n'
    assert fuzz.classify(outcome(1, tb), "pass").category == "traceback"
    assert fuzz.classify(outcome(0, b"warn\nmore\n"), "pass").category == "traceback"
    assert fuzz.classify(outcome(None, timed_out=True), "pass").category == "hang"
    assert fuzz.classify(outcome(2, b"Error: x.dxf: file is empty\n"), "pass").category == "exit2"
    wrong = b'{"verdict": "pass", "findings": [], "read_issues": [{"code": "entity_unreadable", "count": 3, "detail": "x"}]}'  # noqa: E501
    assert fuzz.classify(outcome(0, out=wrong), "pass").category == "wrong_pass"
    fixed = b'{"verdict": "pass", "findings": [], "read_issues": []}'
    assert fuzz.classify(outcome(0, out=fixed), "fail").category == "wrong_pass"
    assert fuzz.classify(outcome(0, out=fixed), "fail", relabelled=True).category == (
        "suspicious_pass"
    )
    assert fuzz.classify(outcome(1, out=fixed), "pass").category == "crash"  # exit 1, pass


# ------------------------------------------------------------------ minimal repros


def _warnings(outcome) -> set[str]:
    """The rules a JSON report warns about (every rule is listed; only some warn)."""
    try:
        report = json.loads(outcome.stdout)
    except ValueError:
        return set()
    return {f["rule"] for f in report["findings"] if f["status"] == "warn"}


def _review(path: Path, tmp_path: Path, *args: str):
    task = fuzz.Task(path.name, ["review", str(path), "--format", "json", *args], tmp_path / "w")
    ((_, outcome),) = list(fuzz.run_tasks([task], jobs=1))
    return outcome


@pytest.mark.parametrize("where", ["stdout", "output"])
def test_repro_undecodable_layer_name(where: str, tmp_path: Path) -> None:
    """The layer name's undecodable bytes are replaced by U+FFFD in the report (the
    reader cleans every name), on standard output and in an --output file alike."""
    report = tmp_path / "report.json"
    args = ("--output", str(report)) if where == "output" else ()
    outcome = _review(REPROS / "undecodable-layer-name.dxf", tmp_path, *args)
    if where == "output":  # classify() reads the report from stdout
        assert not outcome.stdout, outcome.stdout[:200]
        outcome = dataclasses.replace(outcome, stdout=report.read_bytes())
    result = fuzz.classify(outcome, None)
    assert not result.failed, result
    text = outcome.stdout.decode("utf-8")  # strict: no surrogates were written
    assert "ROOM\ufffd\ufffd" in text  # the name as read, not "ROOM??" from the writer
    assert not list(tmp_path.glob("*.tmp")), "a half-written report was left behind"


def test_repro_vertex_at_1e300_is_quiet(tmp_path: Path) -> None:
    outcome = _review(REPROS / "vertex-1e300.dxf", tmp_path)
    result = fuzz.classify(outcome, None)
    assert not result.failed, (result, outcome.stderr.decode()[-600:])


def test_repro_far_line_does_not_merge_floors(tmp_path: Path) -> None:
    outcome = _review(REPROS / "far-line-merges-floors.dxf", tmp_path)
    result = fuzz.classify(outcome, "fail")
    assert result.category == "exit1" or "plan.read_quality" in _warnings(outcome), result


def test_repro_bridging_line_does_not_merge_floors(tmp_path: Path) -> None:
    outcome = _review(REPROS / "bridging-line-merges-floors.dxf", tmp_path)
    result = fuzz.classify(outcome, "fail")
    warned = _warnings(outcome) & {"plan.floor_conflict", "plan.read_quality"}
    assert result.category == "exit1" or warned, result


def test_repro_damaged_layout_dictionary_is_recovered(tmp_path: Path) -> None:
    outcome = _review(REPROS / "layout-dictionary-damaged.dxf", tmp_path)
    result = fuzz.classify(outcome, "fail")
    assert result.category in ("exit1", "suspicious_pass"), (result, outcome.stderr)


def test_repro_room_line_at_1e308(tmp_path: Path) -> None:
    outcome = _review(REPROS / "room-line-1e308.dxf", tmp_path)
    result = fuzz.classify(outcome, "pass")
    assert not result.failed, (result, outcome.stderr)


# ------------------------------------------------------------------ hypothesis

_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1e15, -1e15, 1e300, 5e-324, 2000.0]),
)
_INTS = st.one_of(
    st.integers(-(2**31), 2**31 - 1), st.sampled_from([0, 1, -1, 2**31 - 1, 10**6])
)
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=40
)


def _num(x: float | int) -> bytes:
    return repr(x).encode() if isinstance(x, int) else repr(float(x)).encode()


@st.composite
def _entity(draw) -> list[tuple[int, bytes]]:
    kind = draw(st.sampled_from(["LINE", "LWPOLYLINE", "TEXT", "INSERT", "CIRCLE", "ARC"]))
    tags: list[tuple[int, bytes]] = [(0, kind.encode()), (8, b"WALL")]
    if kind == "LINE":
        tags += [(c, _num(draw(_FLOATS))) for c in (10, 20, 11, 21)]
    elif kind == "LWPOLYLINE":
        n = draw(st.integers(0, 6))
        tags += [(90, _num(draw(_INTS) if draw(st.booleans()) else n)), (70, b"1")]
        for _ in range(n):
            tags += [(10, _num(draw(_FLOATS))), (20, _num(draw(_FLOATS)))]
    elif kind == "TEXT":
        tags += [(10, _num(draw(_FLOATS))), (20, _num(draw(_FLOATS))),
                 (40, _num(draw(_FLOATS))), (1, draw(_TEXT).encode()),
                 (50, _num(draw(_FLOATS)))]
    elif kind == "INSERT":
        tags += [(2, draw(st.sampled_from([b"NOPE", b"*Model_Space", b""]))),
                 (10, _num(draw(_FLOATS))), (20, _num(draw(_FLOATS))),
                 (41, _num(draw(_FLOATS))), (70, _num(draw(_INTS))), (71, _num(draw(_INTS))),
                 (44, _num(draw(_FLOATS))), (45, _num(draw(_FLOATS)))]
    else:
        tags += [(10, _num(draw(_FLOATS))), (20, _num(draw(_FLOATS))),
                 (40, _num(draw(_FLOATS)))]
        if kind == "ARC":
            tags += [(50, _num(draw(_FLOATS))), (51, _num(draw(_FLOATS)))]
    return tags


def _with_entities(entities: list[list[tuple[int, bytes]]]) -> bytes:
    """compliant-centre.dxf with `entities` added at the end of its ENTITIES section."""
    data = (mutate.SAMPLES_DIR / "compliant-centre.dxf").read_bytes()
    pairs, newline = mutate.split_tags(data)
    at = max(i for i, p in enumerate(pairs) if p == [b"  0", b"ENDSEC"])
    extra = [[str(code).rjust(3).encode(), value] for ent in entities for code, value in ent]
    return mutate.join_tags(pairs[:at] + extra + pairs[at:], newline)


@settings(
    max_examples=int(os.environ.get("FUZZ_HYPOTHESIS_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entities=st.lists(_entity(), min_size=1, max_size=4))
def test_hypothesis_odd_entities(entities, tmp_path: Path) -> None:
    """Entities with NaN, infinite, huge or tiny numbers and odd counts, added to a
    compliant plan: a review or one line, never a traceback or hang, and no warning
    on stderr (B2: the reader drops and reports such numbers)."""
    data = _with_entities(entities)
    path = tmp_path / "odd.dxf"
    path.write_bytes(data)
    workdir = tmp_path / f"w{abs(hash(data)) % 10**8}"
    task = fuzz.Task("odd", ["review", str(path), "--format", "json"], workdir)
    ((_, outcome),) = list(fuzz.run_tasks([task], jobs=1))
    result = fuzz.classify(outcome, None)
    assert not result.failed or _known(result), (result, outcome.stderr.decode()[-800:])
