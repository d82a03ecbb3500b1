import pytest
from django.urls import reverse

from kring.people import actions
from kring.people.models import Ask

pytestmark = pytest.mark.django_db


def test_it_proposes_fields_from_a_sentence_and_ranks_who_fits(club_network):
    cast = club_network
    client = cast.client(cast.alice)
    url = reverse("club_asks", args=[cast.club.pk])
    page = client.post(url, {"text": "R&D managers bij Acme", "step": "propose"}).content
    page = page.decode()
    assert 'id="proposed"' in page and 'value="R&amp;D manager"' in page
    assert not Ask.objects.filter(owner=cast.alice, person__isnull=True).exists()
    client.post(
        url,
        {
            "text": "R&D managers bij Acme",
            "role": "R&D manager",
            "organisation_name": "Acme",
            "step": "save",
        },
    )
    ask = Ask.objects.get(owner=cast.alice, person__isnull=True)
    assert ask.role == "R&D manager"
    body = client.get(url).content.decode()
    assert "Koen Claes" in body  # shared by name, an R&D manager at Acme
    assert "Henk" not in body


def test_it_shows_the_asks_my_own_network_can_answer(club_network):
    cast = club_network
    actions.ask_create(owner=cast.bob, text="R&D managers in pharma", role="R&D manager")
    body = cast.client(cast.alice).get(reverse("club_asks", args=[cast.club.pk])).content
    body = body.decode()
    assert "R&amp;D managers in pharma" in body
    assert "Jan van der Berg" in body  # Alice's own contact fits Bob's ask: give first


def test_it_shows_the_asks_that_close_first_and_the_rest_on_request(club_network):
    from kring.network.views import ANSWERABLE_SHOWN

    cast = club_network
    total = ANSWERABLE_SHOWN + 3
    for n in range(total):
        actions.ask_create(
            owner=cast.bob, text=f"R&D managers in pharma, number {n}", role="R&D manager"
        )
    url = reverse("club_asks", args=[cast.club.pk])
    client = cast.client(cast.alice)
    body = client.get(url).content.decode()
    assert body.count("R&amp;D managers in pharma, number") == ANSWERABLE_SHOWN
    assert 'id="answerable-more"' in body and "Show 3 more asks" in body
    body = client.get(url + "?answerable=all").content.decode()
    assert body.count("R&amp;D managers in pharma, number") == total
    assert 'id="answerable-more"' not in body
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    assert "Toon nog 3 vragen" in client.get(url).content.decode()


def test_it_refuses_an_empty_ask(club_network):
    cast = club_network
    url = reverse("club_asks", args=[cast.club.pk])
    page = cast.client(cast.alice).post(url, {"text": "  ", "step": "propose"}).content
    assert b'data-field="text"' in page
    assert cast.client(cast.charlie).get(url).status_code == 404
