"""A whole backup: everything an account has goes out with `kring export` and comes back with
`kring restore` — compared table by table, not only as the JSON of the first export."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.accounts.models import DevicePassword, SignIn, SingleSignOnIdentity, User
from kring.cli.main import main as kring
from kring.clubs import actions as club_actions
from kring.clubs.models import Guest, MeetingTable, WantToMeet
from kring.core.importing import open_source
from kring.imports import actions
from kring.imports.backup import account_as_dict
from kring.imports.models import ImportBatch, Merge, MergeProposal
from kring.imports.restore import BackupError, account_restore
from kring.network.models import Introduction
from kring.people import actions as people_actions
from kring.people.models import Organisation, Person, Tag
from kring.planner import actions as planner_actions
from kring.planner.models import PlannedTouch, TierProposal
from kring.teams.models import DepartmentAssignment, Rotation, Round, Team, TeamMember
from kring.workspaces.actions import membership_remove, workspace_create
from kring.workspaces.models import Departure, Invitation, Membership, Workspace
from tests.imports import samples

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
# What a restore cannot give back as it was, and why.
NOT_COMPARED = {
    # The log stays on the server: deleting the account left its entries without an actor,
    # and the restore writes an entry of its own.
    "audit.AuditEntry": None,
    # Credentials are not data: a restored account sets a new password.
    "accounts.User": {"password", "last_login"},
    # Sessions and device passwords are credentials too: deleting the account ended them, and
    # a restored account signs in anew.
    "accounts.SignIn": None,
    "accounts.DevicePassword": None,
    "accounts.KnownDevice": None,
    # Read in the backup's sign_in part, not restored: the account links its provider again
    # by its verified e-mail at its first single sign-on.
    "accounts.SingleSignOnIdentity": None,
}


def _tables() -> dict[str, list[str]]:
    """Every row of every table, as canonical JSON, sorted; link tables without their ids."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in NOT_COMPARED and NOT_COMPARED[label] is None:
            continue
        skip = NOT_COMPARED.get(label) or set()
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        if model._meta.auto_created:
            names = [n for n in names if n != "id"]  # a link row's own id is not kept
        rows = model._default_manager.values_list(*names)
        out[label] = sorted(json.dumps(row, sort_keys=True, default=repr) for row in rows)
    return out


