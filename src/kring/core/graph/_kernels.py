"""Numba kernels behind the graph core: building the CSR, best paths, reach.

Private: the public functions validate their input and then call these. Kernels that take
scratch arrays (one per node, from :func:`scratch`) leave them as they found them, so a thread
can reuse its scratch for the next query without clearing millions of entries.
"""

from __future__ import annotations

import threading

import numba as nb
import numpy as np
import numpy.typing as npt

# --------------------------------------------------------------------------------------------
# Building


@nb.njit(cache=True)
def count_degrees(n, src, dst):
    """indptr-style running counts (both directions), self-loops skipped."""
    counts = np.zeros(n + 1, np.int64)
    for i in range(src.shape[0]):
        u = src[i]
        v = dst[i]
        if u != v:
            counts[u + 1] += 1
            counts[v + 1] += 1
    for u in range(n):
        counts[u + 1] += counts[u]
    return counts


@nb.njit(cache=True)
def fill_keys(indptr, src, dst, wbits):
    """One uint64 per directed entry: neighbour id in the high half, strength bits in the low.

    A positive float32's bit pattern orders like the float, so after sorting a row the last key
    of each neighbour carries the strongest duplicate.
    """
    n = indptr.shape[0] - 1
    pos = indptr[:n].copy()
    keys = np.empty(indptr[n], np.uint64)
    for i in range(src.shape[0]):
        u = src[i]
        v = dst[i]
        if u == v:
            continue
        bits = np.uint64(wbits[i])
        keys[pos[u]] = (np.uint64(v) << np.uint64(32)) | bits
        pos[u] += 1
        keys[pos[v]] = (np.uint64(u) << np.uint64(32)) | bits
        pos[v] += 1
    return keys


@nb.njit(cache=True)
def sort_rows_dedupe(indptr, keys):
    """Sort each row, merge duplicate neighbours keeping the strongest; compact in place."""
    n = indptr.shape[0] - 1
    new_indptr = np.zeros(n + 1, np.int64)
    indices = np.empty(keys.shape[0], np.int32)
    wbits = np.empty(keys.shape[0], np.uint32)
    low = np.uint64(0xFFFFFFFF)
    m = 0
    for u in range(n):
        lo = indptr[u]
        hi = indptr[u + 1]
        if hi > lo:
            keys[lo:hi].sort()
            prev = np.int64(-1)
            for j in range(lo, hi):
                key = keys[j]
                v = np.int64(key >> np.uint64(32))
                if v == prev:
                    wbits[m - 1] = np.uint32(key & low)
                else:
                    indices[m] = v
                    wbits[m] = np.uint32(key & low)
                    m += 1
                    prev = v
        new_indptr[u + 1] = m
    return new_indptr, indices, wbits, m


