"""Warm introduction paths through a club's pooled network, with consent per relationship."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.actions import api_token_create
from kring.cli.main import main as kring
from kring.network.queries import introduction_paths, network_reach
from kring.people import actions
from kring.people.models import Person

pytestmark = pytest.mark.django_db

HIDDEN = "Henk Verborgen"


def _paths(cast, **query):
    return introduction_paths(cast.alice, cast.club.pk, now=timezone.now(), **query)


def test_it_finds_a_warm_path_through_a_member(club_network):
    paths, name = _paths(club_network, organisation="acme")
    assert name == "Acme"
    labels = [[h.label for h in p.hops] for p in paths]
    assert ["Bob", "Koen Claes"] in labels
    via_bob = paths[labels.index(["Bob", "Koen Claes"])]
    assert via_bob.hops[1].contacts == 1  # Bob met Koen once this year
    assert via_bob.connector_id == club_network.bob.pk
    for path in paths:
        assert all(0 < h.strength <= 1 for h in path.hops)
        assert len(path.hops) <= 3
    scores = [p.score for p in paths]
    assert scores == sorted(scores, reverse=True)


def test_it_never_names_a_hidden_or_organisation_only_relationship(club_network):
    paths, _ = _paths(club_network, organisation="acme", k=10)
    text = repr(paths)
    assert "Henk" not in text and "Verborgen" not in text
    assert "Sofie" not in text
    assert any(h.label == "someone at Beta" for p in paths for h in p.hops)


def test_it_flags_a_path_through_a_competitor(club_network):
    paths, _ = _paths(club_network, organisation="acme", k=10)
    flagged = [p for p in paths if p.flagged]
    assert flagged and any(h.competitor for h in flagged[0].hops)


def test_it_knows_nothing_of_organisations_only_hidden_ties_reach(club_network):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _paths(club_network, organisation="Gamma")
    assert "organisation" in caught.value.error_dict


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"organisation": "acme", "k": 0}, "k"),
        ({"organisation": "acme", "k": 11}, "k"),
        ({"organisation": "acme", "hops": 4}, "hops"),
        ({}, "organisation"),
    ],
)
def test_it_refuses_bad_queries(club_network, query, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _paths(club_network, **query)
    assert field in caught.value.error_dict


def test_it_counts_reach_alone_and_through_the_club(club_network):
    reach = network_reach(club_network.alice, club_network.club.pk, now=timezone.now())
    # Alone: Jan and Bob; through Bob also Koen and Sofie (Henk's tie is hidden).
    assert (reach.alone_one, reach.alone_two) == (2, 4)
    # The club (Alice and Bob together): Bob, Jan, Koen and Sofie, at Acme and Beta.
    assert reach.pooled_one == 4
    assert reach.pooled_organisations == 2


def test_it_shows_paths_on_the_page_and_hides_names(club_network):
    client = club_network.client(club_network.alice)
    url = reverse("workspace_paths", args=[club_network.club.pk])
    body = client.get(url, {"organisation": "Acme", "k": 5, "hops": 3}).content.decode()
    assert "Koen Claes" in body and "someone at Beta" in body
    assert HIDDEN not in body and "Henk" not in body and "Sofie" not in body
    body = client.get(url, {"organisation": "Acme", "k": 50, "hops": 3}).content.decode()
    assert 'data-field="k"' in body


def test_it_answers_the_api_and_the_cli_alike(club_network, client, capsys):
    _, key = api_token_create(user=club_network.alice)
    response = client.get(
        f"/api/workspaces/{club_network.club.pk}/paths",
        {"organisation": "Acme"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert "Henk" not in response.content.decode()
    labels = [[h["label"] for h in p["hops"]] for p in response.json()["paths"]]
    assert ["Bob", "Koen Claes"] in labels
    bad = client.get(
        f"/api/workspaces/{club_network.club.pk}/paths",
        {"organisation": "Acme", "hops": 9},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert bad.status_code == 422 and "hops" in bad.json()["errors"]
    assert (
        kring(
            [
                "intro",
                "--user",
                club_network.alice.email,
                "--workspace",
                str(club_network.club.pk),
                "--organisation",
                "Acme",
                "--json",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert json.loads(out)["organisation"] == "Acme" and "Henk" not in out
    assert (
        kring(
            [
                "intro",
                "--user",
                club_network.alice.email,
                "--workspace",
                str(club_network.club.pk),
                "--organisation",
                "Acme",
                "-k",
                "0",
            ]
        )
        == 2
    )


def test_it_hides_the_network_from_outsiders_in_the_terminal(club_network, capsys):
    charlie = club_network.charlie
    assert (
        kring(
            [
                "intro",
                "--user",
                charlie.email,
                "--workspace",
                str(club_network.club.pk),
                "--organisation",
                "Acme",
            ]
        )
        == 2
    )
    assert "not found" in capsys.readouterr().err


def test_it_briefs_on_a_target_without_leaking_hidden_ties(club_network):
    cast = club_network
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    url = reverse("brief", args=[cast.club.pk, cast.bob.pk, koen.pk])
    body = cast.client(cast.alice).get(url).content.decode()
    assert "Koen Claes" in body and "R&amp;D manager" in body
    assert "Bob" in body  # a person both know... and the warm way in
    assert "Henk" not in body and "Sofie" not in body
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    hidden = reverse("brief", args=[cast.club.pk, cast.bob.pk, henk.pk])
    assert cast.client(cast.alice).get(hidden).status_code == 404
    assert cast.client(cast.charlie).get(url).status_code == 404


def test_it_never_shows_a_hidden_relationships_name_in_any_command(club_network, capsys):
    """Bob keeps Henk Verborgen to himself: no command output of Alice's mentions him,
    whatever she asks for (pages and the API: tests/test_access.py)."""
    cast = club_network
    club = cast.club.pk
    for argv in (
        ["intro", "--workspace", str(club), "--organisation", "Acme", "-k", "10"],
        ["intro", "--workspace", str(club), "--role", "CEO"],
        ["people", "list", "Verborgen"],
    ):
        kring([*argv, "--user", cast.alice.email])
        captured = capsys.readouterr()
        assert "Verborgen" not in captured.out + captured.err, argv


def test_it_keeps_the_network_in_memory_until_a_tie_changes(club_network):
    from kring.network.adapters import pooled_network

    cast = club_network
    now = timezone.now()
    first = pooled_network(cast.alice, cast.club, now=now)
    assert pooled_network(cast.alice, cast.club, now=now) is first
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    actions.share_set(
        actor=cast.bob, relationship=henk.relationship, workspace=cast.club, level="name_role"
    )
    second = pooled_network(cast.alice, cast.club, now=now)
    assert second is not first
    assert any(n.name == "Henk Verborgen" for n in second.nodes)
    actions.share_set(
        actor=cast.bob, relationship=henk.relationship, workspace=cast.club, level="none"
    )
    third = pooled_network(cast.alice, cast.club, now=now)
    assert not any("Henk" in n.name for n in third.nodes)


def test_it_finds_paths_by_sector_and_region(club_network):
    from kring.people.actions import person_update

    cast = club_network
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    person_update(actor=cast.bob, person=koen, sector="Farma", region="Limburg")
    paths, _ = _paths(cast, sector="farma", region="limburg")
    labels = [[h.label for h in p.hops] for p in paths]
    # Alice's own Jan (Farma, Limburg) directly, and Koen through Bob (and through Sofie).
    assert labels[:2] == [["Jan van der Berg"], ["Bob", "Koen Claes"]]
    assert all(p[-1] in ("Jan van der Berg", "Koen Claes") for p in labels)


def test_it_finds_paths_to_one_person_and_refuses_myself_or_a_hidden_one(
    club_network, client, capsys
):
    cast = club_network
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    paths, _ = _paths(cast, person=(cast.bob.pk, koen.pk))
    assert {p.hops[-1].label for p in paths} == {"Koen Claes"}
    _, key = api_token_create(user=cast.alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/workspaces/{cast.club.pk}/paths"
    answer = client.get(url, {"person": koen.pk, "owner": cast.bob.pk}, **auth)
    assert answer.status_code == 200
    assert answer.json()["paths"][0]["hops"][-1]["label"] == "Koen Claes"
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    hidden = client.get(url, {"person": henk.pk, "owner": cast.bob.pk}, **auth)
    missing = client.get(url, {"person": 999999, "owner": cast.bob.pk}, **auth)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    bob_in_alices_file = Person.objects.get(owner=cast.alice, given_name="Bob")
    me = client.get(url, {"person": bob_in_alices_file.pk}, **auth)
    assert me.status_code == 200  # Bob, a member, is one hop away
    alice_in_bobs_file = actions.person_create(
        owner=cast.bob, given_name="Alice", emails=["alice@example.be"]
    )
    actions.share_set(
        actor=cast.bob,
        relationship=alice_in_bobs_file.relationship,
        workspace=cast.club,
        level="name_role",
    )
    myself = client.get(url, {"person": alice_in_bobs_file.pk, "owner": cast.bob.pk}, **auth)
    assert myself.status_code == 422 and "person" in myself.json()["errors"]
    assert (
        kring(
            [
                "intro",
                "--user",
                cast.alice.email,
                "--workspace",
                str(cast.club.pk),
                "--person",
                str(koen.pk),
                "--owner",
                str(cast.bob.pk),
            ]
        )
        == 0
    )
    assert "Koen Claes" in capsys.readouterr().out
    assert (
        kring(
            [
                "intro",
                "--user",
                cast.alice.email,
                "--workspace",
                str(cast.club.pk),
                "--person",
                str(henk.pk),
                "--owner",
                str(cast.bob.pk),
            ]
        )
        == 2
    )
    assert "Henk" not in capsys.readouterr().err


def test_it_lists_and_answers_only_organisations_the_members_share(club_network, client):
    """An organisation that exists only in a member's private "competes with" record is not in
    the page's list, and the API answers for it exactly as for a name nobody knows: no
    existence oracle (issue 12)."""
    from tests.privacy import comparable

    cast = club_network
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    secret = actions.organisation_create(owner=cast.bob, name="Deltageheim")
    actions.organisation_update(
        actor=cast.bob,
        organisation=koen.organisation,
        competes_with=[*koen.organisation.competes_with.all(), secret],
    )
    url = reverse("workspace_paths", args=[cast.club.pk])
    page = cast.client(cast.alice).get(url).content.decode().casefold()
    assert "deltageheim" not in page and "gamma" not in page
    assert '<option value="acme">' in page  # shared organisations are listed

    _, key = api_token_create(user=cast.alice)
    api = f"/api/workspaces/{cast.club.pk}/paths"

    def answer(name):
        response = client.get(api, {"organisation": name}, HTTP_AUTHORIZATION=f"Bearer {key}")
        return comparable(response, name)

    assert answer("Deltageheim") == answer("Nowhere Ltd") == answer("Gamma")
    assert answer("Nowhere Ltd")[0] == 422
    pages = [
        comparable(cast.client(cast.alice).get(url, {"organisation": name}), url, name)
        for name in ("Deltageheim", "Nowhere Ltd")
    ]
    assert pages[0] == pages[1]
