"""Running Kring as an operator does: the real `kring` command in a process of its own, on a
fresh SQLite file or a PostgreSQL database made for the test, reached over HTTP.

* :func:`kring_server` starts `kring serve` (``--production`` by default) on a free port and
  stops it with SIGTERM, as systemd does, checking that it stops cleanly;
* :class:`TcpRelay` stands between Kring and PostgreSQL, so that a test can cut the database
  off and bring it back without touching the server every other test uses;
* :class:`Browser` is a cookie-keeping HTTP client that logs in through the real form.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

KRING = str(Path(sys.executable).with_name("kring"))
SECRET_KEY = "ops-test-" + "k" * 55  # 64 characters, as `check --deploy` wants
PASSWORD = "correct horse battery"
RUNS_ON = re.compile(r"Kring runs on (http://\S+)")


# The tests that start Kring processes give them databases of their own (a fresh SQLite file,
# or a new PostgreSQL database on KRING_TEST_POSTGRES_URL's server), whichever engine the
# suite itself runs on: scripts/test's PostgreSQL pass would repeat them unchanged, minutes
# of CI, so only its SQLite pass runs them.
own_processes = pytest.mark.skipif(
    os.environ.get("KRING_DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="starts Kring processes with databases of their own; run in the SQLite pass",
)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a Kring process: nothing of the suite's own KRING_ variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests allow the ORM inside Playwright's loop; a server must not inherit that.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({"KRING_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def production_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    values = {
        "KRING_MODE": "production",
        "KRING_SECRET_KEY": SECRET_KEY,
        "KRING_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }
    return environment(data_dir, **values)


def kring(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KRING, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


def add_account(env: dict[str, str], email: str, *, admin: bool = False) -> None:
    result = kring(env, "account", "add", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    if admin:
        result = kring(env, "account", "make-admin", email)
        assert result.returncode == 0, result.stderr


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n{self.log()}")

    def stop(self) -> int:
        """SIGTERM, as systemd stops a service; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("the server did not stop on SIGTERM:\n" + self.log()) from None
        return self.process.returncode


def _drain(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))


@contextlib.contextmanager
def kring_server(env: dict[str, str], *args: str, timeout: float = 120) -> Iterator[Server]:
    """`kring serve --port 0 ARGS` until it says where it runs; stopped with SIGTERM."""
    process = subprocess.Popen(
        [KRING, "serve", "--port", "0", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=_drain, args=(process, lines), daemon=True).start()
    server = Server("", process, lines)
    try:
        deadline = time.monotonic() + timeout
        while not server.url:
            found = next((RUNS_ON.search(line) for line in lines if RUNS_ON.search(line)), None)
            if found:
                server.url = found.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.2)
                pytest.fail("kring serve did not start:\n" + server.log())
            else:
                time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    cookies: list[str]


class _BehindProxyPolicy(http.cookiejar.DefaultCookiePolicy):
    # Talking plain http to a server behind a proxy that ends TLS: send its Secure cookies
    # as the browser on the far side of the proxy would.
    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


class Browser:
    """Cookies kept, redirects not followed, errors returned as answers."""

    def __init__(
        self,
        base: str,
        *,
        context: object | None = None,
        language: str = "en",
        behind_proxy: bool = False,
    ) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar(_BehindProxyPolicy() if behind_proxy else None)
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect(),
        ]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))  # type: ignore[arg-type]
        self.opener = urllib.request.build_opener(*handlers)
        self.language = language

    def request(
        self,
        path: str,
        *,
        data: dict[str, str] | bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Answer:
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Accept-Language", self.language)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Answer(
                    answer.status,
                    dict(answer.headers.items()),
                    answer.read().decode("utf-8", "replace"),
                    answer.headers.get_all("Set-Cookie") or [],
                )
        except urllib.error.HTTPError as error:
            return Answer(
                error.code,
                dict(error.headers.items()),
                error.read().decode("utf-8", "replace"),
                error.headers.get_all("Set-Cookie") or [],
            )

    def csrf_token(self, path: str) -> str:
        return self.csrf_token_with(path, {})

    def csrf_token_with(self, path: str, headers: dict[str, str]) -> str:
        page = self.request(path, headers=headers)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert found, f"no CSRF token on {path}: {page.status} {page.body[:300]}"
        return found.group(1)

    def login(self, email: str, password: str = PASSWORD, *, origin: str | None = None) -> Answer:
        token = self.csrf_token("/login/")
        headers = {"Referer": self.base + "/login/", "Origin": origin or self.base}
        return self.request(
            "/login/", data={"username": email, "password": password, "csrfmiddlewaretoken": token},
            headers=headers,
        )  # fmt: skip


# --- PostgreSQL -------------------------------------------------------------------------


def _postgres_server_url() -> str:
    url = os.environ.get("KRING_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("KRING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    return url


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    server = _postgres_server_url()
    parts = urllib.parse.urlsplit(server)
    admin = parts._replace(path="/postgres").geturl()
    name = f"kring_ops_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        if os.environ.get("KRING_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no PostgreSQL at {server}: {exc}")
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class TcpRelay:
    """A loopback port that forwards to ``target`` while it is open; :meth:`cut` closes the
    port and every connection through it (the database "goes away"), :meth:`restore` opens
    the same port again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        # A selector (epoll), not select(): late in a full run the test process holds more than
        # 1,024 descriptors, and select() refuses any numbered above that.
        selector = selectors.DefaultSelector()
        try:
            for s in sockets:
                selector.register(s, selectors.EVENT_READ)
            while True:
                for key, _events in selector.select(1):
                    source = key.fileobj
                    data = source.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            selector.close()
            for s in sockets:
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        if self._listener is not None:
            # shutdown wakes the thread blocked in accept(); close alone leaves it listening.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()

    def url_for(self, database_url: str) -> str:
        parts = urllib.parse.urlsplit(database_url)
        user = f"{parts.username}@" if parts.username else ""
        if parts.password:
            user = f"{parts.username}:{parts.password}@"
        return parts._replace(netloc=f"{user}127.0.0.1:{self.port}").geturl()


@pytest.fixture
def relay_to() -> Iterator[Callable[[str], TcpRelay]]:
    relays: list[TcpRelay] = []

    def make(database_url: str) -> TcpRelay:
        parts = urllib.parse.urlsplit(database_url)
        relay = TcpRelay((parts.hostname or "127.0.0.1", parts.port or 5432))
        relays.append(relay)
        return relay

    yield make
    for relay in relays:
        relay.cut()
