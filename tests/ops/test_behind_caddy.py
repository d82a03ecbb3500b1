"""docs/server.md's setup, proven: Debian's Caddy ends TLS on loopback with a local
certificate in front of `kring serve --production`. Through it: the http-to-https redirect,
a login, a page, the secure cookies, the security headers; a ZIP bomb and an oversized upload
are refused quickly."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.ops.conftest import (
    Browser,
    add_account,
    kring_server,
    own_processes,
    production_environment,
)
from tests.ops.zips import oversized_csv, zip_bomb

pytestmark = own_processes

CADDYFILE = """\
{{
	admin off
	storage file_system {data}
	skip_install_trust
	http_port {http}
	https_port {https}
}}

https://localhost:{https} {{
	tls internal
	encode gzip
	reverse_proxy {upstream} {{
		transport http {{
			keepalive off
		}}
	}}
}}

http://localhost:{http} {{
	redir https://localhost:{https}{{uri}} permanent
}}
"""


def _caddy() -> str:
    """Debian's caddy, installed if missing (CI runs as root); skipped only where apt
    cannot install it."""
    found = shutil.which("caddy")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.skip("caddy is not installed and apt-get cannot install it here")
    quiet = {"capture_output": True, "text": True, "timeout": 600}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run([apt, "install", "-y", "-q", "caddy"], env=env, **quiet)
    if result.returncode != 0:
        subprocess.run([apt, "update", "-q"], env=env, **quiet)
        result = subprocess.run([apt, "install", "-y", "-q", "caddy"], env=env, **quiet)
    found = shutil.which("caddy")
    if result.returncode != 0 or not found:
        pytest.skip(f"apt-get could not install caddy: {result.stderr[-500:]}")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_tls(port: int, context: ssl.SSLContext | None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=2) as raw,
                (context or ssl.create_default_context()).wrap_socket(
                    raw, server_hostname="localhost"
                ),
            ):
                return
        except (OSError, ssl.SSLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def behind_caddy(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, ssl.SSLContext, str]]:
    """One Kring behind one Caddy for the tests of this module (starting them takes long)."""
    caddy = _caddy()
    tmp_path = tmp_path_factory.mktemp("caddy")
    env = production_environment(
        tmp_path / "kring", KRING_TRUST_PROXY_HEADERS="1", KRING_ALLOWED_HOSTS="localhost"
    )
    add_account(env, "alice@example.be")
    with kring_server(env, "--production", "--workers", "2") as server:
        upstream = server.url.removeprefix("http://").strip("/")
        http_port, https_port = _free_port(), _free_port()
        data = tmp_path / "caddy"
        data.mkdir()
        caddyfile = tmp_path / "Caddyfile"
        caddyfile.write_text(
            CADDYFILE.format(data=data, http=http_port, https=https_port, upstream=upstream)
        )
        caddy_env = {
            **os.environ,
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        }
        process = subprocess.Popen(
            [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
            env=caddy_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            root = data / "pki" / "authorities" / "local" / "root.crt"
            deadline = time.monotonic() + 30
            while not root.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    out = process.stdout.read() if process.stdout else ""
                    pytest.fail(f"caddy did not start:\n{out}")
                time.sleep(0.1)
            context = ssl.create_default_context(cafile=str(root))
            _wait_for_tls(https_port, context)
            base = f"https://localhost:{https_port}"
            yield base, context, f"http://localhost:{http_port}"
        finally:
            process.terminate()
            process.wait(timeout=30)
        assert server.stop() == 0


def _multipart(
    field: str, filename: str, content: bytes, fields: dict[str, str]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _upload(browser: Browser, filename: str, content: bytes):
    token = browser.csrf_token("/import/")
    body, content_type = _multipart("upload", filename, content, {"csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": content_type,
        "Origin": browser.base,
        "Referer": browser.base + "/import/",
    }
    started = time.monotonic()
    answer = browser.request("/import/", data=body, headers=headers, timeout=60)
    return answer, time.monotonic() - started


def test_it_works_behind_caddy_with_tls(behind_caddy):
    base, context, plain = behind_caddy
    browser = Browser(base, context=context)

    redirect = Browser(plain).request("/people/")
    assert redirect.status in (301, 308)
    assert redirect.headers["Location"] == browser.base + "/people/"

    anonymous = browser.request("/people/")
    assert anonymous.status == 302
    assert anonymous.headers["Location"].startswith("/login/?next=")

    login_page = browser.request("/login/")
    assert login_page.status == 200
    headers = login_page.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert any(c.startswith("csrftoken=") and "Secure" in c for c in login_page.cookies)

    answer = browser.login("alice@example.be")
    assert answer.status == 302, answer.body[:500]
    session = next(c for c in answer.cookies if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    people = browser.request("/people/")
    assert people.status == 200
    assert "alice@example.be" in people.body or "Alice" in people.body or "<main" in people.body
    assert browser.request("/healthz").body == "ok\n"


def test_it_refuses_a_zip_bomb_and_an_oversized_upload_quickly_behind_caddy(behind_caddy):
    base, context, _plain = behind_caddy
    browser = Browser(base, context=context)
    assert browser.login("alice@example.be").status == 302

    answer, waited = _upload(browser, "linkedin.zip", zip_bomb(64))
    assert answer.status == 200
    # Alice reads Kring in Dutch, the language of her account.
    assert "veel meer dan een echte export: ongelezen geweigerd" in answer.body
    assert waited < 5, waited

    answer, waited = _upload(browser, "Connections.csv", oversized_csv(25))
    assert answer.status == 413, answer.body[:300]
    assert "Kring takes at most 20 MB at once" in answer.body
    assert waited < 5, waited
