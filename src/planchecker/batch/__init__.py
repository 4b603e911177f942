"""Batch review (`planchecker batch DIR --out OUT`): every centre under a folder.

Four steps, each in its own module:

1. **Discovery** (`discovery`): the centres under DIR, their `centre.toml` settings
   and their output folder names.
2. **Work** (`work`, in a worker process): review one centre and write its outputs;
   `records` decides what a `--resume` may reuse.
3. **Pool** (`pool`): `--jobs` worker processes with a deadline per centre.
4. **Summary** (`run`): rows in path order (the same whatever `--jobs` and the order
   work finished in), written as `summary.csv`, `summary.json` and `index.html` by
   `presenting.batch_report`.

Safety: every file is written under OUT only, as a temporary file renamed into place
(never followed through a symbolic link); output folder names are derived from the
centre's path but sanitised and made unique, so they cannot escape OUT or collide;
drawings are only ever opened for reading.

    >>> from planchecker.batch import run_batch
    >>> result = run_batch("plans/", "out/", jobs=2)
    >>> result.exit_code, result.counts
    (1, {'centres': 30, 'pass': 12, 'fail': 10, 'error': 8})
"""

from __future__ import annotations

from .common import BatchError, OutputError
from .discovery import Centre, Skipped, discover, read_settings
from .model import CentreResult, Options, Task
from .records import centre_key
from .run import BatchResult, default_jobs, main_summary, run_batch
from .work import review_centre, thumbnail

__all__ = [
    "BatchError",
    "BatchResult",
    "Centre",
    "CentreResult",
    "Options",
    "OutputError",
    "Skipped",
    "Task",
    "centre_key",
    "default_jobs",
    "discover",
    "main_summary",
    "read_settings",
    "review_centre",
    "run_batch",
    "thumbnail",
]
