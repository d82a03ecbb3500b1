"""Small helpers the page views share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from kring.accounts.models import User
from kring.lib.validation import error_dict


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "views that call this are login_required"
    return user


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's validation errors on the form, next to the field they concern."""
    for field, messages in error_dict(exc).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
