"""`kring serve`, `kring demo`, `kring worker`, `kring migrate`."""

from __future__ import annotations

import argparse
import errno
import functools
import gc
import os
import socket
import sys
import time
from typing import Any

from kring.cli.errors import CliError
from kring.cli.i18n import _


def _serve_description() -> str:
    return _("""\
Start Kring's web app (waitress, a production-grade WSGI server) on one address and port.
Before it serves it creates or updates the database, and loads the demo club into a database
that has no accounts yet, printing the organiser's login (unless --no-demo).

With --production it runs gunicorn instead: one process per core (--workers), each with
--threads threads, one log line per request, /healthz for a health check, and a clean stop
on SIGTERM (requests under way finish). It never loads the demo club. docs/server.md tells
how to run it behind Caddy or nginx with TLS.""")


def _serve_epilog() -> str:
    return _("""\
examples:
  kring serve                          http://127.0.0.1:8000, this machine only
  kring serve --port 8001              when 8000 is taken (scripts/start --port 8001 alike)
  kring serve --port 0                 any free port; the address is printed
  kring serve --host 0.0.0.0 --no-demo a club's server, reachable from the network
  kring serve --production             behind a TLS proxy on this machine (docs/server.md)

Configuration comes from the environment (see the README): KRING_DATABASE_URL (default SQLite
in KRING_DATA_DIR), KRING_MODE=production (secure cookies; needs KRING_SECRET_KEY and
KRING_ALLOWED_HOSTS, the host names browsers use to reach this server;
KRING_TRUST_PROXY_HEADERS=1 behind a proxy that sets X-Forwarded-Proto), KRING_SERVER_CONNECTIONS
and KRING_SERVER_IDLE_TIMEOUT (open connections per process, seconds an idle one is kept).
Put a proxy that speaks HTTPS in front of a production server. Ctrl+C stops it.""")


def _not_a_number(text: str) -> str:
    return _("%(value)s is not a number") % {"value": repr(text)}


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_not_a_number(text)) from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("%(port)s is not a port (0 to 65535)") % {"port": port})
    return port


# Threads a server process runs when --threads is not given. Pages are Python's work more than
# the database's, and one process runs Python on one core at a time: the production server's
# two threads a process (one per core) keep the core busy while the other waits for
# PostgreSQL; four made each page wait behind three others' Python (benchmarks/load: at 50
# members the slowest page's p95 went from 524 to 310 ms, and the most requests a second the
# server answers from 45 to 54). The development server is one process.
WAITRESS_THREADS = 4
PRODUCTION_THREADS = 2


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_not_a_number(text)) from None
    if not 1 <= threads <= 256:
        raise argparse.ArgumentTypeError(
            _("%(threads)s: give 1 to 256 threads") % {"threads": threads}
        )
    return threads


def _workers(text: str) -> int:
    try:
        workers = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_not_a_number(text)) from None
    if not 1 <= workers <= 64:
        raise argparse.ArgumentTypeError(
            _("%(workers)s: give 1 to 64 worker processes") % {"workers": workers}
        )
    return workers


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help=_("start the web app (loads the demo club into an empty database)"),
        description=_serve_description(),
        epilog=_serve_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help=_(
            "the address to listen on (default: %(default)s, this machine only; 0.0.0.0 "
            "listens on every network address, for a club's server)"
        ),
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=8000,
        help=_("the port to listen on (default: %(default)s; 0 takes any free port)"),
    )
    serve.add_argument(
        "--no-demo",
        action="store_true",
        help=_(
            "never load the demo club, not even into an empty database (for a real server: "
            "make the first account with `kring account add`)"
        ),
    )
    serve.add_argument(
        "--threads",
        type=_threads,
        default=None,
        help=_(
            "how many requests are served at once, per process with --production (default: "
            "4; with --production 2 a process: a club of 50 needs no more)"
        ),
    )
    serve.add_argument(
        "--production",
        action="store_true",
        help=_(
            "serve with gunicorn: several processes, a log line per request, a clean stop on "
            "SIGTERM; never loads the demo club (see docs/server.md)"
        ),
    )
    serve.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help=_(
            "with --production: how many server processes (default: one per core of this machine)"
        ),
    )
    serve.set_defaults(handler=_serve)

    demo = subparsers.add_parser("demo", help=_("load the demo club (a Flemish business club)"))
    demo.add_argument(
        "--replace",
        action="store_true",
        help=_("erase everything in the database first (otherwise an empty one is required)"),
    )
    demo.add_argument(
        "--seed", type=int, default=2026, help=_("same seed, same club (default: %(default)s)")
    )
    demo.add_argument(
        "--members", type=int, default=40, help=_("how many members (default: %(default)s)")
    )
    demo.set_defaults(handler=_demo)

    worker = subparsers.add_parser(
        "worker", help=_("run background tasks (imports, plans, digests)")
    )
    worker.add_argument("--batch", action="store_true", help=_("stop when the queue is empty"))
    worker.set_defaults(handler=_worker)

    migrate = subparsers.add_parser("migrate", help=_("create or update the database schema"))
    migrate.set_defaults(handler=_migrate)


