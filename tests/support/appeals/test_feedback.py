"""The feedback form: prefill, bad input keeps what was typed, files kept, one appeal."""

import re
import uuid
from pathlib import Path

import pytest
from django.core import mail

from faq.models import AvoidedContact
from portal.catalogue.models import Service, ServiceCategory, ServiceStatus
from support.appeals import actions, rules
from support.appeals.actions import registration
from support.appeals.models import Appeal, Attachment, Status
from support.centre import uploads
from tests.faq.factories import ArticleFactory
from tests.support.appeals.factories import EXE, PDF, PNG, TopicFactory, upload

pytestmark = pytest.mark.django_db
URL = "/support/feedback/"


def _data(topic, **overrides) -> dict:
    data = {
        "token": str(uuid.uuid4()),
        "topic": topic.pk,
        "subject": "Не приходит СМС",
        "description": "Третий день не приходит СМС с кодом.",
        "phone": "8 (916) 123-45-67",
        "email": "anna@example.org",
        "answer_channel": "email",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _files_on_disk(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_logged_in_citizen_finds_contacts_filled_in(client, citizen):
    citizen.phone = "+79161234567"
    citizen.save()
    client.force_login(citizen)
    html = client.get(URL).content.decode()
    assert 'value="citizen-test@example.org"' in html
    assert 'value="+79161234567"' in html
    assert 'value="cabinet"' in html


def test_anonymous_form_has_no_cabinet_answer_and_an_unticked_consent(client):
    html = client.get(URL).content.decode()
    assert 'value="cabinet"' not in html
    assert 'name="consent"' in html and "checked" not in html.split('name="consent"')[1][:200]
    assert "/support/feedback/consent/" in html


def test_service_code_preselects_the_service(client):
    category = ServiceCategory.objects.create(slug="docs", title="Документы")
    Service.objects.create(
        code="10001",
        title="Загранпаспорт",
        summary="-",
        category=category,
        service_type="application",
        status=ServiceStatus.PUBLISHED,
    )
    html = client.get(URL + "?service=10001").content.decode()
    assert "Загранпаспорт" in html
    assert 'value="10001"' in html


def test_submit_registers_one_appeal_with_number_deadline_and_email(client, committed):
    topic = TopicFactory()
    with committed():
        response = client.post(URL, _data(topic))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/support/feedback/sent/{appeal.number}/"
    assert len(appeal.number) == 8 and appeal.number.isdigit()
    assert appeal.phone == "+79161234567"
    assert appeal.status == Status.REGISTERED
    assert appeal.consent_version == rules.CONSENT_VERSION
    page = client.get(response["Location"]).content.decode()
    assert appeal.number in page and "Сохраните номер" in page
    assert len(mail.outbox) == 1
    assert appeal.number in mail.outbox[0].body
    assert f"/support/appeals/{appeal.number}/" in mail.outbox[0].body
    assert appeal.due_date.strftime("%Y") in mail.outbox[0].body


def test_double_post_makes_one_appeal(client, committed):
    data = _data(TopicFactory())
    with committed():
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert Appeal.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1


def test_register_is_idempotent_even_without_the_session():
    topic = TopicFactory()
    key = uuid.uuid4()
    kwargs = dict(
        author=None,
        topic=topic,
        subject="s",
        description="d",
        email="a@example.org",
        answer_channel="email",
        consent=True,
        idempotency_key=key,
    )
    assert actions.appeal_register(**kwargs).pk == actions.appeal_register(**kwargs).pk


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", rules.PHONE_INVALID),
        ("phone", "+1 650 253 0000", rules.PHONE_INVALID),
        ("email", "anna@", "Введите адрес электронной почты"),
        ("description", "я" * 5001, rules.DESCRIPTION_TOO_LONG),
        ("consent", None, rules.CONSENT_REQUIRED),
    ],
)
def test_bad_field_gets_a_message_and_keeps_what_was_typed(client, field, value, message):
    topic = TopicFactory()
    response = client.post(URL, _data(topic, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 400
    assert Appeal.objects.count() == 0
    assert str(message) in html
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert "Третий день не приходит СМС с кодом." in html or field == "description"
    assert 'value="Не приходит СМС"' in html


def test_phone_required_when_answer_by_call(client):
    response = client.post(URL, _data(TopicFactory(), phone="", answer_channel="phone"))
    assert str(rules.PHONE_NEEDED_FOR_CALL) in response.content.decode()


def test_anonymous_cannot_choose_the_cabinet(client):
    response = client.post(URL, _data(TopicFactory(), answer_channel="cabinet"))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


def test_files_are_attached_and_stored_under_random_names(client, media_root):
    data = _data(TopicFactory())
    data["files"] = [upload("../скан паспорта.pdf", PDF), upload("photo.png", PNG)]
    client.post(URL, data)
    appeal = Appeal.objects.get()
    names = sorted(a.original_name for a in appeal.attachments.all())
    assert names == ["photo.png", "скан паспорта.pdf"]
    for attachment in appeal.attachments.all():
        path = Path(attachment.file.path)
        assert path.is_relative_to(Path(media_root))
        assert "скан" not in path.name and "photo" not in path.name


def test_accepted_files_are_kept_when_another_field_has_an_error(client):
    topic = TopicFactory()
    data = _data(topic, email="not-an-email")
    data["files"] = [upload("scan.pdf", PDF), upload("virus.pdf", EXE)]
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "scan.pdf" in html  # kept, listed as uploaded
    assert "virus.pdf" in html and str(uploads.FILE_TYPE_NOT_ALLOWED) in html
    assert Attachment.objects.filter(appeal=None).count() == 1
    # Corrected and sent again without re-uploading: the kept file comes along.
    fixed = {**data, "email": "anna@example.org"}
    fixed.pop("files")
    client.post(URL, fixed)
    appeal = Appeal.objects.get()
    assert [a.original_name for a in appeal.attachments.all()] == ["scan.pdf"]


def test_a_sixth_file_is_refused(client):
    data = _data(TopicFactory())
    data["files"] = [upload(f"scan{i}.pdf", PDF) for i in range(6)]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert str(uploads.TOO_MANY_FILES) in response.content.decode()
    assert Appeal.objects.count() == 0
    assert Attachment.objects.filter(appeal=None).count() == 5


def test_sixth_file_counting_kept_ones(client):
    topic = TopicFactory()
    data = _data(topic, email="bad")
    data["files"] = [upload(f"scan{i}.pdf", PDF) for i in range(4)]
    client.post(URL, data)
    data["files"] = [upload("five.pdf", PDF), upload("six.pdf", PDF)]
    response = client.post(URL, data)
    assert str(uploads.TOO_MANY_FILES) in response.content.decode()
    assert Attachment.objects.filter(appeal=None).count() == 5


def test_remove_a_kept_file_without_errors(client):
    data = _data(TopicFactory(), email="bad")
    data["files"] = [upload("scan.pdf", PDF)]
    client.post(URL, data)
    key = Attachment.objects.get().key
    response = client.post(
        URL, {**{k: v for k, v in data.items() if k != "files"}, "remove_file": str(key)}
    )
    assert response.status_code == 200
    assert Attachment.objects.count() == 0
    assert "error-summary" not in response.content.decode()


def test_someone_elses_token_does_not_attach_their_files(client):
    topic = TopicFactory()
    data = _data(topic, email="bad")
    data["files"] = [upload("secret.pdf", PDF)]
    client.post(URL, data)
    stranger = client.__class__()
    stranger.post(
        URL, {**{k: v for k, v in data.items() if k != "files"}, "email": "eve@example.org"}
    )
    appeal = Appeal.objects.get()
    assert appeal.attachments.count() == 0


def test_failure_in_the_middle_leaves_no_appeal_and_no_file(client, media_root, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(registration, "email_citizen", boom)  # after the files are written
    data = _data(TopicFactory())
    data["files"] = [upload("a.pdf", PDF), upload("b.png", PNG)]
    with pytest.raises(RuntimeError):
        client.post(URL, data)
    assert Appeal.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert _files_on_disk(media_root) == []


def _token_from_the_page(client) -> str:
    html = client.get(URL).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)


def test_upload_endpoint_accepts_one_file_with_json(client):
    token = _token_from_the_page(client)
    response = client.post(
        "/support/feedback/files/", {"token": token, "files": upload("scan.pdf", PDF)}
    )
    assert response.status_code == 201
    assert response.json()["name"] == "scan.pdf"
    bad = client.post("/support/feedback/files/", {"token": token, "files": upload("x.pdf", EXE)})
    assert bad.status_code == 400
    assert str(uploads.FILE_TYPE_NOT_ALLOWED) in bad.json()["error"]


def test_request_over_the_cap_is_refused_before_reading(client, settings):
    settings.APPEALS_MAX_REQUEST_BYTES = 1000
    data = _data(TopicFactory())
    data["files"] = [upload("scan.pdf", PDF + b"0" * 2000)]
    response = client.post(URL, data)
    assert response.status_code == 413
    assert Appeal.objects.count() == 0


def test_form_rate_limit(client, settings):
    settings.APPEALS_FORM_RATE = "2/m"
    topic = TopicFactory()
    assert client.post(URL, _data(topic)).status_code == 302
    assert client.post(URL, _data(topic)).status_code == 302
    response = client.post(URL, _data(topic))
    assert response.status_code == 429
    assert Appeal.objects.count() == 2


def test_faq_suggestions_while_typing_and_avoided_contact(client):
    article = ArticleFactory(title="Не приходит СМС с кодом подтверждения")
    response = client.get(
        "/support/feedback/suggest/",
        {"subject": "не приходит смс", "description": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert article.title in html and "Это решило мой вопрос" in html
    assert f"/help/faq/solved/{article.pk}/" in html
    solved = client.post(f"/help/faq/solved/{article.pk}/", {"source": "appeal_form"})
    assert solved.status_code == 302
    assert AvoidedContact.objects.get().source == "appeal_form"


def test_suggest_without_htmx_goes_to_the_faq_search(client):
    response = client.get("/support/feedback/suggest/", {"subject": "пароль"})
    assert response.status_code == 302
    assert response["Location"].startswith("/help/faq/?q=")


def test_someone_elses_token_never_reveals_their_appeal(client):
    data = _data(TopicFactory())
    client.post(URL, data)
    stranger = client.__class__()
    response = stranger.post(URL, {**data, "email": "eve@example.org"})
    assert response.status_code == 400
    assert Appeal.objects.get().number not in response.content.decode()
    assert "Форма устарела" in response.content.decode()
