"""The spreadsheet format editors keep the catalogue in: columns, cells, encodings.

Export writes UTF-8 with a BOM and ";" between cells, which is what Excel with
Russian settings opens correctly by a double click. Import reads that, plain
UTF-8 and Windows-1251 (Excel's "CSV" on a Russian Windows), with ";", "," or tab.
Only the syntax lives here; what a value means is checked by actions.services_import.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from portal.content_language import original_text

if TYPE_CHECKING:
    from portal.catalogue.models import Service

BOM = "\ufeff"
DELIMITER = ";"
MAX_ROWS = 10_000

# Column keys stay the same in every language: a spreadsheet outlives a UI language.
COLUMNS = [
    "code",
    "title",
    "summary",
    "category",
    "type",
    "regions",
    "applicants",
    "documents",
    "processing_days",
    "cost",
    "result",
    "how_to_apply",
    "online",
    "in_person",
    "department",
    "department_contacts",
    "status",
]
REQUIRED_COLUMNS = ["code", "title", "summary", "category", "type"]
ALL_REGIONS_WORDS = {"", "все", "вся россия", "all", "*"}
YES_WORDS = {"да", "yes", "1", "true", "+", "y", "д"}
NO_WORDS = {"нет", "no", "0", "false", "-", "n", "н", ""}
OPTIONAL_WORDS = {"необязательный", "необязательно", "optional", "не обязательно"}
DOCUMENT_SEPARATOR = " | "
# A cell starting with one of these is a formula to Excel: exported with a leading
# apostrophe (shown as text, never run) and read back without it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header); carries a line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class DocumentCell:
    title: str
    note: str = ""
    is_required: bool = True


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvFormatError(1, _("Не удалось прочитать файл: сохраните его в кодировке UTF-8."))


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and every row as {column: cell}, each with its row number.

    Rows are numbered as a spreadsheet shows them: the header is row 1, and a quoted cell
    with line breaks inside is still one row (the reader's line count is not the row).
    """
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise CsvFormatError(1, _("Файл пуст.")) from None
    except csv.Error as error:
        raise CsvFormatError(1, _("Строка 1: %(error)s") % {"error": error}) from None
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise CsvFormatError(
            1,
            _("Строка 1: неизвестные столбцы: %(names)s. Допустимые: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(COLUMNS)},
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CsvFormatError(
            1, _("Строка 1: нет обязательных столбцов: %(names)s.") % {"names": ", ".join(missing)}
        )
    if len(set(header)) != len(header):
        raise CsvFormatError(1, _("Строка 1: столбцы повторяются."))

    rows: list[tuple[int, dict[str, str]]] = []
    line = 1
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvFormatError(
                line, _("Строка %(line)s: %(error)s") % {"line": line, "error": error}
            ) from None
        if any(cell.strip() for cell in cells):
            # Spreadsheets often leave empty cells past the last column: those are harmless.
            if any(cell.strip() for cell in cells[len(header) :]):
                raise CsvFormatError(
                    line,
                    _("Строка %(line)s: ячеек больше, чем столбцов в заголовке.") % {"line": line},
                )
            padded = (cells + [""] * len(header))[: len(header)]
            values = {
                name: _unescape(cell.strip()) for name, cell in zip(header, padded, strict=True)
            }
            rows.append((line, values))
            if len(rows) > MAX_ROWS:
                raise CsvFormatError(
                    line, _("В файле больше %(max)s услуг: разделите его.") % {"max": MAX_ROWS}
                )
    return header, rows


def parse_bool(cell: str) -> bool | None:
    """True or False for the words editors use; None when it is none of them."""
    value = cell.strip().lower()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    return None


def parse_regions(cell: str) -> list[str] | None:
    """Region codes, or None for "all of Russia"."""
    value = cell.strip().lower()
    if value in ALL_REGIONS_WORDS:
        return None
    codes = [part for part in value.replace(";", " ").replace(",", " ").split() if part]
    # "7" and "07" are the same region code.
    return [code.zfill(2) if code.isdigit() else code for code in codes]


def parse_documents(cell: str) -> list[DocumentCell]:
    documents = []
    for raw in cell.splitlines():
        parts = [part.strip() for part in raw.split("|")]
        if not parts[0]:
            continue
        flags = {part.lower() for part in parts[2:]}
        documents.append(
            DocumentCell(
                title=parts[0],
                note=parts[1] if len(parts) > 1 else "",
                is_required=not (flags & OPTIONAL_WORDS),
            )
        )
    return documents


def _documents_cell(service: "Service") -> str:
    lines = []
    for document in service.documents.all():
        parts = [original_text(document, "title")]
        note = original_text(document, "note")
        if note or not document.is_required:
            parts.append(note)
        if not document.is_required:
            parts.append("необязательный")
        lines.append(DOCUMENT_SEPARATOR.join(parts))
    return "\n".join(lines)


def service_cells(service: "Service") -> list[str]:
    codes = sorted(region.code for region in service.regions.all())
    regions = "все" if service.all_regions else ", ".join(codes)
    values = {
        "code": service.code,
        "title": original_text(service, "title"),
        "summary": original_text(service, "summary"),
        "category": service.category.slug,
        "type": service.service_type,
        "regions": regions,
        "applicants": original_text(service, "applicants"),
        "documents": _documents_cell(service),
        "processing_days": "" if service.processing_days is None else str(service.processing_days),
        "cost": original_text(service, "cost"),
        "result": original_text(service, "result"),
        "how_to_apply": original_text(service, "how_to_apply"),
        "online": "да" if service.available_online else "нет",
        "in_person": "да" if service.available_in_person else "нет",
        "department": original_text(service, "department"),
        "department_contacts": original_text(service, "department_contacts"),
        "status": service.status,
    }
    return [values[name] for name in COLUMNS]


def _escape(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n").writerow(
        [_escape(cell) for cell in cells]
    )
    return buffer.getvalue()


def write_lines(services: Iterable["Service"]) -> Iterator[str]:
    yield BOM + _line(COLUMNS)
    for service in services:
        yield _line(service_cells(service))
