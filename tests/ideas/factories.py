"""Calls, ideas, supports and comments for the ideas tests, made straight in the database
(the services are tested on their own; these build the rows a test starts from)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from birlik.access.models import User
from birlik.ideas.models import Call, Category, Comment, Idea, Support
from birlik.registry.models import Organisation

from ..factories import UserFactory

_numbers = itertools.count(1)


def verified_user(**extra: Any) -> User:
    """A participant's account with a verified phone (no grants)."""
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "username": f"participant{n}",
        "full_name": f"Айгерім Сапарова {n}",
        "phone": f"+7701{n:07d}",
        "phone_verified_at": timezone.now(),
    }
    defaults.update(extra)
    return UserFactory(**defaults)


def category(code: str = "youth") -> Category:
    found, _ = Category.objects.get_or_create(
        code=code,
        defaults={"name_kk": f"{code} kk", "name_ru": f"{code} ru", "name_en": code},
    )
    return found


def make_call(organisation: Organisation, **extra: Any) -> Call:
    """A published call whose collecting phase runs from today for 30 days."""
    today = timezone.localdate()
    n = next(_numbers)
    fields: dict[str, Any] = {
        "organisation": organisation,
        "title_kk": f"Байқау {n}",
        "title_ru": f"Конкурс {n}",
        "title_en": f"Call {n}",
        "status": Call.Status.OPEN,
        "opens_on": today,
        "collect_until": today + datetime.timedelta(days=30),
        "support_until": today + datetime.timedelta(days=60),
        "review_until": today + datetime.timedelta(days=90),
        "threshold": 3,
        "answer_working_days": 10,
    }
    fields.update(extra)
    return Call.objects.create(**fields)


def make_idea(
    organisation: Organisation,
    *,
    author: User | None = None,
    status: str = Idea.Status.PUBLISHED,
    **extra: Any,
) -> Idea:
    n = next(_numbers)
    fields: dict[str, Any] = {
        "number": f"ИД-{timezone.localdate().year}-T{n:05d}",
        "organisation": organisation,
        "region": organisation.region,
        "category": category(),
        "language": "kk",
        "title": f"Аудандар арасындағы жастар футбол турнирі {n}",
        "problem": "Жастардың бос уақыты аз ұйымдастырылған.",
        "solution": "Аудандардың жастар командалары арасында турнир өткізу.",
        "author": author or verified_user(),
        "author_display": "Айгерім С.",
        "status": status,
        "published_at": timezone.now() if status == Idea.Status.PUBLISHED else None,
    }
    fields.update(extra)
    return Idea.objects.create(**fields)


def support(idea: Idea, user: User | None = None) -> Support:
    """A support row with the idea's count kept in step (as the service keeps it)."""
    row = Support.objects.create(idea=idea, user=user or verified_user())
    Idea.objects.filter(pk=idea.pk).update(support_count=idea.supports.count())
    idea.refresh_from_db(fields=["support_count"])
    return row


def make_comment(idea: Idea, *, status: str = Comment.Status.PUBLISHED, **extra: Any) -> Comment:
    author = extra.pop("author", None) or verified_user()
    return Comment.objects.create(
        idea=idea,
        author=author,
        author_display="Серік Б.",
        text=extra.pop("text", "Жақсы ұсыныс, қолдаймын."),
        status=status,
        **extra,
    )
