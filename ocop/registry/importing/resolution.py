"""Addresses: resolve the province/district/commune written in a row to the units valid at the time of the
recognition, and to their current successors (for scoping and current-unit statistics).

Lists published before 1 July 2025 name legacy units (63 provinces, districts); later lists name current units.
Each row is resolved at the most precise date it gives: the decision date, else its year, else the file's
"as of" date; a 2025 row without a date is tried before and after the reorganisation.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError as DomainValidationError
from ocop.geo.models import AdminUnit
from ocop.geo.resolver import resolve
from ocop.geo.selectors import today_vn
from ocop.registry.importing.validation import WARNING, RowData, RowIssue

REFORM_ON = datetime.date(2025, 7, 1)
LAST_LEGACY_DAY = datetime.date(2025, 6, 30)
PROVINCE_MIN_SCORE = 0.8
UNIT_MIN_SCORE = 0.75
Level = AdminUnit.Level


@dataclass
class Address:
    at: datetime.date | None = None
    province: AdminUnit | None = None
    district: AdminUnit | None = None
    commune: AdminUnit | None = None
    province_code: str = ""  # current province
    current_commune_code: str = ""
    unresolved: int = 0


def candidate_dates(row: RowData, as_of: datetime.date | None) -> list[datetime.date]:
    if row.decided_on:
        return [row.decided_on]
    if row.year:
        if row.year == REFORM_ON.year:
            return [LAST_LEGACY_DAY, datetime.date(row.year, 12, 31)]
        return [datetime.date(row.year, 6, 30)]
    if as_of:
        return [as_of]
    return [LAST_LEGACY_DAY, today_vn()]


class AddressResolver:
    """Resolves rows with a per-import cache: a list repeats the same few units hundreds of times."""

    def __init__(self, *, as_of: datetime.date | None = None):
        self.as_of = as_of
        self._cache: dict[tuple, object] = {}

    def _best(self, name: str, level: str, at: datetime.date, parent, min_score: float):
        key = (name, level, at, getattr(parent, "pk", None))
        if key not in self._cache:
            try:
                matches = resolve(name, level=level, at=at, parent=parent, limit=1)
            except DomainValidationError:
                matches = []
            self._cache[key] = matches[0] if matches and matches[0].score >= min_score else None
        return self._cache[key]

    def _suggest_province(self, name: str, at: datetime.date) -> str:
        try:
            matches = resolve(name, level=Level.PROVINCE, at=at, limit=1)
        except DomainValidationError:
            return ""
        return matches[0].unit.name if matches else ""

    def resolve_row(self, row: RowData, province_column: str, district_column: str, commune_column: str) -> Address:
        """Fill an Address for the row; an unknown province is an error, an unknown district/commune a warning."""
        address = Address()
        if not row.province:
            return address
        dates = candidate_dates(row, self.as_of)
        for at in dates:
            match = self._best(row.province, Level.PROVINCE, at, None, PROVINCE_MIN_SCORE)
            if match:
                address.at, address.province = at, match.unit
                address.province_code = match.successor.code if match.successor else ""
                break
        if address.province is None:
            suggestion = self._suggest_province(row.province, dates[0])
            row.issues.append(
                RowIssue(
                    row.row,
                    province_column,
                    _("Không tìm thấy tỉnh “%(value)s” tại thời điểm %(date)s.")
                    % {"value": row.province, "date": dates[0].strftime("%d/%m/%Y")},
                    _("Có phải là “%(name)s”?") % {"name": suggestion}
                    if suggestion
                    else _("Kiểm tra chính tả tên tỉnh, hoặc ngày hiệu lực (năm) của danh sách."),
                )
            )
            return address
        self._resolve_lower(row, address, district_column, commune_column)
        return address

    def _resolve_lower(self, row: RowData, address: Address, district_column: str, commune_column: str) -> None:
        at = address.at
        if row.district:
            match = self._best(row.district, Level.DISTRICT, at, address.province, UNIT_MIN_SCORE)
            if match:
                address.district = match.unit
            else:
                address.unresolved += 1
                row.issues.append(self._warn(row, district_column, row.district))
        if row.commune:
            parent = address.district or address.province
            match = self._best(row.commune, Level.COMMUNE, at, parent, UNIT_MIN_SCORE)
            if match is None and address.district is not None:
                match = self._best(row.commune, Level.COMMUNE, at, address.province, UNIT_MIN_SCORE)
            if match:
                address.commune = match.unit
                if match.successor:
                    address.current_commune_code = match.successor.code
                    address.province_code = match.successor.province_code or address.province_code
            else:
                address.unresolved += 1
                row.issues.append(self._warn(row, commune_column, row.commune))

    def _warn(self, row: RowData, column: str, value: str) -> RowIssue:
        return RowIssue(
            row.row,
            column,
            _("Không xác định được đơn vị hành chính “%(value)s”; giữ nguyên văn bản.") % {"value": value},
            _("Kiểm tra chính tả hoặc sửa sau trong hồ sơ chủ thể."),
            WARNING,
        )