def _rich_account(cast) -> None:
    """Alice with a row in every table an account owns or takes part in."""
    alice, bob, club = cast.alice, cast.bob, cast.club
    client = cast.client(alice)
    # Imports: contact points with labels, keys, a batch, a proposal and a merge.
    cards = samples.vcard("Els", "Maes", emails=("els@beta.example",), phones=("0476 11 22 33",))
    cards += samples.vcard("Jan", "van der Berg", org="ACME", note="Met at the fair")
    cards += samples.vcard(
        "Jan", "van der Berg", emails=("jan@acme.example",), title="CTO", bday="1975-05-04"
    )
    client.post("/import/", {"upload": [SimpleUploadedFile("phone.vcf", cards.encode())]})
    batch = ImportBatch.objects.get(owner=alice)
    client.post(f"/import/{batch.pk}/confirm/")
    assert MergeProposal.objects.filter(owner=alice).exists()
    Tag.objects.create(owner=alice, name="nog ongebruikt")
    els = Person.objects.get(owner=alice, given_name="Els")
    beta = people_actions.organisation_find_or_create(owner=alice, name="Beta")
    people_actions.organisation_update(
        actor=alice, organisation=beta, competes_with=[cast.jan.organisation]
    )
    people_actions.share_set(
        actor=alice, relationship=cast.jan.relationship, workspace=club, level="name_role"
    )
    people_actions.relationship_update(
        actor=alice, relationship=els.relationship, introduced_by=cast.jan
    )
    # The planner.
    planner_actions.planner_settings_update(user=alice, b_days=60)
    PlannedTouch.objects.create(
        owner=alice,
        person=els,
        week=dt.date(2026, 5, 4),
        channel="call",
        reasons=["cooling"],
        value=0.5,
    )
    TierProposal.objects.create(relationship=els.relationship, proposed="C", reason="quiet")
    # Introductions, both ways.
    koen = people_actions.person_create(owner=bob, given_name="Koen", surname="Claes")
    people_actions.share_set(
        actor=bob, relationship=koen.relationship, workspace=club, level="name_role"
    )
    Introduction.objects.create(
        workspace=club,
        requester=alice,
        connector=bob,
        target=koen,
        reason="Koen knows the market.",
        value_eur=Decimal("150.00"),
    )
    Introduction.objects.create(
        workspace=club,
        requester=bob,
        connector=alice,
        target=cast.jan,
        reason="Jan buys what I sell.",
    )
    # The club: a meeting with tables, answers, a guest, one-to-ones, referrals, a rule.
    meeting = club_actions.meeting_create(
        actor=alice,
        workspace=club,
        title="Mei-diner",
        starts_at=NOW + dt.timedelta(days=3),
        tables=[("Tafel 1", 6, alice), ("Tafel 2", 6, None)],
        now=NOW,
    )
    mine = club_actions.attendance_answer(actor=alice, meeting=meeting, answer="yes")
    club_actions.seat_move(
        actor=alice, attendance=mine, table=meeting.tables.get(name="Tafel 1"), locked=True
    )
    club_actions.attendance_answer(actor=bob, meeting=meeting, answer="yes")
    club_actions.want_to_meet_set(actor=alice, meeting=meeting, others=[bob], now=NOW)
    club_actions.want_to_meet_set(actor=bob, meeting=meeting, others=[alice], now=NOW)
    club_actions.guest_add(actor=alice, meeting=meeting, name="Gast Gerda", invited_by=alice)
    club_actions.one_to_one_log(actor=alice, workspace=club, with_member=bob, note="koffie")
    club_actions.one_to_one_log(actor=bob, workspace=club, with_member=alice)
    referral = club_actions.referral_give(
        actor=alice, workspace=club, receiver=bob, contact="Brouwerij Zoë"
    )
    club_actions.referral_update(
        actor=bob, referral=referral, status="closed", amount_eur=Decimal("1200.00")
    )
    club_actions.referral_give(actor=bob, workspace=club, receiver=alice, contact="Bakkerij")
    club_actions.seating_rule_add(
        actor=alice, workspace=club, first=alice, second=bob, reason="compete"
    )
    Invitation.objects.create(
        workspace=club,
        email="new@example.be",
        digest="d" * 64,
        invited_by=alice,
        expires_at=NOW + dt.timedelta(days=7),
    )
    # A company with departments and a team rotation; a workspace Alice left.
    company = workspace_create(owner=bob, name="Bedrijf", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=company, user=alice, role=Membership.Role.ADMIN)
    DepartmentAssignment.objects.create(workspace=company, user=alice, department="Verkoop")
    rotation = Rotation.objects.create(
        workspace=company,
        name="Lente",
        team_size=2,
        rounds=1,
        starts_on=dt.date(2026, 5, 4),
        created_by=alice,
    )
    team = Team.objects.create(
        round=Round.objects.create(rotation=rotation, number=1, starts_on=dt.date(2026, 5, 4)),
        name="A",
    )
    TeamMember.objects.create(team=team, user=alice, department="Verkoop")
    TeamMember.objects.create(team=team, user=bob)
    old = workspace_create(owner=bob, name="Vroeger", kind=Workspace.Kind.CLUB)
    gone = Membership.objects.create(workspace=old, user=alice)
    membership_remove(actor=alice, membership=gone, keep_name=True)
    assert Departure.objects.filter(user=alice).exists()


