"""An API client that checks every answer against the OpenAPI schema Kring publishes: the
status must be one the operation declares, and the body must fit its schema."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from django.test import Client

from kring.accounts.actions import api_token_create


def find_path(schema: dict[str, Any], path: str) -> str:
    """The schema's path template that ``path`` (without its query) matches."""
    for template in schema["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI schema")


_schema: dict[str, Any] = {}  # built once per test run: the routes do not change in between


class SchemaClient:
    """Calls the API as one of ``users`` (each gets a token) and validates each answer."""

    def __init__(self, users: list[Any]) -> None:
        self.client = Client()
        if not _schema:
            _schema.update(self.client.get("/api/openapi.json").json())
        self.schema = _schema
        self.keys = {user.pk: api_token_create(user=user)[1] for user in users}

    def call(
        self,
        user: Any,
        method: str,
        path: str,
        body: Any = None,
        status: int = 200,
        files: dict[str, Any] | None = None,
    ) -> Any:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.keys[user.pk]}"}
        send = getattr(self.client, method)
        if files is not None:  # multipart, as a browser uploads
            response = send(path, data=files, **auth)
        else:
            data = body if body is not None else {}
            response = send(path, data=data, content_type="application/json", **auth)
        assert response.status_code == status, (path, response.status_code, response.content)
        data = response.json() if response.content else None
        template = find_path(self.schema, path.split("?")[0])
        answers = self.schema["paths"][template][method]["responses"]
        assert str(status) in answers, f"{method} {template} does not declare {status}"
        answer = answers[str(status)]
        if "content" not in answer:
            assert data is None
            return data
        spec = answer["content"]["application/json"]["schema"]
        jsonschema.validate(data, {**spec, "components": self.schema["components"]})
        return data

    def errors(self, user: Any, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """The fields a 422 answer names."""
        return self.call(user, method, path, body, status=422)["errors"]
