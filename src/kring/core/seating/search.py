"""Greedy start plus tabu search over table swaps, with incremental evaluation in NumPy.

The model is one number per pair of people: ``c[i, j]``, how often i and j share a table in
the planned meetings. A plan costs

    sum over pairs i < j of   lin[i, j] * c[i, j]  +  quad * q(c[i, j] + base[i, j])

with q(x) = x (x - 1) / 2, so adding one more shared table to a pair costs
``lin + quad * (c + base)``. ``lin`` carries the hard never-together rule (a huge weight),
variety (same sector or organisation) and meet-again rewards (negative); ``base`` is the
recency-weighted history; the quadratic term spreads unavoidable repeats evenly. For a pure
social-golfer season ``lin = base = 0`` and ``quad = 1``: the cost is zero exactly when no
pair meets twice, and equals the number of repeated pairs while no pair meets three times.

Every move swaps two people at different tables of one meeting, so table sizes never change
(the start fixes them as evenly as capacities allow). The gain of *every* swap of every
meeting is computed at once: with ``inc = lin + quad * (base + c)`` and a one-hot seating
tensor ``O[r, p, t]``, ``S = inc @ O`` gives each person's added cost at each table, and a swap
of a (table A) and b (table B) changes the cost by

    S[a, B] + S[b, A] - 2 inc[a, b] - own[a] - own[b]

with own[p] = S[p, table(p)] - quad (|table(p)| - 1)

This is the incremental evaluation of Dotú & Van Hentenryck (2005), vectorised: one matrix
product and a few element-wise operations per iteration. Swapped people are tabu for a random
tenure (aspiration: a tabu move is allowed when it beats the best plan); when the search stalls
it restarts from the best plan with a few random swaps. Randomness comes from one seeded
generator and the search stops after a fixed number of iterations (or on reaching a target
cost), so the same seed gives the same plan; the time limit is only a safety stop.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

__all__ = ["HARD", "SearchInstance", "SearchResult", "greedy_start", "plan_cost", "tabu_search"]

HARD = 1.0e6  # the cost of one broken never-together pair; larger than any soft total


@dataclass
class SearchInstance:
    """A numeric seating problem over people 0..n-1.

    Attributes
    ----------
    n : number of people.
    present : per meeting, the indices of the people present.
    sizes : per meeting, the number of people to seat at each table (sums to len(present)).
    fixed : per meeting, person -> table index for people who may not move.
    lin, base : (n, n) symmetric float arrays with a zero diagonal (see the module docstring).
    quad : weight of the quadratic repeat term.
    fresh, need, fresh_weight : one meeting only (see :func:`tabu_search`): ``fresh[p, q]`` is 1
        when p and q never sat together (and may), ``need[p]`` how many such table-mates p
        should get (0..2); each one p gets fewer costs ``fresh_weight``.
    """

    n: int
    present: list[NDArray[np.int64]]
    sizes: list[list[int]]
    fixed: list[dict[int, int]]
    lin: NDArray[np.float64]
    base: NDArray[np.float64]
    quad: float
    fresh: NDArray[np.float64] | None = None
    need: NDArray[np.float64] | None = None
    fresh_weight: float = 0.0

    @property
    def meetings(self) -> int:
        return len(self.present)

    @property
    def tables(self) -> int:
        return max((len(s) for s in self.sizes), default=0)


@dataclass
class SearchResult:
    """The best seating found: ``tables[r, p]`` is p's table at meeting r (-1 when absent)."""

    tables: NDArray[np.int64]
    cost: float
    iterations: int
    seconds: float


def plan_cost(inst: SearchInstance, tables: NDArray[np.int64]) -> float:
    """The exact cost of a seating (see the module docstring), recomputed from scratch."""
    counts = _pair_counts(inst.n, tables, inst.tables)
    upper = np.triu(np.ones((inst.n, inst.n), dtype=bool), 1)
    x = counts + inst.base
    q = x * (x - 1) / 2 - inst.base * (inst.base - 1) / 2
    return float((inst.lin * counts + inst.quad * q)[upper].sum())


