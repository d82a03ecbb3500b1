"""`kring intro`: warm introduction paths through a workspace's pooled network."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from kring.cli.errors import CliError
from kring.cli.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    intro = subparsers.add_parser("intro", help=_("warm introduction paths to an organisation"))
    intro.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    intro.add_argument("--workspace", required=True, help=_("the workspace id (see its page)"))
    intro.add_argument("--organisation", default="", help=_("anyone at this organisation"))
    intro.add_argument("--role", default="", help=_("anyone with a role like this"))
    intro.add_argument("--person", type=int, help=_("one person: their id in a member's file"))
    intro.add_argument(
        "--owner", type=int, help=_("the member whose file --person is in (default: you)")
    )
    intro.add_argument("--sector", default="", help=_("anyone in this sector"))
    intro.add_argument("--region", default="", help=_("anyone in this region"))
    intro.add_argument("-k", type=int, default=5, help=_("how many paths (1-10)"))
    intro.add_argument("--hops", type=int, default=3, help=_("at most this many hops (1-3)"))
    intro.add_argument("--json", action="store_true")
    intro.set_defaults(handler=_intro)


def _intro(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from django.core.exceptions import ValidationError

    from kring.lib import clock
    from kring.lib.errors import NotFound
    from kring.lib.validation import error_text
    from kring.network.queries import introduction_paths

    try:
        paths, name = introduction_paths(
            user,
            args.workspace,
            organisation=args.organisation,
            role=args.role,
            sector=args.sector,
            region=args.region,
            person=None if args.person is None else (args.owner or user.pk, args.person),
            k=args.k,
            hops=args.hops,
            now=clock.now(),
        )
    except NotFound as exc:
        raise CliError(
            _("%(entity)s %(id)s not found") % {"entity": exc.entity, "id": exc.ident}
        ) from None
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    if args.json:
        print(
            json.dumps(
                {"organisation": name, "paths": [asdict(p) for p in paths]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not paths:
        print(_("No warm path within reach."))
        return 0
    for number, path in enumerate(paths, start=1):
        chain = " → ".join(
            [_("you")]
            + [
                f"{h.label} ({h.strength_word})"
                + (f" [{_('works at a competitor')}]" if h.competitor else "")
                for h in path.hops
            ]
        )
        print(f"{number}. {chain}  " + _("warmth %(score)s") % {"score": f"{path.score:.2f}"})
    return 0
