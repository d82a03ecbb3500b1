"""A year of the demo club's life: monthly dinners seated by the seating engine, referrals,
one-to-ones, and the conversations members logged with their table mates.

Part of loading the demo club (:mod:`kring.demo.club`), so it inserts in bulk like the rest of
the loader; past meetings could not go through ``meeting_create``, which refuses a past date.
The seats still come from :func:`kring.core.seating.plan_seating`, meeting after meeting with
the club's growing history, exactly as ``kring.clubs.actions.meeting_seat`` asks for them: the
demo's history looks like one the app would have made.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from kring.accounts.models import User
from kring.clubs.actions import never_together
from kring.clubs.adapters import plan_summary
from kring.clubs.models import (
    Attendance,
    Meeting,
    MeetingTable,
    OneToOne,
    Referral,
    SeatingRule,
)
from kring.core.dates import add_months, at_local_time, local_date, month_start, nth_weekday
from kring.core.names import sort_key
from kring.core.seating import (
    Attendee,
    PastMeeting,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
)
from kring.lib import clock
from kring.people.models import Channel, ContactPoint, Interaction, Person, Relationship, Tier
from kring.workspaces.models import Workspace

SEATS = 8  # per table
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
VENUES = [
    "Hof ter Kempen, Geel",
    "Kasteelhoeve De Merode, Westerlo",
    "Brasserie De Watermolen, Kasterlee",
    "Zaal De Linde, Turnhout",
]
ONE_TO_ONE_NOTES = [
    "",
    "",
    "Koffie; elkaars ideale klant overlopen.",
    "Lunch op hun kantoor, rondleiding gekregen.",
    "Ontbijt: wie zoeken we voor elkaar?",
    "Bezoek aan de werkplaats.",
    "Wandeling; over opvolging in het bedrijf gepraat.",
]


@dataclass
class ClubYear:
    """What the year added, for the loader's progress line."""

    meetings: list[Meeting] = field(default_factory=list)
    referrals: int = 0
    one_to_ones: int = 0
    conversations: int = 0


DINNER_WEEKDAY, DINNER_WEEK, DINNER_TIME = 3, 3, dt.time(19)  # the third Thursday, 19:00


def club_dinners(now: dt.datetime, zone: ZoneInfo) -> list[dt.datetime]:
    """The club dines on the third Thursday of the month at 19:00 on the club's clocks
    (``zone``): the eleven dinners before ``now`` and the next one, oldest first, in UTC."""
    this_month = month_start(local_date(now, zone))
    # From thirteen months back to next month: the next dinner is this month's or next
    # month's, and eleven more lie before it.
    dinners = []
    for offset in range(-13, 2):
        month = add_months(this_month, offset)
        day = nth_weekday(month.year, month.month, DINNER_WEEKDAY, DINNER_WEEK)
        dinners.append(at_local_time(day, DINNER_TIME, zone))
    upcoming = next(i for i, d in enumerate(dinners) if d > now)
    return dinners[upcoming - 11 : upcoming + 1]


def load_club_year(
    rng: random.Random,
    *,
    club: Workspace,
    users: Sequence[User],
    contacts: Sequence[tuple[str, str]],
    now: dt.datetime,
) -> ClubYear:
    """Meetings, referrals and one-to-ones of the year before ``now`` for ``club``, whose
    members are ``users`` (the first few form the board and host the tables); ``contacts``
    are (name, details) of people outside the club whom members pass on as referrals."""
    year = ClubYear()
    if not users:
        return year
    zone = clock.zone_of(club)
    dinners = club_dinners(now, zone)
    seated = _meetings(rng, club, users, dinners, now, year)
    _conversations(rng, users, seated, year)
    today = local_date(now, zone)
    first = local_date(dinners[0], zone)
    dinner_days = [local_date(d, zone) for d in dinners if d <= now]
    met = _one_to_ones(rng, club, users, first, today, seated, year)
    _referrals(rng, club, users, contacts, (first, dinner_days, today), seated, met, year)
    return year


# Who sat at which table of a seated meeting: (meeting, [member indexes per table]).
_Seating = list[tuple[Meeting, list[list[int]]]]


