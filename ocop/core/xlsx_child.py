"""Read the first sheet of an untrusted XLSX in a child process: `python -m ocop.core.xlsx_child < file.xlsx`.

The spreadsheet reader is native code: a 5 KB file whose cells claim position XFD1048576 makes it allocate half a
terabyte and abort the whole process, which no `try` can catch. So it runs here, alone, under CPU-time and memory
limits; the parent (ocop.core.spreadsheets) turns any death into a clear "file unreadable" for that upload.
Imports nothing of Django or of the platform, so it starts in a fraction of a second.

Writes one JSON document to stdout: {"rows": [[cell, …], …]}; cells are str, int, float, bool or null, dates as
ISO text. Exit status 3 with {"error": …} when the sheet cannot be read.
"""

import json
import resource
import sys

MEMORY_BYTES = 2 * 1024**3  # address space: generous for a 50 MB workbook, far below the machine
CPU_SECONDS = 60


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def main() -> int:
    _limit()
    data = sys.stdin.buffer.read()
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 — calamine raises several error types for corrupt archives
        json.dump({"error": type(exc).__name__}, sys.stdout)
        return 3
    json.dump({"rows": rows}, sys.stdout, default=str, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
