import base64
import re
import zlib

import pytest
from django.urls import reverse

from kring.accounts.actions import user_update_settings
from kring.people import actions

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    """The text drawn in a PDF, from its (maybe compressed) content streams."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        if raw.endswith(b"~>"):  # ReportLab's default: ASCII85 around Flate
            raw = base64.a85decode(raw.removeprefix(b"<~")[:-2])
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            chunks.append(raw)
    drawn = re.findall(rb"\((.*?)\)\s*Tj", b"\n".join(chunks), re.S)
    return " ".join(part.decode("latin-1") for part in drawn)


@pytest.fixture
def carded(cast):
    user_update_settings(
        user=cast.alice,
        offer="Lab software for pharma",
        seeking="R&D managers",
        ideal_customer="A lab of 20 people in Limburg",
    )
    actions.ask_create(owner=cast.alice, text="HR managers in Genk")
    return cast


def test_it_shows_a_members_card_to_the_club(carded):
    url = reverse("member_card", args=[carded.club.pk, carded.alice.pk])
    body = carded.client(carded.bob).get(url).content.decode()
    for text in ["Lab software for pharma", "R&amp;D managers", "HR managers in Genk"]:
        assert text in body


def test_it_makes_a_pdf_with_every_line(carded):
    url = reverse("member_card", args=[carded.club.pk, carded.alice.pk])
    response = carded.client(carded.bob).get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    for line in ["Alice", "Lab software for pharma", "HR managers in Genk"]:
        assert line in text
