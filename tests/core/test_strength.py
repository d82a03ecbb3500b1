"""Relationship strength: the orderings the formula promises, the array path, bad input."""

from __future__ import annotations

import doctest
import itertools
from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kring.core.strength as strength
from kring.core.strength import (
    ANSWER_CODES,
    CHANNELS,
    INITIATORS,
    InvalidStrengthInput,
    Touch,
    decay_days,
    familiarity_display,
    is_conversation,
    relationship_strength,
    strengths_many,
    touch_codes,
    touch_weights,
)
from tests.core.planner_strategies import NOW, channels, histories, touches

days = timedelta(days=1)


def score(history: list[Touch], now: datetime = NOW) -> float:
    return relationship_strength(history, now=now).score


def not_saturated(value: float) -> bool:
    """Scores strictly between underflow and the float ceiling, where strict orderings hold."""
    return 1e-9 < value < 99.999


def test_it_keeps_its_docstring_examples_true():
    result = doctest.testmod(strength, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_it_exports_its_public_surface():
    for name in strength.__all__:
        assert hasattr(strength, name), name


def test_it_scores_no_touches_as_zero():
    s = relationship_strength([], now=NOW)
    assert (s.score, s.previous_score, s.cooling, s.familiarity, s.last_touch) == (
        0.0,
        0.0,
        False,
        0,
        None,
    )


def test_it_shows_familiarity_as_n_of_5():
    history = [Touch(NOW - k * days, "call", 5, "both") for k in range(3)]
    history.append(Touch(NOW - 4 * days, "message", 5, "me", False))
    s = relationship_strength(history, now=NOW)
    assert s.familiarity == 3
    assert s.familiarity_text == "3 of 5"
    assert familiarity_display(9) == "5 of 5"


def test_it_counts_familiarity_like_the_django_side():
    assert not is_conversation("me", False)
    assert is_conversation("me", None)
    assert is_conversation("me", True)
    assert is_conversation("them", False)
    assert is_conversation("both", None)


def test_it_puts_ten_short_touches_clearly_above_one_long_meeting():
    span = [NOW - (10 + 9 * k) * days for k in range(10)]  # ten touches over 81 days
    ten = [Touch(t, "call", 5, "both") for t in span]
    one = [Touch(NOW - 50 * days, "call", 60, "both")]
    assert score(ten) > 2 * score(one)


def test_it_flags_a_three_weekly_tie_that_fell_silent_for_four_months():
    def silent_for(k: int) -> list[Touch]:
        return [Touch(NOW - (k + 21 * i) * days, "call", 10, "both") for i in range(52)]

    assert not relationship_strength(silent_for(30), now=NOW).cooling
    cold = relationship_strength(silent_for(120), now=NOW)
    assert cold.cooling
    assert cold.score <= 0.7 * cold.previous_score


def test_it_never_flags_a_tie_that_hardly_existed_as_cooling():
    faint = [Touch(NOW - 200 * days, "message", 5, "me", False)]
    s = relationship_strength(faint, now=NOW)
    assert s.previous_score < strength.COOLING_FLOOR
    assert not s.cooling


def test_it_ignores_touches_after_now():
    past = [Touch(NOW - 3 * days, "call", 10, "them")]
    future = [*past, Touch(NOW + 3 * days, "in_person", 60, "both")]
    assert relationship_strength(future, now=NOW) == relationship_strength(past, now=NOW)


def test_it_slows_decay_for_long_standing_ties():
    assert decay_days(0) == strength.TAU_DAYS
    assert decay_days(365) > decay_days(30) > decay_days(0)
    assert decay_days(10_000) == decay_days(strength.TAU_SPAN_CAP_DAYS)


@settings(max_examples=150, deadline=None)
@given(histories)
def test_it_keeps_every_score_within_0_and_100(history):
    s = relationship_strength(history, now=NOW)
    assert 0.0 <= s.score <= 100.0
    assert 0.0 <= s.previous_score <= 100.0
    assert 0 <= s.familiarity <= len(history)
    assert s.familiarity == sum(is_conversation(t.initiated_by, t.answered) for t in history)


@settings(max_examples=150, deadline=None)
@given(histories, touches())
def test_it_never_scores_more_touches_lower(history, extra):
    before = score(history)
    after = score([*history, extra])
    assert after >= before
    if not_saturated(before) and NOW - extra.occurred_at < 365 * days:
        assert after > before


@settings(max_examples=150, deadline=None)
@given(st.lists(touches(), min_size=1, max_size=20), st.floats(0.5, 400))
def test_it_scores_the_same_history_higher_when_it_is_more_recent(history, shift_days):
    newest = min(NOW - t.occurred_at for t in history)
    shift = min(timedelta(days=shift_days), newest)
    closer = [replace(t, occurred_at=t.occurred_at + shift) for t in history]
    before, after = score(history), score(closer)
    assert after >= before
    if not_saturated(before) and shift > timedelta(hours=1):
        assert after > before


@settings(max_examples=150, deadline=None)
@given(
    channels,
    st.sampled_from([("me", True), ("me", None), ("them", None), ("both", None)]),
    st.floats(0, 90),
    st.floats(0, 365),
)
def test_it_puts_ten_short_touches_above_one_long_one_on_the_same_span(
    channel, initiative, span, age
):
    who, answered = initiative
    end = NOW - timedelta(days=age)
    times = [end - timedelta(days=span * k / 9) for k in range(10)]
    ten = [Touch(t, channel, 5, who, answered) for t in times]
    one = [Touch(end - timedelta(days=span / 2), channel, 60, who, answered)]
    s_ten, s_one = score(ten), score(one)
    assert s_ten > s_one
    if s_one > 1e-6:
        assert s_ten >= 1.5 * s_one  # clearly above, not by a hair


@settings(max_examples=150, deadline=None)
@given(
    histories,
    touches(),
    st.sampled_from([("me", True), ("me", None), ("them", None), ("them", False), ("both", None)]),
)
def test_it_counts_inbound_and_answered_touches_above_unanswered_outbound(
    history, touch, initiative
):
    unanswered = replace(touch, initiated_by="me", answered=False)
    better = replace(touch, initiated_by=initiative[0], answered=initiative[1])
    low = relationship_strength([*history, unanswered], now=NOW)
    high = relationship_strength([*history, better], now=NOW)
    assert high.score >= low.score
    assert high.familiarity == low.familiarity + 1
    if not_saturated(low.score) and NOW - touch.occurred_at < 365 * days:
        assert high.score > low.score


@settings(max_examples=150, deadline=None)
@given(histories, st.lists(st.floats(0, 1000), min_size=2, max_size=5))
def test_it_decays_monotonically_while_no_one_touches(history, later_days):
    scores = [score(history, NOW + timedelta(days=d)) for d in sorted(later_days)]
    assert all(a >= b for a, b in itertools.pairwise(scores))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(touches(max_age=60), min_size=1, max_size=10),
    st.floats(365, 700),
    st.floats(20, 200),
)
def test_it_lets_a_long_standing_tie_keep_more_of_its_score(history, years_back, silence):
    last = max(t.occurred_at for t in history)
    old = Touch(min(t.occurred_at for t in history) - timedelta(days=years_back), "call", 10)
    long_standing = [old, *history]

    def kept(h: list[Touch]) -> float:
        return score(h, last + timedelta(days=silence)) / score(h, last)

    assert kept(long_standing) > kept(history)


