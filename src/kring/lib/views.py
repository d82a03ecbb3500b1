"""Small helpers the page views of every app share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from kring.lib.validation import error_dict

if TYPE_CHECKING:  # the user model, for types only: lib never imports an app at run time
    from kring.accounts.models import User


def current_user(request: HttpRequest) -> User:
    """The logged-in user of a view that is ``login_required``."""
    user = request.user
    assert user.is_authenticated, "views that call this are login_required"
    return user


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's validation errors on the form, next to the field they concern."""
    for field, messages in error_dict(exc).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_redirect(request: HttpRequest, target: str | None, fallback: str) -> HttpResponse:
    """Redirect to ``target`` when it is on this site, else to the ``fallback`` URL name."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)
