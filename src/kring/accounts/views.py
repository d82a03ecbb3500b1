"""Sign-up, settings and API tokens; the throttled password reset and the lock-out page."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from mozilla_django_oidc import views as oidc_views

from kring.accounts import actions, forms, queries, sso, throttle
from kring.accounts.devices import device_name
from kring.accounts.middleware import PENDING_KEY, REQUIRED_KEY, SEEN_KEY, VERIFIED_KEY
from kring.accounts.places import place_of, source_of_places
from kring.lib import clock
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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled: each mail asked for counts against the account and the
    address, so that nobody floods a mailbox or probes addresses at speed."""

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not throttle.is_allowed(self.request, email):
            return throttle.lockout_response(self.request)
        if throttle.record_failure(self.request, kind=throttle.RESET_REQUEST, username=email):
            return throttle.lockout_response(self.request)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link, throttled: a link that does not check out (guessed, used or
    expired) counts as a failure against its account and the address; setting the new password
    clears the account's failures."""

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = self.get_user(kwargs["uidb64"])
        email = user.email if user is not None else None
        if not throttle.is_allowed(self.request, email):
            return throttle.lockout_response(self.request)
        response = super().dispatch(*args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if context.get("validlink") is False and throttle.record_failure(
            self.request, kind=throttle.RESET_LINK, username=email
        ):
            return throttle.lockout_response(self.request)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.signin_unlock(actor=form.user, email=form.user.email, via="web")
        # Whoever knew the old password is signed out everywhere.
        actions.sessions_end_others(user=form.user, keep_session_key=None, via="web")
        return response


def _site_admin(request: HttpRequest) -> None:
    user = current_user(request)
    if not (user.is_staff and user.is_superuser):
        raise NotFound("page", "locks")  # for anyone else the page does not exist


@login_required
def signin_locks(request: HttpRequest) -> HttpResponse:
    """For site admins: the accounts and addresses locked out now, each with an unlock."""
    _site_admin(request)
    if request.method == "POST":
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
        if kind not in ("username", "ip_address") or not value:
            messages.error(request, _("Choose an account or an address to unlock."))
        else:
            actions.signin_unlock(
                actor=current_user(request),
                email=value if kind == "username" else "",
                address=value if kind == "ip_address" else "",
                via="web",
            )
            messages.success(request, _("Unlocked %(value)s.") % {"value": value})
        return redirect("signin_locks")
    return render(request, "accounts/locks.html", {"locks": queries.locks(now=clock.now())})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Password, sessions and device passwords: who can sign in as me, and where I am."""
    user = current_user(request)
    return render(
        request,
        "accounts/security.html",
        {
            "sign_ins": [
                (sign_in, device_name(sign_in.user_agent), place_of(sign_in.ip_address))
                for sign_in in queries.sign_ins_of(user, now=clock.now())
            ],
            "current_key": request.session.session_key,
            "places_source": source_of_places(),
            "devices": queries.device_passwords_of(user),
            "device_form": forms.DevicePasswordForm(),
            "two_factor": actions.two_factor_device(user) is not None,
            "owned": queries.workspaces_owned_by(user),
            "sso_identities": queries.sso_identities_of(user),
            "sso_name": sso.provider_name(),
        },
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change my password: the old one, then the new one twice; every other session ends."""
    user = current_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if not throttle.is_allowed(request, user.email):
            return throttle.lockout_response(request)
        if form.is_valid():
            old_key = request.session.session_key
            try:
                actions.user_set_password(
                    user=user,
                    password=form.cleaned_data["new_password1"],
                    actor=user,
                    keep_session_key=old_key,
                    via="web",
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                update_session_auth_hash(request, user)  # this browser stays signed in
                if old_key:
                    actions.sign_in_forget(session_key=old_key)
                request.session.pop(SEEN_KEY, None)  # noted anew under the new key
                messages.success(
                    request, _("Your password is changed; your other sessions have ended.")
                )
                return redirect("security")
        elif "old_password" in form.errors and throttle.record_failure(
            request, kind=throttle.SIGN_IN, username=user.email
        ):
            return throttle.lockout_response(request)
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
def sign_in_end(request: HttpRequest, sign_in_id: int) -> HttpResponse:
    actions.sign_in_end(user=current_user(request), sign_in_id=sign_in_id, via="web")
    messages.success(request, _("That session has ended."))
    return redirect("security")


@login_required
@require_POST
def device_password_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.DevicePasswordForm(request.POST)
    if form.is_valid():
        try:
            device, secret = actions.device_password_create(
                user=user, name=form.cleaned_data["name"], now=clock.now(), via="web"
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return render(
                request,
                "accounts/device_password_created.html",
                {"device": device, "secret": secret},
            )
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("security")


@login_required
@require_POST
def device_password_revoke(request: HttpRequest, device_password_id: int) -> HttpResponse:
    actions.device_password_revoke(
        user=current_user(request), device_password_id=device_password_id, via="web"
    )
    messages.success(request, _("That device password no longer works."))
    return redirect("security")


# --- Two-factor sign-in --------------------------------------------------------------------
PENDING_MINUTES = 10  # how long a checked password waits for its code


class LoginView(auth_views.LoginView):
    """Django's log-in page; an account with two-factor sign-in goes on to the code page,
    signed in only once the code checks out. A member of a club that signs in only with
    single sign-on is sent to its button once the password checked out (never before: the
    page must not tell who is a member of what)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_name"] = sso.provider_name()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        sso_only = list(queries.sso_only_workspaces_of(user))
        if sso_only:
            refusal = _(
                "%(workspace)s signs in only with %(name)s: use the button “Sign in with %(name)s”."
            ) % {"workspace": sso_only[0].name, "name": sso.provider_name()}
            return self.render_to_response(self.get_context_data(form=form, refusal=refusal))
        if actions.two_factor_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": clock.now().isoformat(),
        }
        return redirect("login_code")


class SingleSignOnStartView(oidc_views.OIDCAuthenticationRequestView):
    """The button: off to the provider with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is read at the request, not at start-up

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.configured():
            raise NotFound("page", "sso")
        try:
            provider = sso.provider()
        except sso.ProviderUnreachable:
            sso.log.exception("single sign-on: the provider's discovery document")
            messages.error(request, sso.generic_failure())
            return redirect("login")
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SingleSignOnCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend turns it into the
    account (:func:`kring.accounts.actions.sso_sign_in`), or the log-in page says why not.

    The provider's own sign-in counts for the workspace's "two-factor required" (a club that
    uses single sign-on sets its second factor at the provider); an account whose owner turned
    on Kring's two-factor sign-in is still asked its code."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.configured():
            raise NotFound("page", "sso")
        throttle.mark(request, throttle.SSO)
        try:
            return super().get(request)
        except (SuspiciousOperation, sso.ProviderUnreachable, requests.RequestException):
            sso.log.exception("single sign-on: the provider's answer was refused")
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        if getattr(self.request, "axes_locked_out", False):
            return throttle.lockout_response(self.request)
        messages.error(self.request, sso.refusal_of(self.request) or sso.generic_failure())
        return redirect("login")

    def login_success(self) -> HttpResponse:
        user = self.user
        next_url = self.success_url
        if actions.two_factor_device(user) is not None:
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": next_url,
                "at": clock.now().isoformat(),
                "sso": True,
            }
            return redirect("login_code")
        login(self.request, user, backend=user.backend)
        self.request.session[VERIFIED_KEY] = True  # the provider's second factor counts
        return safe_redirect(self.request, next_url, "dashboard")


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    import datetime as dt

    pending = request.session.get(PENDING_KEY)
    now = clock.now()
    user = None
    if isinstance(pending, dict):
        fresh = dt.datetime.fromisoformat(pending["at"]) > now - dt.timedelta(
            minutes=PENDING_MINUTES
        )
        user = queries.active_user_by_id(pending["user"]) if fresh else None
    if user is None or pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Sign in again, please: that took too long."))
        return redirect("login")
    form = forms.TwoFactorCodeForm(request.POST or None)
    if request.method == "POST":
        if not throttle.is_allowed(request, user.email):
            return throttle.lockout_response(request)
        if form.is_valid():
            device = actions.two_factor_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                del request.session[PENDING_KEY]
                login(request, user, backend=pending["backend"])
                request.session[VERIFIED_KEY] = True
                if device.name == actions.RECOVERY_NAME:
                    left = actions.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; %(left)s are left. "
                            "Make new ones under Settings if you lost your device."
                        )
                        % {"left": left},
                    )
                return safe_redirect(request, pending["next"], "dashboard")
            if throttle.record_failure(request, kind=throttle.TWO_FACTOR, username=user.email):
                return throttle.lockout_response(request)
            form.add_error("code", _("That code is not right. Try the newest one."))
    return render(request, "registration/login_code.html", {"form": form})


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, confirm a code, keep the recovery codes), make new
    recovery codes, or turn it off."""
    from base64 import b32encode

    from django.utils.safestring import mark_safe

    user = current_user(request)
    device = actions.two_factor_device(user)
    form = forms.TwoFactorCodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and device is None and action == "confirm" and form.is_valid():
        try:
            _device, codes = actions.two_factor_confirm(
                user=user, code=form.cleaned_data["code"], via="web"
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            request.session[VERIFIED_KEY] = True
            request.session.pop(REQUIRED_KEY, None)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    elif request.method == "POST" and device is not None and action == "codes":
        codes = actions.two_factor_new_recovery_codes(user=user, via="web")
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    elif request.method == "POST" and device is not None and action == "off" and form.is_valid():
        if actions.two_factor_verify(user=user, code=form.cleaned_data["code"]) is None:
            form.add_error("code", _("That code is not right. Try the newest one."))
        else:
            try:
                actions.two_factor_turn_off(user=user, actor=user, via="web")
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("security")
    context: dict[str, Any] = {"device": device, "form": form}
    if device is None:
        pending = actions.two_factor_begin(user=user)
        context["secret"] = b32encode(pending.bin_key).decode()
        context["qr"] = mark_safe(_qr_svg(pending.config_url))
        context["required"] = bool(request.session.get(REQUIRED_KEY))
    else:
        context["codes_left"] = actions.recovery_codes_left(user)
        context["required"] = actions.two_factor_required(user)
    return render(request, "accounts/two_factor.html", context)


@login_required
def workspace_sign_in(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The owner's sign-in rules for a club or company."""
    from kring.lib.errors import PermissionDenied
    from kring.workspaces.models import Membership
    from kring.workspaces.queries import access_workspace_by_id

    user = current_user(request)
    workspace, membership = access_workspace_by_id(user, workspace_id)
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only the owner sets how members sign in."))
    policy = queries.sign_in_policy_of(workspace)
    form = forms.SignInPolicyForm(
        request.POST or None,
        initial={
            "require_two_factor": policy.require_two_factor if policy else False,
            "sso_only": policy.sso_only if policy else False,
        },
        sso_offered=sso.configured(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.workspace_policy_set(
                actor=user, workspace=workspace, via="web", **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Sign-in rules saved."))
            return redirect("workspace_sign_in", workspace_id=workspace.pk)
    return render(
        request,
        "accounts/workspace_sign_in.html",
        {"form": form, "workspace": workspace, "sso_name": sso.provider_name()},
    )
