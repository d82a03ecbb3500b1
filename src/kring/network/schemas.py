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


class PathsOut(Schema):
    organisation: str
    paths: list[PathOut]


class ReachOut(Schema):
    alone_one: int
    alone_two: int
    pooled_one: int
    pooled_two: int
