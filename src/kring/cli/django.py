"""Bringing up Django for the commands that use the database."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from kring.cli import i18n
from kring.cli.errors import CliError
from kring.cli.i18n import _

if TYPE_CHECKING:
    from kring.accounts.models import User


def setup(*, migrate: bool = True, say: Callable[[str], None] | None = None) -> None:
    """Configure Django; create the data directory and bring the schema up to date.

    ``say`` (``kring serve``) hears one line about the database: created, migrated or up to
    date; the other commands migrate silently.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise CliError(_("configuration: %(detail)s") % {"detail": exc}) from None
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if migrate:
        _migrate(say)


def _unreachable(exc: Exception) -> CliError:
    """One line that names the variable, never a traceback."""
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    where = database_description()
    variable = "KRING_DATABASE_URL" if os.environ.get("KRING_DATABASE_URL") else "KRING_DATA_DIR"
    return CliError(
        _("%(variable)s: cannot open the %(where)s: %(detail)s")
        % {"variable": variable, "where": where, "detail": detail}
    )


def _migrate(say: Callable[[str], None] | None) -> None:
    from django.db import OperationalError

    try:
        _migrate_now(say)
    except OperationalError as exc:
        raise _unreachable(exc) from None


def _migrate_now(say: Callable[[str], None] | None) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if say is not None:
        where = database_description()
        if not plan:
            say(f"Database: {where}, up to date")
        elif not executor.loader.applied_migrations:
            say(f"Database: creating {where}…")
        else:
            say(f"Database: updating {where} ({len(plan)} migrations)…")
    if plan:
        call_command("migrate", verbosity=0, interactive=False)


def database_description() -> str:
    """Where the data lives, for people: the SQLite file, or the PostgreSQL database and host."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {database['NAME']}"
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"PostgreSQL database {database['NAME']} on {host}{port}"


def resolve_user(email: str | None) -> User:
    """The account a command acts for: --user, else $KRING_USER, else the only account."""
    from kring.accounts.queries import any_user, only_user, user_by_email

    email = email or os.environ.get("KRING_USER")
    if email:
        user = user_by_email(email)
        if user is None:
            raise CliError(_("--user: no account with e-mail address %(email)s") % {"email": email})
        i18n.use(user.language)  # from here on the command speaks the account's language
        return user
    only = only_user()
    if only is not None:
        i18n.use(only.language)
        return only
    if not any_user():
        raise CliError(_("there is no account yet: sign up in the web app or run `kring demo`"))
    raise CliError(_("several accounts exist: say which with --user EMAIL or KRING_USER"))