@settings(max_examples=60, deadline=None)
@given(st.lists(histories, min_size=1, max_size=8))
def test_it_gives_the_same_numbers_on_the_array_path(relations):
    rel, stamps, ch, ini, ans, mins = [], [], [], [], [], []
    for r, history in enumerate(relations):
        for t in history:
            rel.append(r)
            stamps.append(t.occurred_at.timestamp())
            ch.append(CHANNELS.index(t.channel))
            ini.append(INITIATORS.index(t.initiated_by))
            ans.append(ANSWER_CODES[t.answered])
            mins.append(t.minutes)
    weight, conversation = touch_weights(ch, ini, ans, mins)
    many = strengths_many(
        rel, stamps, weight, conversation, count=len(relations), now=NOW.timestamp()
    )
    for r, history in enumerate(relations):
        one = relationship_strength(history, now=NOW)
        assert many.score[r] == pytest.approx(one.score, abs=1e-9)
        assert many.previous_score[r] == pytest.approx(one.previous_score, abs=1e-9)
        assert bool(many.cooling[r]) == one.cooling
        assert int(many.familiarity[r]) == one.familiarity


def test_it_scores_5000_relationships_from_200000_touches_quickly():

    rng = np.random.default_rng(5)
    k, n = 200_000, 5_000
    now = NOW.timestamp()
    weight, conversation = touch_weights(
        rng.integers(0, 7, k), rng.integers(0, 3, k), rng.integers(0, 3, k), rng.integers(1, 90, k)
    )
    rel = rng.integers(0, n, k)
    stamps = now - rng.uniform(0, 3 * 365 * 86_400, k)
    result = strengths_many(rel, stamps, weight, conversation, count=n, now=now)
    assert result.score.shape == (n,)


