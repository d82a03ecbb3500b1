import pytest

from kring.lib.errors import NotFound
from kring.network.queries import shared_contacts
from kring.people import actions

pytestmark = pytest.mark.django_db


def test_it_shares_nothing_by_default(cast):
    assert shared_contacts(cast.bob, cast.club.pk) == ([], 0)


def test_it_shows_only_the_organisation_at_that_level(cast):
    actions.share_set(
        actor=cast.alice,
        relationship=cast.jan.relationship,
        workspace=cast.club,
        level="organisation",
    )
    [shared], _total = shared_contacts(cast.bob, cast.club.pk)
    assert shared.organisation == "Acme"
    assert shared.person_name == ""
    assert "Berg" not in repr(shared)


def test_it_shows_name_and_role_when_shared_so(cast):
    actions.share_set(
        actor=cast.alice, relationship=cast.jan.relationship, workspace=cast.club, level="name_role"
    )
    [shared], _total = shared_contacts(cast.bob, cast.club.pk)
    assert (shared.person_name, shared.title) == ("Jan van der Berg", "R&D manager")


def test_it_hides_the_workspace_from_outsiders(cast):
    with pytest.raises(NotFound):
        shared_contacts(cast.charlie, cast.club.pk)
    with pytest.raises(NotFound):
        actions.share_set(
            actor=cast.charlie,
            relationship=cast.jan.relationship,
            workspace=cast.club,
            level="name_role",
        )


def test_the_shared_page_searches_and_pages_without_revealing_hidden_names(cast):
    from django.urls import reverse

    from kring.network import queries

    actions.share_set(
        actor=cast.alice,
        relationship=cast.jan.relationship,
        workspace=cast.club,
        level="organisation",
    )
    for i in range(queries.SHARED_PAGE_SIZE + 3):
        person = actions.person_create(
            owner=cast.alice, given_name=f"Lid{i}", surname="Smet", organisation_name="Beta"
        )
        actions.share_set(
            actor=cast.alice,
            relationship=person.relationship,
            workspace=cast.club,
            level="name_role",
        )
    client = cast.client(cast.bob)
    url = reverse("workspace_shared", args=[cast.club.pk])
    first = client.get(url).content.decode()
    assert "54 shared relationships" in first and "page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("<tr>") == 4
    # Jan is shared at the organisation level: his name finds nothing, his organisation does.
    assert "Acme" not in client.get(url, {"q": "Berg"}).content.decode()
    assert "knows someone at <strong>Acme" in client.get(url, {"q": "acme"}).content.decode()
    assert client.get(url, {"page": "x"}).status_code == 404
    assert client.get(url, {"page": "3"}).status_code == 404  # past the last page
    assert client.get(url, {"page": "9" * 40}).status_code == 404  # too large for a database
    assert cast.client(cast.charlie).get(url).status_code == 404
