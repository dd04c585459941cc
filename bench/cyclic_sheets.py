"""Write the issue's two cyclic ownership graphs as spreadsheet folders (``sovkg … --no-case --data DIR``).

- ``ring``: ``n`` companies, each holding 60 % of the next, the last holding 60 % of the first (one
  strongly connected component in which every company controls every other);
- ``random``: ``n`` companies and ``stakes`` random stakes (5 to 70 %, no self-stake, at most one per
  pair), seeded, so the graph has many cycles and a huge number of paths.

Each folder also holds one sensitive system hosted by company 0 (so that exposure has something to
find), company 0 established in France and every tenth company in the United States.

    python bench/cyclic_sheets.py ring 300 /tmp/ring
    python bench/cyclic_sheets.py random 500 /tmp/random --stakes 1000
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

SOURCE = "https://example.org/bench"


def _companies(n: int) -> list[list[str]]:
    return [[f"c{i}", f"Company {i}", "company", "US" if i % 10 == 5 else "FR", "", "", "", SOURCE]
            for i in range(n)]


def ring_stakes(n: int) -> list[tuple[int, int, float]]:
    """Company ``i`` holds 60 % of company ``i + 1`` (modulo ``n``)."""
    return [(i, (i + 1) % n, 60.0) for i in range(n)]


def random_stakes(n: int, stakes: int, seed: int = 7) -> list[tuple[int, int, float]]:
    """``stakes`` random stakes among ``n`` companies, at most one per (holder, held) pair."""
    rng = random.Random(seed)
    seen: set[tuple[int, int]] = set()
    out: list[tuple[int, int, float]] = []
    while len(out) < stakes:
        holder, held = rng.randrange(n), rng.randrange(n)
        if holder == held or (holder, held) in seen:
            continue
        seen.add((holder, held))
        out.append((holder, held, float(rng.randint(5, 70))))
    return out


def write(folder: Path, n: int, stakes: list[tuple[int, int, float]]) -> None:
    """Write the five templates for ``n`` companies and ``stakes`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)

    def table(name: str, header: list[str], rows: list[list[str]]) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows(rows)

    table("organisations.csv", ["id", "name", "kind", "country", "hq_country", "principal_country", "lei", "source"],
          _companies(n))
    table("stakes.csv", ["holder", "held", "capital_pct", "voting_pct", "veto", "board_majority", "valid_from",
                         "valid_until", "source"],
          [[f"c{h}", f"c{x}", f"{p:g}", f"{p:g}", "", "", "2020-01-01", "", SOURCE] for h, x, p in stakes])
    table("systems.csv", ["id", "name", "controller", "data_category", "sensitive", "source"],
          [["records", "Patient records", "c0", "personal-health", "true", SOURCE]])
    table("hosting.csv", ["system", "provider", "offer", "activities", "storage_country", "remote_access_countries",
                          "valid_from", "valid_until", "source"],
          [["records", "c0", "Cloud", "1;2;3;4;5;6", "FR", "", "2021-01-01", "", SOURCE]])
    table("certificates.csv", ["holder", "scheme", "offer", "activities", "valid_from", "valid_until", "issuer",
                               "source"], [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["ring", "random"])
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--stakes", type=int, default=1000)
    args = parser.parse_args()
    stakes = ring_stakes(args.n) if args.kind == "ring" else random_stakes(args.n, args.stakes)
    write(args.folder, args.n, stakes)


if __name__ == "__main__":
    main()
