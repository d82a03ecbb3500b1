"""`kring club meeting seat MEETING`: seat a club evening from the terminal."""

from __future__ import annotations

import argparse

from kring.cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    club = subparsers.add_parser("club", help="club meetings")
    sub = club.add_subparsers(dest="club_command", metavar="ACTION", required=True)
    meeting = sub.add_parser("meeting", help="one meeting")
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)
    seat = actions.add_parser("seat", help="seat everyone who comes (locked seats stay)")
    seat.add_argument("meeting", type=int, help="the meeting's id (see its page)")
    seat.add_argument("--user", help="the organiser (e-mail; default $KRING_USER)")
    seat.add_argument("--policy", type=float, help="0 meet new people ... 1 deepen known ties")
    seat.add_argument("--seed", type=int, default=0)
    seat.set_defaults(handler=_seat)


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
        meeting_seat(actor=user, meeting=meeting, policy=args.policy, seed=args.seed, via="cli")
    except NotFound:
        raise CliError(f"meeting {args.meeting} not found") from None
    except PermissionDenied as exc:
        raise CliError(str(exc)) from None
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    tables, _unseated = seating_of(meeting)
    for view in tables:
        names = ", ".join(a.user.name for a in view.seated)
        print(f"{view.table.name} ({len(view.seated)}/{view.table.capacity}): {names}")
    report = meeting.report
    print(
        f"{report['repeated_pairs']} pairs sit together again; "
        f"{'every rule kept' if not report['hard_violations'] else report['hard_violations']}"
    )
    return 0
