"""Every write of the clubs app, one module per part of a club's life; import from here."""

from kring.clubs.actions.ledger import one_to_one_log, referral_give, referral_update
from kring.clubs.actions.meetings import (
    ANSWER_SALT,
    answer_token,
    attendance_answer,
    attendance_drop_for_leaver,
    attendance_set,
    guest_add,
    meeting_create,
    meeting_invite,
    member_by_answer_token,
    require_member,
)
from kring.clubs.actions.members import MEMBER_COLUMNS, members_import
from kring.clubs.actions.seating import (
    SEAT_IN_WORKER_ABOVE,
    AbsentHost,
    absent_hosts,
    conversation_log,
    meeting_seat,
    meeting_seat_request,
    never_together,
    seat_move,
    seating_rule_add,
    seating_rule_remove,
    table_lock,
)
from kring.clubs.actions.wishes import MAX_WISHES, want_to_meet_set

__all__ = [
    "ANSWER_SALT",
    "MAX_WISHES",
    "MEMBER_COLUMNS",
    "SEAT_IN_WORKER_ABOVE",
    "AbsentHost",
    "absent_hosts",
    "answer_token",
    "attendance_answer",
    "attendance_drop_for_leaver",
    "attendance_set",
    "conversation_log",
    "guest_add",
    "meeting_create",
    "meeting_invite",
    "meeting_seat",
    "meeting_seat_request",
    "member_by_answer_token",
    "members_import",
    "never_together",
    "one_to_one_log",
    "referral_give",
    "referral_update",
    "require_member",
    "seat_move",
    "seating_rule_add",
    "seating_rule_remove",
    "table_lock",
    "want_to_meet_set",
]
