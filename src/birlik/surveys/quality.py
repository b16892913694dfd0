"""Quality flags on a survey's responses, for the analyst to review (never a refusal):

- ``speeding``: answered in less than a third of the median time of the responses to the same
  questionnaire version that carry a duration (``True``);
- ``straightlining``: the same point of the scale on every row of a matrix of five rows or
  more (the codes of those matrices; "don't know" and "refusal" on every row are not flagged:
  they are missing answers, not a pattern);
- ``duplicate``: the same browser (``device_digest``) or identical answers and demographic
  columns (``content_hash``) as an earlier response (the id of that earlier response).

Only responses not excluded are read and flagged; excluded ones keep what they had. Running it
again gives the same flags (other keys of ``flags`` are kept), and writes only the rows whose
flags changed, in batches.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from .models import Option, Question, Response, Survey

FLAGS = ("speeding", "straightlining", "duplicate")
SPEEDING_SHARE = 1 / 3
STRAIGHTLINING_ROWS = 5
BATCH = 500
# Responses made outside the services (seeded data) carry no real content hash.
HASH_LENGTH = 64


def _wide_matrices(version_ids: set[int]) -> dict[int, dict[str, list[str]]]:
    """Per version: the matrices of at least ``STRAIGHTLINING_ROWS`` rows, with their rows."""
    rows: dict[int, dict[str, list[str]]] = defaultdict(dict)
    found = Option.objects.filter(
        kind=Option.Kind.ROW,
        question__kind=Question.Kind.MATRIX,
        question__version_id__in=version_ids,
    ).values_list("question__version_id", "question__code", "code")
    for version_id, code, row in found:
        rows[version_id].setdefault(code, []).append(row)
    return {
        version_id: {
            code: codes for code, codes in matrices.items() if len(codes) >= STRAIGHTLINING_ROWS
        }
        for version_id, matrices in rows.items()
    }


def _straightlined(answers: Any, matrices: dict[str, list[str]]) -> list[str]:
    found: list[str] = []
    if not isinstance(answers, dict):
        return found
    for code, rows in matrices.items():
        given = answers.get(code)
        if not isinstance(given, dict):
            continue
        values = [given.get(row) for row in rows]
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            continue
        if len(set(values)) == 1:
            found.append(code)
    return found


def flag_survey(survey: Survey) -> dict[str, int]:
    """Compute the quality flags of the survey's responses not excluded; the number of
    responses carrying each flag, and of responses read (``responses``)."""
    rows = list(
        Response.objects.filter(survey=survey, excluded=False)
        .order_by("id")
        .only(
            "id",
            "version_id",
            "duration_seconds",
            "device_digest",
            "content_hash",
            "answers",
            "flags",
        )
    )
    durations: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.duration_seconds is not None:
            durations[row.version_id].append(row.duration_seconds)
    thresholds = {
        version_id: statistics.median(values) * SPEEDING_SHARE
        for version_id, values in durations.items()
    }
    matrices = _wide_matrices({row.version_id for row in rows})
    first_device: dict[str, int] = {}
    first_content: dict[str, int] = {}
    counts = dict.fromkeys(FLAGS, 0)
    changed: list[Response] = []
    for row in rows:
        found: dict[str, Any] = {}
        threshold = thresholds.get(row.version_id)
        if (
            row.duration_seconds is not None
            and threshold is not None
            and row.duration_seconds < threshold
        ):
            found["speeding"] = True
        lines = _straightlined(row.answers, matrices.get(row.version_id, {}))
        if lines:
            found["straightlining"] = lines
        earlier = [
            first.setdefault(key, row.pk)
            for first, key in (
                (first_device, row.device_digest),
                (first_content, row.content_hash if len(row.content_hash) == HASH_LENGTH else ""),
            )
            if key
        ]
        repeats = [pk for pk in earlier if pk != row.pk]
        if repeats:
            found["duplicate"] = min(repeats)
        for name in found:
            counts[name] += 1
        flags = {k: v for k, v in (row.flags or {}).items() if k not in FLAGS}
        flags.update(found)
        if flags != (row.flags or {}):
            row.flags = flags
            changed.append(row)
    for start in range(0, len(changed), BATCH):
        Response.objects.bulk_update(changed[start : start + BATCH], ["flags"])
    return {**counts, "responses": len(rows)}
