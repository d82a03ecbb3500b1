"""The CLI's language: the account's when a command acts for one, else the terminal's
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), Dutch or English.

Compute-only commands never import Django, so the texts come from Kring's compiled catalogue
through the standard library's gettext; a command that runs Django also switches Django's
language, so that what the actions say (their ValidationErrors) is in the same language.
Argparse's own words ("usage:", "options") are looked up in the same catalogue.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("nl", "en")
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active: str | None = None
_catalogues: dict[str, stdlib_gettext.NullTranslations] = {}


def terminal_language() -> str:
    """The first of Kring's languages the environment asks for; English otherwise."""
    for name in _ENVIRONMENT:
        value = os.environ.get(name, "")
        if not value:
            continue
        for wanted in value.split(":"):  # LANGUAGE may list several: nl_BE:nl:en
            code = wanted.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":  # the first locale variable set decides, as in gettext
            return "en"
    return "en"


def language() -> str:
    return _active or terminal_language()


def _catalogue(code: str) -> stdlib_gettext.NullTranslations:
    if code not in _catalogues:
        _catalogues[code] = stdlib_gettext.translation(
            "django", LOCALE, languages=[code], fallback=True
        )
    return _catalogues[code]


def gettext(message: str) -> str:
    """``message`` in the CLI's language."""
    return _catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(language()).ngettext(singular, plural, n)


_ = gettext


def use(code: str | None) -> None:
    """Speak ``code`` (an account's language) from now on; None: the terminal's again."""
    global _active
    _active = code if code in LANGUAGES else None
    if "django.apps" in sys.modules:
        from django.apps import apps

        if apps.ready:
            from django.utils import translation

            translation.activate(language())


def reset() -> None:
    """Back to the terminal's language, and Django's default (after a command)."""
    global _active
    _active = None
    if "django.utils.translation" in sys.modules:
        from django.conf import settings

        # Settings that failed to load (a bad KRING_DATABASE_URL, say) have nothing to reset.
        if not settings.configured:
            return
        from django.utils import translation

        translation.deactivate()


def argparse_gettext(message: str) -> str:
    """Argparse's own words in the CLI's language (it looks them up through this)."""
    return gettext(message)


# Argparse's own words, so that `scripts/translations` collects them into the catalogue.
ARGPARSE_WORDS = (
    _("usage: "),
    _("positional arguments"),
    _("options"),
    _("show this help message and exit"),
    _("show program's version number and exit"),
    _("the following arguments are required: %s"),
    _("unrecognized arguments: %s"),
    _("%(prog)s: error: %(message)s\n"),
    _("invalid choice: %(value)r (choose from %(choices)s)"),
    _("expected one argument"),
    _("invalid %(type)s value: %(value)r"),
    _("argument %(argument_name)s: %(message)s"),
    _("not allowed with argument %s"),
    _("ambiguous option: %(option)s could match %(matches)s"),
)
