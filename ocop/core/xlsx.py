"""Streaming XLSX output for export jobs."""

import xlsxwriter

from ocop.core.jobs import Progress
from ocop.core.text import is_formula_like

# Text is always text: never a formula or a link, whatever a user typed (OWASP CSV injection).
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def xlsx_write_rows(
    *, progress: Progress, filename: str, sheet_name: str, headers: list, rows, total: int, to_row
) -> int:
    """Stream `rows` (mapped by `to_row`) into the job's result file with a bold, frozen header row, reporting
    progress. constant_memory keeps one row in memory whatever the list size. Returns the number of rows."""
    path = progress.output_path(filename)
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    count = 0
    try:
        sheet = workbook.add_worksheet(str(sheet_name)[:31])  # Excel's limit on sheet names
        sheet.write_row(0, 0, [str(h) for h in headers], workbook.add_format({"bold": True}))
        sheet.freeze_panes(1, 0)
        # Text that looks like a formula is also marked "quote prefix", as Excel does when one types '=…: shown as
        # typed, and still text after someone edits the cell.
        guarded = workbook.add_format({"quote_prefix": True})
        for count, obj in enumerate(rows, start=1):
            for column, value in enumerate(to_row(obj)):
                if is_formula_like(value):
                    sheet.write_string(count, column, value, guarded)
                else:
                    sheet.write(count, column, value)
            progress(count, total)
        sheet.set_column(0, len(headers) - 1, 22)
    finally:
        workbook.close()
    progress(count, total, force=True)
    return count
