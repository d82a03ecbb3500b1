"""Tonight's figures: repeats tonight, pairs by times met, and a lower bound that no plan beats."""

from __future__ import annotations

from collections import Counter
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.seating.tonight import fewest_pairs_seated, tonight_report


@st.composite
def evenings(draw: st.DrawFn, max_people: int = 9):
    """People, table capacities, a seating of tonight and a history of earlier tables."""
    n = draw(st.integers(0, max_people))
    names = [f"p{i}" for i in range(n)]
    capacities = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
    if sum(capacities) < n:
        capacities[0] += n - sum(capacities)
    tables: list[list[str]] = [[] for _ in capacities]
    for name in names:
        room = [i for i, c in enumerate(capacities) if len(tables[i]) < c]
        tables[draw(st.sampled_from(room))].append(name)
    table = st.lists(st.sampled_from(names or ["x"]), unique=True, max_size=4)
    history = draw(st.lists(st.lists(table, max_size=3), max_size=4))
    return names, capacities, tables, history


def _brute_repeats(tables, history):
    met = Counter()
    for meeting in history:
        for table in meeting:
            for a, b in combinations(sorted(set(table)), 2):
                met[(a, b)] += 1
    return sum(1 for t in tables for a, b in combinations(sorted(t), 2) if met[(a, b)])


@given(evenings())
@settings(max_examples=200, deadline=None)
def test_it_counts_tonights_repeats_and_splits_them_by_times_met(evening):
    _names, capacities, tables, history = evening
    report = tonight_report(tables, history, capacities=capacities)
    assert report.repeats == _brute_repeats(tables, history)
    assert sum(pairs for _times, pairs in report.by_times) == report.repeats
    assert all(times >= 2 for times, _pairs in report.by_times)
    assert 0 <= report.lower_bound <= report.repeats


@given(evenings(max_people=7))
@settings(max_examples=60, deadline=None)
def test_no_seating_of_tonights_people_beats_the_lower_bound(evening):
    names, capacities, _tables, history = evening
    bound = tonight_report(_tables, history, capacities=capacities).lower_bound
    best = None
    for choice in product(range(len(capacities)), repeat=len(names)):
        counts = Counter(choice)
        if any(counts[i] > c for i, c in enumerate(capacities)):
            continue
        pairs = list(zip(names, choice, strict=True))
        tables = [[n for n, t in pairs if t == i] for i in range(len(capacities))]
        repeats = _brute_repeats(tables, history)
        best = repeats if best is None else min(best, repeats)
    assert best is not None and bound <= best


def test_without_history_nothing_repeats_and_the_bound_is_zero():
    report = tonight_report([["a", "b", "c"], ["d"]], [], capacities=[3, 3])
    assert (report.repeats, report.by_times, report.lower_bound, report.most_times) == (
        0,
        (),
        0,
        1,
    )


def test_it_says_how_often_each_pair_met_before():
    history = [[["a", "b", "c"]], [["a", "b"], ["c", "d"]]]
    report = tonight_report([["a", "b", "c", "d"]], history)
    # a-b: third time; a-c, b-c, c-d: second time; a-d, b-d: new.
    assert report.by_times == ((2, 3), (3, 1))
    assert report.repeats == 4 and report.most_times == 3


def test_the_bound_is_tight_when_everyone_has_met_everyone():
    everyone = [[["a", "b", "c", "d", "e", "f"]]]
    report = tonight_report([["a", "b", "c"], ["d", "e", "f"]], everyone)
    assert report.lower_bound == 6 == report.repeats


def test_pairs_kept_apart_are_no_way_around_a_repeat():
    # a met b and c; a must not sit with d: at a table of two, a can only sit with b or c.
    history = [[["a", "b"]], [["a", "c"]]]
    free = tonight_report([["a", "d"], ["b", "c"]], history, capacities=[2, 2]).lower_bound
    kept = tonight_report(
        [["a", "b"], ["c", "d"]], history, capacities=[2, 2], apart=[("d", "a")]
    ).lower_bound
    assert free == 0 and kept == 1


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="seated twice"):
        tonight_report([["a"], ["a"]], [])
    with pytest.raises(ValueError, match="more people than its capacity"):
        tonight_report([["a", "b"]], [], capacities=[1])
    with pytest.raises(ValueError, match="only 4 seats"):
        fewest_pairs_seated(5, [2, 2])


def test_the_fewest_pairs_spread_people_evenly_within_capacities():
    assert fewest_pairs_seated(10, [4, 4, 4]) == 6 + 3 + 3
    assert fewest_pairs_seated(6, [2, 8]) == 1 + 6
    assert fewest_pairs_seated(0, [3]) == 0
