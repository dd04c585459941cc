"""Terminal tables: the direct alignment used off a terminal draws what rich draws, cell for cell."""

from __future__ import annotations

import random

import pytest

from sovkg.core.tables import _aligned, _drawn, render_table

_PIECES = ["a", "é", "中", "x y", "[b]", "[/b]", "  ", "Z", "-", "ü", "🙂", "Santé"]


def _random_table(seed: int) -> tuple[list[str], list[list[str]]]:
    rng = random.Random(seed)
    width = rng.randint(1, 5)
    word = lambda low: "".join(rng.choice(_PIECES) for _ in range(rng.randint(low, 6)))  # noqa: E731
    return [word(1) for _ in range(width)], [[word(0) for _ in range(width)] for _ in range(rng.randint(0, 6))]


def _stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("seed", range(60))
def test_direct_alignment_equals_rich(seed: int) -> None:
    columns, rows = _random_table(seed)
    assert _stripped(_aligned(columns, rows)) == _stripped(_drawn(columns, rows, None, 0))


def test_cells_are_text_not_markup() -> None:
    # Labels with brackets (user spreadsheets have them) print as they are, on a terminal or not.
    rows = [["Data [beta] x", "[bold]y[/bold]"], ["[/x]", "中文"]]
    expected = "a              b\n─────────────────────────────\nData [beta] x  [bold]y[/bold]\n[/x]           中文"
    assert render_table(["a", "b"], rows) == expected
    assert render_table(["a", "b"], rows, width=200) == expected


def test_line_breaks_go_through_rich() -> None:
    # A cell holding a line break is laid out by rich (the second line stays in its column).
    assert render_table(["a", "b"], [["x\ny", "z"]]) == "a  b\n────\nx  z\ny"
