"""Text at sovkg's edges: control characters refused on input, escaped for the terminal and CSV.

Takes strings (an RDF literal, a spreadsheet cell, a line meant for a person, a CSV cell) and gives
them back checked or escaped. One place for every writer, so that no output path forgets:

- :func:`control_character` finds a character an input may not hold (C0 and C1 controls other than
  tab, line feed and carriage return, DEL, and the bidirectional embedding, override and isolate
  marks that can make text read differently from what it is — "Trojan Source");
- :func:`terminal_safe` escapes them (and carriage returns) in text meant for a terminal;
- :func:`csv_text` writes CSV whose cells cannot start a spreadsheet formula (OWASP "CSV
  injection": a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
  single quote).

>>> control_character("plain text, tab\\tand new line\\n") is None
True
>>> describe(control_character("evil\\u202eexe.pdf") or "")
'U+202E (RIGHT-TO-LEFT OVERRIDE)'
>>> terminal_safe("red \\x1b[31m text")
'red \\\\x1b[31m text'
>>> print(csv_text(["name", "share"], [["=HYPERLINK(\\"http://x\\")", -5], ["Acme", 50]]), end="")
name,share
"'=HYPERLINK(""http://x"")",'-5
Acme,50
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters an input may not hold: C0 except tab, LF, CR; DEL; C1; bidi embeddings, overrides, isolates."""

_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters escaped in text for a terminal: the above and carriage return (it overwrites a line)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is read as a formula by spreadsheet programs."""


def control_character(text: str) -> str | None:
    """The first character of ``text`` that an input may not hold, or None.

    >>> control_character("a\\x00b")
    '\\x00'
    """
    found = _CONTROL.search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """Name a character for an error message: its code point and, when it has one, its Unicode name.

    >>> describe("\\x1b")
    'U+001B (control character)'
    """
    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Escape control and bidi-override characters (and carriage returns) as ``\\xNN`` / ``\\uNNNN``.

    Tabs and new lines pass: they are how a table or a paragraph is laid out.

    >>> terminal_safe("ok\\tok\\nok\\r\\u202e")
    'ok\\tok\\nok\\\\x0d\\\\u202e'
    """
    return _TERMINAL.sub(_escape, text)


class TerminalWriter:
    """A text stream that passes everything written to it through :func:`terminal_safe`.

    >>> buffer = io.StringIO()
    >>> print("a\\x1bb", file=TerminalWriter(buffer))
    >>> buffer.getvalue()
    'a\\\\x1bb\\n'
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` escaped; return the length of ``text`` (as a stream would)."""
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def csv_cell(value: object) -> str:
    """One CSV cell as text: ``None`` is empty, a formula start gets a leading single quote.

    Carriage returns become line feeds: the writer quotes a cell holding its line terminator
    (``\\n``) but not a lone ``\\r``, which would split the row for a reader.

    >>> csv_cell("@SUM(A1)"), csv_cell(None), csv_cell(3), csv_cell("a-b"), csv_cell("a\\r\\nb\\rc")
    ("'@SUM(A1)", '', '3', 'a-b', 'a\\nb\\nc')
    """
    text = "" if value is None else str(value)
    text = "'" + text if text.startswith(FORMULA_STARTS) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document (``\\n`` line ends) whose every cell went through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in header])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return buffer.getvalue()


def excel_csv(text: str) -> str:
    """Rewrite comma-separated CSV for a French (or other continental) Excel: ``;`` separators and a UTF-8 BOM.

    Excel set to a locale whose decimal separator is a comma splits CSV on ``;`` and reads a file as
    UTF-8 only when it starts with a byte-order mark; values are kept as they are (quoted where they
    hold a ``;``, a quote or a line break).

    >>> excel_csv('system,label\\nkg:a,"Dupont, Durand; associés"\\n')
    '\\ufeffsystem;label\\nkg:a;"Dupont, Durand; associés"\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(row)
    return "\ufeff" + out.getvalue()
