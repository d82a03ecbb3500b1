"""Sign-up, settings and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts import actions, forms, queries
from kring.lib.errors import NotFound
from kring.lib.views import add_action_errors, current_user, safe_redirect


def signup(request: HttpRequest) -> HttpResponse:
    """Sign up: the answer is "check your mail" whether or not the address has an account;
    the mail says which (see :func:`kring.accounts.actions.signup_request`)."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    language = getattr(request, "LANGUAGE_CODE", "nl")
    form = forms.SignUpForm(request.POST or None, initial={"language": language[:2]})
    if request.method == "POST" and form.is_valid():
        finish = request.build_absolute_uri(reverse("signup_finish", args=["TOKEN"]))
        try:
            actions.signup_request(
                next=request.POST.get("next", ""),
                finish_url_template=finish.replace("TOKEN", "{token}"),
                login_url=request.build_absolute_uri(reverse("login")),
                reset_url=request.build_absolute_uri(reverse("password_reset")),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("signup_sent")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: choose a password, and the account exists."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    try:
        pending = actions.signup_by_token(token)
    except NotFound:
        return render(request, "registration/signup_invalid.html", status=404)
    form = forms.SignUpFinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, pending = actions.signup_finish(
                token=token, password=form.cleaned_data["password"], via="web"
            )
        except NotFound:
            return render(request, "registration/signup_invalid.html", status=404)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            with translation.override(user.language or None):  # the page after is hers
                messages.success(request, _("Welcome to Kring."))
            return safe_redirect(request, pending.next, "dashboard")
    return render(request, "registration/signup_finish.html", {"form": form, "signup": pending})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "language": user.language,
            "country": user.country,
            "time_zone": user.time_zone,
            "own_addresses": "\n".join(user.addresses),
            "weekly_budget_minutes": user.weekly_budget_minutes,
            "organisation": user.organisation,
            "sector": user.sector,
            "offer": user.offer,
            "seeking": user.seeking,
            "ideal_customer": user.ideal_customer,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update_settings(user=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            with translation.override(user.language or None):  # say it in the language chosen
                messages.success(request, _("Settings saved."))
            response = redirect("settings")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "tokens": queries.api_tokens_of(user)},
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    token, key = actions.api_token_create(user=user, label=request.POST.get("label", ""), via="web")
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actions.api_token_revoke(user=current_user(request), token_id=token_id, via="web")
    messages.success(request, _("The token no longer works."))
    return redirect("settings")
