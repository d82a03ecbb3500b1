"""A real OpenID Connect provider for the single sign-on tests: node's oidc-provider (the
version pinned in provider/package-lock.json), installed by ``npm ci`` into a cache directory
keyed on the lock file's hash (``$KRING_TEST_CACHE``, by default ``~/.cache/kring-tests``: a
clean checkout installs it there itself, needing only node 20+ and npm), started once per test
session on a free loopback port with a client whose redirect URI is the live test server's
callback, and stopped at the end.

Its two accounts (provider/provider.mjs): ``ada`` (ada@sso.example, verified) and ``bram``
(bram@sso.example, not verified); its sign-in page takes any password.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CACHE = Path(os.environ.get("KRING_TEST_CACHE", Path.home() / ".cache" / "kring-tests"))
CLIENT_ID = "kring-test"
CLIENT_SECRET = "kring-test-secret-not-used-anywhere-else"
VERIFIED = ("ada", "ada@sso.example")
UNVERIFIED = ("bram", "bram@sso.example")


def installed_provider() -> Path:
    """The directory with node_modules for the lock file as it is now (installed once)."""
    lock = (PROVIDER_DIR / "package-lock.json").read_bytes()
    target = CACHE / f"oidc-provider-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not (target / "node_modules" / "oidc-provider" / "package.json").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: the single sign-on tests need node 20+ and npm")
        staging = target.with_name(target.name + f".{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(PROVIDER_DIR / name, staging / name)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci for the test OpenID provider failed:\n{done.stderr[-2000:]}")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    # The script is copied each time (cheap): it may change without the lock file changing.
    shutil.copy(PROVIDER_DIR / "provider.mjs", target / "provider.mjs")
    return target


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen[str]
    kring_url: str
    warm: bool = False

    def warm_up(self) -> None:
        """The live server's first page (imports, templates) takes seconds on a busy machine:
        it is paid once here, not within a browser test's ten-second wait."""
        if not self.warm:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.kring_url}/login/", timeout=60).read()
            self.warm = True

    def set_clock(self) -> None:
        """The provider's clock to the tests' (frozen) one, so its tokens are fresh here."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"clock {int(time.time() * 1000)}\n")
        self.process.stdin.flush()


@pytest.fixture(scope="session")
def oidc_provider(live_server: object) -> Iterator[RunningProvider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the single sign-on tests need node 20+")
    directory = installed_provider()
    redirect = f"{live_server.url}/login/sso/callback/"  # type: ignore[attr-defined]
    env = {
        **os.environ,
        "KRING_SSO_CLIENT_ID": CLIENT_ID,
        "KRING_SSO_CLIENT_SECRET": CLIENT_SECRET,
        "KRING_SSO_REDIRECT_URI": redirect,
        "KRING_SSO_NOW": str(int(time.time() * 1000)),
    }
    log = directory / "provider.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=directory,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.append(process.stdout.readline() if process.stdout else ""),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=30)
    first = lines[0] if lines else ""
    if not first.startswith("issuer "):
        process.kill()
        process.wait(timeout=10)
        pytest.fail(f"the test OpenID provider did not start: {first!r}\n{log.read_text()[-2000:]}")
    running = RunningProvider(
        issuer=first.split()[1],
        process=process,
        kring_url=live_server.url,  # type: ignore[attr-defined]
    )
    try:
        yield running
    finally:
        if process.stdin:
            process.stdin.close()  # the provider stops at the end of its input
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def sso(oidc_provider: RunningProvider, settings: object) -> RunningProvider:
    """Kring configured for the running provider (as KRING_OIDC_* would), its clock synced."""
    from kring.accounts import sso as kring_sso

    settings.OIDC_ISSUER = oidc_provider.issuer  # type: ignore[attr-defined]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET  # type: ignore[attr-defined]
    settings.OIDC_NAME = "Club Login"  # type: ignore[attr-defined]
    kring_sso._cache.clear()
    oidc_provider.set_clock()
    oidc_provider.warm_up()
    return oidc_provider
