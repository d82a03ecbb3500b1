"""A referral keeps its amount through a change of status; the club report's chart has axis
values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kring.clubs import actions
from kring.clubs.queries import club_months, nice_top
from kring.lib import clock

pytestmark = pytest.mark.django_db


def _referral(cast):
    return actions.referral_give(
        actor=cast.alice, workspace=cast.club, receiver=cast.bob, contact="Koen Claes, Acme"
    )


def test_a_status_change_keeps_the_amount(cast):
    referral = _referral(cast)
    actions.referral_update(
        actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal("4500")
    )
    actions.referral_update(actor=cast.bob, referral=referral, status="meeting")
    referral.refresh_from_db()
    assert (referral.status, referral.amount_eur) == ("meeting", Decimal("4500"))
    actions.referral_update(actor=cast.bob, referral=referral, status="closed")
    referral.refresh_from_db()
    assert referral.amount_eur == Decimal("4500")


def test_an_amount_counts_in_the_report_only_while_closed(cast):
    referral = _referral(cast)
    actions.referral_update(
        actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal("4500")
    )
    today = clock.today(clock.zone_of(cast.alice))
    start = today - dt.timedelta(days=40)

    def closed():
        chart = club_months(cast.alice, cast.club.pk, start=start, end=today)
        return sum(m.closed_eur for m in chart)

    assert closed() == 4500
    actions.referral_update(actor=cast.bob, referral=referral, status="lost")
    assert closed() == 0


def test_a_status_change_on_the_page_keeps_the_amount(cast):
    referral = _referral(cast)
    client = cast.client(cast.bob)
    url = reverse("referral_update", args=[referral.pk])
    client.post(url, {"status": "closed", "amount_eur": "1250,50"})
    client.post(url, {"status": "contacted", "amount_eur": ""})
    referral.refresh_from_db()
    assert (referral.status, referral.amount_eur) == ("contacted", Decimal("1250.50"))


def test_a_status_change_in_the_api_keeps_the_amount(cast, client):
    from kring.accounts.actions import api_token_create

    referral = _referral(cast)
    _, key = api_token_create(user=cast.bob)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/referrals/{referral.pk}"
    as_json = {"content_type": "application/json", **auth}
    client.post(url, {"status": "closed", "amount_eur": "300"}, **as_json)
    answer = client.post(url, {"status": "meeting"}, **as_json)
    assert answer.status_code == 200, answer.content
    assert Decimal(str(answer.json()["amount_eur"])) == Decimal("300")


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 4), (1, 4), (4, 4), (5, 8), (7, 8), (9, 20), (13, 20), (21, 40), (4200, 8000)],
)
def test_the_axis_top_is_round_and_at_least_the_value(value, top):
    assert nice_top(value) == top
    assert nice_top(value) >= value


def test_the_report_chart_has_values_on_both_axes(cast):
    for amount in ("4500", "1200"):
        referral = _referral(cast)
        actions.referral_update(
            actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal(amount)
        )
    _referral(cast)
    today = clock.today(clock.zone_of(cast.alice))
    chart = club_months(cast.alice, cast.club.pk, start=today.replace(day=1), end=today)
    assert chart.count_ticks == [0, 1, 2, 3, 4]
    assert chart.euro_ticks == [0, 2000, 4000, 6000, 8000]
    assert chart[-1].referrals_percent == 75
    assert chart[-1].closed_percent == round(100 * 5700 / 8000)
    body = cast.client(cast.alice).get(reverse("club_ledger", args=[cast.club.pk])).content.decode()
    axis = body.split('class="axis left"')[1].split("</div>")[0]
    assert ">4</span>" in axis and ">0</span>" in axis
    euros = body.split('class="axis right"')[1].split("</div>")[0]
    assert "€ 8000</span>" in euros and "€ 4000</span>" in euros
