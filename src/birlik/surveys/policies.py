"""Who does what with surveys and the expert council's work.

Surveys
- Researchers (analysts, national administrators, regional coordinators) build the
  questionnaires of the bodies in their subtree, run their surveys, weigh, export and publish.
- Collectors enter answers for a survey: its assigned interviewers, and staff (and analysts) of
  any body inside the network of the body that conducts it (a house of friendship entering the
  paper questionnaires of a national wave).
- Results of a survey are read by researchers covering its body; published results are public.
- Responses are anonymous; still only researchers covering the survey's body list them.

The expert council
- Council staff: staff of a scientific-expert council or regional expert group (or of a body
  above it: the region's coordinator) keep its research plans, studies and recommendations;
  national administrators and analysts holding their role on the whole network read all of
  them, national administrators act on them.
- A study is approved by a second person: council staff or a national administrator who did
  not draft it.
- A recommendation to an Assembly body is answered by that body's staff; an answer from a
  state body is recorded by the council's staff.
"""

from __future__ import annotations

from typing import Any, cast

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import (
    STAFF_ROLES,
    covers,
    grants_of,
    has_role,
    prefix_q,
    roots,
    scope_rule,
    tree_q,
)

RESEARCHERS = frozenset({Role.NATIONAL_ADMIN, Role.ANALYST, Role.REGIONAL_COORDINATOR})
COLLECTORS = STAFF_ROLES | {Role.ANALYST}
COUNCIL_KINDS = ("scientific_expert_council", "scientific_expert_group")
NATIONAL_READERS = frozenset({Role.NATIONAL_ADMIN, Role.ANALYST})
# A grant on the root body (one step of the path) holds on the whole network.
ROOT_PATH_LENGTH = 4


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _org_path(obj: Any) -> str:
    """The path of the body a survey record belongs to (a body's own path for a body)."""
    own = getattr(obj, "path", None)
    if isinstance(own, str):
        return own
    for attr in ("organisation", "plan", "questionnaire", "survey", "version"):
        target = getattr(obj, attr, None)
        if target is None:
            continue
        if attr == "organisation":
            return str(target.path)
        return _org_path(target)
    return ""


def national(user: Any, roles: frozenset[str]) -> bool:
    return any(len(path) <= ROOT_PATH_LENGTH for path in roots(user, roles))


def ancestor_paths(user: Any, roles: frozenset[str] = COLLECTORS) -> list[str]:
    """Every path above (and at) the user's grants: the bodies whose network they are in."""
    found: set[str] = set()
    for grant in grants_of(user):
        if grant.role in roles:
            path = grant.path
            found.update(path[:end] for end in range(ROOT_PATH_LENGTH, len(path) + 1, 4))
    return sorted(found)


# --- Surveys ----------------------------------------------------------------------------------


@rules.predicate
def researches(user: Any, obj: Any = None) -> bool:
    """Builds and runs surveys (of ``obj``'s body, when given)."""
    if obj is None:
        return has_role(user, RESEARCHERS)
    path = _org_path(obj)
    return bool(path) and covers(user, RESEARCHERS, path)


def _is_interviewer(user: Any, survey: Any) -> bool:
    if not _signed_in(user):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_birlik_interviews", {})
    if survey.pk not in cache:
        cache[survey.pk] = survey.interviewers.filter(pk=user.pk).exists()
    return cache[survey.pk]


@rules.predicate
def collects(user: Any, survey: Any = None) -> bool:
    """Enters answers for the survey: an interviewer of it, a researcher covering it, or staff
    inside the network of the body that conducts it."""
    if survey is None:
        return has_role(user, COLLECTORS | RESEARCHERS)
    if researches(user, survey):
        return True
    path = _org_path(survey)
    if any(g.path.startswith(path) for g in grants_of(user) if g.role in COLLECTORS):
        return True
    return _is_interviewer(user, survey)


@rules.predicate
def interviews(user: Any, survey: Any = None) -> bool:
    """Uses the offline interview page for the survey."""
    return bool(collects(user, survey))


@rules.predicate
def sees_surveys(user: Any) -> bool:
    """Opens the surveys section of the workspace."""
    return has_role(user, RESEARCHERS | COLLECTORS)


rules.add_perm("surveys.view", sees_surveys)
rules.add_perm("surveys.build", researches)  # obj: a questionnaire or its body
rules.add_perm("surveys.manage", researches)  # obj: a survey
rules.add_perm("surveys.collect", collects)  # obj: a survey (paper entry)
rules.add_perm("surveys.interview", interviews)  # obj: a survey
rules.add_perm("surveys.view_results", researches)  # obj: a survey
rules.add_perm("surveys.weigh", researches)  # obj: a survey
rules.add_perm("surveys.export", researches)  # obj: a survey
rules.add_perm("surveys.publish", researches)  # obj: a survey
rules.add_perm("surveys.import", collects)  # obj: a survey
rules.add_perm("surveys.view_responses", researches)  # obj: a survey


