"""Ask candidates with role, organisation and why they fit; every path offers an introduction
request or says why not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.core.asks import AskFields
from kring.network.adapters import PooledNetwork
from kring.network.queries import ask_candidates, introduction_paths
from kring.people import actions
from kring.people.models import Person

pytestmark = pytest.mark.django_db


def _olga(cast):
    """Alice's own contact at Acme."""
    return actions.person_create(
        owner=cast.alice, given_name="Olga", surname="Eigen", organisation_name="Acme"
    )


def _paths(cast, **query):
    return introduction_paths(cast.alice, cast.club.pk, now=timezone.now(), **query)


def test_a_candidate_comes_with_role_organisation_and_why_they_fit(club_network):
    cast = club_network
    fields = AskFields(role="R&D manager", organisation="Acme")
    found = ask_candidates(cast.alice, cast.club.pk, fields, now=timezone.now())
    koen = next(c for c in found if c.label == "Koen Claes")
    assert koen.title == "R&D manager" and koen.organisation == "Acme"
    assert koen.reasons == ("role R&D manager fits “R&D manager”", "works at Acme")
    assert koen.path is not None and koen.path.connector_id == cast.bob.pk


def test_a_candidate_that_fits_only_the_organisation_says_only_that(club_network):
    cast = club_network
    fields = AskFields(region="Limburg", organisation="Acme")
    found = ask_candidates(cast.alice, cast.club.pk, fields, now=timezone.now())
    koen = next(c for c in found if c.label == "Koen Claes")
    assert koen.reasons == ("works at Acme",)
    assert all("Henk" not in c.label for c in found)  # hidden: never a candidate by name


def test_who_fits_an_ask_is_matched_once_per_network_and_afresh_when_it_changes(
    club_network, monkeypatch
):
    cast = club_network
    fields = AskFields(role="R&D manager", organisation="Acme")
    first = ask_candidates(cast.alice, cast.club.pk, fields, now=timezone.now())
    assert "Koen Claes" in {c.label for c in first}
    matched = []  # each time the network's people are run through to match an ask
    groups = PooledNetwork.profile_groups
    monkeypatch.setattr(
        PooledNetwork, "profile_groups", lambda self: matched.append(1) or groups(self)
    )
    again = ask_candidates(cast.alice, cast.club.pk, fields, now=timezone.now())
    assert again == first and not matched  # the same view of the network: remembered
    # Bob shares a second R&D manager at Acme: the network changes, the ask is matched anew.
    nora = actions.person_create(
        owner=cast.bob,
        given_name="Nora",
        surname="Nieuw",
        organisation_name="Acme",
        title="R&D manager",
    )
    actions.share_set(
        actor=cast.bob, relationship=nora.relationship, workspace=cast.club, level="name_role"
    )
    found = ask_candidates(cast.alice, cast.club.pk, fields, now=timezone.now())
    assert matched and {c.label for c in found} == {c.label for c in first} | {"Nora Nieuw"}
    # Another ask on the same view is matched on its own fields, not served the first's.
    other = ask_candidates(cast.alice, cast.club.pk, AskFields(role="CFO"), now=timezone.now())
    assert "Koen Claes" not in {c.label for c in other}


def test_the_asks_page_shows_role_organisation_reasons_and_an_introduction(club_network):
    cast = club_network
    actions.ask_create(
        owner=cast.alice, text="R&D managers at Acme", role="R&D manager", organisation_name="Acme"
    )
    body = cast.client(cast.alice).get(reverse("club_asks", args=[cast.club.pk])).content.decode()
    assert "Koen Claes</strong> · R&amp;D manager, Acme" in body
    assert "Fits because: role R&amp;D manager fits “R&amp;D manager”; works at Acme" in body
    assert 'class="introduce"' in body


def _every_path_offers_a_request_or_says_why_not(paths):
    assert paths
    for path in paths:
        if path.connector_id is None:
            assert path.why_not, path
        else:
            assert path.target_person_id is not None and not path.why_not


def test_every_path_offers_an_introduction_or_says_why_not(club_network):
    cast = club_network
    # Alice's own contact at Acme: a colleague of Koen's, so some paths start with her.
    actions.person_create(
        owner=cast.alice, given_name="Olga", surname="Eigen", organisation_name="Acme"
    )
    paths, _name = _paths(cast, organisation="acme", k=10)
    _every_path_offers_a_request_or_says_why_not(paths)
    assert "You know them yourself: no introduction needed." in {p.why_not for p in paths}
    paths, _name = _paths(cast, organisation="beta", k=10)
    _every_path_offers_a_request_or_says_why_not(paths)
    olga = next(p for p in paths if p.hops[0].label == "Olga Eigen")
    assert olga.why_not == "The path starts with your own contact Olga Eigen: ask them yourself."
    via_bob = [p for p in paths if p.hops[0].label == "Bob"]
    assert via_bob and all(p.connector_id == cast.bob.pk for p in via_bob)


def test_the_paths_page_says_why_a_path_has_no_introduction(club_network):
    cast = club_network
    _olga(cast)
    url = reverse("workspace_paths", args=[cast.club.pk])
    body = cast.client(cast.alice).get(url, {"organisation": "Acme", "k": 10, "hops": 3})
    text = body.content.decode()
    assert "You know them yourself: no introduction needed." in text
    assert 'class="introduce"' in text


