"""The worker pool: `--jobs` processes, a deadline per centre, crashes survived.

Workers start from a fork server that has the pipeline imported.  A centre that runs
past `--timeout` has its worker killed; a worker that dies (a crash in native code,
the out-of-memory killer) is replaced; either way the centre becomes an `error` row
and the batch goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for_ready
from typing import Any

from .common import OutputError
from .model import CentreResult, Task, error_row

MAX_TASKS_PER_WORKER = 200  # a worker is replaced after this many centres (bounded memory)

Work = Callable[[Task], tuple[CentreResult, bool]]
_PRELOAD = [
    "planchecker.batch.work",
    "planchecker.api",
    "planchecker.reading",
    "planchecker.extraction",
    "planchecker.judge",
    "planchecker.presenting.json_report",
    "planchecker.presenting.overlay",
    "matplotlib.backends.backend_agg",
    "PIL.Image",
    "PIL.PngImagePlugin",
]


def _context():
    """Worker processes start from a fork server that has the pipeline imported:
    cheap to start and replace, and safe whatever threads the caller runs."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _worker_loop(conn, work: Work) -> None:
    """A worker: take a task, send back its row, until told to stop (None) or the
    batch goes away.  Ctrl-C is the batch's to handle: the worker ignores it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = work(task)
        except OutputError as exc:  # the batch's to stop
            outcome = OutputError(str(exc))
        except BaseException as exc:  # a work function that raised: still a row
            outcome = (error_row(task, f"internal error ({type(exc).__name__}: {exc})"), False)
        try:
            conn.send((task.index, outcome))
        except (OSError, EOFError):
            return


@dataclass
class _Slot:
    process: Any
    conn: Any
    task: Task | None = None
    started: float = 0.0
    done: int = 0


class Pool:
    """`jobs` worker processes with a deadline per task.

    A task past its deadline has its worker killed (SIGKILL: a hang in native code
    ignores anything gentler); a worker that dies mid-task is replaced; both make
    the task an error row.  One task at a time per worker, so a kill loses one centre.
    """

    def __init__(self, jobs: int, timeout: float, work: Work) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.work = work
        self.ctx = _context()
        self.slots: list[_Slot] = []

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(
            target=_worker_loop, args=(child, self.work), daemon=True, name="planchecker-batch"
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    @staticmethod
    def _stop(slot: _Slot, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError, EOFError, ValueError):
                slot.conn.send(None)
            slot.process.join(2.0)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(5.0)
        with contextlib.suppress(OSError):
            slot.conn.close()

    def run(
        self,
        tasks: Sequence[Task],
        on_result: Callable[[Task, CentreResult, bool], None],
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        queue = deque(tasks)
        retries: dict[int, int] = {}
        try:
            while queue or any(s.task is not None for s in self.slots):
                idle = [s for s in self.slots if s.task is None]
                while queue and len(self.slots) < self.jobs:
                    slot = self._start()
                    self.slots.append(slot)
                    idle.append(slot)
                for slot in idle:
                    if not queue:
                        break
                    task = queue.popleft()
                    try:
                        slot.conn.send(task)
                    except (OSError, EOFError, ValueError):  # the worker died idle
                        self._replace(slot)
                        retries[task.index] = retries.get(task.index, 0) + 1
                        if retries[task.index] > 2:
                            on_result(task, error_row(task, "could not start a worker"), False)
                        else:
                            queue.appendleft(task)
                        continue
                    slot.task, slot.started = task, time.monotonic()
                self._idle_surplus(queue)
                busy = [s for s in self.slots if s.task is not None]
                if not busy:
                    continue
                now = time.monotonic()
                wait = min(s.started + self.timeout - now for s in busy)
                handles = [s.conn for s in busy] + [s.process.sentinel for s in busy]
                ready = set(wait_for_ready(handles, timeout=max(0.0, min(wait, 0.5))))
                now = time.monotonic()
                for slot in busy:
                    self._check(slot, ready, now, on_result)
                if on_tick is not None:
                    on_tick()
        finally:
            for slot in self.slots:
                self._stop(slot, kill=slot.task is not None)
            self.slots = []

    def _idle_surplus(self, queue: deque) -> None:
        """Stop workers that nothing is left for."""
        if queue:
            return
        for slot in [s for s in self.slots if s.task is None]:
            self._stop(slot)
            self.slots.remove(slot)

    def _replace(self, slot: _Slot) -> None:
        self._stop(slot, kill=True)
        self.slots.remove(slot)

    def _check(self, slot: _Slot, ready: set, now: float, on_result) -> None:
        task = slot.task
        assert task is not None
        if slot.conn in ready:
            try:
                _index, outcome = slot.conn.recv()
            except (EOFError, OSError, ValueError, TypeError):
                pass  # died while answering: handled as a crash below
            else:
                if isinstance(outcome, OutputError):
                    raise outcome
                row, reused = outcome
                slot.task = None
                slot.done += 1
                on_result(task, row, reused)
                if slot.done >= MAX_TASKS_PER_WORKER:
                    self._stop(slot)
                    self.slots.remove(slot)
                return
        if slot.process.sentinel in ready or slot.conn in ready or not slot.process.is_alive():
            slot.process.join(1.0)
            code = slot.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            slot.task = None
            self._replace(slot)
            on_result(task, error_row(task, f"the review stopped unexpectedly ({how})"), False)
            return
        if now - slot.started >= self.timeout:
            slot.task = None
            self._replace(slot)
            on_result(
                task,
                error_row(
                    task,
                    f"timed out after {self.timeout:g} s (a very large or damaged drawing; "
                    "raise --timeout to allow more)",
                ),
                False,
            )

