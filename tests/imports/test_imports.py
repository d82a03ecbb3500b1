"""Importing through the actions: one person once, re-imports that change nothing, merges."""

from __future__ import annotations

import datetime as dt

import pytest

from kring.audit.models import AuditEntry
from kring.core.importing import ImportFileError, open_source
from kring.imports import actions
from kring.imports.models import ImportedKey, MergeProposal
from kring.people import actions as people_actions
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
)
from tests.imports import samples

pytestmark = pytest.mark.django_db

CONNECTIONS = samples.connections_csv(
    [
        samples.connection("Marie", "De Smet", "Beta NV", slug="mdesmet", position="CFO"),
        samples.connection("Pieter", "Janssens", "Gamma", email="pieter@gamma.example"),
        samples.connection("Sofie", "van den Broeck", "Delta BV", slug="svdb", on="31 Feb 2026"),
        samples.connection("", "", "Nobody", slug="nobody"),
    ]
)
VCARDS = (
    samples.vcard(
        "Pieter",
        "Janssens",
        emails=("pieter@gamma.example",),
        phones=("0470 99 88 77",),
        org="Gamma",
        title="Sales",
    )
    + samples.vcard("Lotte", "Maes", emails=("lotte@example.be",), bday="1990-04-01")
    + samples.vcard("Jan", "van der Berg", org="ACME", note="Met at the fair")
    + samples.vcard("Jan", "van der Berg", org="Totally Different Company")
)


def _import(owner, name, data):
    return actions.import_sources(owner=owner, sources=open_source(name, data))


def _snapshot(owner):
    return (
        Person.objects.filter(owner=owner).count(),
        Interaction.objects.filter(owner=owner).count(),
        ContactPoint.objects.filter(person__owner=owner).count(),
        Organisation.objects.filter(owner=owner).count(),
        MergeProposal.objects.filter(owner=owner).count(),
        AuditEntry.objects.count(),
        list(
            Person.objects.filter(owner=owner)
            .order_by("id")
            .values_list("title", "linkedin_url", "birthday")
        ),
    )


def test_it_imports_linkedin_connections_with_organisation_and_connection_date(cast):
    report = _import(cast.alice, "Connections.csv", CONNECTIONS)
    assert report.counts["new"] == 3
    assert report.counts["skipped"] == 1
    marie = Person.objects.get(owner=cast.alice, given_name="Marie")
    assert (marie.particles, marie.surname, marie.title) == ("De", "Smet", "CFO")
    assert marie.organisation.name == "Beta NV"
    assert marie.linkedin_url == "https://www.linkedin.com/in/mdesmet"
    connected = marie.interactions.get()
    assert connected.occurred_at.date() == dt.date(2026, 2, 8)
    assert connected.channel == "message"
    problems = {(p["line"], p["field"], p["code"], p["skipped"]) for p in report.problems}
    # An impossible date costs the date, not the person; no name at all skips the row.
    assert problems == {
        (7, "Connected On", "impossible_date", False),
        (8, "First Name", "no_name", True),
    }
    sofie = Person.objects.get(owner=cast.alice, given_name="Sofie")
    assert not sofie.interactions.exists()
    assert all(p["file"] == "Connections.csv" for p in report.problems)


def test_it_changes_nothing_when_the_same_files_are_imported_twice(cast):
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    _import(cast.alice, "contacts.vcf", VCARDS.encode())
    before = _snapshot(cast.alice)
    again = _import(cast.alice, "Connections.csv", CONNECTIONS)
    again_cards = _import(cast.alice, "contacts.vcf", VCARDS.encode())
    assert _snapshot(cast.alice) == before
    assert again.counts["new"] == again.counts["merged"] == again.counts["proposed"] == 0
    assert again_cards.counts["unchanged"] == 4


def test_it_merges_on_email_and_proposes_on_name_and_organisation(cast):
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    report = _import(cast.alice, "contacts.vcf", VCARDS.encode())
    assert report.counts == {
        "new": 2,
        "merged": 1,
        "unchanged": 0,
        "proposed": 1,
        "skipped": 0,
        "interactions": 0,
        "organisations": 0,
    }
    pieter = Person.objects.get(owner=cast.alice, given_name="Pieter")
    assert pieter.title == "Sales"
    assert {c.value for c in pieter.contact_points.all()} == {
        "pieter@gamma.example",
        "+32470998877",
    }
    proposal = MergeProposal.objects.get(owner=cast.alice)
    assert proposal.person == cast.jan
    assert proposal.duplicate.organisation.name == "Acme"  # "ACME" is the same organisation
    # Jan van der Berg at another company is another person, without a proposal.
    assert Person.objects.filter(owner=cast.alice, surname="Berg").count() == 3


