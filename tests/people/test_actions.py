import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kring.audit.models import AuditEntry
from kring.imports.backup import account_as_dict
from kring.lib.errors import NotFound
from kring.people import actions, queries
from kring.people.export import person_as_dict
from kring.people.models import (
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Person,
    Relationship,
)

pytestmark = pytest.mark.django_db


def test_it_stores_particles_apart_and_shows_the_whole_name(cast):
    jan = Person.objects.get(pk=cast.jan.pk)
    assert (jan.given_name, jan.particles, jan.surname) == ("Jan", "van der", "Berg")
    assert jan.full_name == "Jan van der Berg"
    assert jan.sort_name.startswith("berg")


def test_it_normalises_phones_with_the_owners_country(cast):
    belgian = actions.person_create(owner=cast.alice, given_name="An", phones=["011 22 33 44"])
    dutch = actions.person_create(owner=cast.bob, given_name="Kees", phones=["06 12345678"])
    assert queries.person_phones(belgian) == ["+3211223344"]
    assert queries.person_phones(dutch) == ["+31612345678"]


def test_it_refuses_a_bad_email_naming_the_field_and_writes_nothing(cast):
    before = (Person.objects.count(), Relationship.objects.count(), ContactPoint.objects.count())
    with pytest.raises(ValidationError) as caught:
        actions.person_create(
            owner=cast.alice,
            given_name="Piet",
            emails=["not-an-address"],
            organisation_name="New Org NV",
        )
    assert "emails" in caught.value.error_dict
    after = (Person.objects.count(), Relationship.objects.count(), ContactPoint.objects.count())
    assert after == before
    assert not cast.alice.organisations.filter(name="New Org NV").exists()


def test_it_refuses_a_person_without_a_given_name(cast):
    with pytest.raises(ValidationError) as caught:
        actions.person_create(owner=cast.alice, given_name="  ")
    assert "given_name" in caught.value.error_dict


def test_it_refuses_a_bad_tier(cast):
    with pytest.raises(ValidationError) as caught:
        actions.person_create(owner=cast.alice, given_name="Piet", tier="Z")
    assert "tier" in caught.value.error_dict
    assert not Person.objects.filter(given_name="Piet").exists()


def test_it_reuses_an_organisation_by_name(cast):
    other = actions.person_create(owner=cast.alice, given_name="Els", organisation_name="ACME")
    assert other.organisation == cast.jan.organisation


def test_it_keeps_organisations_per_owner(cast):
    bobs = actions.person_create(owner=cast.bob, given_name="Els", organisation_name="Acme")
    assert bobs.organisation != cast.jan.organisation


def test_it_refuses_to_link_someone_elses_rows(cast):
    with pytest.raises(NotFound):
        actions.interaction_log(owner=cast.bob, people=[cast.jan], channel="call")
    with pytest.raises(NotFound):
        actions.favour_record(owner=cast.charlie, person=cast.jan, direction="given", kind="advice")
    assert Interaction.objects.filter(owner=cast.bob).count() == 0


def test_it_refuses_a_negative_favour(cast):
    with pytest.raises(ValidationError) as caught:
        actions.favour_record(
            owner=cast.alice,
            person=cast.jan,
            direction="given",
            kind="referral",
            value_eur=Decimal("-5"),
        )
    assert "value_eur" in caught.value.error_dict


def test_it_refuses_an_ask_that_ends_before_it_starts(cast):
    with pytest.raises(ValidationError) as caught:
        actions.ask_create(
            owner=cast.alice, text="x", valid_from=dt.date(2026, 5, 1), valid_to=dt.date(2026, 4, 1)
        )
    assert "valid_to" in caught.value.error_dict


def test_it_refuses_an_interaction_without_people_or_zone(cast):
    with pytest.raises(ValidationError):
        actions.interaction_log(owner=cast.alice, people=[], channel="call")
    with pytest.raises(ValidationError) as caught:
        actions.interaction_log(
            owner=cast.alice,
            people=[cast.jan],
            channel="call",
            occurred_at=dt.datetime(2026, 1, 1, 12),
        )
    assert "occurred_at" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        actions.interaction_log(owner=cast.alice, people=[cast.jan], channel="telepathy")
    assert "channel" in caught.value.error_dict


