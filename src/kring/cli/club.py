"""`kring club meeting seat MEETING`: seat a club evening from the terminal."""

from __future__ import annotations

import argparse

from kring.cli.errors import CliError
from kring.cli.i18n import _, ngettext


def register(subparsers: argparse._SubParsersAction) -> None:
    club = subparsers.add_parser("club", help=_("club meetings"))
    sub = club.add_subparsers(dest="club_command", metavar="ACTION", required=True)
    meeting = sub.add_parser("meeting", help=_("one meeting"))
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help=_("a club's meetings, in your time zone"))
    listing.add_argument("workspace", type=int, help=_("the club's workspace id"))
    listing.add_argument("--user", help=_("a member (e-mail; default $KRING_USER)"))
    listing.set_defaults(handler=_list)
    seat = actions.add_parser("seat", help=_("seat everyone who comes (locked seats stay)"))
    seat.add_argument("meeting", type=int, help=_("the meeting's id (see its page)"))
    seat.add_argument("--user", help=_("the organiser (e-mail; default $KRING_USER)"))
    seat.add_argument("--policy", type=float, help=_("0 meet new people ... 1 deepen known ties"))
    seat.add_argument("--seed", type=int, default=0)
    seat.add_argument(
        "--keep",
        action="store_true",
        help=_("revise the current plan (after a cancellation), moving as few people as possible"),
    )
    seat.set_defaults(handler=_seat)

    report = sub.add_parser("report", help=_("referrals, business, one-to-ones and attendance"))
    report.add_argument("workspace", type=int, help=_("the club's workspace id"))
    report.add_argument("--user", help=_("a member (e-mail; default $KRING_USER)"))
    report.add_argument("--from", dest="start", help=_("first day, as 2026-01-01 (default: 1 Jan)"))
    report.add_argument("--to", dest="end", help=_("last day (default: today)"))
    report.add_argument("--csv", action="store_true", help=_("print CSV instead of a table"))
    report.set_defaults(handler=_report)


def _list(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from rich.console import Console
    from rich.table import Table

    from kring.clubs.queries import meetings_of
    from kring.lib import clock
    from kring.lib.errors import NotFound

    zone = clock.zone_of(user)
    try:
        meetings = list(meetings_of(user, args.workspace)[:50])
    except NotFound:
        raise CliError(_("workspace %(id)s not found") % {"id": args.workspace}) from None
    table = Table(
        "#", _("When"), _("Meeting"), _("Venue"), title=_("Times in %(zone)s") % {"zone": zone.key}
    )
    for meeting in meetings:
        when = clock.local(meeting.starts_at, zone)
        table.add_row(str(meeting.pk), f"{when:%a %d %b %Y %H:%M}", meeting.title, meeting.venue)
    Console().print(table)
    return 0


def _seat(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from django.core.exceptions import ValidationError

    from kring.clubs.actions import meeting_seat
    from kring.clubs.queries import access_meeting_by_id, seating_of
    from kring.lib.errors import NotFound, PermissionDenied
    from kring.lib.validation import error_text

    try:
        meeting, _membership = access_meeting_by_id(user, args.meeting)
        meeting_seat(
            actor=user,
            meeting=meeting,
            policy=args.policy,
            seed=args.seed,
            keep=args.keep,
            via="cli",
        )
    except NotFound:
        raise CliError(_("meeting %(id)s not found") % {"id": args.meeting}) from None
    except PermissionDenied as exc:
        raise CliError(str(exc)) from None
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    from kring.lib import clock

    tables, _unseated = seating_of(meeting)
    when = clock.local(meeting.starts_at, clock.zone_of(user))
    print(f"{meeting.title}, {when:%a %d %b %Y %H:%M} ({when.tzinfo})")
    for view in tables:
        names = ", ".join(a.shown for a in view.seated)  # type: ignore[attr-defined]
        print(f"{view.table.name} ({len(view.seated)}/{view.table.capacity}): {names}")
    report = meeting.report
    pairs = ngettext(
        "%(counter)s pair sits together again",
        "%(counter)s pairs sit together again",
        report["repeated_pairs"],
    ) % {"counter": report["repeated_pairs"]}
    rules = _("every rule kept") if not report["hard_violations"] else report["hard_violations"]
    line = f"{pairs}; {rules}"
    if report.get("moved") is not None:
        line += "; " + ngettext(
            "%(counter)s person moved", "%(counter)s people moved", report["moved"]
        ) % {"counter": report["moved"]}
    print(line)
    return 0


def _report(args: argparse.Namespace) -> int:
    import datetime as dt
    import sys

    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from kring.clubs.queries import club_report
    from kring.core.dates import year_start
    from kring.lib import clock
    from kring.lib.csv import Cell, write_csv
    from kring.lib.errors import NotFound

    today = clock.today(clock.zone_of(user))
    try:
        start = dt.date.fromisoformat(args.start) if args.start else year_start(today)
        end = dt.date.fromisoformat(args.end) if args.end else today
    except ValueError as exc:
        raise CliError(_("--from/--to: %(problem)s") % {"problem": exc}) from None
    if end < start:
        raise CliError(_("--to: the period ends before it starts"))
    try:
        rows = club_report(user, args.workspace, start=start, end=end)
    except NotFound:
        raise CliError(_("workspace %(id)s not found") % {"id": args.workspace}) from None
    header = ["member", "given", "received", "closed EUR", "one-to-ones", "meetings"]
    values: list[list[Cell]] = [
        [r.member, r.given, r.received, r.closed_eur, r.one_to_ones, r.attended] for r in rows
    ]
    if args.csv:
        write_csv(sys.stdout, values, header=header)
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(*header, title=f"{start} – {end}")
    for row in values:
        table.add_row(*(str(v) for v in row))
    Console().print(table)
    return 0
