"""Streaming XLSX output for export jobs."""

import xlsxwriter

from ocop.core.jobs import Progress


def xlsx_write_rows(
    *, progress: Progress, filename: str, sheet_name: str, headers: list, rows, total: int, to_row
) -> int:
    """Stream `rows` (mapped by `to_row`) into the job's result file with a bold, frozen header row, reporting
    progress. constant_memory keeps one row in memory whatever the list size. Returns the number of rows."""
    path = progress.output_path(filename)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    count = 0
    try:
        sheet = workbook.add_worksheet(str(sheet_name)[:31])  # Excel's limit on sheet names
        sheet.write_row(0, 0, [str(h) for h in headers], workbook.add_format({"bold": True}))
        sheet.freeze_panes(1, 0)
        for count, obj in enumerate(rows, start=1):
            sheet.write_row(count, 0, to_row(obj))
            progress(count, total)
        sheet.set_column(0, len(headers) - 1, 22)
    finally:
        workbook.close()
    progress(count, total, force=True)
    return count
