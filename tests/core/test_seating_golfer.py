"""Pure social-golfer seasons: known designs reproduced, search finds small optima."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.seating import (
    SeatingInputError,
    count_repeats,
    golfer_lower_bound,
    social_golfer_season,
)
from kring.core.seating.constructions import (
    _MOLS10_A,
    _MOLS10_B,
    _RBIBD_120_8,
    KNOWN_SEASONS,
    _mols,
    _square,
    construct,
    developed_rounds,
    transversal_rounds,
)
from kring.core.seating.cyclic import CyclicShape, ExactCover, cyclic_backtrack, cyclic_shapes
from kring.core.seating.golfer import clean_first, max_meetings
from kring.core.seating.spread import meeting_cap


def assert_season_shape(season, groups: int, size: int, weeks: int) -> None:
    assert len(season.rounds) == weeks
    for week in season.rounds:
        assert len(week) == groups
        assert all(len(group) == size for group in week)
        assert sorted(p for group in week for p in group) == list(range(groups * size))


@pytest.mark.parametrize(
    ("groups", "size", "weeks"),
    [(4, 4, 5), (5, 5, 6), (7, 7, 8), (8, 8, 9), (9, 3, 13), (6, 6, 3), (10, 10, 4), (9, 9, 10)],
)
def test_it_reproduces_the_known_optimal_designs_with_zero_repeats(groups, size, weeks):
    season = social_golfer_season(groups, size, weeks)
    assert_season_shape(season, groups, size, weeks)
    assert season.repeats == 0
    assert season.method != "tabu search"


def test_it_knows_a_pair_of_orthogonal_latin_squares_of_order_10():
    a, b = _square(_MOLS10_A), _square(_MOLS10_B)
    for square in (a, b):
        assert all(sorted(row) == list(range(10)) for row in square)
        assert all(sorted(col) == list(range(10)) for col in zip(*square, strict=True))
    pairs = {(a[r][c], b[r][c]) for r in range(10) for c in range(10)}
    assert len(pairs) == 100


@pytest.mark.parametrize(("groups", "size", "weeks"), [(5, 3, 7), (4, 3, 4), (6, 3, 6), (4, 4, 4)])
def test_it_finds_repeat_free_seasons_by_search(groups, size, weeks):
    season = social_golfer_season(groups, size, weeks, seed=3, time_limit=20)
    assert_season_shape(season, groups, size, weeks)
    assert season.repeats == 0


def test_it_gives_the_same_season_for_the_same_seed():
    first = social_golfer_season(5, 3, 6, seed=11, time_limit=None)
    assert social_golfer_season(5, 3, 6, seed=11, time_limit=None) == first


def test_it_spreads_unavoidable_repeats_down_to_the_lower_bound():
    # 3 tables of 3 over 5 meetings: 45 pair-meetings, 36 pairs, so at least 9 repeats.
    season = social_golfer_season(3, 3, 5, seed=0, time_limit=20)
    assert golfer_lower_bound(3, 3, 5) == 9
    assert season.repeats == 9


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_it_always_returns_a_well_formed_season(groups, size, weeks):
    season = social_golfer_season(groups, size, weeks, seed=0, max_iterations=200)
    assert_season_shape(season, groups, size, weeks)
    assert season.repeats == count_repeats(season.rounds)
    assert season.repeats >= golfer_lower_bound(groups, size, weeks)


def test_it_counts_repeats_per_extra_meeting_of_a_pair():
    rounds = [[[0, 1, 2]], [[0, 1, 2]], [[0, 1, 2]]]
    assert count_repeats(rounds) == 6
    assert count_repeats([list(itertools.repeat([0, 1], 1))]) == 0


@pytest.mark.parametrize("bad", [0, -1])
def test_it_rejects_non_positive_sizes(bad):
    with pytest.raises(SeatingInputError, match="must be a positive whole number"):
        social_golfer_season(bad, 3, 3)


@pytest.mark.parametrize(
    ("groups", "size", "weeks"),
    [
        (6, 3, 8),
        (8, 3, 11),
        (10, 3, 14),
        (6, 4, 7),
        (6, 5, 6),
        (7, 3, 10),
        (7, 4, 9),
        (9, 4, 11),
        (10, 4, 13),
    ],
)
def test_it_reaches_the_best_known_weeks_by_cyclic_search(groups, size, weeks):
    season = social_golfer_season(groups, size, weeks, seed=0, time_limit=30)
    assert_season_shape(season, groups, size, weeks)
    assert season.repeats == 0
    assert season.method.startswith(("cyclic search", "exact cover"))


def test_it_develops_base_rounds_into_a_season():
    shape = CyclicShape(q=7, m=1, k=2, f=1)
    rounds = cyclic_backtrack(5, 3, shape, seed=0, node_limit=10**6)
    assert rounds is not None and len(rounds) == 7
    assert count_repeats(rounds) == 0
    assert cyclic_shapes(5, 8, 10) == []  # 5-8-10 must repeat: no shape can avoid it


def test_it_reaches_the_lower_bound_on_a_club_sized_season_with_no_pair_met_needlessly_often():
    # 5 tables of 8 over 10 dinners: at least 620 repeated pairs are unavoidable, and a season
    # with 620 has a pair meeting three times (the table bound), so three is the best maximum.
    season = social_golfer_season(5, 8, 10, seed=0, time_limit=None)
    assert_season_shape(season, 5, 8, 10)
    assert golfer_lower_bound(5, 8, 10) == 620
    assert season.repeats == count_repeats(season.rounds) == 620
    assert max_meetings(season.rounds) == meeting_cap(5, 8, 10) == 3
    assert season.method.startswith("spread search")


@pytest.mark.parametrize(("groups", "size"), [(8, 6), (10, 3), (7, 4), (5, 2), (9, 9)])
def test_it_builds_a_transversal_design_where_coordinates_meet_once(groups, size):
    rounds = transversal_rounds(_mols(groups), size)
    season = social_golfer_season(groups, size, groups) if size < groups else None
    assert season is None or season.method.startswith("transversal design")
    met = {}
    for week in rounds:
        assert sorted(p for group in week for p in group) == list(range(groups * size))
        for group in week:
            assert len(group) == size
            for a, b in itertools.combinations(group, 2):
                met[(a, b)] = met.get((a, b), 0) + 1
    for a, b in itertools.combinations(range(groups * size), 2):
        assert met.get((a, b), 0) == (a // groups != b // groups)


def test_it_extends_a_construction_by_search_where_repeats_are_forced():
    # 8 tables of 6 over 10 meetings: 72 repeats at least; 7 rounds of the transversal design
    # and 3 searched ones leave 4 pairs unmet, and no pair meets three times.
    assert construct(8, 6, 8) is not None and construct(8, 6, 9) is None
    season = social_golfer_season(8, 6, 10, seed=0, time_limit=None, max_iterations=3000)
    assert_season_shape(season, 8, 6, 10)
    assert golfer_lower_bound(8, 6, 10) == 72
    assert season.repeats == 76
    assert max_meetings(season.rounds) == 2
    assert season.method.startswith("transversal design")


def test_it_gives_the_same_club_sized_season_for_the_same_seed():
    first = social_golfer_season(5, 8, 10, seed=4, time_limit=None)
    assert social_golfer_season(5, 8, 10, seed=4, time_limit=None) == first
    assert first.repeats == 620


def test_it_proves_a_cyclic_shape_empty_by_exact_cover():
    # 12 players in 4 groups of 3 cannot play 5 repeat-free rounds; nor developed by Z_5.
    shape = CyclicShape(q=5, m=1, k=2, f=2)
    rounds, exhausted = ExactCover(4, 3, shape).run(seed=0, node_limit=10**7)
    assert rounds is None and exhausted


def test_it_finds_a_kirkman_system_by_exact_cover():
    cover = ExactCover(7, 3, CyclicShape(q=5, m=2, k=4, f=1))
    rounds, _ = cover.run(seed=1, node_limit=10**6)
    assert rounds is not None and len(rounds) == 10 and count_repeats(rounds) == 0
    again, _ = cover.run(seed=1, node_limit=10**6)
    assert again == rounds  # the matrix is restored between runs


# Honest time: work, not the clock, ends every search, so a generous time limit (the safety stop
# that a busy machine might reach) changes nothing; the clock only matters when it stops a search.
@pytest.mark.parametrize(("groups", "size", "weeks"), [(6, 4, 7), (5, 3, 7), (3, 3, 5)])
def test_it_gives_the_same_season_with_or_without_a_time_limit(groups, size, weeks):
    unlimited = social_golfer_season(groups, size, weeks, seed=5, time_limit=None)
    assert social_golfer_season(groups, size, weeks, seed=5, time_limit=600) == unlimited
    assert "time limit" not in unlimited.method


@settings(max_examples=8, deadline=None)
@given(st.integers(2, 4), st.integers(2, 3), st.integers(2, 4), st.integers(0, 1_000))
def test_it_gives_the_same_season_for_the_same_seed_whatever_the_clock(groups, size, weeks, seed):
    first = social_golfer_season(groups, size, weeks, seed=seed, time_limit=None)
    again = social_golfer_season(groups, size, weeks, seed=seed, time_limit=300)
    assert again == first
    assert_season_shape(first, groups, size, weeks)


def test_it_says_when_the_safety_stop_cut_a_search_short():
    # A zero time limit stops every search at once: still a well-formed season, and it says so.
    season = social_golfer_season(5, 3, 7, seed=0, time_limit=0.0)
    assert_season_shape(season, 5, 3, 7)
    assert season.method.endswith("(stopped by the time limit)")


def test_it_knows_the_published_8_4_10_season_with_no_repeated_pair():
    rounds, name = KNOWN_SEASONS[(8, 4)]
    assert len(rounds) == 10
    assert count_repeats(rounds) == 0
    assert "Aguado" in name
    season = social_golfer_season(8, 4, 10, seed=0, time_limit=None)
    assert_season_shape(season, 8, 4, 10)
    assert season.repeats == 0
    assert season.method == name


def test_it_knows_a_resolvable_120_8_1_design():
    # 17 rounds of 15 tables of 8: every round seats all 120 players once, every pair of players
    # shares exactly one table over the season.
    rounds, name = KNOWN_SEASONS[(15, 8)]
    assert name == "resolvable (120,8,1) design, developed over Z_17 with a fixed point"
    assert len(rounds) == 17
    met: dict[tuple[int, int], int] = {}
    for week in rounds:
        assert len(week) == 15 and all(len(group) == 8 for group in week)
        assert sorted(p for group in week for p in group) == list(range(120))
        for group in week:
            for pair in itertools.combinations(sorted(group), 2):
                met[pair] = met.get(pair, 0) + 1
    assert len(met) == 120 * 119 // 2
    assert set(met.values()) == {1}


@pytest.mark.parametrize("weeks", [1, 2, 12, 17])
def test_it_seats_120_players_at_15_tables_of_8_with_no_repeated_pair(weeks):
    season = social_golfer_season(15, 8, weeks, seed=0, time_limit=None)
    assert_season_shape(season, 15, 8, weeks)
    assert season.repeats == 0
    if weeks > 1:
        assert season.method == KNOWN_SEASONS[(15, 8)][1]


def test_seventeen_meetings_are_the_most_without_a_repeat_at_15_tables_of_8():
    # 18 meetings cannot be repeat-free (each player would need 7 x 18 = 126 > 119 table-mates);
    # the 17 rounds of the design come first, all clean.
    assert construct(15, 8, 17) is not None and construct(15, 8, 18) is None
    assert golfer_lower_bound(15, 8, 18) == 420
    assert max_repeat_free_prefix(KNOWN_SEASONS[(15, 8)][0]) == 17


def test_it_refuses_a_developed_base_round_that_seats_a_player_twice():
    assert developed_rounds("a1 b2\na2 b1", 5, "ab")[0][0] == [0, 5, 10]
    with pytest.raises(ValueError, match="names no orbit"):
        developed_rounds("a1 z2", 5, "ab")
    with pytest.raises(ValueError, match="every player exactly once"):
        developed_rounds("a1 b2\na1 b1", 5, "ab")
    # The embedded text is one table of four tokens per line, 14 lines.
    lines = [line.split() for line in _RBIBD_120_8.split("\n") if line]
    assert len(lines) == 14 and all(len(tokens) == 4 for tokens in lines)


@pytest.mark.parametrize(("groups", "size", "weeks"), [(3, 3, 5), (5, 8, 10), (2, 2, 4)])
def test_it_puts_the_clean_meetings_first(groups, size, weeks):
    season = social_golfer_season(groups, size, weeks, seed=1, time_limit=None)
    seen: set[tuple[int, int]] = set()
    fresh_repeats = []
    for week in season.rounds:
        pairs = {p for group in week for p in itertools.combinations(group, 2)}
        fresh_repeats.append(len(pairs & seen))
        seen |= pairs
    # Repeats only grow through the season; the first meetings have none where that is possible.
    assert fresh_repeats == sorted(fresh_repeats)
    assert fresh_repeats[0] == 0
    assert max_repeat_free_prefix(season.rounds) == max_repeat_free_set(season.rounds)


def max_repeat_free_prefix(rounds) -> int:
    seen: set[tuple[int, int]] = set()
    for w, week in enumerate(rounds):
        pairs = {p for group in week for p in itertools.combinations(group, 2)}
        if pairs & seen:
            return w
        seen |= pairs
    return len(rounds)


def max_repeat_free_set(rounds) -> int:
    pairs = [{p for g in week for p in itertools.combinations(g, 2)} for week in rounds]
    for k in range(len(rounds), 0, -1):
        for chosen in itertools.combinations(range(len(rounds)), k):
            if all(not (pairs[a] & pairs[b]) for a, b in itertools.combinations(chosen, 2)):
                return k
    return 0


def test_it_keeps_a_repeat_free_season_in_its_order():
    assert clean_first([[[0, 1], [2, 3]], [[0, 2], [1, 3]], [[0, 3], [1, 2]]]) == [0, 1, 2]
