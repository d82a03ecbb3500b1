"""Every problem the readers report is said in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kring.accounts.actions import user_update_settings
from kring.core.importing import MESSAGES
from kring.imports.messages import TEXTS
from tests.imports import samples


def test_every_code_of_the_core_has_a_translatable_text_with_the_same_placeholders():
    for code, english in MESSAGES.items():
        if code == "refused":
            continue  # the model's own message, already in the user's language
        assert code in TEXTS, code
        with translation.override("en"):
            text = str(TEXTS[code])
        assert text == re.sub(r"\{(\w+)\}", r"%(\1)s", english), code


@pytest.mark.django_db
def test_the_preview_says_each_problem_in_dutch_to_a_dutch_reader(cast):
    user_update_settings(user=cast.alice, language="nl")
    client = cast.client(cast.alice)
    client.cookies["django_language"] = "nl"
    data = samples.connections_csv(
        [samples.connection("Jan", "Peeters", "Acme", email="geen-adres", on="30 Feb 2026")]
    )
    page = client.post(
        "/import/", {"upload": [SimpleUploadedFile("Connections.csv", data)]}, follow=True
    ).content.decode()
    assert "“geen-adres” is geen e-mailadres" in page
    assert "“30 Feb 2026” is een onmogelijke datum" in page
    broken = b'First Name,Last Name,Connected On\nJan,"Peeters,1 Feb 2026\nEls,Maes,2 Feb 2026\n'
    page = client.post(
        "/import/", {"upload": [SimpleUploadedFile("c.csv", broken)]}, follow=True
    ).content.decode()
    assert "c.csv, regel 2: een aanhalingsteken geopend op regel 2 wordt nooit gesloten" in page
