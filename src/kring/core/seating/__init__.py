"""Table plans across meetings: new people every time, known ties where wanted, hard rules kept.

The pure case is the Social Golfer Problem (CSPLib prob010): ``g`` tables of ``s`` seats over
``w`` meetings with no pair sharing a table twice. A club adds absences, unequal tables, fixed
hosts, people who must never share a table and pairs who should meet again.

Public API:

* :func:`plan_seating` plans club meetings from a :class:`SeatingProblem`;
* :func:`social_golfer_season` schedules a pure season (constructions, then tabu search);
* :func:`seating_report` recounts everything about a plan, :func:`season_figures` what the
  dial promises (new people met, pairs on the road to five, nobody met too often);
* :func:`read_problem` and friends (:mod:`kring.core.seating.io`) read CSV/JSON files.

No Django here: plain data in, plain data out; randomness takes a seed.
"""

from kring.core.seating.golfer import count_repeats, golfer_lower_bound, social_golfer_season
from kring.core.seating.io import (
    SeatingFileError,
    plan_to_json,
    plan_to_rows,
    read_problem,
    read_problem_json,
)
from kring.core.seating.model import (
    Affinity,
    Attendee,
    GolferSeason,
    InfeasibleSeating,
    MeetAgain,
    MeetingPlan,
    PastMeeting,
    SeasonFigures,
    SeatingError,
    SeatingInputError,
    SeatingPlan,
    SeatingProblem,
    SeatingReport,
    SeatingRules,
    Table,
    TableVariety,
)
from kring.core.seating.planner import plan_seating, table_sizes
from kring.core.seating.report import repeat_lower_bound, season_figures, seating_report

__all__ = [
    "Affinity",
    "Attendee",
    "GolferSeason",
    "InfeasibleSeating",
    "MeetAgain",
    "MeetingPlan",
    "PastMeeting",
    "SeasonFigures",
    "SeatingError",
    "SeatingFileError",
    "SeatingInputError",
    "SeatingPlan",
    "SeatingProblem",
    "SeatingReport",
    "SeatingRules",
    "Table",
    "TableVariety",
    "count_repeats",
    "golfer_lower_bound",
    "plan_seating",
    "plan_to_json",
    "plan_to_rows",
    "read_problem",
    "read_problem_json",
    "repeat_lower_bound",
    "season_figures",
    "seating_report",
    "social_golfer_season",
    "table_sizes",
]