def test_it_restores_an_account_deleted_from_this_server_with_every_table_as_it_was(
    cast, tmp_path, capsys
):
    _rich_account(cast)
    before = _tables()
    exported = account_as_dict(cast.alice)
    path = tmp_path / "backup.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KRING_USER", cast.alice.email)
        assert kring(["export", "-o", str(path)]) == 0
    assert json.loads(path.read_text()) == json.loads(json.dumps(exported))
    cast.alice.delete()
    assert not Guest.objects.filter(invited_by__isnull=False).exists()
    assert not MeetingTable.objects.filter(host__isnull=False).exists()
    assert kring(["restore", str(path)]) == 0
    assert "Restored alice@example.be" in capsys.readouterr().out
    after = _tables()
    different = {label for label in before if before[label] != after[label]}
    assert different == set(), {
        label: (
            sorted(set(before[label]) - set(after[label]))[:2],
            sorted(set(after[label]) - set(before[label]))[:2],
        )
        for label in different
    }
    restored = User.objects.get(email="alice@example.be")
    again = account_as_dict(restored)
    assert again["sign_in"]["single_sign_on"] == []
    del again["sign_in"], exported["sign_in"]
    assert again == json.loads(json.dumps(exported))


def test_the_backup_says_how_the_account_signs_in_without_a_credential(cast):
    when = NOW.replace(microsecond=0)
    SingleSignOnIdentity.objects.create(
        user=cast.alice,
        issuer="https://login.club.example",
        subject="ada-42",
        email="alice@example.be",
        linked_at=when,
        last_used_at=when,
    )
    SignIn.objects.create(
        user=cast.alice,
        session_key="s" * 32,
        user_agent="Firefox on Windows",
        ip_address="81.82.83.84",
        created_at=when,
        last_seen_at=when,
    )
    DevicePassword.objects.create(
        user=cast.alice, name="Phone contacts", digest="d" * 64, created_at=when
    )
    sign_in = account_as_dict(cast.alice)["sign_in"]
    assert sign_in["single_sign_on"] == [
        {
            "issuer": "https://login.club.example",
            "subject": "ada-42",
            "email": "alice@example.be",
            "linked_at": when.isoformat(),
            "last_used_at": when.isoformat(),
        }
    ]
    assert {"ip_address": "81.82.83.84", "user_agent": "Firefox on Windows"}.items() <= sign_in[
        "sessions"
    ][-1].items()
    assert [d["name"] for d in sign_in["device_passwords"]] == ["Phone contacts"]
    text = json.dumps(sign_in)
    assert "s" * 32 not in text and "d" * 64 not in text  # the session key and digest stay in


def test_it_restores_into_an_empty_database_and_says_what_needs_the_other_members(
    cast, tmp_path, capsys
):
    _rich_account(cast)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(account_as_dict(cast.alice)))
    labels_before = sorted(
        Person.objects.get(pk=cast.jan.pk).contact_points.values_list("value", "label")
    )
    User.objects.all().delete()
    Workspace.objects.all().delete()
    assert not Organisation.objects.exists()
    assert kring(["restore", str(path)]) == 0
    out = capsys.readouterr().out
    assert "not restored: 2 one-to-ones with a member who has no account here" in out
    assert "not restored: 2 referrals with a member who has no account here" in out
    assert "not restored: 2 introductions with a member or a person who is not here" in out
    assert "not restored: 2 want-to-meet wishes with a member who has no account here" in out
    alice = User.objects.get(email="alice@example.be")
    jan = Person.objects.get(owner=alice, pk=cast.jan.pk)
    assert sorted(jan.contact_points.values_list("value", "label")) == labels_before
    assert Tag.objects.filter(owner=alice, name="nog ongebruikt").exists()
    assert alice.attendances.get().table.name == "Tafel 1"
    assert MeetingTable.objects.get(name="Tafel 1").host == alice
    assert DepartmentAssignment.objects.get(user=alice).department == "Verkoop"
    assert kring(["restore", str(path)]) == 2  # the account exists now
    assert "exists already" in capsys.readouterr().err


