"""Back-office navigation by role: each entry shows only to users whose roles allow the page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    hint: str
    visible: Callable


def _always(user) -> bool:
    return True


NAV_ITEMS: list[NavItem] = []


def nav_for_user(user) -> dict:
    items = [
        {"url": reverse(item.url_name), "label": item.label, "hint": item.hint}
        for item in NAV_ITEMS
        if item.visible(user)
    ]
    return {"bo_nav": items, "bo_roles": []}
