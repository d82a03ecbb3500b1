"""Dropping a LinkedIn export and a phone's vCards on the import page, as a user does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kring.people.models import Person
from tests.browser.conftest import log_in, screenshot
from tests.imports import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_previews_confirms_and_finds_each_person_once(page, cast, tmp_path):
    export = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip"
    export.write_bytes(
        samples.linkedin_zip(
            samples.connections_csv(
                [
                    samples.connection(
                        "Marie", "De Smet", "Beta NV", slug="mdesmet", position="CFO"
                    ),
                    samples.connection(
                        "Pieter",
                        "Janssens",
                        "Gamma",
                        email="pieter@gamma.example",
                        position="Sales manager",
                    ),
                    samples.connection("Els", "Maes", "Delta", slug="elsmaes", on="31 Feb 2026"),
                ]
            )
        )
    )
    cards = tmp_path / "phone.vcf"
    cards.write_text(
        samples.vcard(
            "Pieter",
            "Janssens",
            emails=("pieter@gamma.example",),
            phones=("0470 99 88 77",),
            org="Gamma",
        )
        + samples.vcard("Lotte", "Maes", emails=("lotte@example.be",))
    )
    meeting = tmp_path / "calendar.ics"
    meeting.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:lunch-1@example\r\nDTSTAMP:20261101T090000Z\r\n"
        "DTSTART:20261105T110000Z\r\nDTEND:20261105T120000Z\r\n"
        "SUMMARY:Lunch with Pieter\r\nORGANIZER:mailto:alice@example.be\r\n"
        "ATTENDEE:mailto:alice@example.be\r\nATTENDEE:mailto:pieter@gamma.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    log_in(page, cast.alice.email)
    page.get_by_role("link", name="Import").click()
    page.locator("#id_upload").set_input_files([str(export), str(cards), str(meeting)])
    page.get_by_role("button", name="Read the files").click()

    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".preview-file").first).to_contain_text("LinkedIn connections")
    expect(page.locator(".preview-file").nth(1)).to_contain_text("vCard contacts")
    # Els's impossible connection date costs the date, not Els.
    expect(page.locator("#preview-counts")).to_contain_text("4new")
    expect(page.locator("#preview-counts-problems")).to_contain_text("Connected On")
    screenshot(page, "import-preview")
    assert Person.objects.filter(owner=cast.alice).count() == 1

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import report")).to_be_visible()
    page.get_by_role("link", name="See your people").click()
    names = page.locator("#people-table tbody td:first-child").all_inner_texts()
    assert sorted(names) == [
        "Els Maes", "Jan van der Berg", "Lotte Maes", "Marie De Smet", "Pieter Janssens",
    ]  # fmt: skip
    screenshot(page, "import-people")
    page.get_by_role("link", name="Pieter Janssens").click()
    expect(page.locator("#timeline")).to_contain_text("Lunch with Pieter")
    expect(page.locator("#timeline")).to_contain_text("Connected on LinkedIn")
