"""The authentication backend that refuses locked-out attempts (django-axes)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):
    """Axes' check before the password one. Every sign-in from outside carries its request
    (the log-in page, the API); one without a request comes from inside the process (the
    test client's ``login()``), has no address to count, and is left to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