def _meetings(
    rng: random.Random,
    club: Workspace,
    users: Sequence[User],
    dinners: list[dt.datetime],
    now: dt.datetime,
    year: ClubYear,
) -> _Seating:
    n = len(users)
    tables = max(1, math.ceil(n / SEATS))
    board = list(range(min(n, tables + 2)))  # hosts come from the board
    keen = [0.97 if i in board else rng.uniform(0.72, 0.94) for i in range(n)]

    if n >= 10:
        # Two members in a dispute; the organiser keeps them apart (besides competitors).
        first, second = sorted(rng.sample(range(len(board), n), 2), key=lambda i: users[i].pk)
        SeatingRule.objects.create(
            workspace=club, first=users[first], second=users[second], reason="Lopend geschil"
        )
    # As meeting_seat keeps them apart: the organiser's rules and competitors by their record.
    index_of = {u.pk: i for i, u in enumerate(users)}
    apart = [(index_of[a.pk], index_of[b.pk]) for a, b, _ in never_together(users[0], club)]

    # The answer links for a dinner go out at ten the morning after the one before.
    zone = clock.zone_of(club)
    invitations = [
        at_local_time(local_date(earlier, zone) + dt.timedelta(days=1), dt.time(10), zone)
        for earlier in [dinners[0] - dt.timedelta(days=28), *dinners[:-1]]
    ]
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                workspace=club,
                title=f"Clubdiner {MONTHS[local.month - 1]} {local.year}",
                starts_at=d,
                venue=VENUES[k % len(VENUES)],
                invited_at=invited if invited < now else None,
            )
            for k, (d, invited) in enumerate(zip(dinners, invitations, strict=True))
            for local in [clock.local(d, zone)]
        ]
    )
    year.meetings = meetings
    hosts_of = [rng.sample(board, min(tables, len(board))) for _ in meetings]
    table_rows = MeetingTable.objects.bulk_create(
        [
            MeetingTable(
                meeting=m,
                name=f"Tafel {t + 1}",
                capacity=SEATS,
                host=users[hosts[t]] if t < len(hosts) else None,
            )
            for m, hosts in zip(meetings, hosts_of, strict=True)
            for t in range(tables)
        ]
    )
    rows_of = [table_rows[k * tables : (k + 1) * tables] for k in range(len(meetings))]

    # The engine sees members under keys that do not depend on database ids, so the same seed
    # seats the same people together in any database.
    keys = [f"m{i:03d}" for i in range(n)]
    people = tuple(Attendee(keys[i], u.sector, u.organisation) for i, u in enumerate(users))
    history: list[PastMeeting] = []
    seated: _Seating = []
    attendances = []
    for meeting, hosts, rows in zip(meetings, hosts_of, rows_of, strict=True):
        past = meeting.starts_at < now
        # Most who stay away say so; before the next dinner, not everyone has answered yet.
        yes, no = (
            (keen, [k + (1 - k) * 0.7 for k in keen])
            if past
            else (
                [k * 0.6 for k in keen],
                [k * 0.6 + 0.1 for k in keen],
            )
        )
        coming = set(hosts)
        answered_no = set()
        for i in range(n):
            roll = rng.random()
            if i in coming:
                continue
            if roll < yes[i]:
                coming.add(i)
            elif roll < no[i]:
                answered_no.add(i)
        table_of: dict[int, MeetingTable] = {}
        if past:
            fixed = {keys[h]: rows[t].name for t, h in enumerate(hosts)}
            kept_apart = tuple((keys[a], keys[b]) for a, b in apart if a in coming and b in coming)
            problem = SeatingProblem(
                people=people,
                tables=tuple(Table(t.name, t.capacity) for t in rows),
                meetings=(tuple(sorted(keys[i] for i in coming)),),
                history=tuple(history),
                rules=SeatingRules(
                    fixed=tuple(sorted(fixed.items())),
                    never_together=kept_apart,
                    policy=meeting.policy,
                ),
            )
            plan = plan_seating(problem, seed=rng.randrange(2**31))
            row_by_name = {t.name: t for t in rows}
            groups = []
            for name, seated_here in plan.meetings[0].tables:
                group = [int(key[1:]) for key in seated_here]
                groups.append(group)
                for i in group:
                    table_of[i] = row_by_name[name]
            history.append(PastMeeting(tuple(tuple(g) for _, g in plan.meetings[0].tables)))
            seated.append((meeting, groups))
            meeting.seated_at = (meeting.starts_at - dt.timedelta(days=rng.randint(2, 6))).replace(
                hour=rng.randint(9, 21)
            )
            meeting.report = plan_summary(plan.report, kept_apart=len(kept_apart), moved=None)
        for i in sorted(coming | answered_no):
            attendances.append(
                Attendance(
                    meeting=meeting,
                    user=users[i],
                    answer=Attendance.Answer.YES if i in coming else Attendance.Answer.NO,
                    table=table_of.get(i),
                )
            )
    Meeting.objects.bulk_update([m for m, _ in seated], ["seated_at", "report"])
    Attendance.objects.bulk_create(attendances, batch_size=1000)
    return seated


