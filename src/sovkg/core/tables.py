"""Plain-text tables for the terminal, drawn by ``rich``: columns stay aligned and fit the width.

Takes column names and rows of strings; gives the table as text (no colour codes). On a terminal
the table fits its width (long cells wrap inside their column); piped into a file or a program it
keeps every cell on one line, whatever its length.

>>> print(render_table(["system", "level"], [["Health Data Hub platform", "control"], ["DMP", "none"]]))
system                    level
─────────────────────────────────
Health Data Hub platform  control
DMP                       none
>>> print(render_table(["a", "b"], [["x" * 12, "y"]], width=10))
a        b
──────────
xxxxxxx  y
xxxxx
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Sequence

__all__ = ["plural", "render_table", "terminal_width"]

_UNLIMITED = 100_000


def terminal_width() -> int | None:
    """The width of the terminal stdout writes to, or None when stdout is not a terminal."""
    try:
        if sys.stdout.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        return None
    return None


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None = None,
                 indent: int = 0) -> str:
    """The table as text; ``width`` (default: the terminal's, else unlimited) bounds each line."""
    if not columns:
        return ""
    from rich import box  # imported here: a cached report prints without loading rich unless it has a table
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 1),
                  collapse_padding=True, header_style="", expand=False)
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=width is None and terminal_width() is None)
    for row in rows:
        table.add_row(*row)
    limit = width if width is not None else terminal_width()
    buffer = io.StringIO()
    console = Console(file=buffer, width=max(10, (limit or _UNLIMITED) - indent), color_system=None,
                      force_terminal=False, force_jupyter=False, legacy_windows=False, highlight=False)
    console.print(table)
    pad = " " * indent
    return "\n".join((pad + line).rstrip() for line in buffer.getvalue().rstrip("\n").split("\n"))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one.

    >>> plural(1, "row"), plural(2, "row"), plural(0, "violation"), plural(1, "rule", "rules")
    ('1 row', '2 rows', '0 violations', '1 rule')
    """
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
