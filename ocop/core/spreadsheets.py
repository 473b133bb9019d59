"""Untrusted spreadsheets (uploads): check the archive before reading it, then read it in a child process.

An XLSX is a zip archive. Before anything is decompressed, `check_xlsx_archive` refuses archives whose declared
uncompressed size or compression ratio gives away a zip bomb (a 1 MB upload that inflates to gigabytes), and
sheets whose declared dimension is absurd. `read_first_sheet` then parses in `ocop.core.xlsx_child` under CPU and
memory limits: a crash or a limit there becomes a `file_unreadable` refusal of this upload, never a dead server.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError

logger = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 400 * 1024 * 1024  # all members together, as declared in the archive
MAX_RATIO = 150  # declared size / compressed size of one member; real sheets stay well under 50
RATIO_APPLIES_FROM = 4 * 1024 * 1024  # small members may compress very well and harm nobody
MAX_MEMBERS = 2_000
MAX_CELLS = 20_000_000  # declared dimension rows × columns
WALL_SECONDS = 120
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="(([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?)"')


def _fail(message, code: str):
    raise ValidationError(message, code=code, fields={"file": [message]})


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode("ascii"):
        number = number * 26 + (ord(char) - 64)
    return number


def check_xlsx_archive(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs and absurd sheet dimensions before decompressing anything large."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        _fail(_("Tệp XLSX chứa quá nhiều thành phần; không đọc tệp này."), "file_unreadable")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_APPLIES_FROM and member.file_size > MAX_RATIO * max(1, member.compress_size):
            _fail(
                _("Tệp XLSX nén bất thường (có thể là «bom nén»); không đọc tệp này."),
                "file_unreadable",
            )
    if total > MAX_UNCOMPRESSED:
        _fail(
            _("Tệp XLSX quá lớn khi giải nén (%(size)s MB, tối đa %(max)s MB). Hãy chia nhỏ danh sách.")
            % {"size": total // (1024 * 1024), "max": MAX_UNCOMPRESSED // (1024 * 1024)},
            "file_too_large",
        )
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(name) as handle:
                head = handle.read(4096)
            match = _DIMENSION_RE.search(head)
            if match and match.group(4):
                rows = int(match.group(5)) - int(match.group(3)) + 1
                columns = _column_number(match.group(4)) - _column_number(match.group(2)) + 1
                if rows * columns > MAX_CELLS:
                    _fail(
                        _(
                            "Bảng tính khai báo vùng dữ liệu quá lớn (%(ref)s). Hãy xoá các dòng, cột trống "
                            "đã định dạng rồi lưu lại."
                        )
                        % {"ref": match.group(1).decode("ascii")},
                        "file_too_large",
                    )


def read_first_sheet(data: bytes) -> list[list]:
    """The first sheet's rows (cells as str/int/float/bool/None), read in a limited child process."""
    check_xlsx_archive(zipfile.ZipFile(io.BytesIO(data)))
    try:
        child = subprocess.run(
            [sys.executable, "-m", "ocop.core.xlsx_child"],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        _fail(_("Đọc bảng tính quá lâu; tệp có thể bị hỏng. Hãy lưu lại dạng XLSX hoặc CSV."), "file_unreadable")
    if child.returncode == 3:  # the reader refused the file cleanly: corrupt or not a workbook
        _fail(_("Không đọc được bảng tính XLSX."), "file_format")
    if child.returncode != 0:  # it died: a crash or a limit
        logger.warning(
            "xlsx reader child exited with %s: %s", child.returncode, child.stderr[-300:].decode(errors="replace")
        )
        _fail(_("Không đọc được bảng tính XLSX."), "file_unreadable")
    return json.loads(child.stdout)["rows"]