def _print_login(login: tuple[str, str]) -> None:
    print(
        _("Demo login: %(email)s  password: %(password)s")
        % {"email": login[0], "password": login[1]}
    )


def _say(text: str) -> None:
    print(text, flush=True)


def _serve(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    if args.workers is not None and not args.production:
        raise CliError(_("--workers: only with --production (waitress is one process)"))
    setup(say=_say)
    if args.production:
        return _serve_production(args)
    from django.conf import settings
    from waitress.server import create_server

    from kring.config.wsgi import application
    from kring.demo.club import DEMO_PASSWORD, demo_login, is_empty, load_demo_club

    # Bind the port before the demo loads, so that a taken port is said at once.
    try:
        server = create_server(
            application,
            host=args.host,
            port=args.port,
            threads=args.threads or WAITRESS_THREADS,
            connection_limit=settings.SERVER_CONNECTIONS,
            channel_timeout=settings.SERVER_IDLE_TIMEOUT,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(_port_in_use(args.host, args.port)) from None
        raise CliError(_cannot_listen(args.host, args.port, exc)) from None
    except ValueError as exc:  # waitress could not resolve the host
        raise CliError(
            _("--host: %(host)s is not an address of this machine (%(error)s)")
            % {"host": repr(args.host), "error": exc}
        ) from None
    if not args.no_demo and is_empty():
        _say(_("Demo: the database is empty, loading the demo club (about half a minute)…"))
        load_demo_club(progress=True)
    login = demo_login()
    if login:
        _print_login((login, DEMO_PASSWORD))
    elif is_empty():
        _say(
            _("No account yet: sign up in the browser, or make one with `kring account add EMAIL`")
        )
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    port = listening[0][1]
    from kring.network.adapters import warm_up

    warm_up()  # the graph kernels and the networks the worker built
    freeze_heap()
    _say(_("Kring runs on %(url)s  (Ctrl+C stops it)") % {"url": _display_url(args.host, port)})
    server.run()
    return 0


def _port_in_use(host: str, port: int) -> str:
    return _(
        "--port: port %(port)s on %(host)s is in use (is Kring running already?); choose "
        "another, e.g. --port %(other)s"
    ) % {"port": port, "host": host, "other": port + 1 if port else 8001}


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    return _("--host/--port: cannot listen on %(host)s:%(port)s: %(error)s") % {
        "host": host,
        "port": port,
        "error": exc,
    }


def _display_url(host: str, port: int) -> str:
    shown = host if host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _free_port(host: str, port: int) -> int:
    """The port to give gunicorn: ``port`` if it can be bound now (else a clear error), or
    any free one for 0."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
            return int(probe.getsockname()[1])
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(_port_in_use(host, port)) from None
        raise CliError(_cannot_listen(host, port, exc)) from None


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, settings: Any
) -> dict[str, Any]:
    """gunicorn's configuration for ``kring serve --production``."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        # gthread: an idle keep-alive connection waits in the process's poller, not on a
        # thread, so a client holding hundreds of them open locks nobody out.
        "worker_class": "kring.cli.server.ThreadWorker",
        "threads": threads,
        "worker_connections": settings.SERVER_CONNECTIONS,
        "keepalive": settings.SERVER_IDLE_TIMEOUT,
        "timeout": settings.SERVER_REQUEST_TIMEOUT,
        "graceful_timeout": 30,
        # The app is loaded once, in the master, so a broken configuration stops the start
        # with one message instead of every worker failing in turn.
        "preload_app": True,
        "accesslog": "-",
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "errorlog": "-",
        "loglevel": "info",
        # gunicorn never decides the scheme from a header: Django does, and only when
        # KRING_TRUST_PROXY_HEADERS says a proxy sets X-Forwarded-Proto.
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "127.0.0.1",
        "limit_request_line": 8190,
        "proc_name": "kring",
        # No control socket: its default path is shared by every gunicorn of the account.
        "control_socket_disable": True,
    }


# Seconds a server thread reads on to reach the end of a request body the page did not read,
# before the connection is kept alive for the next request (gunicorn's own default).
KEEPALIVE_DRAIN_SECONDS = 5.0


@functools.cache
def _thread_worker() -> type:
    from gunicorn.workers import gthread

    class Worker(gthread.ThreadWorker):
        """gunicorn's gthread worker, whose body drain before a keep-alive keeps its own
        deadline: it reads DEFAULT_WORKER_DATA_TIMEOUT, which _serve_production sets to 0, and
        with 0 it closed every connection after its first answer (a browser's next request on
        it then failed, or was sent again on a new one)."""

        def _keepalive_after(self, conn: Any, keepalive: bool) -> bool:
            if not keepalive:
                return False
            deadline = time.monotonic() + KEEPALIVE_DRAIN_SECONDS
            return bool(conn.parser.finish_body(deadline=deadline))

    return Worker


def __getattr__(name: str) -> Any:
    # gunicorn imports its worker class by name in each process; gunicorn itself is imported
    # only when a production server starts.
    if name == "ThreadWorker":
        return _thread_worker()
    raise AttributeError(name)


# glibc's allocator in the server processes (mallopt(3) parameters): at most this many arenas
# (glibc's default is 8 per core: each of a process's threads gets its own, and every arena
# keeps its own freed memory), and blocks of this many bytes or more (NumPy's arrays of a
# viewer's network) taken from and given back to the system at once, not kept in an arena
# after they are freed (glibc's default threshold rises up to 32 MiB as large blocks are
# freed). Each is left alone when the environment sets it (MALLOC_ARENA_MAX,
# MALLOC_MMAP_THRESHOLD_): glibc has read those already.
MALLOC_ARENA_MAX = 2
MALLOC_MMAP_THRESHOLD = 256 * 1024
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # from glibc's malloc.h


def tune_malloc(environ: Any = os.environ) -> dict[str, int]:
    """Set glibc's allocator for a long-running threaded server in this process and the
    processes it forks (docs/server.md, "Memory"); returns what it set. Nothing on another C
    library."""
    import ctypes
    import platform

    if platform.libc_ver()[0] != "glibc":
        return {}
    libc = ctypes.CDLL("libc.so.6")
    done = {}
    for variable, parameter, value in (
        ("MALLOC_ARENA_MAX", _M_ARENA_MAX, MALLOC_ARENA_MAX),
        ("MALLOC_MMAP_THRESHOLD_", _M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD),
    ):
        if variable not in environ and libc.mallopt(parameter, value) == 1:
            done[variable] = value
    return done


def freeze_heap() -> None:
    """Everything loaded before the first page (Django, the app, the kernels, the snapshots)
    moved out of the garbage collector's sight, once it has collected what is garbage: a full
    collection then walks only what serving pages made (before, one took up to 200 ms in the
    middle of a page). Called in gunicorn's master before it forks, so that a collection in
    a server process never writes to the memory it shares with the others either."""
    gc.collect()
    gc.freeze()


def _serve_production(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from gunicorn.app.base import BaseApplication
    from gunicorn.workers import gthread

    from kring.demo.club import is_empty

    port = _free_port(args.host, args.port)
    workers = args.workers or os.cpu_count() or 1
    threads = args.threads or PRODUCTION_THREADS
    options = gunicorn_options(
        host=args.host, port=port, workers=workers, threads=threads, settings=settings
    )
    if is_empty():
        _say(
            _(
                "No account yet: make the first one with `kring account add EMAIL` and "
                "`kring account make-admin EMAIL`"
            )
        )
    # Static files collected once, so that whitenoise serves them compressed and cached.
    if settings.STATIC_ROOT:
        call_command("collectstatic", interactive=False, verbosity=0)
    # Before the app is loaded: the forked processes inherit the allocator's settings.
    tune_malloc()
    # Loaded once in the master: the forked processes share the kernels and the snapshots.
    from kring.network.adapters import warm_up

    warm_up()
    # Connections opened by the migration check must not be shared by the forked workers.
    connections.close_all()
    url = _display_url(args.host, port)

    # A new connection that has sent nothing yet waits in the poller, not on a thread: with
    # gunicorn's 5 s per connection, 200 idle sockets held 2 threads for 500 s. (The reason
    # gunicorn is pinned: this constant is read by its gthread worker, and ThreadWorker below
    # keeps it from closing every kept-alive connection.)
    gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.0

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set(
                "when_ready",
                lambda _arbiter: _say(
                    _("Kring runs on %(url)s  (%(workers)s processes × %(threads)s threads)")
                    % {"url": url, "workers": workers, "threads": threads}
                ),
            )

        def load(self) -> Any:
            from kring.config.wsgi import application

            freeze_heap()
            return application

    Server().run()
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
        raise CliError(_("--members: a club needs at least 2 members"))
    if not is_empty():
        if not args.replace:
            raise CliError(
                _("the database is not empty; `kring demo --replace` erases everything in it first")
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
    from django.conf import settings

    if settings.TASKS_URL:
        # Redis (KRING_TASKS_URL): RQ's worker, with the job class that runs django-tasks'
        # tasks and RQ's scheduler for the tasks that wait for a moment. Each task runs in a
        # process forked for it, with database connections of its own.
        call_command(
            "rqworker",
            "default",
            job_class="django_tasks_rq.Job",
            burst=args.batch,
            with_scheduler=True,
        )
        return 0
    options = {"batch": True} if args.batch else {}
    call_command("db_worker", **options)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup(migrate=False)
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0