@pytest.mark.parametrize(
    ("touch", "field"),
    [
        (Touch(datetime(2026, 1, 1)), "occurred_at"),
        (Touch(NOW, channel="pigeon"), "channel"),
        (Touch(NOW, initiated_by="nobody"), "initiated_by"),
        (Touch(NOW, minutes=-5), "minutes"),
    ],
)
def test_it_refuses_a_bad_touch_naming_the_field(touch, field):
    with pytest.raises(InvalidStrengthInput, match=field):
        relationship_strength([touch], now=NOW)


def test_it_refuses_a_naive_now():
    with pytest.raises(InvalidStrengthInput, match="now"):
        relationship_strength([], now=datetime(2026, 1, 1))


@pytest.mark.parametrize("share", [0.0, 1.0, -0.3, 1.5])
def test_it_refuses_a_cooling_share_outside_0_and_1(share):
    with pytest.raises(InvalidStrengthInput, match="cooling_share"):
        relationship_strength([], now=NOW, cooling_share=share)


def test_it_refuses_arrays_that_do_not_line_up():
    w, c = touch_weights([0, 1], [0, 1], [0, 1], [5, 5])
    with pytest.raises(InvalidStrengthInput, match="length"):
        strengths_many([0], [0.0, 1.0], w, c, count=1, now=2.0)
    with pytest.raises(InvalidStrengthInput, match="indices"):
        strengths_many([0, 3], [0.0, 1.0], w, c, count=2, now=2.0)
    with pytest.raises(InvalidStrengthInput, match="channel"):
        touch_weights([9], [0], [0], [5])
    with pytest.raises(InvalidStrengthInput, match="answered"):
        touch_weights([0], [0], [7], [5])


def test_it_encodes_stored_values_for_the_array_path():
    codes = touch_codes(["in_person", "email"], ["both", "me"], [True, None])
    assert [c.tolist() for c in codes] == [[0, 4], [2, 0], [1, 2]]
    with pytest.raises(InvalidStrengthInput, match="channel"):
        touch_codes(["fax"], ["me"], [None])
    with pytest.raises(InvalidStrengthInput, match="initiated_by"):
        touch_codes(["call"], ["they"], [None])
    with pytest.raises(InvalidStrengthInput, match="answered"):
        touch_codes(["call"], ["me"], ["yes"])  # type: ignore[list-item]
    with pytest.raises(InvalidStrengthInput, match="length"):
        touch_codes(["call"], [], [])
