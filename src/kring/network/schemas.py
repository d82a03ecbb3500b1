"""The pooled network's API shapes."""

from __future__ import annotations

from ninja import Schema


class HopOut(Schema):
    label: str
    strength: float
    strength_word: str
    person_id: int | None
    member: bool
    competitor: bool


class PathOut(Schema):
    score: float
    flagged: bool
    hops: list[HopOut]
    why_not: str  # why no introduction can be requested on this path; empty when one can


class PathsOut(Schema):
    organisation: str
    paths: list[PathOut]


class ReachOut(Schema):
    alone_one: int  # the people in my file
    alone_two: int  # within two hops of me (contains alone_one)
    pooled_one: int  # everyone the club knows, members included, me not (contains alone_two)
    pooled_organisations: int  # the organisations those people work at
