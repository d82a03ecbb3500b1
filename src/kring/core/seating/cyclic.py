"""Search for social-golfer seasons that a cyclic group develops from a few base rounds.

Many of the known repeat-free seasons are *1-rotational* or, more generally, invariant under
a cyclic group: number the players ``(i, x)`` with orbit ``i`` in ``0..k-1`` and ``x`` in
``Z_q``, plus ``f`` fixed players; pick ``m`` base rounds and let every base round shifted by
``t`` in ``Z_q`` (``(i, x) -> (i, x + t)``, fixed players stay) be a round, so ``w = m q``.
Two players meet in the developed season as often as their *pair class* (orbits and
difference, as in difference families) is covered by the base rounds, so the search only
has to place ``n`` players ``m`` times instead of ``w`` times, and the constraint becomes
"every class at most once" (a half difference ``q / 2`` and a pair of fixed players already
repeat on their own and are forbidden).

Three searches look for base rounds:

* :func:`cyclic_backtrack`, a randomised depth-first search that fills groups one by one
  while every class stays unused, optionally also requiring invariance under a multiplier
  ``x -> u x`` and/or a turn of the orbits (small, fast, often conclusive);
* :class:`ExactCover`, Knuth's Algorithm X over candidate groups, branching on the player or
  class with the fewest options (strong on *tight* shapes where every class must be used,
  and able to prove a shape empty);
* :func:`cyclic_search`, the tabu search of :mod:`kring.core.seating.search` on the base
  rounds with class counts in place of pair counts (the gain of every swap estimated at once
  by two matrix products), which also minimises repeats where some are unavoidable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CyclicShape",
    "ExactCover",
    "cyclic_backtrack",
    "cyclic_exact_cover",
    "cyclic_search",
    "cyclic_shapes",
    "develop",
    "multipliers",
    "rotations",
]


@dataclass(frozen=True)
class CyclicShape:
    """``q`` (group order), ``m`` base rounds, ``k`` orbits and ``f`` fixed players."""

    q: int
    m: int
    k: int
    f: int


def cyclic_shapes(
    groups: int, size: int, weeks: int, *, repeat_free: bool = True
) -> list[CyclicShape]:
    """The cyclic shapes that could give a repeat-free ``groups``-``size``-``weeks`` season.

    A shape is kept when ``m q == weeks``, ``k q + f == groups * size``, the fixed players fit
    in distinct groups and the pair classes are at least as many as the pairs of the base
    rounds (otherwise a repeat is forced). Most promising first: one base round, then few
    fixed players.
    """
    n = groups * size
    shapes = []
    for q in range(2, weeks + 1):
        if weeks % q:
            continue
        m = weeks // q
        for f in range(0, min(groups, n) + 1):
            if (n - f) % q or n - f <= 0:
                continue
            k = (n - f) // q
            pure = k * ((q - 1) // 2)
            classes = pure + k * (k - 1) // 2 * q + f * k
            if not repeat_free or classes >= m * groups * size * (size - 1) // 2:
                shapes.append(CyclicShape(q, m, k, f))
    shapes.sort(key=lambda s: (s.m, s.f > 1, s.f, -s.q))
    return shapes


def develop(shape: CyclicShape, base: NDArray[np.int64], groups: int) -> list[list[list[int]]]:
    """All rounds of the season: each base round (``base[r, p]`` = group) shifted by Z_q."""
    q, k, f = shape.q, shape.k, shape.f
    rounds = []
    for r in range(shape.m):
        for t in range(q):
            week: list[list[int]] = [[] for _ in range(groups)]
            for p in range(k * q + f):
                g = int(base[r, p])
                if p < k * q:
                    i, x = divmod(p, q)
                    week[g].append(i * q + (x + t) % q)
                else:
                    week[g].append(p)
            rounds.append([sorted(group) for group in week])
    return rounds


def _classes(
    shape: CyclicShape,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Pair class of every pair of players, each class's multiplicity and its number of pairs.

    The multiplicity is how often one cover of the class makes its pairs meet: 1, or 2 for a
    half difference, or q for two fixed players. A class holds q pairs of the developed season
    (q / 2 for a half difference, 1 for two fixed players).
    """
    q, k, f = shape.q, shape.k, shape.f
    n = k * q + f
    ids: dict[tuple[int, ...], int] = {}
    mult: list[float] = []
    pairs: list[float] = []
    cls = np.zeros((n, n), dtype=np.int64)

    def cid(key: tuple[int, ...], m: float) -> int:
        if key not in ids:
            ids[key] = len(mult)
            mult.append(m)
            pairs.append(1.0 if m == q else q / m)
        return ids[key]

    for a in range(n):
        for b in range(a + 1, n):
            if a < k * q and b < k * q:
                (i, x), (j, y) = divmod(a, q), divmod(b, q)
                if i == j:
                    d = (y - x) % q
                    d = min(d, q - d)
                    c = cid((0, i, d), 2.0 if 2 * d == q else 1.0)
                else:
                    c = cid((1, i, j, (y - x) % q), 1.0)
            elif a < k * q:
                c = cid((2, a // q, b), 1.0)
            else:
                c = cid((3, a, b), float(q))
            cls[a, b] = cls[b, a] = c
    return cls, np.array(mult), np.array(pairs)


def cyclic_search(
    groups: int,
    size: int,
    shape: CyclicShape,
    *,
    seed: int = 0,
    max_iterations: int = 100_000,
    time_limit: float | None = None,
    target: float = 0.0,
) -> tuple[list[list[list[int]]], float, int]:
    """Tabu search for base rounds of ``shape`` minimising the developed season's cost.

    The cost is the quadratic repeat cost of :mod:`kring.core.seating.search` (sum over pairs
    of c (c - 1) / 2 for c meetings) of the developed season, computed per class.

    Returns
    -------
    ``(rounds, cost, iterations)`` for the best base rounds found; the search stops at
    ``target``, after ``max_iterations`` swaps or at the time limit.
    """
    clock = time.perf_counter()
    rng = np.random.default_rng(seed)
    q, m = shape.q, shape.m
    n = shape.k * q + shape.f
    cls, mult, weight = _classes(shape)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    counts = np.zeros(len(mult))

    def class_cost(c: NDArray[np.float64]) -> NDArray[np.float64]:
        meet = mult * c
        return weight * meet * (meet - 1) / 2

    # Start: fixed player j in group j (they must never share a group), the rest at random.
    base = np.zeros((m, n), dtype=np.int64)
    for r in range(m):
        slots = np.repeat(np.arange(groups), size).tolist()
        for j in range(shape.f):
            slots.remove(j)
            base[r, shape.k * q + j] = j
        base[r, : shape.k * q] = rng.permutation(np.array(slots, dtype=np.int64))

    def recount() -> None:
        counts[:] = 0.0
        for r in range(m):
            same = (base[r][:, None] == base[r][None, :]) & upper
            np.add.at(counts, cls[same], 1.0)

    recount()
    cost = float(class_cost(counts).sum())
    best_cost, best_base = cost, base.copy()
    tabu_until = np.zeros((m, n), dtype=np.int64)
    tenure_high = 3 + n // 5
    stall_limit = 50 * n
    last_improvement = 0
    rr = np.arange(m)[:, None, None]
    pp = np.arange(n)[None, :, None]
    rw = np.arange(m)[:, None]
    pw = np.arange(n)[None, :]
    iteration = 0
    while iteration < max_iterations and best_cost > target + 1e-9:
        if time_limit is not None and time.perf_counter() - clock > time_limit:
            break
        iteration += 1
        now = class_cost(counts)
        inc = (class_cost(counts + 1) - now)[cls]
        dec = (now - class_cost(counts - 1))[cls]
        np.fill_diagonal(inc, 0.0)
        np.fill_diagonal(dec, 0.0)
        onehot = np.zeros((m, n, groups))
        onehot[rw, pw, base] = 1.0
        flat = onehot.transpose(1, 0, 2).reshape(n, m * groups)
        s_inc = (inc @ flat).reshape(n, m, groups).transpose(1, 0, 2)
        s_dec = (dec @ flat).reshape(n, m, groups).transpose(1, 0, 2)
        own = s_dec[rw, pw, base]
        x = s_inc[rr, pp, base[:, None, :]]
        delta = x + x.transpose(0, 2, 1) - 2 * inc[None] - own[:, :, None] - own[:, None, :]
        allowed = base[:, :, None] != base[:, None, :]
        free = tabu_until <= iteration
        allowed &= (free[:, :, None] & free[:, None, :]) | (cost + delta < best_cost - 1e-9)
        masked = np.where(allowed, delta, np.inf)
        low = masked.min()
        if not np.isfinite(low):
            tabu_until[:] = 0
            continue
        choices = np.flatnonzero(masked <= low + 1e-9)
        pick = choices[rng.integers(len(choices))]
        r, a, b = (int(v) for v in np.unravel_index(pick, masked.shape))
        ga, gb = int(base[r, a]), int(base[r, b])
        at_a = np.flatnonzero(base[r] == ga)
        at_b = np.flatnonzero(base[r] == gb)
        at_a = at_a[at_a != a]
        at_b = at_b[at_b != b]
        np.add.at(counts, cls[a, at_a], -1.0)
        np.add.at(counts, cls[b, at_b], -1.0)
        np.add.at(counts, cls[b, at_a], 1.0)
        np.add.at(counts, cls[a, at_b], 1.0)
        base[r, a], base[r, b] = gb, ga
        cost = float(class_cost(counts).sum())
        tabu_until[r, a] = iteration + rng.integers(2, tenure_high + 1)
        tabu_until[r, b] = iteration + rng.integers(2, tenure_high + 1)
        if cost < best_cost - 1e-9:
            best_cost, best_base = cost, base.copy()
            last_improvement = iteration
        elif iteration - last_improvement > stall_limit:
            base = best_base.copy()
            for _ in range(max(2, n // 8)):
                r = int(rng.integers(m))
                a, b = (int(v) for v in rng.choice(n, 2, replace=False))
                base[r, a], base[r, b] = base[r, b], base[r, a]
            recount()
            cost = float(class_cost(counts).sum())
            tabu_until[:] = 0
            last_improvement = iteration
    return develop(shape, best_base, groups), best_cost, iteration


def cyclic_backtrack(
    groups: int,
    size: int,
    shape: CyclicShape,
    *,
    seed: int = 0,
    node_limit: int = 200_000,
    time_limit: float | None = None,
    multiplier: int | None = None,
    rotate: int = 0,
    report_exhausted: bool = False,
) -> Any:
    """Exact depth-first search for base rounds of ``shape`` (randomised, with restarts).

    Fills base rounds group by group: the first unplaced player opens a group and companions
    are added while every pair class stays unused, as in the classical searches for
    difference families. With a ``multiplier`` u (a unit of Z_q), the base rounds must also
    be invariant under ``(i, x) -> (i, u x)``: every group brings its images along, which
    shrinks the search a lot (the "radical" difference families of the literature); with
    ``rotate`` r also under turning the orbits ``(i, x) -> (i + r, x)`` (and the fixed
    players, when there are as many as orbits). Returns
    the developed season or None when the budget runs out or no such season exists; with
    ``report_exhausted``, a pair (season or None, whether the search space was exhausted).
    """
    clock = time.perf_counter()
    rng = np.random.default_rng(seed)
    q, m = shape.q, shape.m
    n = shape.k * q + shape.f
    cls_arr, mult, _ = _classes(shape)
    cls = cls_arr.tolist()
    forbidden = [bool(x > 1) for x in mult.tolist()]
    sigma = None
    if multiplier is not None or rotate:
        sigma = _symmetry(shape, multiplier or 1, rotate)
    nodes = 0
    limit = 2000
    while time_limit is None or time.perf_counter() - clock < time_limit:
        deadline = None if time_limit is None else clock + time_limit
        order = [rng.permutation(n).tolist() for _ in range(m)]
        found, spent = _attempt(
            cls, forbidden, len(mult), order, groups, size, limit, deadline, sigma
        )
        nodes += spent
        if found is not None:
            season = develop(shape, np.array(found, dtype=np.int64), groups)
            return (season, False) if report_exhausted else season
        exhausted = spent < limit and (deadline is None or time.perf_counter() < deadline)
        if exhausted or nodes > node_limit:
            # Either the whole tree was searched (no such season) or the budget is spent.
            return (None, exhausted) if report_exhausted else None
        limit = int(limit * 1.5)
    return (None, False) if report_exhausted else None


def _attempt(
    cls: list[list[int]],
    forbidden: list[bool],
    classes: int,
    order: list[list[int]],
    groups: int,
    size: int,
    limit: int,
    deadline: float | None,
    sigma: list[int] | None = None,
) -> tuple[list[list[int]] | None, int]:
    """One depth-first attempt with a node budget; returns (base rounds or None, nodes)."""
    m, n = len(order), len(order[0])
    used = [False] * classes
    base = [[-1] * n for _ in range(m)]
    nodes = 0
    budget = [limit]

    def place(r: int, g: int, group: list[int], pos: int) -> bool:
        nonlocal nodes
        nodes += 1
        budget[0] -= 1
        if nodes % 64 == 0 and deadline is not None and time.perf_counter() > deadline:
            budget[0] = -1
        if budget[0] < 0:
            return False
        if len(group) == size:
            images = [list(group)] if sigma is None else _images(group, sigma)
            if images is None or g + len(images) > groups:
                return False
            marked: list[int] = []
            taken = set(group)
            for image in images[1:]:
                cs = [cls[a][b] for i, a in enumerate(image) for b in image[i + 1 :]]
                clash = any(base[r][p] >= 0 or p in taken for p in image)
                if clash or any(used[c] or forbidden[c] for c in cs) or len(set(cs)) < len(cs):
                    for c in marked:
                        used[c] = False
                    return False
                for c in cs:
                    used[c] = True
                marked.extend(cs)
                taken.update(image)
            for j, image in enumerate(images):
                for p in image:
                    base[r][p] = g + j
            ok = next_group(r, g + len(images))
            if not ok:
                for image in images:
                    for p in image:
                        base[r][p] = -1
                for c in marked:
                    used[c] = False
            return ok
        row, seq = base[r], order[r]
        for idx in range(pos, n):
            p = seq[idx]
            if row[p] >= 0 or p in group:
                continue
            cs = [cls[p][x] for x in group]
            if any(used[c] or forbidden[c] for c in cs) or len(set(cs)) < len(cs):
                continue
            for c in cs:
                used[c] = True
            group.append(p)
            if place(r, g, group, idx + 1):
                return True
            group.pop()
            for c in cs:
                used[c] = False
            if budget[0] < 0:
                return False
        return False

    def next_group(r: int, g: int) -> bool:
        if g == groups:
            return True if r + 1 == m else next_group(r + 1, 0)
        # The first unplaced player (in this round's random order) opens the group.
        first = next(p for p in order[r] if base[r][p] < 0)
        return place(r, g, [first], 0)

    return (base if next_group(0, 0) else None), nodes


def _images(group: list[int], sigma: list[int]) -> list[list[int]] | None:
    """The group and its distinct images under sigma (None if an image half-overlaps it)."""
    images = [list(group)]
    first = set(group)
    current = group
    for _ in range(len(sigma)):
        current = [sigma[p] for p in current]
        image = set(current)
        if image == first:
            return images
        if image & first:
            return None
        images.append(list(current))
    return None  # pragma: no cover - sigma is a permutation, so the orbit closes


def multipliers(q: int) -> list[int]:
    """One unit of Z_q for each multiplicative order above 1 (largest order first).

    Examples
    --------
    >>> multipliers(13)
    [2, 4, 5, 3, 12]
    """
    by_order: dict[int, int] = {}
    for u in range(2, q):
        if np.gcd(u, q) != 1:
            continue
        order, x = 1, u
        while x != 1:
            x = x * u % q
            order += 1
        by_order.setdefault(order, u)
    return [by_order[t] for t in sorted(by_order, reverse=True)]


def _symmetry(shape: CyclicShape, multiplier: int, rotate: int) -> list[int]:
    """The permutation ``(i, x) -> (i + rotate, multiplier x)`` of the players."""
    q, k, f = shape.q, shape.k, shape.f
    sigma = []
    for p in range(k * q + f):
        if p < k * q:
            i, x = divmod(p, q)
            sigma.append(((i + rotate) % k) * q + (multiplier * x) % q)
        elif rotate and f == k:
            sigma.append(k * q + (p - k * q + rotate) % f)
        else:
            sigma.append(p)
    return sigma


def rotations(k: int) -> list[int]:
    """Orbit turns ``r`` of each order above 1 for ``k`` orbits (0: no turn comes last).

    Examples
    --------
    >>> rotations(6)
    [1, 2, 3, 0]
    """
    return [k // t for t in range(k, 1, -1) if k % t == 0] + [0]


def cyclic_exact_cover(
    groups: int,
    size: int,
    shape: CyclicShape,
    *,
    seed: int = 0,
    node_limit: int = 200_000,
    time_limit: float | None = None,
) -> tuple[list[list[list[int]]] | None, bool]:
    """Knuth's Algorithm X over candidate groups: every player once per base round, every pair
    class at most once (exactly once when the shape is tight).

    Branching on the item with the fewest options (a player or a class) is what the
    group-by-group search lacks on tight shapes, where every class must be used.

    Returns
    -------
    ``(season or None, exhausted)``; ``exhausted`` means no such season exists.
    """
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    return ExactCover(groups, size, shape, deadline).run(seed, node_limit, deadline)


class ExactCover:
    """The exact-cover matrix of a shape, built once and searched with several seeds."""

    def __init__(
        self, groups: int, size: int, shape: CyclicShape, deadline: float | None = None
    ) -> None:
        self.groups, self.size, self.shape = groups, size, shape
        q, m = shape.q, shape.m
        n = self.n = shape.k * q + shape.f
        cls_arr, mult, _ = _classes(shape)
        cls = cls_arr.tolist()
        forbidden = [bool(x > 1) for x in mult.tolist()]
        pairs_needed = m * groups * size * (size - 1) // 2
        tight = sum(1 for f in forbidden if not f) == pairs_needed
        self.complete = True
        # Candidate groups: s-subsets whose pair classes are distinct and allowed.
        subsets: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        stack: list[tuple[list[int], list[int], int]] = [([], [], 0)]
        steps = 0
        while stack:
            group, classes, start = stack.pop()
            if len(group) == size:
                subsets.append((tuple(group), tuple(classes)))
                continue
            steps += 1
            if deadline is not None and steps % 256 == 0 and time.perf_counter() > deadline:
                self.complete = False
                break
            for p in range(start, n):
                new = [cls[p][x] for x in group]
                if any(forbidden[c] for c in new):
                    continue
                merged = set(classes)
                merged.update(new)
                if len(merged) < len(classes) + len(new):
                    continue
                stack.append(([*group, p], classes + new, p + 1))
        self.columns: dict[tuple[int, ...], set[int]] = {}
        self.rows: list[list[tuple[int, ...]]] = []
        self.primary: list[tuple[int, ...]] = []
        for r in range(m):
            for p in range(n):
                self.columns[(0, r, p)] = set()
                self.primary.append((0, r, p))
        for c in range(len(mult)):
            if not forbidden[c]:
                self.columns[(1, c)] = set()
                if tight:
                    self.primary.append((1, c))
        for r in range(m):
            for members, pair_classes in subsets:
                items: list[tuple[int, ...]] = [(0, r, p) for p in members]
                items += [(1, c) for c in pair_classes]
                for item in items:
                    self.columns[item].add(len(self.rows))
                self.rows.append(items)

    def run(
        self, seed: int, node_limit: int, deadline: float | None = None
    ) -> tuple[list[list[list[int]]] | None, bool]:
        """Search with options in a seeded random order; the matrix is restored afterwards."""
        if not self.complete:
            return None, False
        rank = np.random.default_rng(seed).permutation(len(self.rows)).tolist()
        columns, rows, primary = self.columns, self.rows, self.primary
        nodes = 0
        out_of_budget = False

        def select(row: int) -> list[set[int]]:
            removed = []
            for item in rows[row]:
                for other in columns[item]:
                    for k in rows[other]:
                        if k != item:
                            columns[k].discard(other)
                removed.append(columns.pop(item))
            return removed

        def deselect(row: int, removed: list[set[int]]) -> None:
            for item in reversed(rows[row]):
                columns[item] = removed.pop()
                for other in columns[item]:
                    for k in rows[other]:
                        if k != item:
                            columns[k].add(other)

        trail: list[tuple[int, list[set[int]]]] = []

        def search() -> bool:
            nonlocal nodes, out_of_budget
            nodes += 1
            # A node costs a scan of the open items and more: reading the clock at each one
            # is cheap next to it and keeps the safety stop close to the time limit.
            if nodes > node_limit or (deadline is not None and time.perf_counter() > deadline):
                out_of_budget = True
                return False
            open_items = [c for c in primary if c in columns]
            if not open_items:
                return True
            item = min(open_items, key=lambda c: len(columns[c]))
            for row in sorted(columns[item], key=rank.__getitem__):
                trail.append((row, select(row)))
                if search():
                    return True
                deselect(*trail.pop())
                if out_of_budget:
                    return False
            return False

        found = search()
        solution = [row for row, _ in trail]
        while trail:  # leave the matrix as it was, for the next run
            deselect(*trail.pop())
        if not found:
            return None, not out_of_budget
        base = np.zeros((self.shape.m, self.n), dtype=np.int64)
        filled = [0] * self.shape.m
        for row in solution:
            r = rows[row][0][1]
            for item in rows[row][: self.size]:
                base[r, item[2]] = filled[r]
            filled[r] += 1
        return develop(self.shape, base, self.groups), False
