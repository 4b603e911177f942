"""Errors that end a review with exit code 2 and one line on stderr."""

from __future__ import annotations


class PlancheckerError(Exception):
    """Base for every error the CLI reports as one line and exit code 2."""

    exit_code = 2


class DrawingError(PlancheckerError):
    """A drawing could not be read or holds no floor plan.

    The message is one line: which file, what is wrong, what to do.
    """

    def __init__(self, path: str, problem: str, advice: str = "") -> None:
        self.path = path
        self.problem = problem
        self.advice = advice
        text = f"{path}: {problem}"
        if advice:
            text += f": {advice}"
        super().__init__(text)


class StandardFileError(PlancheckerError):
    """A standard file is missing or malformed."""
