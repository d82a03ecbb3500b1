"""Plain-text e-mails rendered in the recipient's language and sent once the transaction that
caused them commits (so a rolled-back write never mails anyone)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def mail_after_commit(*, language: str, to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send them to ``to``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))
