import pytest
from django.urls import reverse

from kring.accounts.actions import user_update_settings
from kring.people import actions
from tests.privacy import pdf_text

pytestmark = pytest.mark.django_db


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
    text = pdf_text(response.content)
    for line in ["Alice", "Lab software for pharma", "HR managers in Genk"]:
        assert line in text
