"""A company manager sets departments and forms rotating project teams in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kring.accounts.actions import user_sign_up
from kring.teams.models import Rotation, TeamMember
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTMENTS = ["Sales", "Finance", "R&D"]


def test_it_forms_mixed_project_teams(page, cast):
    acme = workspace_create(owner=cast.alice, name="Acme", kind=Workspace.Kind.COMPANY)
    members = [cast.alice]
    for i in range(8):
        user = user_sign_up(
            email=f"collega{i}@acme.example", password=PASSWORD, display_name=f"Collega {i}"
        )
        Membership.objects.create(workspace=acme, user=user)
        members.append(user)
    log_in(page, cast.alice.email)
    page.goto(f"/workspaces/{acme.pk}/")
    page.get_by_role("link", name="Rotating project teams").click()
    for i, user in enumerate(members):
        page.locator(f"#department-{user.pk}").fill(DEPARTMENTS[i % 3])
    page.get_by_role("button", name="Save departments").click()
    expect(page.locator(".muted", has_text="3 departments")).to_be_visible()
    screenshot(page, "project-teams-departments")
    page.get_by_label("Name").fill("Innovation sprints")
    page.get_by_label("Team size").fill("3")
    page.get_by_label("Rounds").fill("3")
    page.get_by_role("button", name="Form teams").click()
    expect(page.locator("section.round")).to_have_count(3)
    first = page.locator("#round-1")
    expect(first.locator(".team-card")).to_have_count(3)
    expect(first.locator(".report")).to_contain_text("every team mixes")
    expect(first.locator(".report")).to_contain_text("0 pairs worked together before")
    expect(page.locator("#my-team")).to_contain_text("My team in round 1")
    screenshot(page, "project-teams")
    rotation = Rotation.objects.get()
    assert TeamMember.objects.filter(team__round__rotation=rotation).count() == 3 * 9