def test_it_reports_a_file_level_problem_and_imports_nothing(cast):
    with pytest.raises(ImportFileError, match="not a format Kring knows"):
        open_source("notes.txt", b"just some text\nnothing else\n")
    with pytest.raises(ImportFileError, match="ZIP without"):
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("Profile.csv", "First Name\nAlice\n")
        open_source("export.zip", buffer.getvalue())
    assert Person.objects.filter(owner=cast.alice).count() == 1


def test_it_reads_a_linkedin_zip_with_messages_and_invitations(cast):
    messages = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        "c1,,Alice A,https://www.linkedin.com/in/alice,Marie De Smet,"
        "https://www.linkedin.com/in/mdesmet,2026-02-09 10:00:00 UTC,,Dag Marie!,INBOX\n"
        "c1,,Marie De Smet,https://www.linkedin.com/in/mdesmet,Alice A,"
        "https://www.linkedin.com/in/alice,2026-02-09 12:00:00 UTC,,Dag Alice,INBOX\n"
        "c2,,Alice A,https://www.linkedin.com/in/alice,Pieter Janssens,"
        "https://www.linkedin.com/in/pj,2026-02-10 10:00:00 UTC,,Koffie?,INBOX\n"
        "c3,,Recruiter X,https://www.linkedin.com/in/rx,Alice A,"
        "https://www.linkedin.com/in/alice,2026-02-11 10:00:00 UTC,,Job,INBOX\n"
    )
    invitations = (
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        'Alice A,Marie De Smet,"2/1/26, 10:15 AM",Hallo,OUTGOING,'
        "https://www.linkedin.com/in/alice,https://www.linkedin.com/in/mdesmet\n"
    )
    data = samples.linkedin_zip(CONNECTIONS, messages, invitations)
    sources = open_source("export.zip", data)
    assert [s.format for s in sources] == [
        "linkedin_connections",
        "linkedin_invitations",
        "linkedin_messages",
    ]
    report = actions.import_sources(owner=cast.alice, sources=sources)
    assert report.counts["interactions"] == 3  # Marie: invitation + exchange; Pieter by name
    assert any("Recruiter X" in p["message"] for p in report.problems)
    marie = Person.objects.get(owner=cast.alice, given_name="Marie")
    exchange = marie.interactions.get(summary__startswith="LinkedIn: Dag")
    assert (exchange.initiated_by, exchange.answered) == ("me", True)
    pieter = Person.objects.get(owner=cast.alice, given_name="Pieter")
    coffee = pieter.interactions.get(summary__contains="Koffie")
    assert (coffee.initiated_by, coffee.answered) == ("me", False)
    again = actions.import_sources(owner=cast.alice, sources=open_source("export.zip", data))
    assert again.counts["interactions"] == 0


def test_it_turns_calendar_meetings_into_interactions_by_attendee_email(cast):
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:1@x\r\nDTSTART:20260301T090000Z\r\nDTEND:20260301T100000Z\r\n"
        "SUMMARY:Koffie met Jan\r\nORGANIZER:mailto:alice@example.be\r\n"
        "ATTENDEE;CN=Jan:mailto:jan@acme.example\r\nATTENDEE:mailto:alice@example.be\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2@x\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T093000Z\r\n"
        "SUMMARY:Call\r\nLOCATION:https://meet.google.com/abc-defg-hij\r\n"
        "ORGANIZER:mailto:jan@acme.example\r\nATTENDEE:mailto:alice@example.be\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    sources = open_source("agenda.ics", ics.encode(), me_emails=[cast.alice.email])
    report = actions.import_sources(owner=cast.alice, sources=sources)
    assert report.counts["interactions"] == 2
    meetings = {
        i.summary: i for i in cast.jan.interactions.filter(summary__in=["Koffie met Jan", "Call"])
    }
    assert (meetings["Koffie met Jan"].channel, meetings["Koffie met Jan"].minutes) == (
        "in_person",
        60,
    )
    assert (meetings["Call"].channel, meetings["Call"].initiated_by) == ("call", "them")


