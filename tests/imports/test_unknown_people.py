"""Meetings and messages with people Kring does not know: reported, and added from the report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.accounts.actions import user_update_settings
from kring.imports.models import ImportBatch
from kring.people.models import Interaction, Person

pytestmark = pytest.mark.django_db


def _event(uid: str, day: int, *attendees: str, organiser: str) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTART:202603{day:02d}T090000Z",
        f"DTEND:202603{day:02d}T100000Z",
        f"SUMMARY:Overleg {uid}",
        organiser,
        *attendees,
        "END:VEVENT",
    ]
    return "\r\n".join(lines) + "\r\n"


def _calendar(*events: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//NL\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


ME = "ORGANIZER;CN=Ik:mailto:alice@werk.example"
AGENDA = _calendar(
    # Jan is known; Els is not: the meeting goes in with Jan, Els is reported.
    _event(
        "a",
        2,
        "ATTENDEE;CN=Jan:mailto:jan@acme.example",
        "ATTENDEE;CN=Els Maes:mailto:els@beta.example",
        organiser=ME,
    ),
    # Only Els and someone without a name: the meeting waits until they are added.
    _event(
        "b",
        3,
        "ATTENDEE;CN=Els Maes:mailto:els@beta.example",
        "ATTENDEE:mailto:piet.wouters@gamma.example",
        organiser=ME,
    ),
    _event(
        "c",
        4,
        "ATTENDEE:mailto:alice@werk.example",
        organiser="ORGANIZER;CN=Koen:mailto:koen@delta.example",
    ),
)


def _import(cast):
    client = cast.client(cast.alice)
    client.post("/import/", {"upload": [SimpleUploadedFile("agenda.ics", AGENDA)]})
    batch = ImportBatch.objects.get(owner=cast.alice)
    client.post(f"/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    return client, batch


def test_it_reports_the_people_it_does_not_know_and_adds_them_from_the_report(cast):
    user_update_settings(user=cast.alice, own_addresses=["alice@example.be", "alice@werk.example"])
    client, batch = _import(cast)
    assert batch.report["counts"]["interactions"] == 1
    unknown = {u["key"]: u for u in batch.report["unknown"]}
    assert set(unknown) == {
        "email:els@beta.example",
        "email:piet.wouters@gamma.example",
        "email:koen@delta.example",
    }
    assert unknown["email:els@beta.example"]["count"] == 2
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "Els Maes" in page and "piet.wouters@gamma.example" in page
    response = client.post(
        f"/import/{batch.pk}/add-people/",
        {"person": ["email:els@beta.example", "email:piet.wouters@gamma.example"]},
        follow=True,
    )
    assert "2 people added" in response.content.decode()
    els = Person.objects.get(owner=cast.alice, given_name="Els", surname="Maes")
    piet = Person.objects.get(owner=cast.alice, given_name="Piet", surname="Wouters")
    assert sorted(i.summary for i in els.interactions.all()) == ["Overleg a", "Overleg b"]
    assert [i.summary for i in piet.interactions.all()] == ["Overleg b"]
    meeting_b = Interaction.objects.get(owner=cast.alice, summary="Overleg b")
    assert set(meeting_b.people.all()) == {els, piet}
    # The account holder's work address was never taken for someone else.
    assert not Person.objects.filter(contact_points__value="alice@werk.example").exists()
    # Importing the calendar again adds nothing, and lists only Koen as unknown.
    client.post("/import/", {"upload": [SimpleUploadedFile("agenda.ics", AGENDA)]})
    again = ImportBatch.objects.filter(owner=cast.alice).latest("id")
    client.post(f"/import/{again.pk}/confirm/")
    again.refresh_from_db()
    assert again.report["counts"]["interactions"] == 0
    assert [u["key"] for u in again.report["unknown"]] == ["email:koen@delta.example"]
    assert Interaction.objects.filter(owner=cast.alice).count() == 3  # Jan's call, a and b


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_nobody_else_adds_people_from_a_report(cast, intruder):
    _client, batch = _import(cast)
    other = cast.client(getattr(cast, intruder))
    response = other.post(f"/import/{batch.pk}/add-people/", {"person": ["email:els@beta.example"]})
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="Els").exists()


def test_the_settings_page_keeps_the_accounts_own_addresses(cast):
    client = cast.client(cast.alice)
    page = client.get("/settings/").content.decode()
    assert "alice@example.be" in page  # the login address, by default
    data = {
        "display_name": "Alice",
        "language": "en",
        "country": "BE",
        "weekly_budget_minutes": 120,
        "own_addresses": "alice@example.be\nAlice@Werk.example",
    }
    client.post("/settings/", data)
    cast.alice.refresh_from_db()
    assert cast.alice.addresses == ["alice@example.be", "alice@werk.example"]
    response = client.post("/settings/", {**data, "own_addresses": "not an address"})
    assert "Enter a valid email address" in response.content.decode()
