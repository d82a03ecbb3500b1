"""Plain-text e-mails rendered in the recipient's language and sent once the transaction that
caused them commits (so a rolled-back write never mails anyone)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kring.lib import clock


def mail_after_commit(
    *, language: str, to: str, template: str, context: dict[str, Any], zone: ZoneInfo | None = None
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send them to ``to``, in the
    recipient's language and with every time in their zone (the site's for a stranger)."""
    with translation.override(language), timezone.override(zone or clock.zone()):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    # Content-Language (RFC 3282) tells mail programs, and the tests, which language it is in.
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"Content-Language": language}
    )
    transaction.on_commit(message.send)