def test_a_merge_comes_back_undoable_after_a_restore(cast, tmp_path):
    cards = samples.vcard("Jan", "van der Berg", phones=("0470 12 34 56",), bday="1975-05-04")
    actions.import_sources(owner=cast.alice, sources=open_source("phone.vcf", cards.encode()))
    data = json.loads(json.dumps(account_as_dict(cast.alice)))
    cast.alice.delete()
    restored = account_restore(data=data)
    merge = Merge.objects.get(owner=restored.user)
    other = actions.merge_undo(actor=restored.user, merge=merge)
    assert other.birthday == dt.date(1975, 5, 4)
    assert Person.objects.get(pk=cast.jan.pk).birthday is None


def test_the_want_to_meet_lists_come_back_with_their_meeting_and_members(cast):
    _rich_account(cast)
    wishes = list(WantToMeet.objects.order_by("id").values_list("pk", "meeting", "created_at"))
    data = json.loads(json.dumps(account_as_dict(cast.alice)))
    (mine_id, meeting, mine_at), (bobs_id, _meeting_again, bobs_at) = wishes
    assert data["club"]["want_to_meet"] == [
        {
            "id": mine_id,
            "meeting": meeting,
            "created_at": mine_at.isoformat(),
            "member": cast.alice.email,
            "other": cast.bob.email,
        },
        {
            "id": bobs_id,
            "meeting": meeting,
            "created_at": bobs_at.isoformat(),
            "member": cast.bob.email,
            "other": cast.alice.email,
        },
    ]
    cast.alice.delete()
    assert not WantToMeet.objects.exists()
    restored = account_restore(data=data).user
    assert list(
        WantToMeet.objects.order_by("id").values_list(
            "pk", "meeting", "member", "other", "created_at"
        )
    ) == [
        (mine_id, meeting, restored.pk, cast.bob.pk, mine_at),
        (bobs_id, meeting, cast.bob.pk, restored.pk, bobs_at),
    ]


def _with_wishes(cast, wishes):
    _rich_account(cast)
    data = json.loads(json.dumps(account_as_dict(cast.alice)))
    data["club"]["want_to_meet"] = wishes(data)
    cast.alice.delete()
    return data


def _wish(data, **changes):
    return {
        "meeting": data["club"]["meetings"][0]["id"],
        "member": "alice@example.be",
        "other": "bob@example.nl",
        **changes,
    }


@pytest.mark.parametrize(
    ("wishes", "message"),
    [
        (lambda d: _wish(d), "club.want_to_meet: expected a list of wishes"),
        (lambda d: ["bob@example.nl"], r"club.want_to_meet\[0\]: expected an object"),
        (
            lambda d: [_wish(d), {"meeting": 1}],
            r"club.want_to_meet\[1\]: member and other missing",
        ),
        (
            lambda d: [_wish(d, meeting="first")],
            r"club.want_to_meet\[0\]: meeting 'first' is not a meeting's id",
        ),
        (
            lambda d: [_wish(d, meeting=999_999)],
            r"club.want_to_meet\[0\]: meeting 999999 is not among the backup's meetings",
        ),
        (
            lambda d: [_wish(d, other=7)],
            r"club.want_to_meet\[0\]: other 7 is not a member's e-mail address",
        ),
        (
            lambda d: [_wish(d, id="x")],
            r"club.want_to_meet\[0\]: id 'x' is not a whole number",
        ),
        (
            lambda d: [_wish(d, other="Alice@Example.be")],
            r"club.want_to_meet\[0\]: a member cannot want to meet themselves",
        ),
        (
            lambda d: [_wish(d, member="bob@example.nl", other="charlie@example.com")],
            r"club.want_to_meet\[0\]: a wish this account is not part of",
        ),
        (
            lambda d: [_wish(d), _wish(d, other="BOB@example.nl")],
            r"club.want_to_meet\[1\]: the same wish twice at meeting",
        ),
        (
            lambda d: [_wish(d, created_at="soon")],
            r"club.want_to_meet\[0\]: .*format",
        ),
    ],
)
def test_a_bad_want_to_meet_list_is_refused_saying_where(cast, wishes, message):
    data = _with_wishes(cast, wishes)
    with pytest.raises(BackupError, match=message):
        account_restore(data=data)
    assert not User.objects.filter(email="alice@example.be").exists()
