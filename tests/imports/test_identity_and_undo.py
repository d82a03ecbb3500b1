"""No two people folded into one without the user's say, and every merge undoable from the
person's page."""

from __future__ import annotations

import pytest

from kring.core.importing import open_source
from kring.imports import actions
from kring.imports.models import ImportedKey, Merge, MergeProposal
from kring.people import actions as people_actions
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Person,
)
from tests.imports import samples

pytestmark = pytest.mark.django_db

GOOGLE_HEADER = (
    "First Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\n"
)
# Two colleagues at one company: the switchboard and info@ on both, each their own mobile.
COLLEAGUES = GOOGLE_HEADER + (
    "Sara,Declercq,Delta NV,Work,info@delta.example,Work,+32 9 265 00 00,Mobile,0476 11 11 11\n"
    "Tom,Vermeulen,Delta NV,Work,info@delta.example,Work,+32 9 265 00 00,Mobile,0476 22 22 22\n"
    "Lies,Goossens,Delta NV,Work,info@delta.example,Main,+32 9 265 00 00,,\n"
)


def _import(owner, name, data):
    return actions.import_sources(owner=owner, sources=open_source(name, data))


def _points(person):
    return sorted(person.contact_points.values_list("kind", "value"))


def test_it_never_folds_colleagues_who_share_a_switchboard_or_a_role_address(cast):
    report = _import(cast.alice, "contacts.csv", COLLEAGUES.encode())
    assert report.counts["new"] == 3 and report.counts["merged"] == 0
    people = Person.objects.filter(owner=cast.alice, organisation__name="Delta NV")
    assert sorted(p.given_name for p in people) == ["Lies", "Sara", "Tom"]
    # What they share stays on each of them.
    for person in people:
        assert ("phone", "+3292650000") in _points(person)
        assert ("email", "info@delta.example") in _points(person)
    again = _import(cast.alice, "contacts.csv", COLLEAGUES.encode())
    assert again.counts["unchanged"] == 3 and again.counts["new"] == 0


def test_a_shared_personal_address_with_different_names_makes_two_people(cast):
    couple = GOOGLE_HEADER + (
        "An,Peeters,,Home,gezin.peeters@telenet.example,,,,\n"
        "Wim,Claes,,Home,gezin.peeters@telenet.example,,,,\n"
    )
    report = _import(cast.alice, "contacts.csv", couple.encode())
    assert report.counts["new"] == 2
    # An address on people with different names is shared: it merges nobody afterwards,
    # not even the one whose name agrees (a card from her phone): that is for the user.
    later = samples.vcard("An", "Peeters", emails=("gezin.peeters@telenet.example",), org="Acme")
    again = _import(cast.alice, "phone.vcf", later.encode())
    assert again.counts["merged"] == 0 and again.counts["proposed"] == 1


def test_the_same_address_with_a_partly_different_name_is_proposed_not_merged(cast):
    cards = samples.vcard("Johnny", "van der Berg", emails=("jan@acme.example",))
    report = _import(cast.alice, "phone.vcf", cards.encode())
    assert (report.counts["merged"], report.counts["proposed"]) == (0, 1)
    proposal = MergeProposal.objects.get(owner=cast.alice)
    assert proposal.person == cast.jan


def _merge_by_import(cast):
    """Jan's LinkedIn connection, then a vCard of a *different* Jan that shares his mobile
    number and agrees on the name: Kring merges it (and is wrong)."""
    card = samples.vcard(
        "Jan",
        "van der Berg",
        emails=("jan.vdb@gmail.example",),
        phones=("0470 12 34 56",),
        org="Acme",
        title="Brewer",
        bday="1975-05-04",
        note="The other Jan",
    )
    report = _import(cast.alice, "phone.vcf", card.encode())
    assert report.counts["merged"] == 1
    return card


def test_an_imported_merge_is_kept_with_what_it_changed(cast):
    _merge_by_import(cast)
    merge = Merge.objects.get(owner=cast.alice)
    assert (merge.person, merge.kind, merge.name) == (cast.jan, "import", "Jan van der Berg")
    assert merge.source == "phone.vcf, line 1"
    assert merge.changes["filled"] == {"birthday": "1975-05-04"}  # his title was known
    assert merge.changes["points"] == [["email", "jan.vdb@gmail.example"]]
    assert merge.changes["via"] == "phone"


def test_it_undoes_an_imported_merge_from_the_persons_page_and_keeps_the_two_apart(cast):
    card = _merge_by_import(cast)
    client = cast.client(cast.alice)
    page = client.get(f"/people/{cast.jan.pk}/").content.decode()
    merge = Merge.objects.get(owner=cast.alice)
    assert f"/import/merges/{merge.pk}/undo/" in page and "phone.vcf, line 1" in page
    response = client.post(f"/import/merges/{merge.pk}/undo/", follow=True)
    assert response.status_code == 200
    other = Person.objects.get(owner=cast.alice, title="Brewer")
    assert response.redirect_chain[-1][0] == f"/people/{other.pk}/"
    assert "a person of their own again" in response.content.decode()
    assert sorted(_points(other)) == [("email", "jan.vdb@gmail.example"), ("phone", "+32470123456")]
    assert other.relationship.private_notes == "The other Jan"
    jan = Person.objects.get(pk=cast.jan.pk)
    assert jan.birthday is None and jan.title == "R&D manager"
    assert _points(jan) == [("email", "jan@acme.example"), ("phone", "+32470123456")]
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert client.post(f"/import/merges/{merge.pk}/undo/").status_code == 404  # once
    # Importing the same card again finds the record's own person: nothing changes.
    again = _import(cast.alice, "phone.vcf", card.encode())
    assert again.counts["unchanged"] == 1
    assert again.counts["new"] == again.counts["merged"] == again.counts["proposed"] == 0
    assert Person.objects.filter(owner=cast.alice).count() == 2
    rejected = MergeProposal.objects.get(owner=cast.alice, person=jan, duplicate=other)
    assert rejected.status == "rejected"


