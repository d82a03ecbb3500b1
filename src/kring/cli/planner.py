"""`kring plan` (the week's touches) and `kring digest` (the weekly e-mail)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from kring.cli.errors import CliError
from kring.cli.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser("plan", help=_("this week's touches: whom to contact, and why"))
    plan.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    plan.add_argument("--week", help=_("any day of the week to plan, as 2026-11-23"))
    plan.add_argument("--rebuild", action="store_true", help=_("plan the week again"))
    plan.add_argument("--json", action="store_true")
    plan.set_defaults(handler=_plan)

    digest = subparsers.add_parser("digest", help=_("send the weekly digest e-mail"))
    who = digest.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help=_("one account (e-mail)"))
    who.add_argument("--all", action="store_true", help=_("every account (for cron)"))
    digest.add_argument("--force", action="store_true", help=_("send again this week"))
    digest.set_defaults(handler=_digest)


def _plan(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from django.core.exceptions import ValidationError

    from kring.core.dates import week_start
    from kring.lib import clock
    from kring.lib.validation import error_text
    from kring.planner.actions import week_plan_build
    from kring.planner.queries import touches_for_week
    from kring.planner.reasons import reason_text

    now = clock.now()
    zone = clock.zone_of(user)
    today = clock.today(zone, now)
    if args.week:
        try:
            day = dt.date.fromisoformat(args.week)
        except ValueError:
            raise CliError(
                _("--week: %(value)s is not a date like 2026-11-23") % {"value": repr(args.week)}
            ) from None
    else:
        day = today
    week = week_start(day)
    touches = list(touches_for_week(user, week))
    if args.rebuild or (not touches and week >= week_start(today)):
        try:
            _plan, touches = week_plan_build(user=user, now=now, week=week, via="cli")
        except ValidationError as exc:
            raise CliError(error_text(exc)) from None
    rows = [
        {
            "id": t.pk,
            "when": clock.local(t.starts_at, zone).isoformat() if t.starts_at else None,
            "person": t.person.full_name,
            "person_id": t.person_id,
            "channel": t.channel,
            "minutes": t.minutes,
            "reasons": t.reasons,
            "status": t.status,
        }
        for t in touches
    ]
    if args.json:
        print(
            json.dumps(
                {"week": week.isoformat(), "budget": user.weekly_budget_minutes, "touches": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    from rich.console import Console
    from rich.table import Table

    used = sum(r["minutes"] for r in rows)
    table = Table(
        _("When"),
        _("Whom"),
        _("How"),
        _("Why"),
        _("Status"),
        title=_("Week of %(date)s: %(used)s of %(budget)s min")
        % {"date": f"{week:%d %b %Y}", "used": used, "budget": user.weekly_budget_minutes},
    )
    for t in touches:
        when = clock.local(t.starts_at, zone).strftime("%a %d %b %H:%M") if t.starts_at else ""
        table.add_row(
            when,
            t.person.full_name,
            f"{t.get_channel_display()}, {t.minutes} min",
            "; ".join(reason_text(code) for code in t.reasons),
            t.status,
        )
    Console().print(table)
    return 0


def _digest(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    from kring.lib import clock
    from kring.planner.digest import send_digests

    users = None if args.all else [resolve_user(args.user)]
    run = send_digests(users=users, now=clock.now(), force=args.force)
    print(f"sent {len(run.sent)}, skipped {len(run.skipped)}, refused {len(run.refused)}")
    for reason in run.refused:
        print(f"refused: {reason}")
    if run.refused and not args.all:
        raise CliError(run.refused[0])
    return 0
