"""Template tags of the idea page's partials (ideas-staff): the published comments and the
steps of an idea, one query each."""

from __future__ import annotations

from typing import Any

from django import template

from birlik.ideas import queries

register = template.Library()


@register.simple_tag
def idea_comments(idea: Any) -> list[Any]:
    """The idea's published comments, oldest first."""
    return list(queries.published_comments(idea))


@register.simple_tag
def idea_milestones(idea: Any) -> list[Any]:
    """The steps of an accepted idea's implementation, in their order."""
    return list(queries.idea_milestones(idea))
