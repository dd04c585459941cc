"""A progress line on stderr for steps that take more than a second, drawn by ``rich``.

Takes a description of a step; gives a context manager. When stderr is a terminal and the step
is still running after ``delay`` seconds, a spinner with the description and the elapsed time
appears on stderr, and disappears when the step ends. When stderr is not a terminal (piped into a
file, a program or a test) nothing at all is written, so the output a program reads never changes.

>>> with progress("Counting"):
...     sum(range(10))
45
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["progress"]


@contextmanager
def progress(description: str, *, delay: float = 1.0, console: Console | None = None) -> Iterator[None]:
    """Show ``description`` with a spinner on stderr while the body runs, if it runs longer than ``delay``."""
    if console is None:
        try:
            interactive = sys.stderr.isatty()
        except (AttributeError, ValueError):
            interactive = False
        if not interactive:
            yield
            return
        from rich.console import Console

        console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    from rich.status import Status

    status = Status(f"{description}…", console=console, spinner="dots")
    lock = threading.Lock()
    shown = False
    finished = False

    def show() -> None:
        nonlocal shown
        with lock:
            if not finished:
                status.start()
                shown = True

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            finished = True
            if shown:
                status.stop()
