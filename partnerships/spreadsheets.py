"""CSV and XLSX for every export (action plans, survey results, microdata), written once.

CSV is UTF-8 with a byte order mark and semicolons, as Excel in Swedish opens it; numbers with
a decimal comma, dates as ISO dates. XLSX keeps the types: numbers are numbers, dates are dates
shown as ``yyyy-mm-dd``.

Text a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return: CSV/formula injection) is guarded. In CSV it gets a leading apostrophe, the only guard
a plain text file has. In XLSX the cell is typed as text and carries the *quote prefix* style,
Excel's own mark for "this is text": the visible value stays exactly what was typed
(``=HYPERLINK(…)``), and neither Excel nor LibreOffice evaluates it.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value) -> str:
    """One CSV cell: empty for None, ISO dates, decimal commas, formula-like text guarded."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return str(value)


def to_csv(rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def to_xlsx(rows: Iterable[list], *, sheet_title: str, title: str = "") -> bytes:
    """A one-sheet workbook of ``rows`` (the first is the header, frozen), streamed row by row
    so a national-size export does not hold every cell in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    workbook.properties.title = title or sheet_title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
