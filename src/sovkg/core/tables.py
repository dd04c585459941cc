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
    """The table as text; ``width`` (default: the terminal's, else unlimited) bounds each line.

    Cells are text, never markup: brackets print as they are.

    >>> print(render_table(["name"], [["Santé [archived]"], ["[/x]"]]))
    name
    ────────────────
    Santé [archived]
    [/x]
    """
    if not columns:
        return ""
    limit = width if width is not None else terminal_width()
    if limit is None and _single_line(columns, rows):
        text = _aligned(columns, rows)
    else:
        text = _drawn(columns, rows, limit, indent)
    pad = " " * indent
    return "\n".join((pad + line).rstrip() for line in text.split("\n"))


def _single_line(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """True when no cell holds a control character (a line break or a tab), which rich would lay out."""
    return all(cell.isprintable() for cell in columns) and all(cell.isprintable() for row in rows for cell in row)


def _aligned(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The table rich draws at an unlimited width (cells padded to their column's width in terminal
    cells, two spaces between columns, a rule under the header), written directly: rich lays out
    each cell as a renderable, about 5 ms per row of 16 columns, which a 200-row answer felt."""
    from rich.cells import cell_len  # East Asian wide characters take two cells, as rich counts them

    lines = [list(columns), *(list(row) for row in rows)]
    sizes = [[cell_len(cell) for cell in line] for line in lines]
    widths = [max(size[i] for size in sizes) for i in range(len(columns))]
    out = []
    for number, (line, size) in enumerate(zip(lines, sizes, strict=True)):
        out.append("  ".join(cell + " " * (widths[i] - size[i]) for i, cell in enumerate(line)))
        if number == 0:
            out.append("─" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(out)


def _drawn(columns: Sequence[str], rows: Sequence[Sequence[str]], limit: int | None, indent: int) -> str:
    """The table drawn by rich, fitted to ``limit`` cells (long cells wrap inside their column)."""
    from rich import box  # imported here: a cached report prints without loading rich unless it has a table
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 1),
                  collapse_padding=True, header_style="", expand=False)
    for name in columns:
        table.add_column(Text(name), overflow="fold", no_wrap=limit is None)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    console = Console(file=buffer, width=max(10, (limit or _UNLIMITED) - indent), color_system=None,
                      force_terminal=False, force_jupyter=False, legacy_windows=False, highlight=False)
    console.print(table)
    return buffer.getvalue().rstrip("\n")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one.

    >>> plural(1, "row"), plural(2, "row"), plural(0, "violation"), plural(1, "rule", "rules")
    ('1 row', '2 rows', '0 violations', '1 rule')
    """
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
