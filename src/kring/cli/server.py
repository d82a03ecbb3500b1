"""`kring serve`, `kring demo`, `kring worker`, `kring migrate`."""

from __future__ import annotations

import argparse
import sys

from kring.cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="start the web app (loads the demo club into an empty database)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo club")
    serve.add_argument("--threads", type=int, default=4)
    serve.set_defaults(handler=_serve)

    demo = subparsers.add_parser("demo", help="load the demo club (a Flemish business club)")
    demo.add_argument(
        "--replace",
        action="store_true",
        help="erase everything in the database first (otherwise an empty one is required)",
    )
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--members", type=int, default=40)
    demo.set_defaults(handler=_demo)

    worker = subparsers.add_parser("worker", help="run background tasks (imports, plans, digests)")
    worker.add_argument("--batch", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(handler=_worker)

    migrate = subparsers.add_parser("migrate", help="create or update the database schema")
    migrate.set_defaults(handler=_migrate)


def _print_login(login: tuple[str, str]) -> None:
    print(f"Demo login: {login[0]}  password: {login[1]}")


def _serve(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from django.conf import settings

    from kring.demo.club import DEMO_PASSWORD, demo_login, is_empty, load_demo_club

    if not args.no_demo and is_empty():
        print("The database is empty: loading the demo club…", flush=True)
        load_demo_club(progress=True)
    login = demo_login()
    if login:
        _print_login((login, DEMO_PASSWORD))
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    print(f"Kring runs on http://{args.host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    from waitress import serve

    from kring.config.wsgi import application

    serve(application, host=args.host, port=args.port, threads=args.threads, _quiet=True)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from kring.demo.club import (
        DEMO_PASSWORD,
        demo_login,
        erase_everything,
        is_empty,
        load_demo_club,
    )

    if args.members < 2:
        raise CliError("--members: a club needs at least 2 members")
    if not is_empty():
        if not args.replace:
            raise CliError(
                "the database is not empty; `kring demo --replace` erases everything in it first"
            )
        erase_everything()
    load_demo_club(seed=args.seed, members=args.members, progress=sys.stdout.isatty())
    login = demo_login()
    assert login is not None
    _print_login((login, DEMO_PASSWORD))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from django.core.management import call_command
    from django.utils import timezone

    from kring.imports.actions import STALLED_AT_WORKER_START, batches_recover

    # An import the previous worker was running when it stopped will never end: failed,
    # to be retried.
    batches_recover(now=timezone.now(), stalled_after=STALLED_AT_WORKER_START)
    options = {"batch": True} if args.batch else {}
    call_command("db_worker", **options)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup(migrate=False)
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0
