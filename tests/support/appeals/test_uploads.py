"""Bad input, one test each: files are judged by content, names are made safe."""

import pytest
from django.core.exceptions import ValidationError

from support.centre import uploads
from support.centre.uploads import attachment_check
from tests.support.appeals.factories import (
    EXE,
    HTML,
    JPEG,
    PDF,
    PNG,
    SVG,
    docx_bytes,
    upload,
    zip_bomb_docx,
)


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        attachment_check(upload=upload(name, content))
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("letter.docx", docx_bytes(), uploads.DOCX),
    ],
)
def test_allowed_types_pass(name, content, mime):
    checked = attachment_check(upload=upload(name, content))
    assert checked.content_type == mime
    assert checked.size == len(content)


def test_exe_renamed_pdf_is_refused():
    assert _refused("invoice.pdf", EXE) == uploads.FILE_TYPE_NOT_ALLOWED


def test_html_renamed_png_is_refused():
    assert _refused("picture.png", HTML) == uploads.FILE_TYPE_NOT_ALLOWED


def test_svg_is_refused():
    assert _refused("drawing.svg", SVG) == uploads.FILE_TYPE_NOT_ALLOWED
    assert _refused("drawing.png", SVG) == uploads.FILE_TYPE_NOT_ALLOWED


def test_zip_bomb_renamed_docx_is_refused():
    assert _refused("report.docx", zip_bomb_docx()) == uploads.FILE_DOCX_TOO_LARGE_UNPACKED


def test_plain_zip_renamed_docx_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert _refused("report.docx", buffer.getvalue()) == uploads.FILE_DOCX_BROKEN


def test_truncated_docx_is_refused():
    assert _refused("report.docx", docx_bytes()[:60]) in (
        uploads.FILE_DOCX_BROKEN,
        uploads.FILE_TYPE_NOT_ALLOWED,
    )


def test_empty_file_is_refused():
    assert _refused("empty.pdf", b"") == uploads.FILE_EMPTY


def test_ten_megabytes_plus_one_byte_is_refused():
    content = PDF + b"0" * (uploads.MAX_FILE_SIZE + 1 - len(PDF))
    assert _refused("big.pdf", content) == uploads.FILE_TOO_BIG


def test_exactly_ten_megabytes_is_accepted():
    content = PDF + b"0" * (uploads.MAX_FILE_SIZE - len(PDF))
    assert attachment_check(upload=upload("big.pdf", content)).size == uploads.MAX_FILE_SIZE


def test_path_in_name_is_dropped():
    assert attachment_check(upload=upload("../../etc/passwd.pdf", PDF)).name == "passwd.pdf"
    assert attachment_check(upload=upload("..\\..\\win.ini.pdf", PDF)).name == "win.ini.pdf"


def test_300_character_name_is_shortened_keeping_the_extension():
    name = attachment_check(upload=upload("я" * 296 + ".pdf", PDF)).name
    assert len(name) <= uploads.MAX_NAME_LENGTH
    assert name.endswith(".pdf")


def test_right_to_left_override_is_removed():
    name = attachment_check(upload=upload("invoice\u202efdp.exe", PDF)).name
    assert "\u202e" not in name
    assert name == "invoicefdp.exe.pdf"  # the real type decides the extension


def test_wrong_extension_gets_the_real_one():
    assert attachment_check(upload=upload("scan.pdf", PNG)).name == "scan.pdf.png"
    assert attachment_check(upload=upload("photo.jpeg", JPEG)).name == "photo.jpg"


def test_daphne_leaves_upload_bodies_to_django():
    from daphne.http_protocol import WebRequest

    from portal.server import daphne_skip_form_parsing

    daphne_skip_form_parsing()
    assert WebRequest._form_parsing_off
