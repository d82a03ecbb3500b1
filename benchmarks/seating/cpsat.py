"""A fair CP-SAT peer for the social golfer problem (OR-Tools, 2 workers, same time limit).

The model minimises repeated pairs at the requested number of weeks:

* ``x[w, p, g]``: player p plays in group g in week w; one group per player and week, ``s``
  players per group;
* ``t[w, i, j] >= x[w, i, g] + x[w, j, g] - 1`` for every group g: i and j share a group
  in week w (one variable per week and pair; minimisation keeps it 0 otherwise), and
  ``meet[i, j] = sum over w of t``;
* ``excess[i, j] >= meet[i, j] - 1``, minimise the sum of excesses;
* symmetry breaking (the usual ones, valid whenever a repeat-free season exists): week 0 is
  fixed (player p in group p // s); in every later week the players 0..s-1, who met in week
  0, sit in groups 0..s-1 in order (group relabelling); and the group of player s is
  non-decreasing over weeks 1..w-1 (week permutation).
"""

from __future__ import annotations

import itertools
import time

from ortools.sat.python import cp_model

__all__ = ["solve", "solve_feasible"]


def solve(
    groups: int, size: int, weeks: int, *, time_limit: float, workers: int = 2, seed: int = 0
) -> tuple[list[list[list[int]]] | None, float]:
    """Return (rounds, seconds) of the best schedule CP-SAT finds, or (None, seconds)."""
    clock = time.perf_counter()
    n = groups * size
    model = cp_model.CpModel()
    x = {
        (w, p, g): model.new_bool_var(f"x{w}_{p}_{g}")
        for w in range(weeks)
        for p in range(n)
        for g in range(groups)
    }
    for w in range(weeks):
        for p in range(n):
            model.add_exactly_one(x[w, p, g] for g in range(groups))
        for g in range(groups):
            model.add(sum(x[w, p, g] for p in range(n)) == size)
    excess = []
    for i, j in itertools.combinations(range(n), 2):
        together = []
        for w in range(weeks):
            # t >= x[w,i,g] + x[w,j,g] - 1 for every group: t is 1 when i and j share a group
            # (the objective keeps it 0 otherwise).
            t = model.new_bool_var("")
            for g in range(groups):
                model.add_bool_or([t, x[w, i, g].Not(), x[w, j, g].Not()])
            together.append(t)
        e = model.new_int_var(0, weeks, "")
        model.add(e >= sum(together) - 1)
        excess.append(e)
    model.minimize(sum(excess))

    # Symmetry breaking.
    for p in range(n):
        model.add(x[0, p, p // size] == 1)
    if size <= groups:
        for w in range(1, weeks):
            for j in range(size):
                model.add(x[w, j, j] == 1)
    if weeks > 2 and n > size:
        group_of = []
        for w in range(1, weeks):
            y = model.new_int_var(0, groups - 1, "")
            model.add(y == sum(g * x[w, size, g] for g in range(groups)))
            group_of.append(y)
        for a, b in itertools.pairwise(group_of):
            model.add(a <= b)

    solver = cp_model.CpSolver()
    # The solver gets the whole time limit; building the model is reported on top.
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    seconds = time.perf_counter() - clock
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, seconds
    rounds = [
        [[p for p in range(n) if solver.value(x[w, p, g])] for g in range(groups)]
        for w in range(weeks)
    ]
    return rounds, seconds


def solve_feasible(
    groups: int, size: int, weeks: int, *, time_limit: float, workers: int = 2, seed: int = 0
) -> tuple[list[list[list[int]]] | None, float]:
    """The plain feasibility model: no pair twice, no objective (the fairer peer on the pure
    instances, where a repeat-free season exists and CP-SAT need not prove anything optimal).

    ``x[w, p, g]`` as in :func:`solve`; for each pair and week a ``t`` that is 1 exactly when
    they share a group (``t = OR_g (x[w,i,g] AND x[w,j,g])``), at most one such week per pair;
    the same symmetry breaking. Returns (rounds, seconds) or (None, seconds).
    """
    clock = time.perf_counter()
    n = groups * size
    model = cp_model.CpModel()
    x = {
        (w, p, g): model.new_bool_var(f"x{w}_{p}_{g}")
        for w in range(weeks)
        for p in range(n)
        for g in range(groups)
    }
    for w in range(weeks):
        for p in range(n):
            model.add_exactly_one(x[w, p, g] for g in range(groups))
        for g in range(groups):
            model.add(sum(x[w, p, g] for p in range(n)) == size)
    for i, j in itertools.combinations(range(n), 2):
        meets = []
        for w in range(weeks):
            for g in range(groups):
                both = model.new_bool_var("")
                model.add_bool_and([x[w, i, g], x[w, j, g]]).only_enforce_if(both)
                model.add_bool_or([x[w, i, g].Not(), x[w, j, g].Not()]).only_enforce_if(both.Not())
                meets.append(both)
        model.add_at_most_one(meets)
    for p in range(n):
        model.add(x[0, p, p // size] == 1)
    if size <= groups:
        for w in range(1, weeks):
            for j in range(size):
                model.add(x[w, j, j] == 1)
    if weeks > 2 and n > size:
        group_of = []
        for w in range(1, weeks):
            y = model.new_int_var(0, groups - 1, "")
            model.add(y == sum(g * x[w, size, g] for g in range(groups)))
            group_of.append(y)
        for a, b in itertools.pairwise(group_of):
            model.add(a <= b)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    seconds = time.perf_counter() - clock
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, seconds
    rounds = [
        [[p for p in range(n) if solver.value(x[w, p, g])] for g in range(groups)]
        for w in range(weeks)
    ]
    return rounds, seconds
