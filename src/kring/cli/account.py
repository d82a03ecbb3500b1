"""`kring export` and `kring erase-person`: an account's data out, one person erased."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from kring.cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="an account's data (or one person's) as JSON")
    export.add_argument("--user", help="the account (e-mail; default $KRING_USER)")
    export.add_argument("--person", help="only this person (id or name)")
    export.add_argument("-o", "--output", help="write to this file instead of the terminal")
    export.set_defaults(handler=_export)

    erase = subparsers.add_parser("erase-person", help="erase one person completely (GDPR)")
    erase.add_argument("--user", help="the account (e-mail; default $KRING_USER)")
    erase.add_argument("person", help="an id or a name that matches one person")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=_erase)


def _export(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from kring.people.export import account_as_dict, person_as_dict

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
        raise CliError(f"--output: folder {target.parent} does not exist")
    # Write beside the target and rename, so a failure never leaves half a file.
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".kring-export-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    Path(temp).replace(target)
    print(f"Wrote {target}")
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
            raise CliError("nothing erased", exit_code=1)
    person_erase(actor=user, person=person, via="cli")
    print(f"Erased {name} completely.")
    return 0
