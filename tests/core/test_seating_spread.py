"""Seasons where repeats are forced: the table bound, the cyclic shapes and the spread search."""

from __future__ import annotations

import doctest
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.seating import golfer, spread
from kring.core.seating.golfer import count_repeats, golfer_lower_bound, max_meetings
from kring.core.seating.spread import (
    OrbitShape,
    develop_orbits,
    meeting_cap,
    orbit_shapes,
    pair_classes,
    spread_search,
    table_pairs_floor,
)


def partitions(n: int, size: int) -> list[tuple[tuple[int, ...], ...]]:
    """Every way to split players 0..n-1 into groups of ``size``."""
    if n == 0:
        return [()]
    out = []
    for others in itertools.combinations(range(1, n), size - 1):
        group = (0, *others)
        rest = [p for p in range(n) if p not in group]
        for tail in partitions(len(rest), size):
            out.append((group, *(tuple(rest[i] for i in g) for g in tail)))
    return out


def least_max_meetings_meeting_every_pair(groups: int, size: int, weeks: int) -> int | None:
    """By brute force (first round fixed): the smallest most-met pair over the seasons in which
    every pair meets, or None when no season meets every pair."""
    n = groups * size
    rounds = [
        frozenset(p for group in part for p in itertools.combinations(group, 2))
        for part in partitions(n, size)
    ]
    best = None
    for rest in itertools.product(range(len(rounds)), repeat=weeks - 1):
        counts: dict[tuple[int, int], int] = {}
        for r in (0, *rest):
            for pair in rounds[r]:
                counts[pair] = counts.get(pair, 0) + 1
        if len(counts) == n * (n - 1) // 2:
            most = max(counts.values())
            best = most if best is None else min(best, most)
    return best


@pytest.mark.parametrize(("groups", "size", "weeks"), [(2, 3, 4), (2, 4, 4), (2, 3, 3), (3, 2, 3)])
def test_it_never_bounds_the_most_met_pair_above_what_a_season_reaches(groups, size, weeks):
    truth = least_max_meetings_meeting_every_pair(groups, size, weeks)
    assert truth is None or meeting_cap(groups, size, weeks) <= truth


def test_it_proves_that_no_pair_at_most_twice_is_impossible_at_620_on_5_8_10():
    # Every table of 8 meets again at least 2+2+2+1+1 -> 3 of its pairs in each of 9 rounds.
    assert table_pairs_floor(5, 8) == 3
    assert meeting_cap(5, 8, 10) == 3
    # With no pair three times, at most one pair per table meets once: 50 once, 675 repeats.
    once = 5 * 10 * (28 - 9 * table_pairs_floor(5, 8))
    assert once == 50 and (1400 - once) // 2 == 675


def test_it_lists_shapes_whose_classes_all_fit_within_the_cap():
    for groups, size, weeks in [(5, 8, 10), (8, 6, 10), (4, 4, 6), (4, 3, 6)]:
        cap = meeting_cap(groups, size, weeks)
        shapes = orbit_shapes(groups, size, weeks, cap)
        assert shapes
        for shape in shapes:
            assert sum(shape.orbits) == groups * size and shape.m * shape.q == weeks
            assert all(shape.q % length == 0 for length in shape.orbits)
            assert max(pair_classes(shape)[2]) <= cap


def test_it_develops_every_class_into_meetings_of_its_multiplicity():
    shape = OrbitShape(q=6, m=1, orbits=(6, 6, 3, 1))
    base = [[0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]]
    rounds = develop_orbits(shape, base, 4)
    assert len(rounds) == 6
    cls, _, mult = pair_classes(shape)
    counts: dict[int, int] = {}
    for a, b in itertools.combinations(range(16), 2):
        if base[0][a] == base[0][b]:
            counts[cls[a][b]] = counts.get(cls[a][b], 0) + 1
    met: dict[tuple[int, int], int] = {}
    for week in rounds:
        assert sorted(p for group in week for p in group) == list(range(16))
        for group in week:
            for pair in itertools.combinations(group, 2):
                met[pair] = met.get(pair, 0) + 1
    for a, b in itertools.combinations(range(16), 2):
        c = cls[a][b]
        assert met.get((a, b), 0) == mult[c] * counts.get(c, 0)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([(4, 3, 6), (3, 3, 6), (4, 4, 6), (2, 4, 4)]), st.integers(0, 50))
def test_it_reports_what_the_spread_search_season_really_holds(instance, seed):
    groups, size, weeks = instance
    cap = meeting_cap(groups, size, weeks)
    shape = orbit_shapes(groups, size, weeks, cap)[0]
    result = spread_search(groups, size, shape, cap, seed=seed, iterations=3_000)
    assert len(result.rounds) == weeks
    for week in result.rounds:
        assert len(week) == groups and all(len(g) == size for g in week)
        assert sorted(p for g in week for p in g) == list(range(groups * size))
    met: dict[tuple[int, int], int] = {}
    for week in result.rounds:
        for group in week:
            for pair in itertools.combinations(group, 2):
                met[pair] = met.get(pair, 0) + 1
    n = groups * size
    assert result.unmet == n * (n - 1) // 2 - len(met)
    assert result.over_cap == sum(max(0, c - cap) for c in met.values())
    assert result.spread == sum(c * (c - 1) // 2 for c in met.values())
    assert count_repeats(result.rounds) == golfer_lower_bound(groups, size, weeks) + result.unmet
    again = spread_search(groups, size, shape, cap, seed=seed, iterations=3_000)
    assert again == result


def test_it_finds_a_season_with_every_pair_met_and_none_beyond_the_cap():
    shape = orbit_shapes(4, 4, 6, 2)[0]
    result = spread_search(4, 4, shape, 2, seed=0, iterations=20_000)
    assert result.unmet == result.over_cap == 0
    assert count_repeats(result.rounds) == golfer_lower_bound(4, 4, 6) == 24
    assert max_meetings(result.rounds) == 2


@pytest.mark.parametrize("module", [golfer, spread])
def test_the_doctests_pass(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
