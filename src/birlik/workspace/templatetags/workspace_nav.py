"""``{% workspace_menu as menu %}``: the workspace menu of ``workspace.menu`` for this request."""

from __future__ import annotations

from typing import Any

from django import template

from birlik.access import policies

from .. import menu as workspace_menu_module

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_menu(context: Any) -> dict[str, Any] | None:
    """The sections, the current one and who is signed in; None for someone without a grant."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not policies.can(user, "workspace.enter"):
        return None
    items = workspace_menu_module.sections(user)
    current = workspace_menu_module.current_key(items, request.path)
    return {
        "sections": items,
        "current": current,
        "current_label": next((s.label for s in items if s.key == current), ""),
        "who": workspace_menu_module.identity(user),
    }
