"""Checking an uploaded file: its type by content (not by name), its size, its name.

A DOCX is a zip archive: it is opened and checked to be a real Word document
whose unpacked size stays sane, so a zip bomb with a .docx name is refused.

Accepted PDF and DOCX files may still carry active content (JavaScript actions, macros):
staff download them, nothing previews them in the browser, and an antivirus scanner plugs
in through the APPEALS_FILE_SCANNER setting (see `scanner_check`).
"""

import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_FILES = 5
MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_NAME_LENGTH = 100
# A real Word document unpacks to a few times its size; the caps are generous.
DOCX_MAX_UNPACKED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_MAX_ENTRIES = 2000

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    DOCX: "docx",
}
ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX"
# The limits as people read them; every message and help text says them from here.
SIZE_LABEL = format_lazy(_("{megabytes} МБ"), megabytes=MAX_FILE_SIZE // (1024 * 1024))
FILES_LIMITS = format_lazy(
    _("До {count} файлов, до {size} каждый: {types}."),
    count=MAX_FILES,
    size=SIZE_LABEL,
    types=ALLOWED_LABEL,
)
ONE_FILE_LIMITS = format_lazy(_("{types}, до {size}."), types=ALLOWED_LABEL, size=SIZE_LABEL)

FILE_EMPTY = _("Файл пустой.")
FILE_TOO_BIG = format_lazy(
    _("Файл больше {size}. Уменьшите его или разделите на части."), size=SIZE_LABEL
)
FILE_TYPE_NOT_ALLOWED = format_lazy(
    _(
        "Такой тип файла не принимается: нужен {types} "
        "(тип определяется по содержимому, а не по имени)."
    ),
    types=ALLOWED_LABEL,
)
FILE_DOCX_BROKEN = _("Файл не похож на документ Word (DOCX): он повреждён или это другой архив.")
FILE_DOCX_TOO_LARGE_UNPACKED = _(
    "Документ Word распаковывается в слишком большой объём; так выглядят вредоносные архивы."
)
TOO_MANY_FILES = format_lazy(_("Можно приложить не больше {count} файлов."), count=MAX_FILES)
ROOM_FULL = format_lazy(
    _("Приложено {count} файлов — больше нельзя. Удалите файл, чтобы заменить его."),
    count=MAX_FILES,
)
REQUEST_TOO_LARGE = format_lazy(
    _(
        "Можно приложить до {count} файлов по {size} каждый. "
        "Уменьшите файлы и отправьте форму ещё раз."
    ),
    count=MAX_FILES,
    size=SIZE_LABEL,
)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def _strip_unsafe(text: str) -> str:
    # Control characters and format characters (Cf) — including the right-to-left
    # override that makes "fdp.exe" look like "exe.pdf" — never reach a name.
    return "".join(
        char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
    )


def name_sanitise(raw: str, *, extension: str) -> str:
    """A safe display name: no folders, no invisible characters, the real extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _strip_unsafe(name).strip().strip(".")
    stem, ext = os.path.splitext(name)
    if ext.lower().lstrip(".") not in {extension, "jpeg" if extension == "jpg" else extension}:
        stem = name  # the name lied about the type: keep it whole, add the real extension
    stem = " ".join(stem.split()).strip(". ") or "file"
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}"


def _docx_check(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise ValidationError(FILE_DOCX_BROKEN, code="docx_broken")
            if len(entries) > DOCX_MAX_ENTRIES:
                raise ValidationError(FILE_DOCX_TOO_LARGE_UNPACKED, code="zip_bomb")
            unpacked = 0
            for entry in entries:
                # The header's sizes are what a reader would trust; a bomb lies
                # only by being honest about a huge size, so checking them is enough
                # to refuse it without unpacking anything.
                unpacked += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if unpacked > DOCX_MAX_UNPACKED or (
                    entry.file_size > 1024 * 1024 and ratio > DOCX_MAX_RATIO
                ):
                    raise ValidationError(FILE_DOCX_TOO_LARGE_UNPACKED, code="zip_bomb")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ValidationError(FILE_DOCX_BROKEN, code="docx_broken") from None
    finally:
        upload.seek(0)


def attachment_check(*, upload: UploadedFile) -> CheckedFile:
    """Accept the file or raise ValidationError with one of the messages above."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(FILE_EMPTY, code="empty")
    if size > MAX_FILE_SIZE:
        raise ValidationError(FILE_TOO_BIG, code="too_big")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime in ("application/zip", DOCX):
        _docx_check(upload)
        mime = DOCX
    if mime not in ALLOWED_TYPES:
        raise ValidationError(FILE_TYPE_NOT_ALLOWED, code="type")
    scanner_check(upload)
    return CheckedFile(
        upload=upload,
        name=name_sanitise(upload.name or "", extension=ALLOWED_TYPES[mime]),
        content_type=mime,
        size=size,
    )


def scanner_check(upload: UploadedFile) -> None:
    """Hand the file to the configured scanner, which raises ValidationError to refuse it.

    APPEALS_FILE_SCANNER names a callable `scan(upload) -> None`; for ClamAV it would send
    the bytes to clamd (INSTREAM) and raise ValidationError(FILE_INFECTED) on a finding.
    """
    path = settings.APPEALS_FILE_SCANNER
    if not path:
        return
    upload.seek(0)
    try:
        import_string(path)(upload)
    finally:
        upload.seek(0)


FILE_INFECTED = _("Антивирус нашёл в файле угрозу. Такой файл мы принять не можем.")


def files_check(uploads: list[UploadedFile], *, room: int) -> tuple[list[CheckedFile], list[str]]:
    """Check each file: the accepted ones (at most `room`) and one message per refusal."""
    accepted: list[CheckedFile] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            checked = attachment_check(upload=upload)
        except ValidationError as error:
            name = (upload.name or "").rsplit("/", 1)[-1][:60]
            errors.append(f"«{name}»: {' '.join(error.messages)}")
            continue
        if len(accepted) >= room:
            errors.append(str(TOO_MANY_FILES))
            break
        accepted.append(checked)
    return accepted, errors