def test_undoing_a_linkedin_merge_moves_the_connection_to_the_other_person(cast):
    connections = samples.connections_csv(
        [samples.connection("Jan", "van der Berg", "Acme", email="jan@acme.example", slug="jvdb")]
    )
    _import(cast.alice, "Connections.csv", connections)
    merge = Merge.objects.get(owner=cast.alice)
    connected = Interaction.objects.get(owner=cast.alice, summary="Connected on LinkedIn")
    assert merge.changes["interactions"] == [connected.pk]
    other = actions.merge_undo(actor=cast.alice, merge=merge)
    assert list(connected.people.all()) == [other]
    assert other.linkedin_url == "https://www.linkedin.com/in/jvdb"
    assert Person.objects.get(pk=cast.jan.pk).linkedin_url == ""
    assert ImportedKey.objects.filter(person=other).count() == 1
    again = _import(cast.alice, "Connections.csv", connections)
    assert again.counts["unchanged"] == 1 and again.counts["new"] == 0


def test_it_undoes_a_merge_the_user_accepted_with_everything_each_had(cast):
    cards = samples.vcard(
        "Jan", "van der Berg", org="ACME", note="Met at the fair", emails=("jvdb@fair.example",)
    )
    _import(cast.alice, "contacts.vcf", cards.encode())
    proposal = MergeProposal.objects.get(owner=cast.alice)
    duplicate = proposal.duplicate
    duplicate_id = duplicate.pk
    people_actions.interaction_log(owner=cast.alice, people=[duplicate], channel="call")
    shared = people_actions.interaction_log(
        owner=cast.alice, people=[duplicate, cast.jan], channel="small_group"
    )
    people_actions.note_create(owner=cast.alice, person=duplicate, text="Hiring in Genk")
    people_actions.favour_record(
        owner=cast.alice, person=duplicate, direction="received", kind="advice"
    )
    people_actions.ask_create(owner=cast.alice, person=duplicate, text="A lawyer")
    actions.proposal_accept(actor=cast.alice, proposal=proposal, via="test")
    jan = Person.objects.get(pk=cast.jan.pk)
    assert jan.interactions.count() == 3 and "Met at the fair" in jan.relationship.private_notes
    merge = Merge.objects.get(owner=cast.alice, kind="people")
    client = cast.client(cast.alice)
    assert f"/import/merges/{merge.pk}/undo/" in client.get(f"/people/{jan.pk}/").content.decode()
    client.post(f"/import/merges/{merge.pk}/undo/")
    back = Person.objects.get(pk=duplicate_id)  # under its own id again
    jan = Person.objects.get(pk=cast.jan.pk)
    assert back.interactions.count() == 2 and jan.interactions.count() == 2
    assert set(shared.people.all()) == {back, jan}
    for model in (IntelligenceNote, Favour, Ask):
        assert model.objects.filter(person=back).count() == 1
        assert model.objects.filter(person=jan).count() == 1
    assert _points(back) == [("email", "jvdb@fair.example")]
    assert _points(jan) == [("email", "jan@acme.example"), ("phone", "+32470123456")]
    assert back.relationship.private_notes == "Met at the fair"
    assert jan.relationship.private_notes == "Secret: wants to leave Acme"
    assert ImportedKey.objects.filter(person=back).exists()
    # Kept apart: the next import proposes nothing.
    again = _import(cast.alice, "contacts.vcf", cards.encode())
    assert again.counts["proposed"] == 0 and again.counts["new"] == 0
    assert MergeProposal.objects.get(person=jan, duplicate=back).status == "rejected"


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_answers_not_found_for_someone_elses_merge(cast, intruder):
    _merge_by_import(cast)
    merge = Merge.objects.get(owner=cast.alice)
    other = cast.client(getattr(cast, intruder))
    assert other.post(f"/import/merges/{merge.pk}/undo/").status_code == 404
    merge.refresh_from_db()
    assert merge.undone_at is None
    assert ContactPoint.objects.filter(person=cast.jan, value="jan.vdb@gmail.example").exists()


def test_what_older_imports_brought_in_is_still_known_by_their_keys(cast):
    from kring.core.importing.matching import legacy_record_key

    # An earlier Kring keyed a contact by its addresses alone (colleagues sharing info@ had
    # one key): the same contact imported again is still known, someone else is not.
    sara = people_actions.person_create(
        owner=cast.alice, given_name="Sara", surname="Declercq", emails=["info@delta.example"]
    )
    record = next(open_source("contacts.csv", COLLEAGUES.encode())[0].items())
    ImportedKey.objects.create(owner=cast.alice, key=legacy_record_key(record), person=sara)
    report = _import(cast.alice, "contacts.csv", COLLEAGUES.encode())
    assert report.counts["new"] == 2  # Tom and Lies; Sara is known by her old key
    assert Person.objects.filter(owner=cast.alice, given_name="Sara").count() == 1
    assert report.counts["proposed"] == 0
