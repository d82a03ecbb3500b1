"""`kring serve`, `kring demo`, `kring worker`, `kring migrate`."""

from __future__ import annotations

import argparse
import errno
import sys

from kring.cli.errors import CliError

SERVE_DESCRIPTION = """\
Start Kring's web app (waitress, a production-grade WSGI server) on one address and port.
Before it serves it creates or updates the database, and loads the demo club into a database
that has no accounts yet, printing the organiser's login (unless --no-demo)."""

SERVE_EPILOG = """\
examples:
  kring serve                          http://127.0.0.1:8000, this machine only
  kring serve --port 8001              when 8000 is taken (scripts/start --port 8001 alike)
  kring serve --port 0                 any free port; the address is printed
  kring serve --host 0.0.0.0 --no-demo a club's server, reachable from the network

Configuration comes from the environment (see the README): KRING_DATABASE_URL (default SQLite
in KRING_DATA_DIR), KRING_MODE=production (secure cookies; needs KRING_SECRET_KEY and
KRING_ALLOWED_HOSTS, the host names browsers use to reach this server). Put a proxy that
speaks HTTPS in front of a production server. Ctrl+C stops it."""


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535)")
    return port


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= threads <= 256:
        raise argparse.ArgumentTypeError(f"{threads}: give 1 to 256 threads")
    return threads


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="start the web app (loads the demo club into an empty database)",
        description=SERVE_DESCRIPTION,
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: %(default)s, this machine only; 0.0.0.0 "
        "listens on every network address, for a club's server)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="the port to listen on (default: %(default)s; 0 takes any free port)",
    )
    serve.add_argument(
        "--no-demo",
        action="store_true",
        help="never load the demo club, not even into an empty database (for a real server: "
        "make the first account with `kring account add`)",
    )
    serve.add_argument(
        "--threads",
        type=_threads,
        default=4,
        help="how many requests are served at once (default: %(default)s; a club of 50 needs "
        "no more)",
    )
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


def _say(text: str) -> None:
    print(text, flush=True)


def _serve(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup(say=_say)
    from waitress.server import create_server

    from kring.config.wsgi import application
    from kring.demo.club import DEMO_PASSWORD, demo_login, is_empty, load_demo_club

    # Bind the port before the demo loads, so that a taken port is said at once.
    try:
        server = create_server(application, host=args.host, port=args.port, threads=args.threads)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(
                f"--port: port {args.port} on {args.host} is in use (is Kring running already?); "
                f"choose another, e.g. --port {args.port + 1 if args.port else 8001}"
            ) from None
        raise CliError(f"--host/--port: cannot listen on {args.host}:{args.port}: {exc}") from None
    except ValueError as exc:  # waitress could not resolve the host
        raise CliError(f"--host: {args.host!r} is not an address of this machine ({exc})") from None
    if not args.no_demo and is_empty():
        _say("Demo: the database is empty, loading the demo club (about half a minute)…")
        load_demo_club(progress=True)
    login = demo_login()
    if login:
        _print_login((login, DEMO_PASSWORD))
    elif is_empty():
        _say("No account yet: sign up in the browser, or make one with `kring account add EMAIL`")
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    port = listening[0][1]
    host = args.host if args.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    from kring.network.adapters import warm_up

    warm_up()  # the graph kernels and the networks the worker built
    _say(f"Kring runs on http://{host}:{port}/  (Ctrl+C stops it)")
    server.run()
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

    from kring.imports.actions import STALLED_AT_WORKER_START, batches_recover
    from kring.lib import clock

    # An import the previous worker was running when it stopped will never end: failed,
    # to be retried.
    batches_recover(now=clock.now(), stalled_after=STALLED_AT_WORKER_START)
    if not args.batch:
        from kring.lib.backup import start_daily_backups

        start_daily_backups()
    # Every pooled network built before the first page asks for it (a current one is kept).
    from kring.network.tasks import enqueue_all_snapshots

    enqueue_all_snapshots()
    options = {"batch": True} if args.batch else {}
    call_command("db_worker", **options)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup(migrate=False)
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0
