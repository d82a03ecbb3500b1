"""Find the resolvable (120,8,1) design embedded in kring.core.seating.constructions.

The design solves the social golfer instance 15-8-w with no repeated pair for every w <= 17.
Its players are a point at infinity and 7 orbits a..g of Z_17 (player (x, i), x in Z_17); Z_17
acts by x -> x + t and gives the 17 rounds from one base round. The base round holds the table
{infinity, (0, a), ..., (0, g)} and 14 tables over the 112 other players, such that

* for every orbit i, the differences x - y of the pairs (x, i), (y, i) sharing a base table
  cover Z_17 \\ {0} exactly once;
* for every two orbits i != j, the differences x - y of the pairs (x, i), (y, j) sharing a base
  table cover Z_17 \\ {0} exactly once (the difference 0 is the infinity table's).

Then every pair of players shares exactly one table over the 17 rounds. The base round is
also asked to be fixed by the multiplier x -> -x, which halves the unknowns. (A 1-rotational
design over Z_119 does not exist: its two base tables would split the 16 nonzero classes of
Z_17 into the quadratic residues and the non-residues, and an exhaustive search of the Z_7
parts finds no solution.)

The model is CP-SAT (the ``bench`` extra: ``pip install -e '.[bench]'``) over one boolean per
orbit of pairs under x -> -x, "these two players share a base table": each player has 7
table-mates, the relation is transitive (so the tables are cliques of 8), and the difference
conditions above are sums equal to 1. One worker and seed 1 find the embedded design in 2 to 5
minutes (OR-Tools 9.15.6755); the script prints it in the format of ``_RBIBD_120_8`` and says
whether it is the embedded one.

    .venv/bin/python scripts/find_rbibd_120_8.py [--seed 1] [--time-limit 1200]
"""

from __future__ import annotations

import argparse
import itertools
import sys

from ortools.sat.python import cp_model

from kring.core.seating.constructions import _RBIBD_120_8

MODULUS = 17
ORBITS = "abcdefg"

Point = tuple[int, int]  # (x, orbit)


def solve(seed: int, time_limit: float) -> list[list[Point]] | None:
    """The 14 base tables over the players (x, i) with x != 0, or None if none was found."""
    q, k = MODULUS, len(ORBITS)
    points = [(x, i) for i in range(k) for x in range(1, q)]
    index = {p: n for n, p in enumerate(points)}
    model = cp_model.CpModel()

    def key(p: Point, r: Point) -> tuple[int, int]:
        a, b = index[p], index[r]
        return (a, b) if a < b else (b, a)

    # One variable per orbit of pairs under the multiplier -1.
    together: dict[tuple[int, int], cp_model.IntVar] = {}
    for p, r in itertools.combinations(points, 2):
        if key(p, r) in together:
            continue
        var = model.new_bool_var("")
        for u in (1, q - 1):
            together[key(((u * p[0]) % q, p[1]), ((u * r[0]) % q, r[1]))] = var

    def met(p: Point, r: Point) -> cp_model.IntVar:
        return together[key(p, r)]

    n = len(points)
    for a in range(n):
        model.add(sum(met(points[a], points[b]) for b in range(n) if b != a) == 7)
    for a, b, c in itertools.combinations(range(n), 3):
        pa, pb, pc = points[a], points[b], points[c]
        model.add_bool_or([met(pa, pb).Not(), met(pb, pc).Not(), met(pa, pc)])
        model.add_bool_or([met(pa, pb).Not(), met(pa, pc).Not(), met(pb, pc)])
        model.add_bool_or([met(pa, pc).Not(), met(pb, pc).Not(), met(pa, pb)])
    for i in range(k):
        for j in range(i, k):
            if i < j:
                for x in range(1, q):
                    model.add(met((x, i), (x, j)) == 0)
                for d in range(1, q):
                    terms = [met((x, i), ((x - d) % q, j)) for x in range(1, q) if (x - d) % q]
                    model.add(sum(terms) == 1)
            else:
                for d in range(1, (q + 1) // 2):
                    terms = [met((x, i), ((x - d) % q, i)) for x in range(1, q) if (x - d) % q]
                    model.add(sum(terms) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    tables, seen = [], set()
    for a in range(n):
        if a in seen:
            continue
        table = [a] + [b for b in range(n) if b != a and solver.value(met(points[a], points[b]))]
        seen.update(table)
        tables.append([points[b] for b in table])
    return tables


def as_text(tables: list[list[Point]]) -> str:
    """One line per base table, each pair {(x, i), (-x, i)} written ``<orbit><x>``, x <= 8."""
    lines = []
    for table in tables:
        halves = sorted({(i, min(x, MODULUS - x)) for x, i in table})
        if len(halves) * 2 != len(table):
            raise ValueError(f"a base table not fixed by x -> -x: {table}")
        lines.append(" ".join(f"{ORBITS[i]}{x}" for i, x in halves))
    return "\n".join(sorted(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=1200.0)
    args = parser.parse_args()
    tables = solve(args.seed, args.time_limit)
    if tables is None:
        print("no design found within the time limit")
        return 1
    text = as_text(tables)
    print(text)
    embedded = "\n".join(sorted(line for line in _RBIBD_120_8.split("\n") if line))
    print("the embedded design" if text == embedded else "a design other than the embedded one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
