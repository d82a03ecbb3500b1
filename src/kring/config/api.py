"""The JSON API under /api/: token authentication per user; each app adds its routers
(``<app>/api.py``), which call the same actions and ``access_*`` queries as the pages, so a row
that is not the caller's answers 404 exactly like a row that does not exist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBasicAuth, HttpBearer

from kring.accounts import api as accounts_api
from kring.accounts import throttle
from kring.accounts.actions import api_token_authenticate, device_password_authenticate
from kring.accounts.models import User
from kring.clubs import api as clubs_api
from kring.imports import api as imports_api
from kring.lib import clock
from kring.lib.errors import NotFound, PermissionDenied
from kring.lib.validation import error_dict
from kring.network import api as network_api
from kring.people import api as people_api
from kring.planner import api as planner_api
from kring.teams import api as teams_api
from kring.workspaces import api as workspaces_api


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # A wrong token counts against the address; a locked address is refused before the
        # token is looked at (AxesMiddleware answers 429 with the time to wait).
        if not throttle.is_allowed(request):
            throttle.record_failure(request, kind=throttle.API_TOKEN)
            request.axes_locked_out = True  # type: ignore[attr-defined]
            return None
        user = api_token_authenticate(token)
        if user is None:
            throttle.record_failure(request, kind=throttle.API_TOKEN)
            return None
        _speak(request, user)
        return user


class DevicePasswordAuth(HttpBasicAuth):
    """HTTP Basic with the e-mail address and a device password (made under Settings), for
    apps that know only a user name and a password; throttled like a sign-in."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> User | None:
        if not throttle.is_allowed(request, username):
            throttle.record_failure(request, kind=throttle.DEVICE, username=username)
            request.axes_locked_out = True  # type: ignore[attr-defined]
            return None
        user = device_password_authenticate(email=username, password=password, now=clock.now())
        if user is None:
            throttle.record_failure(request, kind=throttle.DEVICE, username=username)
            return None
        _speak(request, user)
        return user


def _speak(request: HttpRequest, user: User) -> None:
    if user.language:
        # Messages in the answer speak the caller's language, as the pages do.
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


api = NinjaAPI(
    title="Kring API",
    version="1",
    description="My account and API tokens; workspaces, their members and invitations; "
    "people, organisations, relationships, interactions, notes, favours and asks; "
    "the pooled network; club meetings, seating and the referral ledger; the keep-warm "
    "planner; imports and merge proposals; rotating project teams. "
    "Authenticate with `Authorization: Bearer <token>` (make a token under Settings), or "
    "with HTTP Basic: your e-mail address and a device password (made under Settings).",
    auth=[TokenAuth(), DevicePasswordAuth()],
    urls_namespace="api",
)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_found", "detail": gettext("Not found")}, status=404
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = error_dict(exc)
    return api.create_response(
        request,
        {"code": "invalid", "detail": gettext("Invalid input"), "errors": errors},
        status=422,
    )


@api.exception_handler(NinjaValidationError)
def _invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return api.create_response(
        request,
        {"code": "invalid", "detail": gettext("Invalid input"), "errors": errors},
        status=422,
    )


APPS = (
    accounts_api,
    workspaces_api,
    people_api,
    network_api,
    clubs_api,
    planner_api,
    imports_api,
    teams_api,
)
for module in APPS:
    for router in module.routers:
        api.add_router("/", router)