def _pair_counts(n: int, tables: NDArray[np.int64], n_tables: int) -> NDArray[np.float64]:
    onehot = _onehot(tables, n_tables)
    counts = np.einsum("rpt,rqt->pq", onehot, onehot)
    np.fill_diagonal(counts, 0)
    return counts


def _onehot(tables: NDArray[np.int64], n_tables: int) -> NDArray[np.float64]:
    w, n = tables.shape
    onehot = np.zeros((w, n, max(n_tables, 1)))
    r, p = np.nonzero(tables >= 0)
    onehot[r, p, tables[r, p]] = 1.0
    return onehot


def greedy_start(inst: SearchInstance, rng: np.random.Generator) -> NDArray[np.int64]:
    """Seat meeting after meeting, each person at the open table where they add the least cost.

    People with hard rules go first (most constrained first, as in DSatur), then the others in
    random order; earlier meetings of the plan count, as in the greedy start of Triska & Musliu
    (2012), so the start already avoids most repeats.
    """
    n, t_count = inst.n, inst.tables
    tables = np.full((inst.meetings, n), -1, dtype=np.int64)
    counts = np.zeros((n, n))
    hard_degree = (inst.lin >= HARD / 2).sum(axis=1)
    for r, present in enumerate(inst.present):
        room = np.array(inst.sizes[r] + [0] * (t_count - len(inst.sizes[r])), dtype=np.int64)
        members = np.zeros((n, t_count))
        for p, t in inst.fixed[r].items():
            tables[r, p] = t
            members[p, t] = 1.0
            room[t] -= 1
        free = np.array([p for p in present if p not in inst.fixed[r]], dtype=np.int64)
        free = free[rng.permutation(len(free))]
        free = free[np.argsort(-hard_degree[free], kind="stable")]
        inc = inst.lin + inst.quad * (inst.base + counts)
        for p in free:
            score = inc[p] @ members
            score = score + rng.random(t_count) * 1e-9
            score[room <= 0] = np.inf
            t = int(np.argmin(score))
            tables[r, p] = t
            members[p, t] = 1.0
            room[t] -= 1
        counts += members @ members.T
        np.fill_diagonal(counts, 0)
    return tables


def tabu_search(
    inst: SearchInstance,
    *,
    seed: int = 0,
    max_iterations: int = 10_000,
    time_limit: float | None = None,
    target: float | None = None,
    start: NDArray[np.int64] | None = None,
    focus_conflicts: bool = False,
    tenure: tuple[int, int] | None = None,
    stall: int | None = None,
    kick: int | None = None,
) -> SearchResult:
    """Improve a seating by tabu search over swaps; return the best seating found.

    Parameters
    ----------
    inst : the numeric problem.
    seed : seeds the only random generator used.
    max_iterations : the search stops after this many swaps (deterministic budget).
    time_limit : optional safety stop in seconds (makes results depend on machine speed).
    target : stop as soon as the cost is at most this (e.g. 0 for a repeat-free season).
    start : a seating to start from; by default :func:`greedy_start`.
    focus_conflicts : only swaps that move someone who sits with a pair already met more than
        once (the neighbourhood of Dotú & Van Hentenryck for the pure social golfer problem).
    tenure, stall, kick : tabu tenure range, iterations without improvement before a restart
        from the best plan, and random swaps at that restart (defaults grow with n and w).
    """
    # The matrices are small: BLAS threads only wait for each other, and on a busy machine a
    # product of 120 x 120 by 120 x 180 takes a hundred times longer with two threads than one.
    with _blas().limit(limits=1, user_api="blas"):
        return _tabu_search(
            inst,
            seed,
            max_iterations,
            time_limit,
            target,
            start,
            focus_conflicts,
            tenure,
            stall,
            kick,
        )


