"""A club season planned meeting by meeting: the same seed gives the same plan in any process,
and the one-meeting search weighs never-met table-mates exactly."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kring.core.seating import PastMeeting, SeatingProblem, plan_seating
from kring.core.seating.search import (
    SearchInstance,
    fresh_shortfall,
    plan_cost,
    tabu_search,
)
from tests.core.seating_strategies import club_season

ROOT = Path(__file__).resolve().parents[2]


def season_digest(seed: int, policy: float, meetings: int = 4) -> str:
    """Plan the first ``meetings`` meetings of a small club season one by one; a digest of it."""
    problem = club_season(seed, members=40, tables=6, meetings=meetings)
    rules = replace(problem.rules, policy=policy)
    past: list[PastMeeting] = []
    for m, present in enumerate(problem.meetings):
        single = replace(problem, meetings=(present,), history=tuple(past), rules=rules)
        tables = plan_seating(single, seed=seed + m).meetings[0].tables
        past.append(PastMeeting(tuple(names for _, names in tables)))
    text = json.dumps([meeting.tables for meeting in past])
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_same_seed_gives_the_same_season_twice():
    assert season_digest(3, 0.5) == season_digest(3, 0.5)
    assert season_digest(3, 0.5) != season_digest(4, 0.5)


def test_the_same_seed_gives_the_same_season_under_other_hash_seeds():
    code = "from tests.core.test_seating_season import season_digest; print(season_digest(3, 0.5))"
    here = season_digest(3, 0.5)
    for hash_seed in ("1", "271828"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert out.stdout.strip() == here, f"PYTHONHASHSEED={hash_seed}"


def test_a_meeting_is_planned_by_work_not_by_the_clock():
    problem = club_season(5, members=40, tables=6, meetings=1)
    quick = plan_seating(problem, seed=1)
    # A generous safety stop changes nothing: the search ends on its budget of swaps.
    assert plan_seating(problem, seed=1, time_limit=60.0) == quick


def random_meeting(seed: int, *, weight: float) -> SearchInstance:
    rng = np.random.default_rng(seed)
    n, tables = 14, 3
    sizes = [5, 5, 4]
    lin = rng.normal(size=(n, n))
    lin = (lin + lin.T) / 2
    np.fill_diagonal(lin, 0.0)
    fresh = rng.random((n, n)) < 0.3
    fresh |= fresh.T
    np.fill_diagonal(fresh, False)
    assert len(sizes) == tables
    return SearchInstance(
        n,
        [np.arange(n, dtype=np.int64)],
        [sizes],
        [{0: 0, 1: 2}],
        lin,
        np.zeros((n, n)),
        0.0,
        fresh=fresh.astype(np.float64),
        need=np.minimum(fresh.sum(axis=1), 2).astype(np.float64),
        fresh_weight=weight,
    )


def total(inst: SearchInstance, row: np.ndarray) -> float:
    tables = row[None, :]
    return plan_cost(inst, tables) + fresh_shortfall(inst, tables)


@pytest.mark.parametrize("seed", range(8))
def test_no_single_swap_improves_the_meeting_the_search_returns(seed):
    # The search evaluates every swap incrementally; recomputed from scratch, none is better.
    inst = random_meeting(seed, weight=2.5)
    result = tabu_search(inst, seed=seed, max_iterations=400)
    row = result.tables[0]
    assert result.cost == pytest.approx(total(inst, row))
    movable = [p for p in range(inst.n) if p not in inst.fixed[0]]
    for a, b in itertools.combinations(movable, 2):
        if row[a] == row[b]:
            continue
        swapped = row.copy()
        swapped[a], swapped[b] = row[b], row[a]
        assert total(inst, swapped) >= result.cost - 1e-9, (a, b)


def test_the_fresh_weight_gives_everyone_two_never_met_table_mates():
    # Four people who all met, four who never met anyone: without the weight the search seats
    # the old friends together (they like each other); with it, each table mixes.
    n = 8
    lin = np.zeros((n, n))
    met = np.zeros((n, n), dtype=bool)
    for a, b in itertools.combinations(range(4), 2):
        lin[a, b] = lin[b, a] = -1.0
        met[a, b] = met[b, a] = True
    fresh = ~met
    np.fill_diagonal(fresh, False)
    need = np.minimum(fresh.sum(axis=1), 2).astype(np.float64)

    def plan(weight: float) -> np.ndarray:
        inst = SearchInstance(
            n,
            [np.arange(n, dtype=np.int64)],
            [[4, 4]],
            [{}],
            lin,
            np.zeros((n, n)),
            0.0,
            fresh=fresh.astype(np.float64),
            need=need,
            fresh_weight=weight,
        )
        return tabu_search(inst, seed=0, max_iterations=200).tables[0]

    def fewest_fresh(row: np.ndarray) -> int:
        return min(int(sum(fresh[p, q] and row[p] == row[q] for q in range(n))) for p in range(n))

    assert fewest_fresh(plan(0.0)) == 0
    assert fewest_fresh(plan(20.0)) >= 2


def test_fresh_table_mates_are_refused_for_a_whole_season_search():
    inst = random_meeting(0, weight=1.0)
    season = replace(inst, present=inst.present * 2, sizes=inst.sizes * 2, fixed=inst.fixed * 2)
    with pytest.raises(ValueError, match="one meeting"):
        tabu_search(season, seed=0, max_iterations=5)


def test_club_season_problem_is_what_the_digest_plans():
    # The digest plans real meetings (guards against an empty season passing the tests above).
    problem: SeatingProblem = club_season(3, members=40, tables=6, meetings=4)
    assert len(problem.meetings) == 4
    assert all(len(present) > 20 for present in problem.meetings)
