"""Background jobs of surveys: weighing a survey and computing its estimates, quality flags at
close. Each part keeps its own section."""

from __future__ import annotations

from typing import Any

from django_tasks import task

# --- Collecting answers (collect) -----------------------------------------------------------------


@task()
def survey_flag_job(survey_id: int) -> dict[str, int]:
    """Compute the quality flags of a survey's responses (speeding, straightlining,
    duplicates); the counts, or an empty mapping when the survey is gone."""
    from .models import Survey
    from .quality import flag_survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return {}
    return flag_survey(survey)


# --- Weighting and estimates (stats) --------------------------------------------------------------


@task()
def survey_weigh_job(survey_id: int, user_id: int | None) -> dict[str, Any]:
    """Weigh a survey and compute its estimates (``services.survey_weigh``): ``{"run": id}``,
    or ``{"error": message}`` when it cannot be weighed (the message is translated in the
    language active when the job runs) or is gone."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from birlik.core.errors import DomainError

    from . import services
    from .models import Survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return {"error": "gone"}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user_id and user is None:
        return {"error": "gone"}
    try:
        run = services.survey_weigh(survey, user=user)
    except DomainError as error:
        return {"error": str(error.message)}
    except PermissionDenied:
        return {"error": "forbidden"}
    return {"run": run.pk}
