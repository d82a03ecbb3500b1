"""`kring people list/show/add` and `kring log`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from kring.cli.errors import CliError
from kring.cli.i18n import _

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.people.models import Person


def _user_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help=_("the account to act for (e-mail; default $KRING_USER)"))


def register(subparsers: argparse._SubParsersAction) -> None:
    people = subparsers.add_parser("people", help=_("list, show and add people"))
    sub = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=_("list or search people"))
    _user_argument(listing)
    listing.add_argument("query", nargs="?", default="", help=_("words to search for"))
    listing.add_argument("--tier", choices=["A", "B", "C"])
    listing.add_argument("--sector", default="")
    listing.add_argument("--region", default="")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help=_("one person with their timeline"))
    _user_argument(show)
    show.add_argument("person", help=_("an id or a name that matches one person"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    add = sub.add_parser("add", help=_("add a person"))
    _user_argument(add)
    add.add_argument("name", help=_('the full name, e.g. "Jan van der Berg"'))
    add.add_argument("--given", help=_("the given name, when the full name is ambiguous"))
    add.add_argument("--particles", help=_("surname particles (van der)"))
    add.add_argument("--surname")
    add.add_argument("--email", action="append", default=[])
    add.add_argument("--phone", action="append", default=[])
    add.add_argument("--organisation", default="")
    add.add_argument("--title", default="")
    add.add_argument("--sector", default="")
    add.add_argument("--region", default="")
    add.add_argument("--tier", choices=["A", "B", "C"], default="B")
    add.add_argument("--how-met", default="")
    add.add_argument("--tag", action="append", default=[])
    add.set_defaults(handler=_add)

    log = subparsers.add_parser("log", help=_("record an interaction with one or more people"))
    _user_argument(log)
    log.add_argument("people", nargs="+", help=_("ids or names"))
    log.add_argument(
        "--channel",
        default="call",
        choices=["in_person", "small_group", "event", "call", "email", "message", "other"],
    )
    log.add_argument("--minutes", type=int, default=5)
    log.add_argument("--by", choices=["me", "them", "both"], default="me", help=_("who started it"))
    answered = log.add_mutually_exclusive_group()
    answered.add_argument("--answered", dest="answered", action="store_true", default=None)
    answered.add_argument("--no-answer", dest="answered", action="store_false")
    log.add_argument("--at", help=_("when, as 2026-11-20 or 2026-11-20T14:30 (default: now)"))
    log.add_argument("--summary", default="")
    log.set_defaults(handler=_log)


def resolve_person(user: User, ref: str) -> Person:
    """A person by id, or by a name that matches exactly one person."""
    from kring.lib.errors import NotFound
    from kring.people.queries import access_person_by_id, people_search

    if ref.isdigit():
        try:
            return access_person_by_id(user, ref)
        except NotFound:
            raise CliError(_("person %(id)s not found") % {"id": ref}) from None
    matches = list(people_search(user, q=ref)[:6])
    exact = [p for p in matches if p.full_name.casefold() == ref.casefold()]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(_("nobody matches %(query)s") % {"query": repr(ref)})
    names = ", ".join(f"{p.full_name} (#{p.pk})" for p in matches[:5])
    raise CliError(
        _("%(query)s matches several people: %(names)s; give an id")
        % {"query": repr(ref), "names": names}
    )


def _setup_user(args: argparse.Namespace) -> User:
    from kring.cli.django import resolve_user, setup

    setup()
    return resolve_user(args.user)


def _row(p: Any, zone: Any) -> dict[str, Any]:
    from kring.lib import clock

    return {
        "id": p.pk,
        "name": p.full_name,
        "tier": p.relationship.tier,
        "organisation": p.organisation.name if p.organisation else "",
        "title": p.title,
        "last_contact": clock.local(p.last_contact, zone).isoformat() if p.last_contact else None,
    }


def _list(args: argparse.Namespace) -> int:
    user = _setup_user(args)
    from rich.console import Console
    from rich.table import Table

    from kring.people.queries import people_search

    if args.limit < 1:
        raise CliError(_("--limit: give a positive number"))
    people = people_search(
        user, q=args.query, tier=args.tier or "", sector=args.sector, region=args.region
    )
    from kring.lib import clock

    zone = clock.zone_of(user)
    rows = [_row(p, zone) for p in people[: args.limit]]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = Table("#", _("Name"), _("Tier"), _("Organisation"), _("Role"), _("Last contact"))
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["tier"],
            r["organisation"],
            r["title"],
            (r["last_contact"] or "—")[:10],
        )
    Console().print(table)
    return 0


def _show(args: argparse.Namespace) -> int:
    user = _setup_user(args)
    from kring.lib import clock
    from kring.people.export import person_as_dict
    from kring.people.queries import person_timeline

    zone = clock.zone_of(user)
    person = resolve_person(user, args.person)
    if args.json:
        print(json.dumps(person_as_dict(user, person), ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console

    console = Console()
    org = f" · {person.organisation.name}" if person.organisation else ""
    console.print(
        f"[bold]{person.full_name}[/bold] (#{person.pk}) tier {person.relationship.tier}"
        f"\n{person.title}{org}"
    )
    for entry in person_timeline(user, person)[:30]:
        item = entry.item
        if entry.kind == "interaction":
            text = f"{item.get_channel_display()}, {item.minutes} min. {item.summary}"
            when = clock.local(item.occurred_at, zone).strftime("%Y-%m-%d %H:%M")
        else:
            text = getattr(item, "text", "") or getattr(item, "description", "")
            when = str(entry.when)
        console.print(f"  {when}  {entry.kind:<11} {text}", markup=False)
    return 0


def _add(args: argparse.Namespace) -> int:
    user = _setup_user(args)
    from django.core.exceptions import ValidationError

    from kring.core.names import split_name
    from kring.lib.validation import error_text
    from kring.people.actions import person_create

    parsed = split_name(args.name)
    given = args.given if args.given is not None else parsed.given
    particles = args.particles if args.particles is not None else parsed.particles
    surname = args.surname if args.surname is not None else parsed.surname
    if not given.strip():
        raise CliError(_("name: give at least a given name"))
    try:
        person = person_create(
            owner=user,
            given_name=given,
            particles=particles,
            surname=surname,
            emails=args.email,
            phones=args.phone,
            organisation_name=args.organisation,
            title=args.title,
            sector=args.sector,
            region=args.region,
            tier=args.tier,
            how_met=args.how_met,
            tags=args.tag,
            via="cli",
        )
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    print(_("Added %(name)s (#%(id)s)") % {"name": person.full_name, "id": person.pk})
    return 0


def _parse_when(text: str | None, zone: Any) -> dt.datetime | None:
    """``--at`` as an aware time; a time without an offset is the user's local time."""
    if text is None:
        return None
    from kring.core.dates import at_local_time

    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            _("--at: %(value)s is not a date or time like 2026-11-20T14:30") % {"value": repr(text)}
        ) from None
    if value.tzinfo is None:
        value = at_local_time(value.date(), value.time(), zone)
    return value


def _log(args: argparse.Namespace) -> int:
    user = _setup_user(args)
    from django.core.exceptions import ValidationError

    from kring.lib import clock
    from kring.lib.validation import error_text
    from kring.people.actions import interaction_log

    if not 1 <= args.minutes <= 1440:
        raise CliError(_("--minutes: give between 1 and 1440"))
    people = [resolve_person(user, ref) for ref in args.people]
    try:
        interaction = interaction_log(
            owner=user,
            people=people,
            occurred_at=_parse_when(args.at, clock.zone_of(user)),
            now=clock.now(),
            channel=args.channel,
            minutes=args.minutes,
            initiated_by=args.by,
            answered=args.answered,
            summary=args.summary,
            via="cli",
        )
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    names = ", ".join(p.full_name for p in people)
    print(
        _("Logged %(channel)s with %(names)s (#%(id)s)")
        % {
            "channel": interaction.get_channel_display().lower(),
            "names": names,
            "id": interaction.pk,
        }
    )
    return 0
