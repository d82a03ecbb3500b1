"""`kring account add|list|set-password|unlock|reset-2fa|make-admin`: accounts from the
terminal, so that a club's server can be set up without the web sign-up; `kring export` and
`kring erase-person`: an account's data out, one person erased."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.cli.errors import CliError
from kring.cli.i18n import _

if TYPE_CHECKING:
    from kring.accounts.models import User


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_account(subparsers)

    export = subparsers.add_parser("export", help=_("an account's data (or one person's) as JSON"))
    export.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    export.add_argument("--person", help=_("only this person (id or name)"))
    export.add_argument("-o", "--output", help=_("write to this file instead of the terminal"))
    export.set_defaults(handler=_export)

    erase = subparsers.add_parser("erase-person", help=_("erase one person completely (GDPR)"))
    erase.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    erase.add_argument("person", help=_("an id or a name that matches one person"))
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    erase.set_defaults(handler=_erase)


def _export(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from kring.imports.backup import account_as_dict
    from kring.people.export import person_as_dict

    if args.person:
        from kring.cli.people import resolve_person

        data = person_as_dict(user, resolve_person(user, args.person))
    else:
        data = account_as_dict(user)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if not args.output:
        print(text)
        return 0
    target = Path(args.output)
    if not target.parent.is_dir():
        raise CliError(_("--output: folder %(folder)s does not exist") % {"folder": target.parent})
    # Write beside the target and rename, so a failure never leaves half a file.
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".kring-export-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    Path(temp).replace(target)
    print(_("Wrote %(file)s") % {"file": target})
    return 0


def _erase(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from kring.cli.people import resolve_person
    from kring.people.actions import person_erase

    person = resolve_person(user, args.person)
    name = person.full_name
    if not args.yes:
        answer = input(f"Erase {name} and everything about them? Type yes: ")
        if answer.strip().lower() != "yes":
            raise CliError(_("nothing erased"), exit_code=1)
    person_erase(actor=user, person=person, via="cli")
    print(_("Erased %(name)s completely.") % {"name": name})
    return 0


PASSWORD_STDIN_HELP = _("read the password from the first line of standard input, not the terminal")


def _register_account(subparsers: argparse._SubParsersAction) -> None:
    account = subparsers.add_parser(
        "account",
        help=_("add and list accounts, set a password, unlock a sign-in, make a site admin"),
        description=_(
            "Accounts from the terminal, for setting up a club's server without the "
            "web sign-up. Passwords are asked twice on the terminal (or read with "
            "--password-stdin) and must pass the same checks as on the web."
        ),
    )
    sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help=_("make an account (asks for its password)"))
    add.add_argument("email", help=_("the e-mail address, which is also the login"))
    add.add_argument(
        "--name", default="", help=_("the name others see (default: the address up to the @)")
    )
    add.add_argument("--language", default="nl", help=_("nl (Dutch, the default) or en (English)"))
    add.add_argument(
        "--country", default="BE", help=_("BE (Belgium, the default) or NL (the Netherlands)")
    )
    add.add_argument("--password-stdin", action="store_true", help=PASSWORD_STDIN_HELP)
    add.set_defaults(handler=_account_add)

    listing = sub.add_parser("list", help=_("every account, with its language and admin rights"))
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.set_defaults(handler=_account_list)

    password = sub.add_parser("set-password", help=_("give an account a new password"))
    password.add_argument("email", help=_("the account's e-mail address"))
    password.add_argument("--password-stdin", action="store_true", help=PASSWORD_STDIN_HELP)
    password.set_defaults(handler=_account_set_password)

    unlock = sub.add_parser(
        "unlock",
        help=_("lift a sign-in lock: an account's (EMAIL) or an address's (--address)"),
        description=_(
            "After too many failed attempts an account and the address they came "
            "from are locked for a while; this lifts the lock at once."
        ),
    )
    unlock.add_argument("email", nargs="?", default="", help=_("the account's e-mail address"))
    unlock.add_argument("--address", default="", help=_("an IP address instead of an account"))
    unlock.set_defaults(handler=_account_unlock)

    reset = sub.add_parser(
        "reset-2fa",
        help="turn two-factor sign-in off for an account whose device is lost",
        description="The authenticator and the recovery codes go; the account signs in with "
        "its password and sets two-factor up again (at once, if a club it runs requires it).",
    )
    reset.add_argument("email", help="the account's e-mail address")
    reset.set_defaults(handler=_account_reset_two_factor)

    admin = sub.add_parser(
        "make-admin", help=_("make an account a site admin (the admin pages, every right there)")
    )
    admin.add_argument("email", help=_("the account's e-mail address"))
    admin.set_defaults(handler=_account_make_admin)


def _read_password(args: argparse.Namespace) -> str:
    """The new password: stdin's first line, or asked twice on the terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError(_("password: standard input gave no password"))
        return password
    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
    except EOFError:
        raise CliError(_("password: none given (--password-stdin reads it from a pipe)")) from None
    if password != again:
        raise CliError(_("password: the two passwords differ; nothing was changed"))
    return password


