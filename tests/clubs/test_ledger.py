"""The club ledger: referrals given and followed up, one-to-ones, and the period report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kring.clubs import actions
from kring.clubs.models import OneToOne, Referral
from kring.lib.errors import NotFound

pytestmark = pytest.mark.django_db


def test_it_records_a_referral_its_outcome_and_thanks_the_giver(
    cast, django_capture_on_commit_callbacks
):
    referral = actions.referral_give(
        actor=cast.alice,
        workspace=cast.club,
        receiver=cast.bob,
        contact="Koen Claes, Acme",
        temperature="hot",
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.referral_update(
            actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal("4500")
        )
    referral.refresh_from_db()
    assert (referral.status, referral.amount_eur) == ("closed", Decimal("4500"))
    assert mail.outbox[-1].to == [cast.alice.email]
    assert "Koen Claes" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("receiver", "field"),
    [("alice", "receiver"), ("charlie", "receiver")],
)
def test_it_refuses_a_referral_to_oneself_or_an_outsider(cast, receiver, field):
    with pytest.raises(ValidationError) as caught:
        actions.referral_give(
            actor=cast.alice, workspace=cast.club, receiver=getattr(cast, receiver), contact="X"
        )
    assert field in caught.value.error_dict
    assert not Referral.objects.exists()


def test_it_refuses_a_negative_amount_and_updates_by_others(cast):
    referral = actions.referral_give(
        actor=cast.alice, workspace=cast.club, receiver=cast.bob, contact="X"
    )
    with pytest.raises(ValidationError):
        actions.referral_update(
            actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal("-1")
        )
    with pytest.raises(NotFound):
        actions.referral_update(actor=cast.alice, referral=referral, status="lost")
    referral.refresh_from_db()
    assert referral.status == "given"


def test_it_reports_the_club_over_a_period_as_a_page_and_csv(cast):
    referral = actions.referral_give(
        actor=cast.alice, workspace=cast.club, receiver=cast.bob, contact="Koen"
    )
    actions.referral_update(
        actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal("1200")
    )
    actions.one_to_one_log(actor=cast.alice, workspace=cast.club, with_member=cast.bob)
    client = cast.client(cast.alice)
    url = reverse("club_ledger", args=[cast.club.pk])
    page = client.get(url).content.decode()
    assert 'id="report"' in page and "Koen" in page
    response = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_member = {row[0]: row for row in rows[1:]}
    assert by_member["Alice"][1:3] == ["1", "0"] and by_member["Alice"][4] == "1"
    assert by_member["Bob"][2:4] == ["1", "1200.00"]
    later = client.get(url, {"from": "2099-01-01", "to": "2099-12-31", "format": "csv"})
    assert all(row[1] == "0" for row in list(csv.reader(io.StringIO(later.content.decode())))[1:])


def test_it_takes_referrals_and_one_to_ones_from_the_page(cast):
    client = cast.client(cast.alice)
    url = reverse("club_ledger", args=[cast.club.pk])
    client.post(
        url,
        {
            "kind": "referral",
            "receiver": cast.bob.pk,
            "contact": "Els, Beta",
            "temperature": "warm",
        },
    )
    client.post(url, {"kind": "one_to_one", "with_member": cast.bob.pk, "met_on": "2026-11-20"})
    assert Referral.objects.get().contact == "Els, Beta"
    assert OneToOne.objects.get().met_on == dt.date(2026, 11, 20)
    bad = client.post(url, {"kind": "referral", "receiver": cast.alice.pk, "contact": "Me"})
    assert 'data-field="receiver"' in bad.content.decode()
    bob = cast.client(cast.bob)
    bob.post(
        reverse("referral_update", args=[Referral.objects.get().pk]),
        {"status": "closed", "amount_eur": "-5"},
    )
    assert Referral.objects.get().status == "given"
    charlie = cast.client(cast.charlie)
    assert charlie.get(url).status_code == 404
    assert (
        charlie.post(
            reverse("referral_update", args=[Referral.objects.get().pk]), {"status": "lost"}
        ).status_code
        == 404
    )


def test_it_reports_from_the_terminal(cast, capsys):
    from kring.cli.main import main as kring

    actions.referral_give(actor=cast.alice, workspace=cast.club, receiver=cast.bob, contact="Koen")
    assert kring(["club", "report", str(cast.club.pk), "--user", cast.alice.email, "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "member" and {r[0] for r in rows[1:]} == {"Alice", "Bob"}
    assert kring(["club", "report", str(cast.club.pk), "--user", cast.charlie.email]) == 2
    assert (
        kring(
            [
                "club",
                "report",
                str(cast.club.pk),
                "--user",
                cast.alice.email,
                "--from",
                "2026-12-01",
                "--to",
                "2026-01-01",
            ]
        )
        == 2
    )
    assert (
        kring(
            ["club", "report", str(cast.club.pk), "--user", cast.alice.email, "--from", "yesterday"]
        )
        == 2
    )
