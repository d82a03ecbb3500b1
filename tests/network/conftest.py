import pytest

from kring.people import actions


@pytest.fixture
def club_network(cast):
    """Alice knows Bob; Bob knows Koen at Acme (named), Henk at Acme (hidden) and Sofie at
    Beta (shared as "knows someone at Beta"), who introduced him to Koen. Beta competes with
    Acme in Bob's file."""
    actions.person_create(
        owner=cast.alice, given_name="Bob", surname="Member", emails=["bob@example.nl"]
    )
    bob = cast.bob
    sofie = actions.person_create(
        owner=bob, given_name="Sofie", surname="Smet", organisation_name="Beta", title="CFO"
    )
    koen = actions.person_create(
        owner=bob,
        given_name="Koen",
        surname="Claes",
        organisation_name="Acme",
        title="R&D manager",
    )
    henk = actions.person_create(
        owner=bob, given_name="Henk", surname="Verborgen", organisation_name="Acme", title="CEO"
    )
    actions.person_create(
        owner=bob, given_name="Greet", surname="Geheim", organisation_name="Gamma"
    )
    actions.relationship_update(actor=bob, relationship=koen.relationship, introduced_by=sofie)
    for person, level in [(koen, "name_role"), (sofie, "organisation"), (henk, "none")]:
        actions.share_set(
            actor=bob, relationship=person.relationship, workspace=cast.club, level=level
        )
    actions.organisation_update(
        actor=bob, organisation=koen.organisation, competes_with=[sofie.organisation]
    )
    for person in (koen, sofie, henk):
        actions.interaction_log(
            owner=bob, people=[person], channel="in_person", minutes=30, initiated_by="both"
        )
    return cast