@nb.njit(cache=True)
def row_max(indptr, weights):
    """The strongest tie of each node (0 for an isolated node)."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, np.float32)
    for u in range(n):
        best = np.float32(0.0)
        for j in range(indptr[u], indptr[u + 1]):
            if weights[j] > best:
                best = weights[j]
        out[u] = best
    return out


# --------------------------------------------------------------------------------------------
# Best paths


@nb.njit(cache=True, nogil=True)
def _insert(buf_s, buf_h, buf_n, buf_w, count, k, score, hops, n1, n2, n3, w1, w2, w3):
    """Insert a candidate into the best-first buffer; return the new count.

    Order: higher score, then fewer hops, then the node sequence in ascending lexicographic
    order (the source is common to all, so nodes 1..3 decide; -1 pads shorter paths, which
    only meet paths of their own length here).
    """
    pos = count
    while pos > 0:
        i = pos - 1
        better = False
        if score != buf_s[i]:
            better = score > buf_s[i]
        elif hops != buf_h[i]:
            better = hops < buf_h[i]
        elif n1 != buf_n[i, 0]:
            better = n1 < buf_n[i, 0]
        elif n2 != buf_n[i, 1]:
            better = n2 < buf_n[i, 1]
        else:
            better = n3 < buf_n[i, 2]
        if not better:
            break
        pos = i
    if pos >= k:
        return count
    last = count if count < k else k - 1
    for i in range(last, pos, -1):
        buf_s[i] = buf_s[i - 1]
        buf_h[i] = buf_h[i - 1]
        buf_n[i, 0] = buf_n[i - 1, 0]
        buf_n[i, 1] = buf_n[i - 1, 1]
        buf_n[i, 2] = buf_n[i - 1, 2]
        buf_w[i, 0] = buf_w[i - 1, 0]
        buf_w[i, 1] = buf_w[i - 1, 1]
        buf_w[i, 2] = buf_w[i - 1, 2]
    buf_s[pos] = score
    buf_h[pos] = hops
    buf_n[pos, 0] = n1
    buf_n[pos, 1] = n2
    buf_n[pos, 2] = n3
    buf_w[pos, 0] = w1
    buf_w[pos, 1] = w2
    buf_w[pos, 2] = w3
    return count + 1 if count < k else k


@nb.njit(cache=True, nogil=True, inline="always")
def _has(bits, x):
    return (bits[x >> 6] >> np.uint64(x & 63)) & np.uint64(1)


@nb.njit(cache=True, nogil=True, inline="always")
def _add(bits, x):
    bits[x >> 6] |= np.uint64(1) << np.uint64(x & 63)


@nb.njit(cache=True, nogil=True)
def best_paths(
    indptr,
    indices,
    weights,
    rowmax,
    source,
    targets,
    k,
    max_hops,
    tbits,
    abits,
    bbits,
    wsa,
    slot,
    direction,
):
    """Best ``k`` simple paths of at most ``max_hops`` ties from ``source`` to any target.

    ``targets`` is sorted, unique, without ``source``. Intermediate nodes are never targets
    (a path ends at the first target it meets). Scratch, restored before returning: bitmaps
    (uint64, 0) of the targets, the source's other neighbours (A) and the nodes next to a
    target (B), ``wsa`` float64 (0.0) and ``slot`` int32 (-1) of length n. Membership is
    tested in the bitmaps (n / 8 bytes, which stay in cache) before the larger arrays are read.

    Three hops meet in the middle: each node ``b`` next to a target keeps its ``k`` strongest
    (strength, target) pairs; then the ties ``a - b`` between the source's neighbours and those
    nodes are scanned from whichever side has fewer entries to read (``direction`` 0), or from
    the source's side (1) or the targets' side (2) when a test forces it.
    """
    buf_s = np.full(k, -1.0)
    buf_h = np.zeros(k, np.int64)
    buf_n = np.full((k, 3), -1, np.int64)
    buf_w = np.zeros((k, 3), np.float64)
    count = 0
    s = source
    for i in range(targets.shape[0]):
        _add(tbits, targets[i])

    # one hop; the source's other neighbours become candidate first intermediaries
    n_first = 0
    for j in range(indptr[s], indptr[s + 1]):
        a = indices[j]
        w = np.float64(weights[j])
        if _has(tbits, a):
            count = _insert(buf_s, buf_h, buf_n, buf_w, count, k, w, 1, a, -1, -1, w, 0.0, 0.0)
        else:
            wsa[a] = w
            _add(abits, a)
            n_first += 1

    n_slots = 0
    cap = 0
    list_w = np.zeros((0, k), np.float32)
    list_t = np.zeros((0, k), np.int32)
    list_n = np.zeros(0, np.int32)
    slot_node = np.zeros(0, np.int32)
    if max_hops >= 2 and n_first > 0:
        if max_hops >= 3:
            total = 0
            for i in range(targets.shape[0]):
                t = targets[i]
                total += indptr[t + 1] - indptr[t]
            cap = min(total, indptr.shape[0] - 1)
            list_w = np.empty((cap, k), np.float32)
            list_t = np.empty((cap, k), np.int32)
            list_n = np.zeros(cap, np.int32)
            slot_node = np.empty(cap, np.int32)
        for i in range(targets.shape[0]):
            t = targets[i]
            for j in range(indptr[t], indptr[t + 1]):
                b = indices[j]
                if b == s or _has(tbits, b):
                    continue
                w_bt = weights[j]
                if _has(abits, b):
                    w_sb = wsa[b]
                    score = w_sb * np.float64(w_bt)
                    if count < k or score >= buf_s[k - 1]:
                        count = _insert(
                            buf_s, buf_h, buf_n, buf_w, count, k, score, 2, b, t, -1,
                            w_sb, np.float64(w_bt), 0.0,
                        )  # fmt: skip
                if max_hops >= 3:
                    sl = slot[b]
                    if sl < 0:
                        sl = n_slots
                        slot[b] = sl
                        _add(bbits, b)
                        slot_node[sl] = b
                        n_slots += 1
                    # keep the k strongest (strength desc, target asc); targets come ascending
                    m = list_n[sl]
                    if m == k and w_bt <= list_w[sl, k - 1]:
                        continue
                    pos = m if m < k else k - 1  # a full list drops its last entry
                    while pos > 0 and list_w[sl, pos - 1] < w_bt:
                        list_w[sl, pos] = list_w[sl, pos - 1]
                        list_t[sl, pos] = list_t[sl, pos - 1]
                        pos -= 1
                    list_w[sl, pos] = w_bt
                    list_t[sl, pos] = t
                    if m < k:
                        list_n[sl] = m + 1

    if max_hops >= 3 and n_slots > 0:
        head = 0.0
        cost_b = 0
        for sl in range(n_slots):
            if list_w[sl, 0] > head:
                head = np.float64(list_w[sl, 0])
            b = slot_node[sl]
            cost_b += indptr[b + 1] - indptr[b]
        cost_a = 0
        lo_s = indptr[s]
        hi_s = indptr[s + 1]
        for j in range(lo_s, hi_s):
            a = indices[j]
            if wsa[a] > 0.0:
                cost_a += indptr[a + 1] - indptr[a]
        if direction == 1 or (direction == 0 and cost_a <= cost_b):
            # strongest first ties of the source first, so the bound can stop the scan early
            order = np.argsort(-weights[lo_s:hi_s], kind="mergesort")
            for oi in range(order.shape[0]):
                a = indices[lo_s + order[oi]]
                w_sa = wsa[a]
                if w_sa == 0.0:
                    continue
                if count == k:
                    if w_sa * head < buf_s[k - 1]:
                        break
                    if w_sa * np.float64(rowmax[a]) * head < buf_s[k - 1]:
                        continue
                for j in range(indptr[a], indptr[a + 1]):
                    b = indices[j]
                    if not _has(bbits, b):
                        continue
                    sl = slot[b]
                    base = w_sa * np.float64(weights[j])
                    for e in range(list_n[sl]):
                        score = base * np.float64(list_w[sl, e])
                        if count == k and score < buf_s[k - 1]:
                            break
                        count = _insert(
                            buf_s, buf_h, buf_n, buf_w, count, k, score, 3, a, b,
                            list_t[sl, e], w_sa, np.float64(weights[j]),
                            np.float64(list_w[sl, e]),
                        )  # fmt: skip
        else:
            for sl in range(n_slots):
                b = slot_node[sl]
                for j in range(indptr[b], indptr[b + 1]):
                    a = indices[j]
                    if not _has(abits, a):
                        continue
                    w_sa = wsa[a]
                    base = w_sa * np.float64(weights[j])
                    for e in range(list_n[sl]):
                        score = base * np.float64(list_w[sl, e])
                        if count == k and score < buf_s[k - 1]:
                            break
                        count = _insert(
                            buf_s, buf_h, buf_n, buf_w, count, k, score, 3, a, b,
                            list_t[sl, e], w_sa, np.float64(weights[j]),
                            np.float64(list_w[sl, e]),
                        )  # fmt: skip

    # leave the scratch clean for the next query
    for sl in range(n_slots):
        b = slot_node[sl]
        slot[b] = -1
        bbits[b >> 6] = 0
    for j in range(indptr[s], indptr[s + 1]):
        a = indices[j]
        wsa[a] = 0.0
        abits[a >> 6] = 0
    for i in range(targets.shape[0]):
        tbits[targets[i] >> 6] = 0
    return buf_s[:count], buf_h[:count], buf_n[:count], buf_w[:count]


# --------------------------------------------------------------------------------------------
# Reach


@nb.njit(cache=True, nogil=True)
def reach(indptr, indices, sources, mark, touched):
    """(one hop, within two hops) distinct counts from ``sources``, the sources not counted.

    Scratch: ``mark`` uint8 (0) and ``touched`` int32, both of length n; ``mark`` is restored.
    """
    n_touched = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if mark[s] == 0:
            mark[s] = 3
            touched[n_touched] = s
            n_touched += 1
    first_begin = n_touched
    for i in range(sources.shape[0]):
        s = sources[i]
        for j in range(indptr[s], indptr[s + 1]):
            a = indices[j]
            if mark[a] == 0:
                mark[a] = 1
                touched[n_touched] = a
                n_touched += 1
    first_end = n_touched
    for i in range(first_begin, first_end):
        a = touched[i]
        for j in range(indptr[a], indptr[a + 1]):
            b = indices[j]
            if mark[b] == 0:
                mark[b] = 2
                touched[n_touched] = b
                n_touched += 1
    for i in range(n_touched):
        mark[touched[i]] = 0
    one = first_end - first_begin
    return one, n_touched - first_begin


# --------------------------------------------------------------------------------------------
# Scratch


_local = threading.local()


def scratch(n: int) -> dict[str, npt.NDArray[np.generic]]:
    """This thread's clean scratch arrays for graphs of ``n`` nodes (kernels restore them)."""
    cache: dict[int, dict[str, npt.NDArray[np.generic]]] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = {}
        _local.cache = cache
    arrays = cache.get(n)
    if arrays is None:
        if len(cache) >= 4:
            cache.clear()
        arrays = {
            "tbits": np.zeros(n // 64 + 1, np.uint64),
            "abits": np.zeros(n // 64 + 1, np.uint64),
            "bbits": np.zeros(n // 64 + 1, np.uint64),
            "wsa": np.zeros(n, np.float64),
            "slot": np.full(n, -1, np.int32),
            "mark": np.zeros(n, np.uint8),
            "touched": np.empty(n, np.int32),
        }
        cache[n] = arrays
    return arrays