@scope_rule("surveys.Questionnaire")
def questionnaire_scope(user: Any) -> Q:
    return tree_q(user, RESEARCHERS, "organisation__path")


@scope_rule("surveys.MarginSet")
def margin_scope(user: Any) -> Q:
    return tree_q(user, RESEARCHERS, "organisation__path")


@scope_rule("surveys.Survey")
def survey_scope(user: Any) -> Q:
    if not _signed_in(user):
        return Q(pk__in=[])
    q = tree_q(user, RESEARCHERS, "organisation__path")
    above = ancestor_paths(user)
    if above:
        q |= Q(organisation__path__in=above)
    from .models import Survey

    assigned = cast(Any, Survey).interviewers.through.objects.filter(user_id=user.pk)
    return q | Q(pk__in=assigned.values("survey_id"))


@scope_rule("surveys.Response")
def response_scope(user: Any) -> Q:
    return tree_q(user, RESEARCHERS, "survey__organisation__path")


# --- The expert council --------------------------------------------------------------------------


def council_paths(user: Any) -> list[str]:
    """Paths of the councils and expert groups inside the subtrees where the user holds a staff
    role (their own council, or a coordinator's region's expert group)."""
    if not _signed_in(user):
        return []
    if not hasattr(user, "_birlik_council_paths"):
        from birlik.registry.models import Organisation

        paths = roots(user, STAFF_ROLES)
        found: list[str] = []
        if paths:
            found = sorted(
                Organisation.objects.filter(prefix_q("path", paths))
                .filter(kind__code__in=COUNCIL_KINDS)
                .values_list("path", flat=True)
            )
        user._birlik_council_paths = found
    return list(user._birlik_council_paths)


def _in_council(user: Any, path: str) -> bool:
    return any(path.startswith(root) for root in council_paths(user))


@rules.predicate
def reads_council(user: Any, obj: Any = None) -> bool:
    if national(user, NATIONAL_READERS):
        return True
    if obj is None:
        return bool(council_paths(user))
    if isinstance(obj, str):
        return _in_council(user, obj)
    if _in_council(user, _org_path(obj)):
        return True
    to_body = getattr(obj, "to_body", None)
    return to_body is not None and covers(user, STAFF_ROLES, str(to_body.path))


@rules.predicate
def keeps_council(user: Any, obj: Any = None) -> bool:
    """Drafts and edits plans, studies and recommendations (of ``obj``'s council)."""
    if national(user, frozenset({Role.NATIONAL_ADMIN})):
        return True
    if obj is None:
        return bool(council_paths(user))
    path = obj if isinstance(obj, str) else _org_path(obj)
    return _in_council(user, path)


@rules.predicate
def approves_study(user: Any, study: Any = None) -> bool:
    if study is None:
        return bool(keeps_council(user))
    return bool(keeps_council(user, study)) and study.drafted_by_id != getattr(user, "pk", None)


@rules.predicate
def answers_recommendation(user: Any, recommendation: Any = None) -> bool:
    if recommendation is None:
        return has_role(user, STAFF_ROLES)
    if recommendation.to_body_id is not None:
        return covers(user, STAFF_ROLES, str(recommendation.to_body.path)) or national(
            user, frozenset({Role.NATIONAL_ADMIN})
        )
    return bool(keeps_council(user, recommendation))


rules.add_perm("surveys.view_council", reads_council)  # obj: plan, study, recommendation
rules.add_perm("surveys.keep_council", keeps_council)  # obj: plan, study, recommendation, path
rules.add_perm("surveys.approve_study", approves_study)
rules.add_perm("surveys.answer_recommendation", answers_recommendation)


def _council_q(user: Any, field: str) -> Q:
    if national(user, NATIONAL_READERS):
        return Q()
    paths = council_paths(user)
    return prefix_q(field, paths) if paths else Q(pk__in=[])


@scope_rule("surveys.ResearchPlan")
def plan_scope(user: Any) -> Q:
    return _council_q(user, "organisation__path")


@scope_rule("surveys.Study")
def study_scope(user: Any) -> Q:
    return _council_q(user, "plan__organisation__path")


@scope_rule("surveys.Recommendation")
def recommendation_scope(user: Any) -> Q:
    if national(user, NATIONAL_READERS):
        return Q()  # (an empty Q() | x would narrow to x)
    q = _council_q(user, "organisation__path")
    paths = roots(user, STAFF_ROLES)
    if paths:
        q |= prefix_q("to_body__path", paths) & ~Q(status="draft")
    return q
