"""The record's API shapes: one per model and direction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from kring.people.models import Channel, Favour, Initiator, ShareLevel, Tier


class PersonIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=100)
    particles: str = ""
    surname: str = ""
    emails: list[str] = []
    phones: list[str] = []
    organisation_name: str = ""
    linkedin_url: str = ""
    title: str = ""
    sector: str = ""
    region: str = ""
    languages: str = ""
    birthday: dt.date | None = None
    interests: str = ""
    hobbies: str = ""
    family_notes: str = ""
    tags: list[str] = []
    tier: Tier = Tier.B
    how_met: str = ""
    private_notes: str = ""


class PersonPatch(Schema):
    given_name: str | None = Field(None, min_length=1, max_length=100)
    particles: str | None = None
    surname: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    organisation_name: str | None = None
    linkedin_url: str | None = None
    title: str | None = None
    sector: str | None = None
    region: str | None = None
    languages: str | None = None
    birthday: dt.date | None = None
    interests: str | None = None
    hobbies: str | None = None
    family_notes: str | None = None
    tags: list[str] | None = None


class PersonOut(Schema):
    id: int
    given_name: str
    particles: str
    surname: str
    full_name: str
    title: str
    organisation_id: int | None
    organisation: str | None
    emails: list[str]
    phones: list[str]
    linkedin_url: str
    sector: str
    region: str
    languages: str
    birthday: dt.date | None
    interests: str
    hobbies: str
    family_notes: str
    tags: list[str]
    tier: str


class ShareOut(Schema):
    workspace_id: int
    level: str


class ShareIn(Schema):
    level: ShareLevel


class RelationshipOut(Schema):
    person_id: int
    shares: list[ShareOut]
    tier: str
    how_met: str
    introduced_by_id: int | None
    private_notes: str
    snoozed_until: dt.date | None
    dont_contact_before: dt.date | None
    stars: int


class RelationshipPatch(Schema):
    tier: Tier | None = None
    how_met: str | None = None
    introduced_by_id: int | None = None
    private_notes: str | None = None
    snoozed_until: dt.date | None = None
    dont_contact_before: dt.date | None = None
    stars: int | None = Field(None, ge=0, le=3)


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    sector: str = ""
    size: str = ""
    region: str = ""
    website: str = ""
    tags: list[str] = []


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    sector: str | None = None
    size: str | None = None
    region: str | None = None
    website: str | None = None
    competes_with: list[int] | None = None
    tags: list[str] | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    size: str
    region: str
    website: str
    competes_with: list[int]
    tags: list[str]


class InteractionIn(Schema):
    people: list[int] = Field(..., min_length=1)
    occurred_at: dt.datetime | None = None
    channel: Channel
    minutes: int = Field(5, ge=1, le=1440)
    initiated_by: Initiator = Initiator.ME
    answered: bool | None = None
    summary: str = Field("", max_length=500)


class InteractionOut(Schema):
    id: int
    people: list[int]
    occurred_at: dt.datetime
    channel: str
    minutes: int
    initiated_by: str
    answered: bool | None
    summary: str


class NoteIn(Schema):
    text: str = Field(..., min_length=1)
    person_id: int | None = None
    tags: list[str] = []
    noted_on: dt.date | None = None


class NoteOut(Schema):
    id: int
    text: str
    person_id: int | None
    tags: list[str]
    noted_on: dt.date


class FavourIn(Schema):
    person_id: int
    direction: Favour.Direction
    kind: Favour.Kind
    value_eur: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    occurred_on: dt.date | None = None
    description: str = Field("", max_length=300)


class FavourOut(Schema):
    id: int
    person_id: int
    direction: str
    kind: str
    value_eur: Decimal | None
    occurred_on: dt.date
    description: str


class AskIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)
    person_id: int | None = None
    role: str = ""
    sector: str = ""
    region: str = ""
    organisation_name: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class AskOut(Schema):
    id: int
    text: str
    person_id: int | None
    role: str
    sector: str
    region: str
    organisation_name: str
    valid_from: dt.date
    valid_to: dt.date