def test_it_erases_a_person_completely(cast):
    jan_id = cast.jan.pk
    els = actions.person_create(owner=cast.alice, given_name="Els")
    group = actions.interaction_log(owner=cast.alice, people=[cast.jan, els], channel="event")
    actions.person_erase(actor=cast.alice, person=cast.jan)

    assert not Person.objects.filter(pk=jan_id).exists()
    assert not Interaction.objects.filter(pk=cast.interaction_id).exists()
    assert not IntelligenceNote.objects.filter(pk=cast.note_id).exists()
    assert not Favour.objects.filter(pk=cast.favour_id).exists()
    assert not ContactPoint.objects.filter(value="jan@acme.example").exists()
    # The group meeting stays, for the others in it.
    assert list(Interaction.objects.get(pk=group.pk).people.all()) == [els]
    entry = AuditEntry.objects.filter(action="erase", entity="person").get()
    assert entry.entity_id == jan_id
    assert "Berg" not in str(entry.fields)


def test_it_exports_everything_about_a_person(cast):
    data = person_as_dict(cast.alice, cast.jan)
    assert data["person"]["full_name"] == "Jan van der Berg"
    assert data["person"]["phones"] == ["+32470123456"]
    assert data["relationship"]["private_notes"] == "Secret: wants to leave Acme"
    assert [i["summary"] for i in data["interactions"]] == ["Talked about the merger"]
    assert len(data["intelligence_notes"]) == len(data["favours"]) == len(data["asks"]) == 1


def test_it_exports_a_whole_account_and_nothing_of_others(cast):
    actions.person_create(owner=cast.bob, given_name="Bobs", surname="Contact")
    data = account_as_dict(cast.alice)
    names = [p["full_name"] for p in data["people"]]
    assert names == ["Jan van der Berg"]
    with pytest.raises(NotFound):
        person_as_dict(cast.bob, cast.jan)


def test_it_writes_an_audit_entry_for_each_change(cast):
    actions.person_update(actor=cast.alice, person=cast.jan, title="CEO", via="web")
    entry = AuditEntry.objects.filter(entity="person", action="update").latest("id")
    assert entry.actor == cast.alice
    assert entry.fields == ["title"]
    assert entry.via == "web"


def test_it_updates_contacts_and_tags_in_one_go(cast):
    actions.person_update(
        actor=cast.alice, person=cast.jan, emails=["jan@new.example"], tags=["vip", "klant"]
    )
    jan = queries.access_person_by_id(cast.alice, cast.jan.pk)
    assert queries.person_emails(jan) == ["jan@new.example"]
    assert queries.person_phones(jan) == ["+32470123456"]
    assert sorted(t.name for t in jan.tags.all()) == ["klant", "vip"]


def test_it_refuses_self_introduction(cast):
    with pytest.raises(ValidationError):
        actions.relationship_update(
            actor=cast.alice, relationship=cast.jan.relationship, introduced_by=cast.jan
        )


def test_it_searches_name_organisation_role_tags_and_notes(cast):
    for q in ["berg", "acme", "R&D", "klant", "leave", "Berg Acme"]:
        assert list(queries.people_search(cast.alice, q=q)) == [cast.jan], q
    assert list(queries.people_search(cast.alice, q="nobody")) == []
    assert list(queries.people_search(cast.bob, q="berg")) == []


def test_a_search_finds_a_person_once_however_many_tags_and_contacts_match(cast):
    actions.person_update(actor=cast.alice, person=cast.jan, tags=["klant", "oud-klant", "vip"])
    for channel in ("email", "call", "in_person"):
        actions.interaction_log(owner=cast.alice, people=[cast.jan], channel=channel)
    found = list(queries.people_search(cast.alice, q="klant"))
    assert found == [cast.jan]
    latest = cast.jan.interactions.order_by("-occurred_at").first()
    assert found[0].last_contact == latest.occurred_at  # type: ignore[attr-defined]
    assert list(queries.people_search(cast.alice, q="klant vip")) == [cast.jan]
    assert list(queries.people_search(cast.alice, q="klant nobody")) == []


def test_it_filters_by_tier_sector_region_and_last_contact(cast):
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    assert list(queries.people_search(cast.alice, tier="A")) == [cast.jan]
    assert list(queries.people_search(cast.alice, tier="C")) == []
    assert list(queries.people_search(cast.alice, sector="farma")) == [cast.jan]
    assert list(queries.people_search(cast.alice, region="Antwerpen")) == []
    assert list(queries.people_search(cast.alice, now=now, contacted_within_days=30)) == [cast.jan]
    assert list(queries.people_search(cast.alice, now=now, not_contacted_within_days=90)) == []


def test_it_counts_conversations_towards_five(cast):
    assert queries.familiarity(cast.alice, cast.jan) == 1
    actions.interaction_log(owner=cast.alice, people=[cast.jan], channel="email", answered=False)
    assert queries.familiarity(cast.alice, cast.jan) == 1  # an unanswered mail is no conversation
    actions.interaction_log(
        owner=cast.alice, people=[cast.jan], channel="in_person", initiated_by="them"
    )
    assert queries.familiarity(cast.alice, cast.jan) == 2
