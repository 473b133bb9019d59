"""Background jobs of the geo app: XLSX export of a province's administrative units."""

import xlsxwriter
from django.utils.translation import gettext as _

from ocop.core.jobs import Progress, job_handler
from ocop.core.models import JobRun
from ocop.geo.models import AdminUnit, AdminUnitSuccession

EXPORT_UNITS = "geo.export_units"


@job_handler(EXPORT_UNITS)
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
    path = progress.output_path(f"don-vi-hanh-chinh-{province.code}.xlsx")
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(province.name[:31])
        bold = workbook.add_format({"bold": True})
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
        sheet.write_row(0, 0, headers, bold)
        for index, unit in enumerate(communes, start=1):
            sheet.write_row(
                index,
                0,
                [
                    unit.code,
                    unit.full_name,
                    unit.kind,
                    province.full_name,
                    unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
                    unit.latitude if unit.latitude is not None else "",
                    unit.longitude if unit.longitude is not None else "",
                    "; ".join(predecessors.get(unit.pk, [])),
                ],
            )
            progress(index, len(communes))
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 1, 30)
        sheet.set_column(7, 7, 80)
    finally:
        workbook.close()
    progress(len(communes), len(communes), force=True)
    return {"province": province.code, "rows": len(communes)}
