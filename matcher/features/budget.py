"""One budget per file, for every format: time and memory, checked where work can grow.

Parsing a CV must finish or be refused within :data:`MAX_FILE_SECONDS` of CPU time and
:data:`MAX_FILE_MEMORY` bytes of memory growth. :func:`file_budget` opens the budget for one file
(``parse_cv`` does, so ``load_cvs`` gets it per file); every loop whose length depends on the input
(PDF pages and operators, DOCX paragraphs, dated entries of a CV) calls :func:`check`, which raises
:class:`BudgetExceededError` naming the limit and the stage. A batch turns that into a failure row
for the file; the next file gets a fresh budget.

What no loop can interrupt is bounded before it starts instead: the byte caps of
:mod:`matcher.features.documents` (file size, a DOCX's uncompressed parts and each XML part) keep
one library call from taking the budget's memory in a single step.

    >>> with file_budget(seconds=5.0):
    ...     check("a loop")   # well within the budget: nothing happens
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from matcher.errors import InputTooLargeError

__all__ = [
    "MAX_FILE_SECONDS",
    "MAX_FILE_MEMORY",
    "BudgetExceededError",
    "file_budget",
    "check",
    "deadline",
    "resident_memory",
    "clock",
]

#: CPU-time budget of parsing one file (seconds of this thread's CPU time, so that a loaded
#: machine does not turn a file that parses on a quiet one into a failure): a file still being
#: parsed then is refused, and
#: with the time to stop (a library call in progress, freeing a large document) the refusal comes
#: within 15 s.
MAX_FILE_SECONDS = 12.0
#: Memory a file's parse may add to the process (bytes of resident memory over the start).
MAX_FILE_MEMORY = 500 * 1024 * 1024
#: The memory is read every this many checks (reading it costs a system call).
MEMORY_EVERY = 64


def clock() -> float:
    """The budget's clock: CPU seconds of the calling thread (waiting for a core not counted)."""
    return time.thread_time()


class BudgetExceededError(InputTooLargeError):
    """A file's parse ran past its time or memory budget."""


def resident_memory() -> int | None:
    """Resident memory of this process in bytes (Linux), None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@dataclass
class _Budget:
    seconds: float
    memory: int
    name: str | None
    deadline: float = 0.0
    rss0: int | None = None
    checks: int = field(default=0)

    def check(self, stage: str) -> None:
        if clock() > self.deadline:
            raise BudgetExceededError(
                f"parsing stopped at the per-file time limit of {self.seconds:g} s ({stage})",
                path=self.name,
            )
        self.checks += 1
        if self.rss0 is not None and not self.checks % MEMORY_EVERY:
            rss = resident_memory()
            if rss is not None and rss - self.rss0 > self.memory:
                raise BudgetExceededError(
                    f"parsing stopped at the per-file memory limit of {self.memory >> 20} MB "
                    f"({stage})",
                    path=self.name,
                )


_CURRENT: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "matcher_file_budget", default=None
)


@contextlib.contextmanager
def file_budget(
    *,
    seconds: float | None = None,
    memory: int | None = None,
    name: str | os.PathLike[str] | None = None,
) -> Iterator[None]:
    """The budget of one file for the code inside (default :data:`MAX_FILE_SECONDS` and
    :data:`MAX_FILE_MEMORY`); nested calls keep the outer budget."""
    if _CURRENT.get() is not None:
        yield
        return
    budget = _Budget(
        float(MAX_FILE_SECONDS if seconds is None else seconds),
        int(MAX_FILE_MEMORY if memory is None else memory),
        None if name is None else os.fspath(name),
    )
    budget.deadline = clock() + budget.seconds
    budget.rss0 = resident_memory()
    token = _CURRENT.set(budget)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check(stage: str) -> None:
    """Raise :class:`BudgetExceededError` when the current file is past its budget."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check(stage)


def deadline() -> float:
    """The current file's deadline (:func:`clock` seconds), infinity without a budget."""
    budget = _CURRENT.get()
    return float("inf") if budget is None else budget.deadline
