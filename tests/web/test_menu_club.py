"""The club is one click away: the main menu links to the clubs the user is a member of."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_main_menu_links_to_the_members_club(cast):
    for user in (cast.alice, cast.bob):
        body = cast.client(user).get(reverse("plan")).content.decode()
        menu = body.split('id="menu-links"')[1].split("</ul>")[0]
        link = f'href="{reverse("workspace", args=[cast.club.pk])}" class="menu-club"'
        assert link in menu and "Businessclub Test" in menu


def test_the_main_menu_shows_no_club_to_someone_outside_it(cast):
    body = cast.client(cast.charlie).get(reverse("plan")).content.decode()
    assert "Businessclub Test" not in body and 'class="menu-club"' not in body
