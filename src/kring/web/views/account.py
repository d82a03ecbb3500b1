"""Sign-up, settings, API tokens, the language switch, and the GDPR account pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts import actions
from kring.accounts.models import Language
from kring.people.export import account_as_dict
from kring.web import forms
from kring.web.views.common import add_action_errors, current_user


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    language = getattr(request, "LANGUAGE_CODE", "nl")
    form = forms.SignUpForm(request.POST or None, initial={"language": language[:2]})
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.user_sign_up(via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Kring."))
            return _safe_redirect(request, request.POST.get("next"), "dashboard")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _safe_redirect(request: HttpRequest, target: str | None, fallback: str) -> HttpResponse:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account and in a cookie."""
    language = request.POST.get("language", "")
    response = _safe_redirect(request, request.POST.get("next"), "dashboard")
    if language not in Language.values:
        return response
    if request.user.is_authenticated:
        actions.user_update_settings(user=current_user(request), language=language, via="web")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "language": user.language,
            "country": user.country,
            "weekly_budget_minutes": user.weekly_budget_minutes,
            "organisation": user.organisation,
            "sector": user.sector,
            "offer": user.offer,
            "seeking": user.seeking,
            "ideal_customer": user.ideal_customer,
            "own_addresses": "\n".join(user.addresses),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update_settings(user=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            response = redirect("settings")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(
        request,
        "web/settings.html",
        {"form": form, "tokens": user.api_tokens.order_by("-created_at")},
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    token, key = actions.api_token_create(user=user, label=request.POST.get("label", ""), via="web")
    return render(request, "web/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actions.api_token_revoke(user=current_user(request), token_id=token_id, via="web")
    messages.success(request, _("The token no longer works."))
    return redirect("settings")


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    response = JsonResponse(
        account_as_dict(user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="kring-account.json"'
    return response


@login_required
def account_erase(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != user.email.lower():
            error = _("Type your e-mail address to confirm.")
        else:
            try:
                actions.account_erase(user=user, via="web")
            except ValidationError as exc:
                error = "; ".join(exc.messages)
            else:
                logout(request)
                messages.success(request, _("Your account and everything in it were erased."))
                return redirect("login")
    return render(request, "web/account_erase.html", {"error": error})
