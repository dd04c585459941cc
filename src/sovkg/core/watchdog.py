"""A time limit that holds whatever runs under it (rdflib, Oxigraph, any Python or native code).

Takes a number of seconds and a message; gives a context manager. When the body runs longer than
the limit, a timer thread prints ``sovkg: error: <message>`` on stderr and ends the process at once
with exit code 2 (``os._exit``: nothing buffered on stdout is written, no half answer). Meant for
the command line, where a runaway query (a cartesian product) must not run for hours.

>>> with time_limit(30, "too slow"):
...     sum(range(10))
45
>>> time_limit(0, "x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: --timeout 0: give a positive number of seconds
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sovkg.core.errors import SovkgInputError

__all__ = ["DEFAULT_TIMEOUT", "checked_timeout", "time_limit"]

DEFAULT_TIMEOUT = 60.0
"""Seconds a query may run from the command line unless ``--timeout`` says otherwise."""


def time_limit(seconds: float, message: str) -> Any:
    """A context manager that ends the process (exit 2, ``message`` on stderr) after ``seconds``."""
    return _limit(checked_timeout(seconds), message)


def checked_timeout(seconds: float) -> float:
    """``seconds`` if it is a positive finite number, else a :class:`SovkgInputError`."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise SovkgInputError(f"--timeout {seconds:g}: give a positive number of seconds")
    return seconds


@contextmanager
def _limit(seconds: float, message: str) -> Iterator[None]:
    def expire() -> None:
        try:
            if sys.stderr.isatty():  # a progress line may be drawn, with the cursor hidden: clear it
                sys.stderr.write("\r\x1b[2K\x1b[?25h")
            sys.stderr.write(f"sovkg: error: {message}\n")
            sys.stderr.flush()
        finally:
            os._exit(2)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
