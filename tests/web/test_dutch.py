"""Dutch throughout: every page read in Dutch shows no English (the plugin tests/dutch.py
checks every answer), and the check really catches an English message on a Dutch page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kring.accounts.models import User
from kring.clubs import actions
from kring.clubs.models import Attendance
from kring.lib import clock
from tests.conftest import TEST_NOW
from tests.dutch import check, english_in_response
from tests.routes import AMBIGUOUS, build_world, form_data, kind_of, pages, public_reason

pytestmark = pytest.mark.django_db


def _dutch(*users: User) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="nl")


def _full_table(cast):
    _dutch(cast.alice)
    meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Ledenavond",
        starts_at=clock.now() + dt.timedelta(days=7),
        tables=[("Tafel D", 1, None), ("Tafel E", 4, None)],
    )
    for user in (cast.alice, cast.bob):
        Attendance.objects.create(meeting=meeting, user=user, answer=Attendance.Answer.YES)
    table = meeting.tables.get(name="Tafel D")
    alice = meeting.attendances.get(user=cast.alice)
    actions.seat_move(actor=cast.alice, attendance=alice, table=table, locked=False)
    bob = meeting.attendances.get(user=cast.bob)
    url = reverse("seat_move", args=[meeting.pk, bob.pk])
    return url, {"table": table.pk}


def test_it_catches_an_english_message_on_a_dutch_page(cast, client, monkeypatch, english_seen):
    url, form = _full_table(cast)
    client.force_login(cast.alice)
    # The message as if someone forgot gettext: the page is Dutch, the message English.
    monkeypatch.setattr("kring.clubs.actions.seating._", lambda text: text)
    response = client.post(url, form, follow=True)
    assert "Tafel D is full." in response.content.decode()
    assert [sentence for _where, sentence in english_seen] == ["Tafel D is full."]
    english_seen.clear()

    monkeypatch.undo()
    response = client.post(url, form, follow=True)
    assert "Tafel D is vol." in response.content.decode()
    assert english_seen == []


def test_it_reads_what_a_reader_sees_and_leaves_dutch_alone():
    english = check.english_in_html
    assert english("<p><b>Tafel D</b> is full.</p>") == ["Tafel D is full."]
    assert english("<p>Tafel D is vol.</p><script>x = 'Tafel D is full.'</script>") == []
    assert english('<input type="text" placeholder="Tafel D is full.">') == ["Tafel D is full."]
    # "of" is Dutch too: "%(n)s of %(total)s" cannot tell the languages apart.
    assert english("<p>3 of 5</p>") == []


def test_it_knows_english_the_code_raises_without_gettext():
    found = check.plain_messages(
        check.SOURCE / "example.py",
        'raise ValidationError({"table": f"{table.name} is kaput now."})\n'
        'raise ValidationError({"table": _("%(table)s is fine.") % {"table": t}})\n',
    )
    assert found == [(1, "f'{table.name} is kaput now.'")]
    pattern = check._from_source(check.ast.parse('f"{table.name} is kaput now."').body[0].value)
    assert pattern is not None and pattern.pattern.search("Tafel D is kaput now.")


def test_it_reads_only_dutch_answers(cast, client):
    client.force_login(cast.alice)  # English
    response = client.get(reverse("dashboard"))
    assert response["Content-Language"] == "en"
    assert english_in_response(response) == []


def _urls(world) -> list[str]:
    visible = {kind: slot.visible for kind, slot in world.slots.items()}
    urls = []
    for page in pages():
        if public_reason(page.name) or page.name.startswith("admin:"):
            continue
        kinds = {part: kind_of(page.route, part) for part in page.parts}
        if any(k is None or k == AMBIGUOUS or k not in visible for k in kinds.values()):
            continue
        urls.append(page.url({part: visible[kind] for part, kind in kinds.items()}))
    return urls


def test_every_page_speaks_dutch_to_the_organiser_and_the_member(cast):
    """Every page of the site, as the club's organiser and as its member, in Dutch."""
    with time_machine.travel(TEST_NOW, tick=False):
        world = build_world(cast)
    _dutch(cast.alice, cast.bob)
    kinds: list[str] = []
    for user in (cast.alice, cast.bob):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _urls(world):
            response = client.get(url)
            if response.get("Content-Language") == "nl" and response.status_code == 200:
                kinds.append(response["Content-Type"].split(";")[0])
    assert kinds.count("text/html") > 40
    assert kinds.count("application/pdf") >= 3  # table plan, place cards, name badges


def test_every_form_answers_in_dutch(cast):
    """Every page's form sent empty and sent with the world's values, by the organiser and
    by the member: the errors and messages that follow are Dutch (each send rolled back)."""
    with time_machine.travel(TEST_NOW, tick=False):
        world = build_world(cast)
    _dutch(cast.alice, cast.bob)
    filled = form_data({kind: slot.visible for kind, slot in world.slots.items()})
    answered = 0
    for user in (cast.alice, cast.bob):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _urls(world):
            for form in ({}, filled):
                with transaction.atomic():
                    response = client.post(url, form, follow=True)
                    transaction.set_rollback(True)
                answered += response.get("Content-Language") == "nl"
    assert answered > 100


def test_it_says_settings_saved_in_the_language_just_chosen(cast, client):
    client.force_login(cast.alice)  # English until she chooses Dutch
    response = client.post(
        reverse("settings"),
        {"language": "nl", "country": "BE", "weekly_budget_minutes": "60"},
        follow=True,
    )
    assert response["Content-Language"] == "nl"
    assert "Instellingen opgeslagen." in response.content.decode()


def test_it_reads_the_mails_sent_in_dutch():
    from django.core.mail import EmailMessage

    from tests.dutch import english_in_mail

    def mail(body: str, language: str) -> EmailMessage:
        return EmailMessage(
            "Onderwerp", body, to=["a@example.be"], headers={"Content-Language": language}
        )

    assert english_in_mail(mail("Tafel D is full.", "nl")) == ["Tafel D is full."]
    assert english_in_mail(mail("Tafel D is vol.", "nl")) == []
    assert english_in_mail(mail("Tafel D is full.", "en")) == []


def test_it_finds_a_date_written_in_english():
    assert check.english_on_page("Ledenavond\nThursday 3 December 2026, 19:00") == [
        "Thursday 3 December 2026, 19:00"
    ]
    assert check.english_on_page("Ledenavond\ndonderdag 3 december 2026, 19:00") == []


def test_it_finds_text_a_template_writes_outside_the_translate_tags():
    template = (
        '{% load i18n %}<h1>{% translate "Tables" %}</h1><p>{{ n }} min</p>'
        "{% blocktranslate %}Seat {{ n }} people{% endblocktranslate %}<th>Seats left</th>"
        '<button name="answer" value="yes">{% translate "Yes" %}</button>'
    )
    assert check.untranslated_template_text(template) == ["Seats left"]
