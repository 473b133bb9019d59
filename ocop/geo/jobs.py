"""Background jobs of the geo app: XLSX export of a province's administrative units."""

from django.utils.translation import gettext as _

from ocop.core.jobs import Progress, job_handler
from ocop.core.models import JobRun
from ocop.core.xlsx import xlsx_write_rows
from ocop.geo.models import AdminUnit, AdminUnitSuccession

EXPORT_UNITS = "geo.export_units"


@job_handler(EXPORT_UNITS, idempotent=True)
def export_units_job(job: JobRun, progress: Progress) -> dict:
    """Write the current communes of one province, with the legacy units merged into each, to XLSX.

    Params: {"province_id": AdminUnit pk}. The access check happened when the job was started.
    """
    province = AdminUnit.objects.get(pk=job.params["province_id"])
    communes = list(AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, parent=province).order_by("code"))
    predecessors: dict[int, list[str]] = {}
    for row in AdminUnitSuccession.objects.filter(successor__in=communes).select_related("predecessor"):
        predecessors.setdefault(row.successor_id, []).append(f"{row.predecessor.code} {row.predecessor.full_name}")
    progress(0, len(communes), _("Đang xuất %(name)s") % {"name": province.full_name}, force=True)
    headers = [
        _("Mã"),
        _("Tên"),
        _("Loại"),
        _("Tỉnh / thành phố"),
        _("Hiệu lực từ"),
        _("Vĩ độ"),
        _("Kinh độ"),
        _("Đơn vị trước sắp xếp 2025"),
    ]

    def to_row(unit):
        return [
            unit.code,
            unit.full_name,
            unit.kind,
            province.full_name,
            unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
            unit.latitude if unit.latitude is not None else "",
            unit.longitude if unit.longitude is not None else "",
            "; ".join(predecessors.get(unit.pk, [])),
        ]

    xlsx_write_rows(
        progress=progress,
        filename=f"don-vi-hanh-chinh-{province.code}.xlsx",
        sheet_name=province.name,
        headers=headers,
        rows=communes,
        total=len(communes),
        to_row=to_row,
    )
    return {"province": province.code, "rows": len(communes)}
