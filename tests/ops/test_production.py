"""`kring serve --production` as a club's server runs it: gunicorn with several processes,
static files, one log line per request, /healthz, a clean stop on SIGTERM; the proxy's
X-Forwarded-Proto believed only when configured; `check --deploy` clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.ops.conftest import (
    SECRET_KEY,
    Browser,
    add_account,
    environment,
    kring_server,
    own_processes,
    production_environment,
)

pytestmark = own_processes


def _deploy_check(tmp_path, **extra):
    env = production_environment(tmp_path, **extra)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
         "--settings", "kring.config.settings"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_it_passes_check_deploy_with_a_long_key(tmp_path):
    assert len(SECRET_KEY) >= 50
    result = _deploy_check(tmp_path, KRING_TRUST_PROXY_HEADERS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_check_deploy_without_https_redirect(tmp_path):
    result = _deploy_check(tmp_path, KRING_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_it_serves_with_processes_static_files_a_log_line_per_request_and_stops_cleanly(
    tmp_path,
):
    env = production_environment(tmp_path)
    add_account(env, "alice@example.be")
    with kring_server(env, "--production", "--workers", "2", "--threads", "2") as server:
        assert "(2 processes × 2 threads)" in server.wait_for_line("Kring runs on")
        browser = Browser(server.url)
        health = browser.request("/healthz")  # plain http, from the proxy: no redirect
        assert (health.status, health.body) == (200, "ok\n")
        assert health.headers["Cache-Control"].startswith("max-age=0")
        # Without KRING_TRUST_PROXY_HEADERS a client's X-Forwarded-Proto is not believed.
        page = browser.request("/login/", headers={"X-Forwarded-Proto": "https"})
        assert page.status == 301
        assert page.headers["Location"].startswith("https://")
        server.wait_for_line(r'"GET /healthz HTTP/1.1" 200 ')
        server.wait_for_line(r'"GET /login/ HTTP/1.1" 301 ')
        assert sum('"GET /healthz HTTP/1.1"' in line for line in server.lines) == 1
        workers = [line for line in server.lines if "Booting worker" in line]
        assert len(workers) == 2, server.log()
        assert server.stop() == 0
    assert "Shutting down: Master" in server.log()
    assert "Traceback" not in server.log()


def test_it_believes_the_proxy_only_when_configured_and_sends_the_security_headers(tmp_path):
    env = production_environment(tmp_path, KRING_TRUST_PROXY_HEADERS="1")
    add_account(env, "alice@example.be")
    with kring_server(env, "--production", "--workers", "1") as server:
        https = {"X-Forwarded-Proto": "https"}
        browser = Browser(server.url, behind_proxy=True)
        assert browser.request("/login/").status == 301  # plain http: to https
        page = browser.request("/login/", headers=https)
        assert page.status == 200
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "camera=()" in page.headers["Permissions-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        css = browser.request("/static/kring/kring.css", headers=https)
        assert css.status == 200
        assert "max-age" in css.headers["Cache-Control"]
        # A login posted from the https page is accepted (CSRF: the origin is trusted).
        token = browser.csrf_token_with("/login/", https)
        answer = browser.request(
            "/login/",
            data={"username": "alice@example.be", "password": "correct horse battery",
                  "csrfmiddlewaretoken": token},
            headers={**https, "Origin": "https://127.0.0.1", "Host": "127.0.0.1",
                     "Referer": "https://127.0.0.1/login/"},
        )  # fmt: skip
        assert answer.status == 302, answer.body[:400]
        session = next(c for c in answer.cookies if c.startswith("sessionid="))
        assert "Secure" in session and "HttpOnly" in session


def test_it_refuses_workers_without_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kring.cli.main", "serve", "--workers", "2"],
        env=environment(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--workers: only with --production" in result.stderr


def test_the_server_guide_names_every_setting_a_server_needs():
    root = Path(__file__).resolve().parents[2]
    guide = (root / "docs" / "server.md").read_text()
    settings = (root / "src" / "kring" / "config" / "settings.py").read_text()

    development_only = {"KRING_DEBUG", "KRING_TASKS_BACKEND", "KRING_INVITATION_DAYS"}
    variables = set(re.findall(r'"(KRING_[A-Z_]+)"', settings)) - development_only
    assert variables, "no settings found"
    missing = sorted(v for v in variables if v not in guide)
    assert not missing, f"docs/server.md does not explain {missing}"
    for step in ("systemd", "kring-worker.service", "Caddyfile", "pg_dump", "make-admin"):
        assert step in guide, step
