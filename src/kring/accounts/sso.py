"""Single sign-on with one OpenID Connect provider (a club's Google Workspace, Microsoft 365,
Keycloak…), through mozilla-django-oidc: its views run the authorization-code flow (with
PKCE, state and nonce), this module's backend decides which account the provider's answer
stands for (:func:`kring.accounts.actions.sso_sign_in`).

The provider is set by ``KRING_OIDC_*`` (settings); its endpoints and signing keys come from
its discovery document, ``<issuer>/.well-known/openid-configuration``, read at the first
sign-in and kept for :data:`DISCOVERY_SECONDS`. The ID token is checked for its signature,
issuer, audience and age before anything in it is believed.

A sign-in this way goes through Django's ``authenticate`` and ``login`` like a password one:
axes refuses a locked-out address first and counts a refused sign-in, and the ``user_logged_in``
receivers note the session and mail a sign-in from a new device.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kring.accounts import actions
from kring.accounts.models import User
from kring.lib import clock

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
LEEWAY_SECONDS = 60  # clock difference tolerated between the provider and this server
# Set on the request when a sign-on is refused: the reason, for the log-in page.
REFUSAL_ATTRIBUTE = "kring_sso_refusal"


def configured() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider_name() -> str:
    return settings.OIDC_NAME if configured() else ""


class ProviderUnreachable(Exception):
    """The provider's discovery document could not be read or does not fit."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    signing_algorithm: str


_cache: dict[str, tuple[float, Provider]] = {}


def provider() -> Provider:
    """The configured provider's endpoints, from its discovery document."""
    issuer = settings.OIDC_ISSUER
    cached = _cache.get(issuer)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnreachable(f"{url}: {exc}") from None
    if not isinstance(document, dict):
        raise ProviderUnreachable(f"{url}: not a JSON object")
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise ProviderUnreachable(
            f"{url}: names the issuer {document.get('issuer')!r}, not {issuer!r}"
        )
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
        if not isinstance(document.get(key), str)
    ]
    if missing:
        raise ProviderUnreachable(f"{url}: lacks {', '.join(missing)}")
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    # RS256 is the one every provider must offer; otherwise the first asymmetric one.
    usable = [a for a in algorithms if isinstance(a, str) and a[:2] in ("RS", "ES", "PS")]
    if not usable:
        raise ProviderUnreachable(f"{url}: signs ID tokens with none of RS*, ES*, PS*")
    found = Provider(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        userinfo_endpoint=document["userinfo_endpoint"],
        jwks_uri=document["jwks_uri"],
        signing_algorithm="RS256" if "RS256" in usable else usable[0],
    )
    _cache[issuer] = (time.monotonic() + DISCOVERY_SECONDS, found)
    return found


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Answers only the provider's callback (the view passes the nonce it kept): a password
    sign-in never reaches the provider."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are read when a callback comes, not whenever Django loads backends.
        self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not configured():
            return None
        if request.path != reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL):
            return None
        found = provider()
        self.provider = found
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = found.signing_algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library checks the signature and the expiry; the issuer and the audience are
        checked here too, so that a token the provider made for another client (or another
        provider's token) is refused."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from None

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            # The user-info answer must be about the person the signed ID token names.
            raise SuspiciousOperation("user info about another subject than the ID token")
        # The signed ID token's own claims win over the user-info answer where both say it.
        merged = {
            **claims,
            **{k: v for k, v in payload.items() if k in ("email", "email_verified")},
        }
        language = str(merged.get("locale") or "")[:2].lower()
        try:
            return actions.sso_sign_in(
                issuer=self.provider.issuer,
                subject=str(payload["sub"]),
                email=str(merged.get("email") or ""),
                email_verified=_verified(merged),
                display_name=str(merged.get("name") or ""),
                language=language or getattr(self.request, "LANGUAGE_CODE", "nl")[:2],
                now=clock.now(),
            )
        except actions.SignOnRefused as exc:
            setattr(self.request, REFUSAL_ATTRIBUTE, exc.message)
            # PermissionDenied stops Django's authenticate: it sends user_login_failed, which
            # axes counts against the address and the audit log records.
            raise PermissionDenied(exc.message) from None


def _verified(claims: dict[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address: ``email_verified`` (some send it
    as a string), or Microsoft Entra's optional ``xms_edov`` (the address's domain is one the
    tenant proved it owns), since Entra sends no ``email_verified``."""
    return any(
        claims.get(key) is True or str(claims.get(key)).lower() == "true"
        for key in ("email_verified", "xms_edov")
    )


def refusal_of(request: HttpRequest) -> str:
    return str(getattr(request, REFUSAL_ATTRIBUTE, "") or "")


def generic_failure() -> str:
    return _("Signing in with %(name)s did not work. Try again.") % {"name": provider_name()}
