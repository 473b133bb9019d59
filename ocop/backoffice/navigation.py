"""Back-office navigation by role: each entry shows only to users whose roles allow the page.

Other back-office areas add their entries with `register_nav_item(NavItem(...))` at import time of
their `ocop/backoffice/<domain>/urls.py` (URLs are loaded before any page renders). `visible(user)`
should call the same access gate as the view (e.g. `ocop.accounts.access.is_officer`) so the menu
never offers a page that answers 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_resolver, reverse

from ocop.accounts.models import SUPERUSER_LABEL
from ocop.accounts.selectors import role_assignment_list_for_user


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    hint: str
    visible: Callable
    order: int = 100  # lower comes first; ties keep registration order


def _always(user) -> bool:
    return True


NAV_ITEMS: list[NavItem] = []


def register_nav_item(item: NavItem) -> NavItem:
    """Add (or replace, by url_name) a navigation entry. Safe to call more than once."""
    for index, existing in enumerate(NAV_ITEMS):
        if existing.url_name == item.url_name:
            NAV_ITEMS[index] = item
            break
    else:
        NAV_ITEMS.append(item)
    return item


def roles_for_user(user) -> list[str]:
    """Labels of the user's active roles with their units, e.g. "Cán bộ cấp tỉnh — Tỉnh Lâm Đồng"."""
    labels = []
    if user.is_superuser:
        labels.append(str(SUPERUSER_LABEL))
    labels.extend(a.label for a in role_assignment_list_for_user(user=user))
    return labels


def nav_for_user(user) -> dict:
    # Areas register their items when their urls.py is imported; make sure that has happened even when
    # this is called outside a request (e.g. from a test or a management command).
    get_resolver().url_patterns  # noqa: B018
    items = []
    for item in sorted(NAV_ITEMS, key=lambda i: i.order):
        if not item.visible(user):
            continue
        items.append({"url": reverse(item.url_name), "label": item.label, "hint": item.hint})
    return {"bo_nav": items, "bo_roles": roles_for_user(user)}
