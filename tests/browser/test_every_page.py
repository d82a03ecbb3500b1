"""Every page of Kring, as the club's organiser (Alice) and as a member (Bob), in Dutch, on a
390×844 phone and on a 1280×800 desk: no page is wider than the window, and axe-core finds no
serious or critical accessibility violation.

The pages come from Django's URL resolver (tests/routes.py) in the world the access test builds;
each id is filled with a value the caller may open (Bob's own rows for Bob, Alice's for Alice).
A page that answers with HTML to GET is opened; forms that only take a POST, files (PDF, CSV,
vCard, JSON) and Django's admin are left out, each kind named in :func:`_skip_reason`.

The organiser's browser is in light mode, the member's in dark mode (Pico follows the
system's choice), so both colour schemes meet axe's contrast rules.

``KRING_SHOTS=/some/dir`` also saves a full-page screenshot of every page at both widths.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kring.accounts.actions import user_update_settings
from kring.clubs.actions import answer_token
from tests.browser.conftest import log_in
from tests.conftest import TEST_NOW
from tests.routes import build_world, kind_of, pages, public_reason

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
# What a caller may open of each kind, beyond the value the access test gives Bob.
ALICES = {
    "person": 1,  # tests/routes.py: the first hidden person is Jan, in Alice's file
    "organisation": 1,
    "interaction": 1,
    "note": 1,
    "favour": 1,
    "ask": 1,
    "touch": 1,
    "tier_proposal": 1,
    "batch": 1,
    "merge_proposal": 1,
    "merge": 1,
    "api_token": 1,
}
# Pages anyone may open signed out: they are tried signed out.
SIGNED_OUT = [
    "login",
    "signup",
    "signup_sent",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
]

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 1;
  const named = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const wide = [];  // the innermost elements that stick out
  for (const el of document.querySelectorAll("body *")) {
    if (sticksOut(el) && ![...el.children].some(sticksOut)) {
      wide.push(named(el) + " (" + Math.round(el.getBoundingClientRect().right) + "px)");
    }
    if (wide.length >= 4) break;
  }
  return document.documentElement.scrollWidth + "px wide: " + wide.join(", ");
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.impact + " " + v.id + ": " + v.help + " — " +
         v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def _skip_reason(name: str) -> str | None:
    if name.startswith("admin:"):
        return "Django's admin, for staff, in Django's own layout"
    return public_reason(name)


def _urls(world: Any, user: Any, values: dict[str, Any]) -> dict[str, str]:
    """The pages ``user`` can open by GET, as name -> URL (the first value that answers 200
    with HTML)."""
    client = Client()
    client.force_login(user)
    found: dict[str, str] = {}
    for page in pages():
        if _skip_reason(page.name):
            continue
        kinds = {part: kind_of(page.name, part) for part in page.parts}
        candidates = [{part: values[kind][0] for part, kind in kinds.items()}]
        for part, kind in kinds.items():
            for other in values[kind][1:]:
                candidates.append({**candidates[0], part: other})
        for candidate in candidates:
            url = page.url(candidate)
            response = client.get(url)
            if response.status_code == 405:  # a form's target: it takes only a POST
                break
            if (
                response.status_code == 200
                and response["Content-Type"].startswith("text/html")
                and b"<html" in response.content  # not a fragment htmx puts into a page
            ):
                found[page.name] = url
                break
    return found


def _values(world: Any, alice: bool) -> dict[str, list[Any]]:
    values = {}
    for kind, slot in world.slots.items():
        choices = [slot.visible, *slot.hidden]
        if alice and kind in ALICES:
            choices = [slot.hidden[ALICES[kind] - 1], *choices]
        values[kind] = choices
    return values


def _visit(page: Any, role: str, name: str, url: str, shots: Path | None) -> list[str]:
    problems = []
    axe_done = False
    for width_name, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.goto(url)
        wide = page.evaluate(OVERFLOW)
        if wide:
            problems.append(f"{role} {width_name} {name} {url}: {wide}")
        if shots:
            page.screenshot(path=str(shots / f"{role}-{name}-{width_name}.png"), full_page=True)
        if not axe_done:  # the same page at one width: what axe checks hardly depends on it
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(AXE_RUN):
                problems.append(f"{role} {name} {url}: {violation}")
            axe_done = True
    return problems


@pytest.fixture
def nl_world(cast):
    with time_machine.travel(TEST_NOW, tick=False):
        world = build_world(cast)
    for user in (cast.alice, cast.bob, cast.charlie):
        user_update_settings(user=user, language="nl")
    return world


def test_every_page_fits_a_phone_and_a_desk_and_axe_finds_nothing_serious(
    browser, live_server, nl_world
):
    shots = Path(os.environ["KRING_SHOTS"]) if os.environ.get("KRING_SHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    cast = nl_world.cast
    problems: list[str] = []
    opened = 0
    # The member's phone is set to dark mode (Pico follows it): both schemes pass axe.
    for role, user, alice, scheme in [
        ("organiser", cast.alice, True, "light"),
        ("member", cast.bob, False, "dark"),
    ]:
        urls = _urls(nl_world, user, _values(nl_world, alice))
        assert {"dashboard", "plan", "meeting", "my_table", "workspace"} <= set(urls), urls
        context = browser.new_context(
            base_url=live_server.url,
            locale="nl-BE",
            bypass_csp=True,
            viewport=WIDTHS["phone"],
            color_scheme=scheme,
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, user.email)
        for name, url in urls.items():
            problems += _visit(page, role, name, url, shots)
            opened += 1
        context.close()
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", bypass_csp=True, viewport=WIDTHS["phone"]
    )
    page = context.new_page()
    meeting = nl_world.slots["meeting"].visible
    signed_out = [(name, reverse(name)) for name in SIGNED_OUT] + [
        # The answer link in the invitation: what a member opens on a phone from the e-mail.
        ("answer_by_link", reverse("answer_by_link", args=[answer_token(meeting, cast.bob)]))
    ]
    for name, url in signed_out:
        problems += _visit(page, "signed-out", name, url, shots)
        opened += 1
    context.close()
    assert not problems, f"{len(problems)} problems on {opened} pages:\n" + "\n".join(problems)
