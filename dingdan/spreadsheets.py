"""Reading and writing the tables merchants exchange: CSV (as Excel in China saves it) and
XLSX. Nothing here knows about products; the importer and exporter give the columns meaning.

Whole-file problems (too big, unreadable, empty) raise `InvalidInput` with a `code`, so the
UI, the CLI and a script can tell them apart."""

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# Blank rows count in a spreadsheet's numbering but not against MAX_ROWS; past this many
# rows read, the file is refused anyway (a sheet can declare a million empty rows).
MAX_SCANNED_ROWS = 200_000

UTF8_BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) format
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A cell starting with one of these is run as a formula when Excel opens a CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    header: list[str]
    # (row number as the spreadsheet shows it, the header being row 1; cells as text)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def unreadable(message, code: str = "file_unreadable") -> InvalidInput:
    return InvalidInput(message, code=code, fields={"file": message})


def read_sheet(file_name: str, data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The first sheet of an XLSX file or a CSV file: its header row and its non-blank rows."""
    if len(data) > MAX_BYTES:
        raise unreadable(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            "file_too_large",
        )
    if not data.strip(b" \t\r\n" + UTF8_BOM):
        raise unreadable(_("The file is empty."), "empty_file")
    name = (file_name or "").lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        table = _xlsx_rows(data)
    elif data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise unreadable(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv first."),
            "unsupported_format",
        )
    elif name.endswith((".csv", ".txt")) or "." not in name.rsplit("/", 1)[-1]:
        table = _csv_rows(data)
    else:
        raise unreadable(
            _("Only CSV and XLSX files can be imported."), "unsupported_format"
        )
    return _sheet(table, max_rows)


def _sheet(table, max_rows: int) -> Sheet:
    header: list[str] | None = None
    sheet = Sheet(header=[])
    for number, cells in table:
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows(max_rows)
        if header is None:
            if any(cells):
                header = cells
                sheet.header = cells
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(sheet.rows) >= max_rows:
            raise _too_many_rows(max_rows)
        sheet.rows.append((number, cells))
    if header is None:
        raise unreadable(_("The file is empty."), "empty_file")
    return sheet


def _too_many_rows(max_rows: int) -> InvalidInput:
    return unreadable(
        _("The file has more than %(n)s rows; split it into smaller files.") % {"n": max_rows},
        "file_too_large",
    )


def _decode(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    else:
        # Excel in China saves CSV as GBK; GB18030 is its superset.
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(
        _("The file's text encoding is not recognised: save it as CSV UTF-8 or as XLSX.")
    )


def _csv_rows(data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise unreadable(
            _("This is not a CSV file (it contains binary data): save it as CSV or XLSX.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells[:MAX_COLUMNS]
    except csv.Error as exc:
        raise unreadable(
            _("The CSV file is malformed near line %(line)s (%(error)s); check its quotes.")
            % {"line": reader.line_num, "error": exc}
        ) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file makes openpyxl raise almost anything
        raise _damaged_xlsx(exc) from None
    try:
        if not workbook.worksheets:
            raise unreadable(_("The file is empty."), "empty_file")
        sheet = workbook.worksheets[0]
        # Files written by other tools often declare wrong dimensions; read what is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, [cell_text(value) for value in cells]
    except InvalidInput:
        raise
    except Exception as exc:
        raise _damaged_xlsx(exc) from None
    finally:
        workbook.close()


def _damaged_xlsx(exc: Exception) -> InvalidInput:
    return unreadable(
        _("The XLSX file cannot be read (%(error)s); open it in Excel and save it again.")
        % {"error": exc.__class__.__name__}
    )


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person would type: 1990.0 is "1990"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def csv_bytes(header: list[str], rows) -> bytes:
    """UTF-8 with a BOM, so Excel shows Chinese correctly; formula-like text is quoted with
    a leading apostrophe (see `unescape_formula`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else escape_formula(value) for value in row])
    return UTF8_BOM + out.getvalue().encode("utf-8")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def xlsx_bytes(header: list[str], rows, *, title: str) -> bytes:
    """A real workbook with one sheet; text stays text even when it starts with "="."""
    return workbook_bytes([(title, header, rows)])


def workbook_bytes(sheets) -> bytes:
    """A workbook with one sheet per (title, header, rows). Text stays text (never a
    formula), Decimal amounts show two decimals, sheet titles are made valid and unique."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title, used))
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula
                elif isinstance(value, Decimal):
                    cell.number_format = "0.00"
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\, unique."""
    base = _SHEET_FORBIDDEN.sub(" ", str(title)).strip()[:31] or "Sheet1"
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    used.add(name.casefold())
    return name