def _conversations(
    rng: random.Random, users: Sequence[User], seated: _Seating, year: ClubYear
) -> None:
    """After some dinners, members logged the talk with each table mate they remember, as
    ``conversation_log`` does: one event in their own file per mate."""
    diligent = [rng.uniform(0.1, 0.8) for _ in users]
    logged: list[tuple[int, int, Meeting]] = []  # (member, mate, meeting)
    for meeting, groups in seated:
        for group in groups:
            for i in group:
                mates = [j for j in group if j != i]
                if mates and rng.random() < diligent[i]:
                    remembered = rng.sample(mates, rng.randint(max(1, len(mates) // 2), len(mates)))
                    logged.extend((i, j, meeting) for j in sorted(remembered))
    person_of = _people_for_members(users, {(i, j) for i, j, _ in logged})
    interactions = Interaction.objects.bulk_create(
        [
            Interaction(
                owner=users[i],
                occurred_at=meeting.starts_at,
                channel=Channel.EVENT,
                minutes=30,
                initiated_by="both",
                summary=meeting.title,
            )
            for i, _, meeting in logged
        ],
        batch_size=2000,
    )
    link = Interaction.people.through
    link.objects.bulk_create(
        [
            link(interaction=interaction, person_id=person_of[i, j])
            for interaction, (i, j, _) in zip(interactions, logged, strict=True)
        ],
        batch_size=5000,
    )
    year.conversations = len(interactions)


def _people_for_members(
    users: Sequence[User], pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """For each (member, mate), the person in the member's file who is the mate: found by
    e-mail address as ``person_for_user`` finds them, made (in bulk) where there is none."""
    index_of_id = {u.pk: i for i, u in enumerate(users)}
    index_of_email = {u.email.lower(): i for i, u in enumerate(users)}
    person_of: dict[tuple[int, int], int] = {}
    for owner_id, value, person_id in (
        ContactPoint.objects.filter(
            kind=ContactPoint.Kind.EMAIL,
            person__owner_id__in=[users[i].pk for i in {i for i, _ in pairs}],
            value__in=[u.email for u in users],
        )
        .order_by("person_id")
        .values_list("person__owner_id", "value", "person_id")
    ):
        key = (index_of_id[owner_id], index_of_email[value.lower()])
        person_of.setdefault(key, person_id)
    missing = sorted(pairs - person_of.keys())
    if missing:
        people = []
        for i, j in missing:
            given, _, rest = users[j].name.partition(" ")
            people.append(
                Person(
                    owner=users[i],
                    given_name=given or users[j].email,
                    surname=rest,
                    sort_name=sort_key(given or users[j].email, "", rest),
                )
            )
        people = Person.objects.bulk_create(people)
        ContactPoint.objects.bulk_create(
            [
                ContactPoint(person=p, kind=ContactPoint.Kind.EMAIL, value=users[j].email)
                for p, (_, j) in zip(people, missing, strict=True)
            ]
        )
        Relationship.objects.bulk_create(
            [Relationship(owner=p.owner, person=p, tier=Tier.B, how_met="club") for p in people]
        )
        person_of.update({key: p.pk for key, p in zip(missing, people, strict=True)})
    return person_of


def _mates(seated: _Seating, n: int) -> list[set[int]]:
    mates: list[set[int]] = [set() for _ in range(n)]
    for _, groups in seated:
        for group in groups:
            for i in group:
                mates[i].update(j for j in group if j != i)
    return mates


def _weekday(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
    while day.weekday() >= 5 and day > first:
        day -= dt.timedelta(days=1)
    return day


def _one_to_ones(
    rng: random.Random,
    club: Workspace,
    users: Sequence[User],
    first: dt.date,
    today: dt.date,
    seated: _Seating,
    year: ClubYear,
) -> list[set[int]]:
    """A few one-to-ones per member, mostly with someone met at a dinner; returns who met
    whom."""
    n = len(users)
    if n < 2:
        return [set() for _ in range(n)]
    mates = _mates(seated, n)
    met: list[set[int]] = [set() for _ in range(n)]
    rows = []
    for i in range(n):
        for _ in range(rng.randint(2, 5)):
            known = sorted(mates[i])
            j = (
                rng.choice(known)
                if known and rng.random() < 0.8
                else rng.choice([k for k in range(n) if k != i])
            )
            met[i].add(j)
            met[j].add(i)
            rows.append(
                OneToOne(
                    workspace=club,
                    logged_by=users[i],
                    with_member=users[j],
                    met_on=_weekday(rng, first, today),
                    note=rng.choice(ONE_TO_ONE_NOTES),
                )
            )
    OneToOne.objects.bulk_create(rows)
    year.one_to_ones = len(rows)
    return met


def _referrals(
    rng: random.Random,
    club: Workspace,
    users: Sequence[User],
    contacts: Sequence[tuple[str, str]],
    days: tuple[dt.date, list[dt.date], dt.date],
    seated: _Seating,
    met: list[set[int]],
    year: ClubYear,
) -> None:
    """About four referrals per member over the year; some members give far more than others,
    and business flows mostly between people who know each other from the club."""
    n = len(users)
    if n < 2 or not contacts:
        return
    mates = _mates(seated, n)
    weight = [rng.uniform(0.4, 1.6) ** 2 for _ in range(n)]
    first, dinner_days, today = days  # the year's first dinner, the dinners held, today
    rows = []
    for _ in range(round(n * 3.75)):
        i = rng.choices(range(n), weights=weight)[0]
        known = sorted(met[i] | mates[i])
        j = (
            rng.choice(known)
            if known and rng.random() < 0.7
            else rng.choice([k for k in range(n) if k != i])
        )
        # Half the referrals change hands at a dinner.
        given_on = (
            rng.choice(dinner_days)
            if dinner_days and rng.random() < 0.5
            else _weekday(rng, first, today)
        )
        temperature = rng.choices(
            [Referral.Temperature.HOT, Referral.Temperature.WARM, Referral.Temperature.COLD],
            weights=[25, 50, 25],
        )[0]
        status, amount = _fate(rng, (today - given_on).days, temperature)
        contact, details = rng.choice(contacts)
        rows.append(
            Referral(
                workspace=club,
                giver=users[i],
                receiver=users[j],
                contact=contact[:200],
                details=details[:300],
                temperature=temperature,
                status=status,
                amount_eur=amount,
                given_on=given_on,
            )
        )
    Referral.objects.bulk_create(rows)
    year.referrals = len(rows)


# Where a referral stands after so many days: (days, given, contacted, meeting, finished).
_PROGRESS = [(10, 60, 40, 0, 0), (30, 20, 40, 30, 10), (75, 5, 20, 30, 45), (None, 3, 7, 10, 80)]
# Of the finished ones, the share closed by temperature (the rest is lost).
_CLOSES = {
    Referral.Temperature.HOT: 0.8,
    Referral.Temperature.WARM: 0.6,
    Referral.Temperature.COLD: 0.35,
}


def _fate(rng: random.Random, age: int, temperature: str) -> tuple[str, Decimal | None]:
    weights = next(w for days, *w in _PROGRESS if days is None or age < days)
    stage = rng.choices(
        [Referral.Status.GIVEN, Referral.Status.CONTACTED, Referral.Status.MEETING, "finished"],
        weights=weights,
    )[0]
    if stage != "finished":
        return stage, None
    if rng.random() >= _CLOSES[Referral.Temperature(temperature)]:
        return Referral.Status.LOST, None
    # Amounts spread evenly on a log scale from €500 to €40,000, rounded to €50.
    amount = math.exp(rng.uniform(math.log(500), math.log(40_000)))
    return Referral.Status.CLOSED, Decimal(min(40_000, max(500, round(amount / 50) * 50)))