def _account_by_email(email: str) -> User:
    from kring.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CliError(
            _("email: there is no account with e-mail address %(email)s") % {"email": email}
        )
    return user


def _account_unlock(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from kring.accounts.actions import signin_unlock

    if bool(args.email) == bool(args.address):
        raise CliError(_("unlock: give an account's e-mail address or --address, one of the two"))
    if args.email:
        _account_by_email(args.email)
    count = signin_unlock(actor=None, email=args.email, address=args.address, via="cli")
    what = args.email or args.address
    if not count:
        print(_("%(what)s had no failed attempts; nothing to unlock.") % {"what": what})
    else:
        print(
            _("Unlocked %(what)s: %(count)s record(s) of failed attempts forgotten.")
            % {"what": what, "count": count}
        )
    return 0


def _account_reset_two_factor(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from kring.accounts.actions import two_factor_device, two_factor_turn_off

    user = _account_by_email(args.email)
    if two_factor_device(user) is None:
        print(f"{user.email} has no two-factor sign-in; nothing to reset.")
        return 0
    two_factor_turn_off(user=user, actor=None, via="cli")
    print(f"Turned two-factor sign-in off for {user.email}; a mail tells them.")
    return 0


def _account_add(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from kring.accounts.actions import user_sign_up
    from kring.accounts.models import Country, Language, User
    from kring.lib.validation import error_text

    if args.language not in Language.values:
        raise CliError(
            _("--language: %(value)s is not one of %(choices)s")
            % {"value": repr(args.language), "choices": ", ".join(Language.values)}
        )
    country = args.country.upper()
    if country not in Country.values:
        raise CliError(
            _("--country: %(value)s is not one of %(choices)s")
            % {"value": repr(args.country), "choices": ", ".join(Country.values)}
        )
    # Refuse a bad or taken address before asking for a password nobody will use (the
    # action checks both again).
    try:
        validate_email(args.email.strip())
    except ValidationError as exc:
        raise CliError(_("email: %(problem)s") % {"problem": " ".join(exc.messages)}) from None
    if User.objects.filter(email__iexact=args.email.strip()).exists():
        raise CliError(
            _("email: an account with e-mail address %(email)s exists already")
            % {"email": args.email}
        )
    password = _read_password(args)
    try:
        user = user_sign_up(
            email=args.email,
            password=password,
            display_name=args.name,
            language=args.language,
            country=country,
            via="cli",
        )
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    print(
        _("Added the account %(email)s; it logs in with the password just given.")
        % {"email": user.email}
    )
    return 0


def _account_list(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from kring.accounts.models import User

    rows: list[dict[str, Any]] = [
        {
            "email": u.email,
            "name": u.display_name,
            "language": u.language,
            "country": u.country,
            "site_admin": u.is_staff and u.is_superuser,
            "active": u.is_active,
        }
        for u in User.objects.order_by("email")
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No accounts yet: `kring account add EMAIL` makes one."))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("e-mail", "name", "language", "country", "site admin")
    for row in rows:
        table.add_row(
            row["email"],
            row["name"],
            row["language"],
            row["country"],
            "yes" if row["site_admin"] else "",
        )
    Console().print(table)
    return 0


def _account_set_password(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from django.core.exceptions import ValidationError

    from kring.accounts.actions import user_set_password
    from kring.lib.validation import error_text

    user = _account_by_email(args.email)
    password = _read_password(args)
    try:
        user_set_password(user=user, password=password, via="cli")
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    print(_("Set a new password for %(email)s.") % {"email": user.email})
    return 0


def _account_make_admin(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from kring.accounts.actions import user_make_admin

    user = _account_by_email(args.email)
    if user.is_staff and user.is_superuser:
        print(_("%(email)s is a site admin already.") % {"email": user.email})
        return 0
    user_make_admin(user=user, via="cli")
    print(_("%(email)s is now a site admin: /admin/ is open to them.") % {"email": user.email})
    return 0
