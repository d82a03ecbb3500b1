"""A company forms rotating project teams: departments mixed, new colleagues every round."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kring.accounts.actions import user_sign_up
from kring.lib.errors import NotFound, PermissionDenied
from kring.teams import actions, adapters, queries
from kring.teams.models import DepartmentAssignment, Rotation, Round, Team, TeamMember
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.date(2027, 1, 4)
DEPARTMENTS = ["Sales", "R&D", "Finance", "HR"]


@pytest.fixture
def company(cast):
    """Alice owns company Acme with Bob (a plain member) and ten more: twelve people, three in
    each of four departments. Charlie stays outside."""
    acme = workspace_create(owner=cast.alice, name="Acme", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=acme, user=cast.bob, role=Membership.Role.MEMBER)
    members = [cast.alice, cast.bob]
    for i in range(10):
        user = user_sign_up(email=f"c{i}@acme.example", password=PASSWORD, display_name=f"C{i}")
        Membership.objects.create(workspace=acme, user=user)
        members.append(user)
    actions.departments_set(
        actor=cast.alice,
        workspace=acme,
        departments={u.pk: DEPARTMENTS[i % 4] for i, u in enumerate(members)},
    )
    cast.acme = acme
    cast.members = members
    return cast


def _rotation(cast, **kwargs):
    options = {"name": "Q1 projects", "team_size": 3, "rounds": 4, "starts_on": START}
    return actions.rotation_create(actor=cast.alice, workspace=cast.acme, **{**options, **kwargs})


def _teams(rotation):
    """Per round: a list of teams, each a list of (user id, department)."""
    return [
        [[(m.user_id, m.department) for m in team.members.all()] for team in view.teams]
        for view in queries.rounds_of(rotation)
    ]


def test_it_puts_every_member_in_exactly_one_team_per_round(company):
    rotation = _rotation(company)
    rounds = _teams(rotation)
    assert len(rounds) == 4
    everyone = sorted(u.pk for u in company.members)
    for teams in rounds:
        assert sorted(uid for team in teams for uid, _ in team) == everyone
        assert sorted(len(team) for team in teams) == [3, 3, 3, 3]


@pytest.mark.parametrize("seed", [0, 7, 21])
def test_it_mixes_departments_in_every_team(company, seed):
    rotation = _rotation(company, policy=Rotation.Policy.MIX, seed=seed)
    for teams in _teams(rotation):
        for team in teams:
            assert len({department for _, department in team}) >= 2
    assert all(r.min_departments >= 2 for r in rotation.round_set.all())


@pytest.mark.parametrize("seed", [0, 7, 21])
def test_it_never_repeats_a_pair_when_the_numbers_allow(company, seed):
    # Twelve people in teams of three meet 2 new colleagues a round: four rounds need 8 of
    # the 11 others, so no pair has to work together twice.
    rotation = _rotation(company, seed=seed)
    together = Counter(
        pair
        for teams in _teams(rotation)
        for team in teams
        for pair in itertools.combinations(sorted(uid for uid, _ in team), 2)
    )
    assert max(together.values()) == 1
    assert [r.repeated_pairs for r in rotation.round_set.all()] == [0, 0, 0, 0]


def test_it_spreads_uneven_numbers_over_teams():
    assert adapters.team_sizes(12, 3) == [3, 3, 3, 3]
    assert adapters.team_sizes(13, 3) == [4, 3, 3, 3]
    assert adapters.team_sizes(5, 2) == [3, 2]
    assert adapters.team_sizes(11, 6) == [6, 5]
    for members, size in itertools.product(range(2, 40), range(2, 9)):
        if members >= size:
            sizes = adapters.team_sizes(members, size)
            assert sum(sizes) == members
            assert min(sizes) >= 2
            assert max(sizes) - min(sizes) <= 1


def test_it_dates_rounds_and_knows_the_round_under_way(company):
    rotation = _rotation(company, weeks_per_round=2)
    assert [r.starts_on for r in rotation.round_set.all()] == [
        START + dt.timedelta(weeks=2 * i) for i in range(4)
    ]
    # A rotation that has not started is upcoming: no round is "now" yet.
    assert queries.current_round(rotation, START - dt.timedelta(days=3)) is None
    assert queries.rotation_state(rotation, START - dt.timedelta(days=1)).state == "upcoming"
    assert queries.current_round(rotation, START) == 1
    assert queries.current_round(rotation, START + dt.timedelta(days=13)) == 1
    assert queries.current_round(rotation, START + dt.timedelta(days=14)) == 2
    assert queries.current_round(rotation, START + dt.timedelta(weeks=8)) is None
    assert queries.rotation_state(rotation, START + dt.timedelta(weeks=8)).state == "finished"


def test_it_gives_the_same_teams_for_the_same_seed(company):
    first, second = _rotation(company, seed=5), _rotation(company, seed=5)
    assert _teams(first) == _teams(second)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"team_size": 1}, "team_size", "at least 2 people"),
        ({"rounds": 0}, "rounds", "from 1 to 52 rounds"),
        ({"rounds": 53}, "rounds", "from 1 to 52 rounds"),
        ({"team_size": 13}, "team_size", "12 members, too few for a team of 13"),
        ({"name": "  "}, "name", ""),
        ({"weeks_per_round": 0}, "weeks_per_round", ""),
        ({"policy": "chaos"}, "policy", "Unknown policy"),
    ],
)
def test_it_refuses_a_bad_rotation(company, kwargs, field, message):
    with pytest.raises(ValidationError) as caught:
        _rotation(company, **kwargs)
    assert field in caught.value.error_dict
    assert message in str(caught.value)
    assert not Rotation.objects.exists()
    assert not Round.objects.exists()


def test_it_refuses_teams_outside_a_company(cast):
    with pytest.raises(ValidationError) as caught:
        actions.rotation_create(
            actor=cast.alice, workspace=cast.club, name="X", team_size=2, rounds=1
        )
    assert "company workspaces" in str(caught.value)
    with pytest.raises(ValidationError):
        actions.departments_set(
            actor=cast.alice, workspace=cast.club, departments={cast.bob.pk: "Sales"}
        )
    page = cast.client(cast.alice).get(reverse("teams", args=[cast.club.pk])).content.decode()
    assert 'id="not-company"' in page and "rotation-form" not in page
    club_page = cast.client(cast.alice).get(reverse("workspace", args=[cast.club.pk]))
    assert "teams-link" not in club_page.content.decode()
    assert not Rotation.objects.exists() and not DepartmentAssignment.objects.exists()


def test_it_sets_and_clears_departments(company):
    bob = company.bob
    changed = actions.departments_set(
        actor=company.alice,
        workspace=company.acme,
        departments={bob.pk: "  Customer   Care ", company.alice.pk: ""},
    )
    assert changed == 2
    departments = queries.departments_of(company.acme)
    assert departments[bob.pk] == "Customer Care"
    assert company.alice.pk not in departments
    with pytest.raises(ValidationError) as caught:
        actions.departments_set(
            actor=company.alice, workspace=company.acme, departments={company.charlie.pk: "HR"}
        )
    assert "not a member" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        actions.departments_set(
            actor=company.alice, workspace=company.acme, departments={bob.pk: "x" * 81}
        )
    assert "longer than 80" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        actions.departments_set(
            actor=company.alice, workspace=company.acme, departments={bob.pk: "H\x00R"}
        )
    assert "NUL" in str(caught.value)
    assert queries.departments_of(company.acme)[bob.pk] == "Customer Care"


def test_it_imports_departments_from_csv(company):
    text = "E-mail,Department\nBOB@example.nl,Legal\n\nc0@acme.example;x\n"
    # A comma on the first line makes "," the separator: line 4 is refused whole.
    with pytest.raises(ValidationError) as caught:
        actions.departments_import(actor=company.alice, workspace=company.acme, text=text)
    assert "Line 4" in str(caught.value)
    assert queries.departments_of(company.acme)[company.bob.pk] == "R&D"
    changed = actions.departments_import(
        actor=company.alice,
        workspace=company.acme,
        text="\ufeffbob@example.nl;Legal\nc0@acme.example;Legal\n",
    )
    assert changed == 2
    departments = queries.departments_of(company.acme)
    assert departments[company.bob.pk] == departments[company.members[2].pk] == "Legal"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bob@example.nl,Legal\nnobody@example.com,Sales", "Line 2: nobody@example.com is not"),
        ("bob@example.nl,Legal\nbob@example.nl,Sales", "Line 2: bob@example.nl is on line 1"),
        ("bob@example.nl", "Line 1: write an e-mail address"),
        ("bob@example.nl,Legal,extra", "Line 1: write an e-mail address"),
        ("Bob,Legal", "Line 1: write an e-mail address"),
        ("bob@example.nl,", "Line 1: the department is empty"),
        ("email,department\n", "no lines"),
        # A stray quote does not swallow the next line.
        ('bob@example.nl,"Legal\nnobody@example.com,Sales', "Line 2: nobody@example.com is not"),
        ("bob@example.nl,Le\x00gal", "Line 1: write an e-mail address"),
    ],
)
def test_it_refuses_a_bad_csv_line_and_changes_nothing(company, text, message):
    before = queries.departments_of(company.acme)
    with pytest.raises(ValidationError) as caught:
        actions.departments_import(actor=company.alice, workspace=company.acme, text=text)
    assert message in str(caught.value)
    assert queries.departments_of(company.acme) == before


def test_it_lets_only_managers_write_and_hides_everything_from_outsiders(company):
    rotation = _rotation(company)
    with pytest.raises(PermissionDenied):
        _rotation_by(company, company.bob)
    with pytest.raises(PermissionDenied):
        actions.rotation_delete(actor=company.bob, rotation=rotation)
    with pytest.raises(PermissionDenied):
        actions.departments_set(
            actor=company.bob, workspace=company.acme, departments={company.bob.pk: "HR"}
        )
    with pytest.raises(NotFound):
        _rotation_by(company, company.charlie)
    with pytest.raises(NotFound):
        queries.access_rotation_by_id(company.charlie, rotation.pk)
    charlie = company.client(company.charlie)
    for name in ("rotation", "rotation_csv"):
        assert charlie.get(reverse(name, args=[rotation.pk])).status_code == 404
    assert charlie.post(reverse("rotation_delete", args=[rotation.pk])).status_code == 404
    teams = reverse("teams", args=[company.acme.pk])
    assert charlie.get(teams).status_code == 404
    for kind in ("rotation", "departments", "import"):
        assert charlie.post(teams, _post(kind)).status_code == 404
    bob = company.client(company.bob)
    for kind in ("rotation", "departments", "import"):
        assert bob.post(teams, _post(kind)).status_code == 403
    assert bob.post(reverse("rotation_delete", args=[rotation.pk])).status_code == 403
    assert Rotation.objects.count() == 1
    assert DepartmentAssignment.objects.filter(department="HR").count() == 3
    page = bob.get(teams).content.decode()
    assert "rotation-form" not in page and "departments-form" not in page
    assert bob.get(reverse("rotation", args=[rotation.pk])).status_code == 200


def _rotation_by(cast, user):
    return actions.rotation_create(
        actor=user, workspace=cast.acme, name="Mine", team_size=3, rounds=2, starts_on=START
    )


def _post(kind):
    return {
        "rotation": {
            "kind": "rotation",
            "name": "Sneaky",
            "team_size": "3",
            "rounds": "2",
            "starts_on": "2027-01-04",
            "weeks_per_round": "1",
            "policy": "mix",
        },
        "departments": {"kind": "departments", "department-1": "HR"},
        "import": {"kind": "import", "csv": "bob@example.nl,HR"},
    }[kind]


def test_it_runs_the_rotation_through_the_pages(company):
    alice = company.client(company.alice)
    workspace = alice.get(reverse("workspace", args=[company.acme.pk])).content.decode()
    assert f'href="{reverse("teams", args=[company.acme.pk])}" id="teams-link"' in workspace
    teams = reverse("teams", args=[company.acme.pk])
    response = alice.post(
        teams,
        {
            "kind": "rotation",
            "name": "Spring projects",
            "team_size": "4",
            "rounds": "3",
            "starts_on": "2020-01-06",
            "weeks_per_round": "1",
            "policy": "departments",
        },
    )
    rotation = Rotation.objects.get(name="Spring projects")
    assert response.url == reverse("rotation", args=[rotation.pk])
    page = alice.get(response.url).content.decode()
    assert page.count('class="round"') == 3
    assert page.count("team-card") == 9
    assert "every team mixes" in page and "0 pairs worked together before" in page
    assert "This rotation is over." in page
    bad = alice.post(teams, {**_post("rotation"), "team_size": "1"}).content.decode()
    assert 'data-field="team_size"' in bad and "at least 2 people" in bad
    assert Rotation.objects.count() == 1
    alice.post(reverse("rotation_delete", args=[rotation.pk]))
    assert not Rotation.objects.exists() and not Team.objects.exists()


def test_it_shows_each_member_their_team_this_round(company):
    rotation = _rotation(company, starts_on=timezone.localdate(), rounds=2)
    mine = Team.objects.get(round__rotation=rotation, round__number=1, members__user=company.bob)
    page = company.client(company.bob).get(reverse("rotation", args=[rotation.pk])).content
    html = page.decode()
    assert f"My team in round 1: {mine.name}" in html
    mates = [m.user.name for m in mine.members.exclude(user=company.bob)]
    my_team = html.split('id="my-team"')[1].split("</article>")[0]
    assert all(name in my_team for name in mates) and "Bob" not in my_team


def test_it_sets_departments_and_imports_through_the_page(company):
    alice = company.client(company.alice)
    teams = reverse("teams", args=[company.acme.pk])
    alice.post(teams, {"kind": "departments", f"department-{company.bob.pk}": "Legal"})
    assert queries.departments_of(company.acme)[company.bob.pk] == "Legal"
    upload = io.BytesIO("email,department\nbob@example.nl,Zoë's team\n".encode("cp1252"))
    upload.name = "departments.csv"
    alice.post(teams, {"kind": "import", "csv_file": upload})
    assert queries.departments_of(company.acme)[company.bob.pk] == "Zoë's team"
    bad = alice.post(teams, {"kind": "import", "csv": "bob@example.nl,HR\nwho,HR"})
    assert "Line 2: write an e-mail address" in bad.content.decode()
    empty = alice.post(teams, {"kind": "import", "csv": ""}).content.decode()
    assert "Paste some lines or choose a file." in empty
    assert queries.departments_of(company.acme)[company.bob.pk] == "Zoë's team"


def test_it_downloads_the_rotation_as_csv(company):
    rotation = _rotation(company)
    response = company.client(company.bob).get(reverse("rotation_csv", args=[rotation.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f"q1-projects-{rotation.pk}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["round", "team", "member", "department"]
    assert len(rows) == 1 + 4 * 12
    names = {u.name for u in company.members}
    for number in ("1", "2", "3", "4"):
        assert {r[2] for r in rows[1:] if r[0] == number} == names
    bob = next(r for r in rows[1:] if r[2] == "Bob")
    assert bob[3] == "R&D" and bob[1].startswith("Team ")


def test_it_keeps_the_department_a_plan_was_made_with(company):
    rotation = _rotation(company)
    actions.departments_set(
        actor=company.alice, workspace=company.acme, departments={company.bob.pk: "Legal"}
    )
    assert set(
        TeamMember.objects.filter(team__round__rotation=rotation, user=company.bob).values_list(
            "department", flat=True
        )
    ) == {"R&D"}


def test_it_loads_a_rotation_page_in_a_fixed_number_of_queries(
    company, django_assert_max_num_queries
):
    rotation = _rotation(company, rounds=6)
    bob = company.client(company.bob)
    url = reverse("rotation", args=[rotation.pk])
    bob.get(url)
    with django_assert_max_num_queries(12):
        assert bob.get(url).status_code == 200
