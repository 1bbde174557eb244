"""Spreadsheet files for Dutch Excel: CSV with ";" and decimal commas, XLSX with number formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Text that a spreadsheet would run as a formula gets a leading ' (OUT-06).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The kinds of column, and how each is written. In a CSV Dutch Excel reads "1234,50" and
# "31-07-2027" as a number and a date; thousands separators are left out so that any
# program can read the numbers back by swapping the comma for a point. XLSX number
# formats are stored in Excel's neutral notation and shown in the reader's own (Dutch:
# "3,0", "€ 1.234,50").
TEXT, COUNT, HOURS, EUROS, DAY = "text", "count", "hours", "euros", "date"
_CSV_PATTERN = {HOURS: "0.0#", EUROS: "0.00"}  # Babel patterns, written with locale nl
_XLSX_FORMAT = {COUNT: "0", HOURS: "0.0#", EUROS: '"€" #,##0.00', DAY: "DD-MM-YYYY"}
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """A column of an export: its (Dutch) header and the kind of value it holds."""

    header: str
    kind: str = TEXT


def escape_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading ' (OUT-06)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def euros(cents: int) -> Decimal:
    """An amount in cents as euros with two decimals."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def totals_row(
    columns: Sequence[Column], rows: Sequence[Sequence[Any]], label: str = "Totaal"
) -> list[Any]:
    """``label`` in the first column, the sum of every number column, the rest empty."""
    line: list[Any] = [label]
    for i, column in enumerate(columns[1:], start=1):
        if column.kind in (COUNT, HOURS, EUROS):
            line.append(sum((r[i] or 0 for r in rows), Decimal(0) if column.kind != COUNT else 0))
        else:
            line.append(None)
    return line


def csv_value(kind: str, value: Any) -> str:
    """One CSV field: numbers with a decimal comma, dates as DD-MM-YYYY, text escaped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_cell(value)
    if kind in _CSV_PATTERN:
        return format_decimal(value, format=_CSV_PATTERN[kind], locale="nl")
    if kind == DAY and isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if kind == COUNT:
        return str(int(value))
    return escape_cell(str(value))


def to_csv(
    columns: Sequence[Column], rows: Sequence[Sequence[Any]], total: Sequence[Any] | None = None
) -> bytes:
    """A CSV for Dutch Excel: ";" between fields, CRLF, UTF-8 with a BOM (so Excel sees é)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(c.header) for c in columns])
    for line in [*rows, *([total] if total is not None else [])]:
        writer.writerow([csv_value(c.kind, v) for c, v in zip(columns, line, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")


def workbook() -> Workbook:
    """An empty workbook (a new one starts with an unnamed sheet; ours are named)."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    return book


def add_sheet(
    book: Workbook,
    title: str,
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    total: Sequence[Any] | None = None,
) -> Worksheet:
    """A sheet: the caption, bold headers, the rows and a bold totals row, numbers formatted."""
    sheet = book.create_sheet(title)
    sheet.append([caption])
    sheet.append([c.header for c in columns])
    for line in rows:
        _append(sheet, columns, line)
    if total is not None:
        _append(sheet, columns, total)
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
    for cell in sheet[2]:
        cell.font = _BOLD
    sheet.freeze_panes = "A3"
    for i, column in enumerate(columns):
        longest = max([len(column.header), *(len(str(r[i])) for r in rows if r[i] is not None)])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(longest + 2, 60)
    return sheet


def _append(sheet: Worksheet, columns: Sequence[Column], line: Sequence[Any]) -> None:
    sheet.append([_xlsx_value(v) for v in line])
    for cell, column, value in zip(sheet[sheet.max_row], columns, line, strict=False):
        if column.kind in _XLSX_FORMAT and value is not None and not isinstance(value, str):
            cell.number_format = _XLSX_FORMAT[column.kind]


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return escape_cell(value)
    return value


def to_xlsx(book: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