def test_the_api_says_why_a_path_has_no_introduction(club_network, client):
    from kring.accounts.actions import api_token_create

    cast = club_network
    _olga(cast)
    _, key = api_token_create(user=cast.alice)
    answer = client.get(
        f"/api/workspaces/{cast.club.pk}/paths",
        {"organisation": "Acme", "k": 10},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    assert "You know them yourself: no introduction needed." in {
        p["why_not"] for p in answer["paths"]
    }


def test_a_path_to_a_member_says_to_contact_them_directly(club_network):
    cast = club_network
    bob_in_alices_file = Person.objects.get(owner=cast.alice, given_name="Bob")
    paths, _name = _paths(cast, person=(cast.alice.pk, bob_in_alices_file.pk))
    assert paths and {p.why_not for p in paths} == {"Bob is a member: contact them directly."}


def _reach_invariants(reach):
    assert 0 <= reach.alone_one <= reach.alone_two <= reach.pooled_one
    assert reach.pooled_organisations <= reach.pooled_one


def test_the_reach_figures_nest_and_the_clubs_two_differ(club_network):
    from kring.network.queries import network_reach

    cast = club_network
    reach = network_reach(cast.alice, cast.club.pk, now=timezone.now())
    _reach_invariants(reach)
    assert reach.pooled_organisations != reach.pooled_one
    # More people in Bob's shared file widen the club's figure, not Alice's own.
    extra = actions.person_create(
        owner=cast.bob, given_name="Nina", surname="Nieuw", organisation_name="Delta"
    )
    actions.share_set(
        actor=cast.bob, relationship=extra.relationship, workspace=cast.club, level="name_role"
    )
    wider = network_reach(cast.alice, cast.club.pk, now=timezone.now())
    _reach_invariants(wider)
    assert wider.alone_one == reach.alone_one
    assert wider.pooled_one == reach.pooled_one + 1
    assert wider.pooled_organisations == reach.pooled_organisations + 1


def test_the_dashboard_counts_the_people_you_know_as_the_funnel_does(club_network):
    from kring.network.queries import network_reach

    cast = club_network
    # The same person twice in Alice's file (one e-mail address) is one person you know.
    for _ in range(2):
        actions.person_create(
            owner=cast.alice, given_name="Twee", surname="Keer", emails=["twee@example.nl"]
        )
    funnel = network_reach(cast.alice, cast.club.pk, now=timezone.now())
    body = cast.client(cast.alice).get(reverse("dashboard")).content.decode()
    assert f'<strong id="people-known">{funnel.alone_one}</strong>' in body
    paths_page = cast.client(cast.alice).get(reverse("workspace_paths", args=[cast.club.pk]))
    assert f"<strong>{funnel.alone_one}</strong>" in paths_page.content.decode()


def test_the_briefs_mutual_contacts_leave_out_the_clubs_members(club_network):
    from kring.network.queries import brief

    cast = club_network
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    found = brief(cast.alice, cast.club.pk, cast.bob.pk, koen.pk, now=timezone.now())
    # Bob knows Koen and Alice knows Bob, but Bob is a member: not a mutual contact. Jan, in
    # Alice's file, works at Acme with Koen.
    assert found.common == ["Jan van der Berg"]
    url = reverse("brief", args=[cast.club.pk, cast.bob.pk, koen.pk])
    body = cast.client(cast.alice).get(url).content.decode()
    common = body.split('id="common">')[1].split("</ul>")[0]
    assert "Jan van der Berg" in common and "Bob" not in common


def test_who_fits_an_ask_is_everyone_ask_matches_finds_best_first_then_by_node(club_network):
    from kring.core.asks import ask_matches
    from kring.network.queries import _ask_fits, viewer_network

    cast = club_network
    for n in range(4):  # several who fit alike: ties are ordered by node
        nora = actions.person_create(
            owner=cast.bob,
            given_name="Nora",
            surname=f"Nieuw {n}",
            organisation_name="Acme" if n % 2 else "Globex",
            title="R&D manager",
        )
        actions.share_set(
            actor=cast.bob, relationship=nora.relationship, workspace=cast.club, level="name_role"
        )
    network = viewer_network(cast.alice, cast.club.pk, now=timezone.now())
    for fields in (
        AskFields(role="R&D manager", organisation="Acme"),
        AskFields(role="R&D manager"),
        AskFields(organisation="Acme"),
        AskFields(role="CFO", sector="Farma"),
    ):
        expected = sorted(
            (
                (fit, int(node))
                for (title, sector, region, organisation), nodes in network.profiles()
                if (
                    fit := ask_matches(
                        fields,
                        title=title,
                        sector=sector,
                        region=region,
                        organisation=organisation,
                    )
                )
                >= 0.5
                for node in nodes
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        fits, nodes = _ask_fits(network, fields)
        assert list(zip(fits.tolist(), nodes.tolist(), strict=True)) == expected, fields
    assert len(_ask_fits(network, AskFields(role="R&D manager"))[0]) >= 4