@functools.cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _tabu_search(
    inst: SearchInstance,
    seed: int,
    max_iterations: int,
    time_limit: float | None,
    target: float | None,
    start: NDArray[np.int64] | None,
    focus_conflicts: bool,
    tenure: tuple[int, int] | None,
    stall: int | None,
    kick: int | None,
) -> SearchResult:
    clock = time.perf_counter()
    rng = np.random.default_rng(seed)
    tables = greedy_start(inst, rng) if start is None else start.copy()
    if inst.meetings == 1 and inst.quad == 0.0 and not focus_conflicts:
        return _one_meeting(
            inst, tables, rng, clock, max_iterations, time_limit, target, tenure, stall, kick
        )
    if inst.fresh is not None:
        raise ValueError("fresh table-mates are weighed for one meeting without repeats only")
    w, n, t_count = inst.meetings, inst.n, max(inst.tables, 1)
    onehot = _onehot(tables, t_count)
    counts = _pair_counts(n, tables, t_count)
    movable = tables >= 0
    for r, fixed in enumerate(inst.fixed):
        for p in fixed:
            movable[r, p] = False
    sizes = np.zeros((w, t_count))
    for r, row in enumerate(inst.sizes):
        sizes[r, : len(row)] = row
    pair_ok = movable[:, :, None] & movable[:, None, :]
    rr = np.arange(w)[:, None, None]
    pp = np.arange(n)[None, :, None]
    rw = np.arange(w)[:, None]
    pw = np.arange(n)[None, :]

    cost = plan_cost(inst, tables)
    best_cost, best_tables, best_counts = cost, tables.copy(), counts.copy()
    tabu_until = np.zeros((w, n), dtype=np.int64)
    tenure_low, tenure_high = tenure or (2, 3 + max(2, n // 6))
    stall_limit = stall or max(200, 20 * n)
    kick_swaps = kick or max(2, w * n // 40)
    last_improvement = 0
    eps = 1e-7
    iteration = 0
    while iteration < max_iterations:
        if target is not None and best_cost <= target + eps:
            break
        if time_limit is not None and time.perf_counter() - clock > time_limit:
            break
        iteration += 1
        if not pair_ok.any():
            break
        inc = inst.lin + inst.quad * (inst.base + counts)
        s = (inc @ onehot.transpose(1, 0, 2).reshape(n, w * t_count)).reshape(n, w, t_count)
        s = s.transpose(1, 0, 2)
        tab = np.maximum(tables, 0)
        own = s[rw, pw, tab] - inst.quad * (sizes[rw, tab] - 1)
        x = s[rr, pp, tab[:, None, :]]
        x -= own[:, :, None]
        delta = x + x.transpose(0, 2, 1)
        delta -= 2 * inc
        allowed = pair_ok & (tables[:, :, None] != tables[:, None, :])
        if focus_conflicts:
            conflicted = (
                (counts > 1).astype(np.float64) @ onehot.transpose(1, 0, 2).reshape(n, w * t_count)
            ).reshape(n, w, t_count).transpose(1, 0, 2)[rw, pw, tab] > 0
            allowed &= conflicted[:, :, None] | conflicted[:, None, :]
        free = tabu_until <= iteration
        not_tabu = free[:, :, None] & free[:, None, :]
        allowed &= not_tabu | (cost + delta < best_cost - eps)
        masked = np.where(allowed, delta, np.inf)
        low = masked.min()
        if not np.isfinite(low):
            tabu_until[:] = 0
            continue
        choices = np.flatnonzero(masked <= low + eps)
        pick = int(choices[rng.integers(len(choices))])
        r, a, b = (int(v) for v in np.unravel_index(pick, masked.shape))
        ta, tb = int(tables[r, a]), int(tables[r, b])
        at_a = np.flatnonzero(onehot[r, :, ta])
        at_b = np.flatnonzero(onehot[r, :, tb])
        at_a = at_a[at_a != a]
        at_b = at_b[at_b != b]
        counts[a, at_a] -= 1
        counts[at_a, a] -= 1
        counts[b, at_a] += 1
        counts[at_a, b] += 1
        counts[b, at_b] -= 1
        counts[at_b, b] -= 1
        counts[a, at_b] += 1
        counts[at_b, a] += 1
        tables[r, a], tables[r, b] = tb, ta
        onehot[r, a, ta], onehot[r, a, tb] = 0.0, 1.0
        onehot[r, b, tb], onehot[r, b, ta] = 0.0, 1.0
        cost += float(low)
        tabu_until[r, a] = iteration + rng.integers(tenure_low, tenure_high + 1)
        tabu_until[r, b] = iteration + rng.integers(tenure_low, tenure_high + 1)
        if cost < best_cost - eps:
            best_cost, best_tables, best_counts = cost, tables.copy(), counts.copy()
            last_improvement = iteration
        elif iteration - last_improvement > stall_limit:
            tables, counts = best_tables.copy(), best_counts.copy()
            _perturb(inst, tables, counts, movable, rng, swaps=kick_swaps)
            onehot = _onehot(tables, t_count)
            cost = plan_cost(inst, tables)
            tabu_until[:] = 0
            last_improvement = iteration
    best_cost = plan_cost(inst, best_tables)
    return SearchResult(best_tables, best_cost, iteration, time.perf_counter() - clock)


def fresh_shortfall(inst: SearchInstance, tables: NDArray[np.int64]) -> float:
    """The cost of table-mates one never sat with that people miss (one meeting, see
    :class:`SearchInstance`), recomputed from scratch."""
    if inst.fresh is None or inst.need is None or inst.fresh_weight == 0.0:
        return 0.0
    row = tables[0]
    same = (row[:, None] == row[None, :]) & (row >= 0)[:, None]
    got = (inst.fresh * same).sum(axis=1)
    return float(inst.fresh_weight * np.maximum(0.0, inst.need - got).sum())


def _one_meeting(
    inst: SearchInstance,
    start: NDArray[np.int64],
    rng: np.random.Generator,
    clock: float,
    max_iterations: int,
    time_limit: float | None,
    target: float | None,
    tenure: tuple[int, int] | None,
    stall: int | None,
    kick: int | None,
) -> SearchResult:
    """:func:`tabu_search` for one meeting without the quadratic term: the cost of a person at
    each table, ``S = lin @ O``, changes in two columns per swap, so it is kept up to date
    instead of recomputed, and the gains of all swaps come from one compiled pass over the
    pairs (:func:`kring.core.seating._kernels.swap_gains`).

    With ``inst.fresh``, each person short of ``need`` never-met table-mates costs
    ``fresh_weight`` per missing one. A swap of a (table A) and b (table B) changes the number of
    never-met table-mates of a, of b, and of everyone else at A and B by at most one each; only
    people at or below their need change the cost, so the pass looks at those few alone.
    """
    # Imported here: numba takes a second to load, which only meeting-by-meeting plans need.
    from kring.core.seating._kernels import swap_gains

    n, t_count = inst.n, max(inst.tables, 1)
    lin = inst.lin
    tab = start[0].copy()
    ar = np.arange(n)
    seated = tab >= 0
    movable = seated.copy()
    for p in inst.fixed[0]:
        movable[p] = False
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    can_swap = int(movable.sum()) >= 2
    onehot = np.zeros((n, t_count))
    onehot[ar[seated], tab[seated]] = 1.0
    s = lin @ onehot
    fresh: NDArray[np.float64] = np.zeros((n, n))
    need: NDArray[np.float64] = np.zeros(n)
    weight = 0.0
    if inst.fresh is not None and inst.need is not None and inst.fresh_weight:
        fresh, need, weight = inst.fresh, inst.need, inst.fresh_weight
    need = need * seated
    fm = fresh @ onehot
    tab0 = np.maximum(tab, 0)
    choices = np.empty(n * n, dtype=np.int64)

    def pair_cost() -> float:
        same = (tab[:, None] == tab[None, :]) & seated[:, None] & upper
        return float(lin[same].sum())

    def shortfall() -> float:
        if not weight:
            return 0.0
        got = fm[ar, tab0] * seated
        return float(weight * np.maximum(0.0, need - got).sum())

    cost = pair_cost() + shortfall()
    best_cost, best_tab = cost, tab.copy()
    tabu_until = np.zeros(n, dtype=np.int64)
    tenure_low, tenure_high = tenure or (2, 3 + max(2, n // 6))
    stall_limit = stall or max(200, 20 * n)
    kick_swaps = kick or max(2, n // 40)
    last_improvement = 0
    eps = 1e-7
    iteration = 0
    hard = lin >= HARD / 2
    while iteration < max_iterations:
        if target is not None and best_cost <= target + eps:
            break
        if time_limit is not None and time.perf_counter() - clock > time_limit:
            break
        iteration += 1
        if not can_swap:
            break
        low, count = swap_gains(
            s,
            lin,
            fm,
            fresh,
            need,
            weight,
            np.maximum(tab, 0),
            movable,
            tabu_until <= iteration,
            cost,
            best_cost,
            eps,
            choices,
        )
        if count == 0:
            tabu_until[:] = 0
            continue
        pick = int(choices[rng.integers(count)])
        a, b = divmod(pick, n)
        ta, tb = int(tab[a]), int(tab[b])
        _swap_columns(s, lin, a, b, ta, tb)
        if weight:
            _swap_columns(fm, fresh, a, b, ta, tb)
        tab[a], tab[b] = tb, ta
        cost += float(low)
        tabu_until[a] = iteration + rng.integers(tenure_low, tenure_high + 1)
        tabu_until[b] = iteration + rng.integers(tenure_low, tenure_high + 1)
        if cost < best_cost - eps:
            best_cost, best_tab = cost, tab.copy()
            last_improvement = iteration
        elif iteration - last_improvement > stall_limit:
            tab = best_tab.copy()
            for _ in range(kick_swaps):
                people = np.flatnonzero(movable)
                if len(people) < 2:
                    break
                x, y = (int(v) for v in rng.choice(people, 2, replace=False))
                tx, ty = int(tab[x]), int(tab[y])
                if tx == ty:
                    continue
                at_x = np.flatnonzero(tab == tx)
                at_y = np.flatnonzero(tab == ty)
                if hard[x, at_y[at_y != y]].any() or hard[y, at_x[at_x != x]].any():
                    continue
                tab[x], tab[y] = ty, tx
            onehot = np.zeros((n, t_count))
            onehot[ar[seated], tab[seated]] = 1.0
            s = lin @ onehot
            fm = fresh @ onehot
            tab0 = np.maximum(tab, 0)
            cost = pair_cost() + shortfall()
            tabu_until[:] = 0
            last_improvement = iteration
    tables = best_tab[None, :].copy()
    final = plan_cost(inst, tables) + fresh_shortfall(inst, tables)
    return SearchResult(tables, final, iteration, time.perf_counter() - clock)


def _swap_columns(
    s: NDArray[np.float64], weights: NDArray[np.float64], a: int, b: int, ta: int, tb: int
) -> None:
    """``s = weights @ onehot`` after a (at table ta) and b (at tb) change places."""
    change = weights[:, b] - weights[:, a]
    s[:, ta] += change
    s[:, tb] -= change


def _perturb(
    inst: SearchInstance,
    tables: NDArray[np.int64],
    counts: NDArray[np.float64],
    movable: NDArray[np.bool_],
    rng: np.random.Generator,
    *,
    swaps: int,
) -> None:
    """Random swaps that never bring a never-together pair to one table."""
    hard = inst.lin >= HARD / 2
    for _ in range(swaps):
        r = int(rng.integers(inst.meetings))
        people = np.flatnonzero(movable[r])
        if len(people) < 2:
            continue
        a, b = (int(x) for x in rng.choice(people, 2, replace=False))
        ta, tb = int(tables[r, a]), int(tables[r, b])
        if ta == tb:
            continue
        at_a = np.flatnonzero(tables[r] == ta)
        at_b = np.flatnonzero(tables[r] == tb)
        at_a = at_a[at_a != a]
        at_b = at_b[at_b != b]
        if hard[a, at_b].any() or hard[b, at_a].any():
            continue
        counts[a, at_a] -= 1
        counts[at_a, a] -= 1
        counts[b, at_a] += 1
        counts[at_a, b] += 1
        counts[b, at_b] -= 1
        counts[at_b, b] -= 1
        counts[a, at_b] += 1
        counts[at_b, a] += 1
        tables[r, a], tables[r, b] = tb, ta
