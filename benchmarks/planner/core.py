"""Keep-warm planner, core only: strengths, tier review and the weekly plan without a database.

Usage::

    .venv/bin/python benchmarks/planner/core.py [--relationships 5000] [--interactions 200000]
        [--budget 600] [--repeat 7] [--seed 0] [--json benchmarks/results/planner-core.json]

A seeded user with 5,000 relationships and 200,000 interactions over three years (a few ties
touched often, most rarely, as in a real network). Each step runs ``--repeat`` times; we report
the median and the best. Targets from issue 5: all strengths in under 1 s, the plan in under
200 ms. The full benchmark with SQLite and PostgreSQL (queries and the plan page) lives next to
this file once the Django side exists.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table as RichTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kring.core.planning import PlanPerson, plan_week, solve_knapsack  # noqa: E402
from kring.core.strength import (  # noqa: E402
    CHANNELS,
    INITIATORS,
    strengths_many,
    touch_codes,
    touch_weights,
)
from kring.core.tiers import TierInput, propose_tiers  # noqa: E402

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
WEEK = date(2026, 6, 1)
DAY = 86_400.0


def generate(n: int, k: int, seed: int) -> dict[str, Any]:
    """Relationships with heavy-tailed activity and their interactions as flat arrays."""
    rng = np.random.default_rng(seed)
    activity = rng.pareto(1.2, n) + 0.05
    rel = rng.choice(n, size=k, p=activity / activity.sum())
    # Each tie started some time in the last three years; its touches fall after that.
    start = rng.uniform(0, 3 * 365, n)
    age_days = rng.uniform(0, 1, k) * start[rel]
    channel = rng.choice(len(CHANNELS), k, p=[0.15, 0.1, 0.1, 0.15, 0.2, 0.25, 0.05])
    initiated = rng.choice(len(INITIATORS), k, p=[0.55, 0.35, 0.1])
    answered = np.where(initiated == 0, rng.choice(3, k, p=[0.2, 0.6, 0.2]), 2)
    minutes = rng.choice([5, 10, 15, 30, 60, 120], k, p=[0.45, 0.2, 0.1, 0.1, 0.1, 0.05])
    return {
        "rel": rel.astype(np.int64),
        "stamp": NOW.timestamp() - age_days * DAY,
        "channel": channel,
        "initiated": initiated,
        "answered": answered,
        "minutes": minutes,
        "rng": rng,
    }


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, dict[str, float]]:
    seconds = []
    result = None
    for _ in range(repeat):
        clock = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - clock)
    return result, {
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "best_ms": round(min(seconds) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relationships", type=int, default=5_000)
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--budget", type=int, default=600, help="weekly minutes")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/planner-core.json")
    args = parser.parse_args(argv)
    n, k = args.relationships, args.interactions
    data = generate(n, k, args.seed)
    rng = data.pop("rng")
    rows: list[tuple[str, dict[str, float], str]] = []

    stored_channel = [CHANNELS[c] for c in data["channel"]]
    stored_initiated = [INITIATORS[c] for c in data["initiated"]]
    stored_answered = [(False, True, None)[a] for a in data["answered"]]
    _, t_codes = timed(
        lambda: touch_codes(stored_channel, stored_initiated, stored_answered), args.repeat
    )
    rows.append(("codes from stored strings (adapter)", t_codes, f"{k:,} rows"))

    (weight, conversation), t_encode = timed(
        lambda: touch_weights(
            data["channel"], data["initiated"], data["answered"], data["minutes"]
        ),
        args.repeat,
    )
    rows.append(("encode touch weights", t_encode, f"{k:,} touches"))

    strengths, t_strength = timed(
        lambda: strengths_many(
            data["rel"], data["stamp"], weight, conversation, count=n, now=NOW.timestamp()
        ),
        args.repeat,
    )
    rows.append(("all strengths (score, cooling, familiarity)", t_strength, "target < 1000 ms"))

    def end_to_end() -> Any:
        w, c = touch_weights(data["channel"], data["initiated"], data["answered"], data["minutes"])
        return strengths_many(data["rel"], data["stamp"], w, c, count=n, now=NOW.timestamp())

    _, t_all = timed(end_to_end, args.repeat)
    rows.append(("encode + all strengths", t_all, "target < 1000 ms"))

    stars = rng.choice(4, n, p=[0.6, 0.2, 0.15, 0.05])
    given = rng.poisson(0.5, n)
    received = rng.poisson(0.5, n)
    asks = rng.poisson(0.2, n)
    tier_inputs = [
        TierInput(
            i,
            float(strengths.score[i]),
            int(given[i]),
            int(received[i]),
            int(asks[i]),
            int(stars[i]),
        )
        for i in range(n)
    ]
    proposals, t_tiers = timed(lambda: propose_tiers(tier_inputs), args.repeat)
    rows.append(("tier review proposals", t_tiers, f"{n:,} relationships"))
    tier = [p.tier for p in proposals]

    last = strengths.last_touch
    people = []
    for i in range(n):
        last_day = None if np.isnan(last[i]) else datetime.fromtimestamp(last[i], UTC).date()
        people.append(
            PlanPerson(
                key=i,
                tier=tier[i],
                strength=float(strengths.score[i]),
                cooling=bool(strengths.cooling[i]),
                last_touch=last_day,
                birthday=date(1980, 1, 1) + timedelta(days=int(rng.integers(0, 366))),
                last_shared_meeting=(
                    WEEK - timedelta(days=int(rng.integers(0, 60))) if rng.random() < 0.2 else None
                ),
                open_asks_answerable=int(rng.poisson(0.05)),
                favours_owed=int(received[i]) - int(given[i]),
                familiarity=int(strengths.familiarity[i]),
                unanswered_in_row=int(rng.choice(4, p=[0.7, 0.15, 0.1, 0.05])),
                snoozed_until=WEEK + timedelta(days=30) if rng.random() < 0.03 else None,
                dont_contact_before=WEEK + timedelta(days=3) if rng.random() < 0.02 else None,
                planned_this_week=bool(rng.random() < 0.01),
            )
        )
    plan, t_plan = timed(
        lambda: plan_week(people, week_start=WEEK, budget_minutes=args.budget), args.repeat
    )
    rows.append(
        (
            f"weekly plan, {args.budget} min budget",
            t_plan,
            f"{len(plan.touches)} touches, {plan.minutes_used} min; target < 200 ms",
        )
    )
    full, t_full = timed(lambda: plan_week(people, week_start=WEEK, budget_minutes=2400), 3)
    rows.append(("weekly plan, 2400 min budget", t_full, f"{len(full.touches)} touches"))

    values = rng.uniform(5, 100, n)
    odd = rng.integers(1, 61, n)
    _, t_knap = timed(lambda: solve_knapsack(values, odd, 2400), args.repeat)
    rows.append(("knapsack alone, 1-60 min lengths", t_knap, f"{n:,} items, 2400 min"))

    table = RichTable(title=f"planner core: {n:,} relationships, {k:,} interactions")
    table.add_column("step")
    table.add_column("median ms", justify="right")
    table.add_column("best ms", justify="right")
    table.add_column("note")
    for name, t, note in rows:
        table.add_row(name, f"{t['median_ms']:.1f}", f"{t['best_ms']:.1f}", note)
    console = Console(width=120)
    console.print(table)
    reasons: dict[str, int] = {}
    for touch in plan.touches:
        reasons[touch.reasons[0]] = reasons.get(touch.reasons[0], 0) + 1
    left: dict[str, int] = {}
    for x in plan.left_out:
        left[x.reason] = left.get(x.reason, 0) + 1
    summary = {
        "tiers": {t: tier.count(t) for t in "ABC"},
        "cooling": int(strengths.cooling.sum()),
        "mean_score": round(float(strengths.score.mean()), 1),
        "plan_lead_reasons": reasons,
        "plan_left_out": left,
    }
    console.print(summary)
    result = {
        "seed": args.seed,
        "relationships": n,
        "interactions": k,
        "budget_minutes": args.budget,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "steps": [{"step": name, **t, "note": note} for name, t, note in rows],
        "summary": summary,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
