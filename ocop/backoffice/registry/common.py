"""Helpers shared by the registry pages: domain errors as HTTP answers or form errors, pagination, history."""

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404

from ocop.accounts.access import is_officer
from ocop.core.errors import DomainError, NotFound

PAGE_SIZE = 50
HISTORY_LIMIT = 50
# Derived or bookkeeping columns: the record's own user and time already say who verified and when.
HIDDEN_FIELDS = {"search_text", "name_key", "updated_at", "verified_at", "verified_by", "created_by", "import_batch"}


def ensure_officer(user) -> None:
    if not is_officer(user):
        raise HttpPermissionDenied


def http_error(exc: DomainError):
    """NotFound → 404, anything else → 403 (for gates called outside forms)."""
    if isinstance(exc, NotFound):
        return Http404(str(exc.message))
    return HttpPermissionDenied(str(exc.message))


def add_domain_error(form, exc: DomainError) -> None:
    """Field messages go to their field (or the form when the field is not on it); else the message."""
    for field, messages in exc.as_dict()["fields"].items():
        form.add_error(field if field in form.fields else None, messages)
    if not exc.fields:
        form.add_error(None, str(exc.message))


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def history_entries(obj) -> list[dict]:
    """django-simple-history records, newest first: who, when and which fields changed (old → new)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT])
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = obj._meta.get_field(change.field)
                if field.name in HIDDEN_FIELDS:
                    continue
                old, new = _display(field, change.old), _display(field, change.new)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
        entries.append({"record": record, "changes": changes, "is_creation": record.history_type == "+"})
    return entries


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