def test_it_merges_keeping_every_interaction_note_favour_and_ask(cast):
    _import(cast.alice, "contacts.vcf", VCARDS.encode())
    proposal = MergeProposal.objects.get(owner=cast.alice)
    duplicate = proposal.duplicate
    people_actions.interaction_log(owner=cast.alice, people=[duplicate], channel="call")
    people_actions.note_create(owner=cast.alice, person=duplicate, text="Hiring in Genk")
    people_actions.favour_record(
        owner=cast.alice, person=duplicate, direction="received", kind="advice"
    )
    people_actions.ask_create(owner=cast.alice, person=duplicate, text="A lawyer")
    keep = actions.proposal_accept(actor=cast.alice, proposal=proposal, via="test")
    assert keep == cast.jan
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert keep.interactions.count() == 2
    assert IntelligenceNote.objects.filter(person=keep).count() == 2
    assert Favour.objects.filter(person=keep).count() == 2
    assert Ask.objects.filter(person=keep).count() == 2
    assert "Met at the fair" in keep.relationship.private_notes
    assert AuditEntry.objects.filter(action="merge", entity="person", entity_id=keep.pk).exists()
    # The record the duplicate came from now finds Jan: importing it again changes nothing.
    assert ImportedKey.objects.filter(person=keep).exists()
    again = _import(cast.alice, "contacts.vcf", VCARDS.encode())
    assert again.counts["new"] == again.counts["proposed"] == 0


def test_it_keeps_a_rejected_pair_apart_on_the_next_import(cast):
    _import(cast.alice, "contacts.vcf", VCARDS.encode())
    proposal = MergeProposal.objects.get(owner=cast.alice)
    actions.proposal_reject(actor=cast.alice, proposal=proposal)
    _import(cast.alice, "contacts.vcf", VCARDS.encode())
    assert MergeProposal.objects.filter(owner=cast.alice, status="open").count() == 0


def test_it_keeps_each_users_people_apart(cast):
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    report = _import(cast.bob, "Connections.csv", CONNECTIONS)
    assert report.counts["new"] == 3  # Alice's Marie is not Bob's
    assert Person.objects.filter(owner=cast.bob).count() == 3


def test_it_previews_without_writing(cast):
    before = _snapshot(cast.alice)
    report = actions.import_preview(owner=cast.alice, sources=open_source("c.vcf", VCARDS.encode()))
    assert report.counts["new"] == 3 and report.counts["proposed"] == 1
    assert report.files[0]["rows"][0]["name"] == "Pieter Janssens"
    assert _snapshot(cast.alice) == before


def test_an_import_leaves_one_audit_entry_with_its_counts_and_a_reimport_none(cast):
    before = AuditEntry.objects.count()
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.entity, e.via) for e in entries] == [("create", "import", "import")]
    assert entries[0].actor == cast.alice
    assert entries[0].fields == ["interactions: 2", "organisations: 3", "people: 3"]
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    assert AuditEntry.objects.count() == before + 1


def test_filling_in_someone_the_user_had_is_logged_per_person(cast):
    _import(cast.alice, "Connections.csv", CONNECTIONS)
    pieter = Person.objects.get(owner=cast.alice, given_name="Pieter")
    report = _import(cast.alice, "contacts.vcf", VCARDS.encode())
    assert report.counts["merged"] == 1
    update = AuditEntry.objects.get(action="update", entity="person", entity_id=pieter.pk)
    assert update.fields == ["emails", "phones", "title"]
    summary = AuditEntry.objects.filter(entity="import").latest("id")
    assert "people updated: 1" in summary.fields


def test_a_row_the_person_model_refuses_is_skipped_with_its_field(cast):
    data = samples.connections_csv(
        [
            samples.connection("Ann", "Peeters", "Beta NV"),
            samples.connection("Bart", "Claes", "Beta NV"),
        ]
    ).replace(b"Ann,Peeters,,", b"Ann,Peeters,www.linkedin.com/in/ann-peeters,")
    report = _import(cast.alice, "Connections.csv", data)
    assert report.counts["new"] == 1
    assert report.counts["skipped"] == 1
    assert [(p["field"], p["code"], p["message"]) for p in report.problems] == [
        ("linkedin_url", "refused", "Enter a valid URL.")
    ]
    assert Person.objects.filter(owner=cast.alice, given_name="Bart").exists()
    assert not Person.objects.filter(owner=cast.alice, given_name="Ann").exists()
    assert Interaction.objects.filter(summary="Connected on LinkedIn").count() == 1


def test_two_people_of_one_name_connected_on_one_day_each_keep_their_connection(cast):
    data = samples.connections_csv(
        [
            samples.connection("An", "Peeters", "Beta NV", on="3 Mar 2024"),
            samples.connection("An", "Peeters", "Totally Other BV", on="3 Mar 2024"),
        ]
    )
    report = _import(cast.alice, "Connections.csv", data)
    assert report.counts["new"] == 2
    people = Person.objects.filter(owner=cast.alice, given_name="An")
    assert [p.interactions.count() for p in people] == [1, 1]
    again = _import(cast.alice, "Connections.csv", data)
    assert again.counts["unchanged"] == 2
    assert Interaction.objects.filter(summary="Connected on LinkedIn").count() == 2
