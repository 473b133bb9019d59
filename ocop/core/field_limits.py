"""One validation layer for text limits, the same on PostgreSQL and SQLite.

PostgreSQL refuses a string longer than its column or containing NUL (a 500 if nobody checks first); SQLite
stores both silently, so the same request succeeded on one database and crashed on the other. Every model saved
through the ORM passes here before it is written (a `pre_save` receiver, registered in CoreConfig.ready), whatever
the entry point: API, back-office form, service, command. It checks shape only — length and NUL — and raises the
domain's ValidationError, which the interfaces turn into a 422 with the field (API) or a form error (pages).
Bulk paths that bypass `save()` (the list importer) call `check_text` on each value themselves.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError

TOO_LONG = _("Tối đa %(max)s ký tự (đang có %(length)s).")
HAS_NUL = _("Không được chứa ký tự NUL (\\u0000).")


def text_problem(value, max_length: int | None) -> str | None:
    """The message for a value that breaks a text limit, or None."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return str(HAS_NUL)
    if max_length is not None and len(value) > max_length:
        return str(TOO_LONG % {"max": max_length, "length": len(value)})
    return None


def check_text(values: dict[str, str], limits: dict[str, int | None]) -> None:
    fields = {name: [message] for name, value in values.items() if (message := text_problem(value, limits.get(name)))}
    if fields:
        raise ValidationError(fields=fields)


def check_instance_text(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures and loaddata: trusted data, written as is
        return
    fields = {}
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        message = text_problem(getattr(instance, field.attname, None), field.max_length)
        if message:
            fields[field.name] = [message]
    # A folded key ("name_key") inherits its source's problem: name the field people typed, not ours.
    fields = {name: m for name, m in fields.items() if not (name.endswith("_key") and name[:-4] in fields)}
    if fields:
        raise ValidationError(fields=fields)
