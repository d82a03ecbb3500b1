import pytest

from kring.lib.errors import NotFound
from kring.people import actions
from kring.people.queries import workspace_shared_contacts

pytestmark = pytest.mark.django_db


def test_it_shares_nothing_by_default(cast):
    assert workspace_shared_contacts(cast.bob, cast.club) == []


def test_it_shows_only_the_organisation_at_that_level(cast):
    actions.share_set(
        actor=cast.alice,
        relationship=cast.jan.relationship,
        workspace=cast.club,
        level="organisation",
    )
    [shared] = workspace_shared_contacts(cast.bob, cast.club)
    assert shared.organisation == "Acme"
    assert shared.person_name == ""
    assert "Berg" not in repr(shared)


def test_it_shows_name_and_role_when_shared_so(cast):
    actions.share_set(
        actor=cast.alice, relationship=cast.jan.relationship, workspace=cast.club, level="name_role"
    )
    [shared] = workspace_shared_contacts(cast.bob, cast.club)
    assert (shared.person_name, shared.title) == ("Jan van der Berg", "R&D manager")


def test_it_hides_the_workspace_from_outsiders(cast):
    with pytest.raises(NotFound):
        workspace_shared_contacts(cast.charlie, cast.club)
    with pytest.raises(NotFound):
        actions.share_set(
            actor=cast.charlie,
            relationship=cast.jan.relationship,
            workspace=cast.club,
            level="name_role",
        )
