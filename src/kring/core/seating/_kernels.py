"""Numba kernel behind the one-meeting tabu search (:func:`kring.core.seating.search.tabu_search`).

Private: the search prepares the arrays and calls :func:`swap_gains` once per swap. It adds the
same terms in the same order on every machine, so the same seed gives the same plan.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def swap_gains(s, lin, fm, fresh, need, weight, tab, movable, free, cost, best_cost, eps, out):
    """The cost change of every allowed swap of one meeting, the lowest, and the swaps within
    ``eps`` of it.

    ``s[p, t]`` is p's pair cost at table t (``lin @ onehot``), ``fm[p, t]`` the people at t whom
    p never met (``fresh @ onehot``); each person short of ``need[p]`` never-met table-mates
    costs ``weight`` per missing one. A swap of a (table A) and b (table B), a < b, both
    movable, is allowed when neither is tabu (``free``) or when it beats ``best_cost``.
    ``out`` (n * n) receives the chosen swaps as ``a * n + b`` in increasing order; returns the
    lowest change (inf when no swap is allowed) and how many swaps are within ``eps`` of it.
    """
    n = tab.shape[0]
    t_count = s.shape[1]
    got = np.empty(n)
    short = np.empty(n)
    gain = np.zeros(n)
    # People at or below their need, table by table: only their counts change the cost.
    tight_count = np.zeros(t_count, np.int64)
    for p in range(n):
        got[p] = fm[p, tab[p]]
        short[p] = max(0.0, need[p] - got[p])
        if weight > 0.0 and need[p] > 0.0 and got[p] <= need[p]:
            tight_count[tab[p]] += 1
            if got[p] < need[p]:
                gain[p] = -weight
    start = np.zeros(t_count + 1, np.int64)
    for t in range(t_count):
        start[t + 1] = start[t] + tight_count[t]
    tight = np.empty(start[t_count], np.int64)
    filled = start[:t_count].copy()
    if weight > 0.0:
        for p in range(n):
            if need[p] > 0.0 and got[p] <= need[p]:
                tight[filled[tab[p]]] = p
                filled[tab[p]] += 1
    delta = np.full((n, n), np.inf)
    low = np.inf
    for a in range(n):
        if not movable[a]:
            continue
        ta = tab[a]
        for b in range(a + 1, n):
            tb = tab[b]
            if not movable[b] or tb == ta:
                continue
            d = s[a, tb] + s[b, ta] - 2.0 * lin[a, b] - s[a, ta] - s[b, tb]
            if weight > 0.0:
                fab = fresh[a, b]
                d += weight * (max(0.0, need[a] - (fm[a, tb] - fab)) - short[a])
                d += weight * (max(0.0, need[b] - (fm[b, ta] - fab)) - short[b])
                # Everyone else at A sees a leave and b arrive, and at B the other way round.
                for i in range(start[ta], start[ta + 1]):
                    c = tight[i]
                    if c != a:
                        d += fresh[c, b] * (1.0 - fresh[c, a]) * gain[c]
                        d += fresh[c, a] * (1.0 - fresh[c, b]) * weight
                for i in range(start[tb], start[tb + 1]):
                    c = tight[i]
                    if c != b:
                        d += fresh[c, a] * (1.0 - fresh[c, b]) * gain[c]
                        d += fresh[c, b] * (1.0 - fresh[c, a]) * weight
            if (free[a] and free[b]) or cost + d < best_cost - eps:
                delta[a, b] = d
                if d < low:
                    low = d
    count = 0
    if low < np.inf:
        for a in range(n):
            for b in range(a + 1, n):
                if delta[a, b] <= low + eps:
                    out[count] = a * n + b
                    count += 1
    return low, count
