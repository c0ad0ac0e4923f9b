import io
import uuid
import zipfile

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.roles import OPERATORS, SUPERVISORS
from support.appeals import actions
from support.appeals.models import AnswerChannel, Appeal, Topic
from support.centre.uploads import attachment_check
from tests.portal.factories import SluggedFactory, UserFactory


class TopicFactory(SluggedFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Тема {n}")


def staff(username: str, *groups: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(*[Group.objects.get(name=name) for name in groups])
    return user


def operator_make(username: str = "operator-test"):
    return staff(username, OPERATORS)


def supervisor_make(username: str = "supervisor-test"):
    return staff(username, OPERATORS, SUPERVISORS)


# --- Files: real magic numbers, so the type is decided by content ---------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'


def docx_bytes(*, document: bytes = b"<w:document/>", extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    # 30 MB of zeros squeezed into ~30 KB inside an otherwise valid-looking DOCX.
    return docx_bytes(extra={"word/media/bomb.bin": b"\x00" * (30 * 1024 * 1024)})


def upload(name: str = "scan.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def checked(name: str = "scan.pdf", content: bytes = PDF):
    return attachment_check(upload=upload(name, content))


def appeal_make(*, author=None, topic=None, email="anna@example.org", files=(), **kwargs) -> Appeal:
    return actions.appeal_register(
        author=author,
        topic=topic or TopicFactory(),
        subject=kwargs.pop("subject", "Не приходит СМС"),
        description=kwargs.pop("description", "Не приходит СМС с кодом при входе."),
        phone=kwargs.pop("phone", "+79161234567"),
        email=email,
        answer_channel=kwargs.pop("answer_channel", AnswerChannel.EMAIL),
        consent=True,
        files=[checked(*f) if isinstance(f, tuple) else f for f in files],
        idempotency_key=kwargs.pop("idempotency_key", uuid.uuid4()),
        **kwargs,
    )
