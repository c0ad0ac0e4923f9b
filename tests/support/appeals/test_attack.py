"""What an attack run found in appeals, each closed: the idempotency race, the operator's
scope through the admin and the file view, pending uploads without a quota, private pages
that caches could keep, a long file name, and the scanner hook."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from support.appeals import actions, rules
from support.appeals.models import Appeal, Attachment
from support.centre import uploads
from tests.concurrency import at_once
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import (
    PDF,
    TopicFactory,
    appeal_make,
    operator_make,
    supervisor_make,
    upload,
)

FEEDBACK = "/support/feedback/"
UPLOAD = "/support/feedback/files/"


@pytest.mark.django_db(transaction=True)
def test_a_shared_idempotency_key_never_hands_one_citizen_the_others_appeal():
    topic = TopicFactory(slug="account")
    alice = UserFactory(username="alice", email="alice@example.org")
    bob = UserFactory(username="bob", email="bob@example.org")
    key = str(uuid.uuid4())
    people = [alice, bob] * 10

    def submit(i: int):
        client = Client()
        client.force_login(people[i])
        data = {
            "topic": topic.slug,
            "subject": f"Вопрос {people[i].username}",
            "description": f"Пишет {people[i].username}",
            "consent": True,
        }
        response = client.post("/api/v1/appeals/", data, HTTP_IDEMPOTENCY_KEY=key)
        return people[i], response.status_code, response.json()

    results = at_once(submit, len(people))
    for person, status, body in results:
        assert status in (201, 409), body
        if status == 201:
            # Never the other citizen's number, e-mail or text.
            assert body["email"] == person.email
            assert body["description"] == f"Пишет {person.username}"
            assert Appeal.objects.get(number=body["number"]).author == person
    # Each citizen has at most one appeal from the shared key, and at least one of them got it.
    counts = [Appeal.objects.filter(author=person).count() for person in (alice, bob)]
    assert all(count <= 1 for count in counts) and sum(counts) >= 1
    # Replays by the same person with the same content got the same appeal back.
    numbers = {(p.pk, b["number"]) for p, s, b in results if s == 201}
    assert len(numbers) == sum(counts)


@pytest.mark.django_db(transaction=True)
def test_double_clicks_of_one_visitor_make_one_appeal_and_a_strangers_token_none_of_theirs():
    topic = TopicFactory()
    owner = Client()
    data = _feedback(_issued_token(owner), topic)
    stranger = Client()

    def submit(i: int):
        client = owner if i % 2 == 0 else stranger
        posted = dict(data) if i % 2 == 0 else {**data, "email": "eve@example.org"}
        response = client.post(FEEDBACK, posted)
        return i % 2, response.status_code, response.get("Location", ""), response.content

    results = at_once(submit, 8)
    mine = Appeal.objects.get(email="anna@example.org")
    for who, status, location, content in results:
        if who == 0:
            assert status == 302 and location.endswith(f"/sent/{mine.number}/")
        else:
            # Either their own appeal (they won the race) or a fresh form: never Anna's.
            assert mine.number not in location and mine.number.encode() not in content
    assert stranger.get(mine.get_absolute_url()).status_code in (302, 404)
    assert stranger.get(f"/support/feedback/sent/{mine.number}/").status_code == 404


@pytest.mark.django_db
def test_same_key_with_other_content_is_a_conflict_not_a_replay(citizen):
    same = {"author": citizen, "topic": TopicFactory(), "idempotency_key": uuid.uuid4()}
    first = appeal_make(**same, visitor=f"u{citizen.pk}")
    again = appeal_make(**same, visitor=f"u{citizen.pk}")
    assert again.pk == first.pk
    with pytest.raises(ValidationError) as error:
        appeal_make(**same, visitor=f"u{citizen.pk}", subject="Другое")
    assert error.value.code == "idempotency_conflict"
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
def test_api_conflict_says_so_with_409(client, citizen):
    client.force_login(citizen)
    topic = TopicFactory(slug="account")
    key = str(uuid.uuid4())
    data = {"topic": topic.slug, "subject": "s", "description": "d", "consent": True}
    assert client.post("/api/v1/appeals/", data, HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    replay = client.post("/api/v1/appeals/", data, HTTP_IDEMPOTENCY_KEY=key)
    assert replay.status_code == 201
    other = client.post("/api/v1/appeals/", {**data, "subject": "другое"}, HTTP_IDEMPOTENCY_KEY=key)
    assert other.status_code == 409
    assert "Форма устарела" in other.json()["detail"]
    assert Appeal.objects.count() == 1


# --- The operator's scope ------------------------------------------------------------------


@pytest.fixture
def reassigned(citizen):
    """An appeal the operator took, then the supervisor took over."""
    operator = operator_make()
    supervisor = supervisor_make()
    appeal = appeal_make(author=citizen, files=[("scan.pdf", PDF)])
    actions.appeal_take(appeal=appeal, actor=operator)
    actions.appeal_assign(appeal=appeal, actor=supervisor, operator=supervisor)
    return appeal, operator, supervisor


@pytest.mark.django_db
def test_operator_reaches_a_reassigned_appeal_nowhere(client, reassigned):
    appeal, operator, supervisor = reassigned
    client.force_login(operator)
    assert client.get(appeal.get_operator_url()).status_code == 404
    assert client.get(appeal.attachments.get().get_download_url()).status_code == 404
    change = client.get(f"/admin/appeals/appeal/{appeal.pk}/change/")
    assert change.status_code == 302  # the admin's "does not exist" redirect
    listing = client.get("/admin/appeals/appeal/").content.decode()
    assert appeal.number not in listing
    client.force_login(supervisor)
    assert client.get(f"/admin/appeals/appeal/{appeal.pk}/change/").status_code == 200
    assert appeal.number in client.get("/admin/appeals/appeal/").content.decode()
    assert client.get(appeal.attachments.get().get_download_url()).status_code == 200


@pytest.mark.django_db
def test_operator_sees_free_appeals_in_the_admin(client, citizen):
    operator = operator_make()
    free = appeal_make(author=citizen)
    client.force_login(operator)
    assert free.number in client.get("/admin/appeals/appeal/").content.decode()


# --- Pending uploads ---------------------------------------------------------------------------


def _feedback(token: str, topic) -> dict:
    """A visitor's feedback form, filled in, under the form token the page issued."""
    return {
        "token": token,
        "topic": topic.pk,
        "subject": "Не приходит СМС",
        "description": "Третий день не приходит СМС.",
        "email": "anna@example.org",
        "answer_channel": "email",
        "consent": "on",
    }


def _issued_token(client: Client) -> str:
    html = client.get(FEEDBACK).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)


@pytest.mark.django_db
def test_made_up_form_tokens_store_nothing(client):
    client.get(FEEDBACK)
    for _ in range(3):
        response = client.post(UPLOAD, {"token": str(uuid.uuid4()), "files": upload()})
        assert response.status_code == 400
        assert "Обновите страницу" in response.json()["error"]
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_a_visitors_unsent_files_are_capped_in_bytes(client, settings):
    settings.APPEALS_PENDING_QUOTA_BYTES = 3 * len(PDF)
    first = _issued_token(client)
    second = _issued_token(client)
    for token in (first, first, second):
        assert client.post(UPLOAD, {"token": token, "files": upload()}).status_code == 201
    refused = client.post(UPLOAD, {"token": second, "files": upload()})
    assert refused.status_code == 400
    assert refused.json()["error"] == str(rules.PENDING_QUOTA_EXCEEDED)
    assert Attachment.objects.count() == 3
    # Another visitor has their own allowance.
    other = Client()
    assert other.post(UPLOAD, {"token": _issued_token(other), "files": upload()}).status_code == 201


@pytest.mark.django_db
def test_new_cookies_from_one_address_share_the_address_quota(settings):
    settings.APPEALS_PENDING_QUOTA_BYTES = 3 * len(PDF)
    settings.APPEALS_PENDING_ADDRESS_QUOTA_BYTES = 5 * len(PDF)
    # Each new cookie is a new visitor with its own share: the address bounds them all.
    first, second = Client(REMOTE_ADDR="203.0.113.40"), Client(REMOTE_ADDR="203.0.113.40")
    for visitor, times in ((first, 3), (second, 2)):
        token = _issued_token(visitor)
        for _ in range(times):
            assert visitor.post(UPLOAD, {"token": token, "files": upload()}).status_code == 201
    third = Client(REMOTE_ADDR="203.0.113.40")
    refused = third.post(UPLOAD, {"token": _issued_token(third), "files": upload()})
    assert refused.status_code == 400
    assert refused.json()["error"] == str(rules.PENDING_ADDRESS_QUOTA_EXCEEDED)
    assert Attachment.objects.count() == 5
    # Another address is not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.40")
    assert (
        elsewhere.post(UPLOAD, {"token": _issued_token(elsewhere), "files": upload()}).status_code
        == 201
    )


@pytest.mark.django_db
def test_the_address_quota_holds_at_exactly_its_size_and_frees_when_an_appeal_is_sent(settings):
    settings.APPEALS_PENDING_ADDRESS_QUOTA_BYTES = 2 * len(PDF)
    address = "203.0.113.41"

    def stash(owner: str, token: uuid.UUID | None = None):
        return actions.attachments_stash(
            token=token or uuid.uuid4(),
            owner=owner,
            address=address,
            files=[uploads.attachment_check(upload=upload())],
        )

    token = uuid.uuid4()
    stash("s1", token)
    stash("s2")
    with pytest.raises(ValidationError) as refused:
        stash("s3")
    assert refused.value.message_dict == {"files": [str(rules.PENDING_ADDRESS_QUOTA_EXCEEDED)]}
    # s1 sends its appeal: its file is no longer pending, and no longer the address's.
    appeal_make(visitor="s1", pending_token=token)
    assert Attachment.objects.get(pending_token=None).pending_address == ""
    assert len(stash("s3")) == 1


@pytest.mark.django_db
def test_files_at_exactly_the_quota_are_accepted(settings):
    settings.APPEALS_PENDING_QUOTA_BYTES = 2 * len(PDF)
    token = uuid.uuid4()
    checked = [uploads.attachment_check(upload=upload()) for _ in range(2)]
    assert (
        len(
            actions.attachments_stash(token=token, owner="s1", address="203.0.113.1", files=checked)
        )
        == 2
    )
    with pytest.raises(ValidationError):
        actions.attachments_stash(
            token=uuid.uuid4(),
            owner="s1",
            address="203.0.113.1",
            files=[uploads.attachment_check(upload=upload())],
        )


# --- Caches, names, scanners -------------------------------------------------------------------


@pytest.mark.django_db
def test_private_pages_and_api_are_never_cached(client, citizen):
    appeal = appeal_make(author=citizen)
    client.force_login(citizen)
    for path in (
        appeal.get_absolute_url(),
        f"/support/feedback/sent/{appeal.number}/",
        "/support/appeals/",
        f"/api/v1/appeals/{appeal.number}/",
        "/api/v1/appeals/",
    ):
        control = client.get(path)["Cache-Control"]
        assert "private" in control and "no-store" in control, path


@pytest.mark.django_db
def test_a_very_long_file_name_gets_a_russian_explanation(client):
    name = "я" * 5000 + ".pdf"
    body = (
        (
            "--B\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + b"\r\n--B--\r\n"
    )
    response = client.generic(
        "POST", FEEDBACK, body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Имя одного из файлов слишком длинное" in html
    assert '<html lang="ru"' in html


def _too_many_files(settings) -> dict:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 6
    files = [SimpleUploadedFile(f"{n}.txt", b"x", "text/plain") for n in range(7)]
    return {"topic": "account", "subject": "Тема", "description": "Текст", "files": files}


@pytest.mark.django_db
def test_too_many_files_for_the_api_is_a_json_400(client, citizen, settings):
    client.force_login(citizen)
    response = client.post("/api/v1/appeals/", _too_many_files(settings))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Слишком много файлов в одном запросе."}
    assert Appeal.objects.count() == 0


@pytest.mark.django_db
def test_too_many_files_for_the_form_is_explained_in_russian(client, settings):
    response = client.post(FEEDBACK, _too_many_files(settings))
    assert response.status_code == 400
    html = response.content.decode()
    assert "В форме слишком много файлов" in html
    assert '<html lang="ru"' in html


def refuse_everything(upload) -> None:
    raise ValidationError(uploads.FILE_INFECTED, code="infected")


@pytest.mark.django_db
def test_the_scanner_hook_refuses_what_the_scanner_refuses(client, settings):
    settings.APPEALS_FILE_SCANNER = f"{__name__}.refuse_everything"
    response = client.post(UPLOAD, {"token": _issued_token(client), "files": upload()})
    assert response.status_code == 400
    assert str(uploads.FILE_INFECTED) in response.json()["error"]
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_operator_page_says_files_are_downloaded_never_previewed(client, citizen):
    appeal = appeal_make(author=citizen, files=[("scan.pdf", PDF)])
    client.force_login(operator_make())
    html = client.get(appeal.get_operator_url()).content.decode()
    assert "только скачиваются" in html
    download = client.get(appeal.attachments.get().get_download_url())
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_stranger_who_copied_the_form_token_first_does_not_block_its_owner():
    topic = TopicFactory()
    owner, stranger = Client(), Client()
    token = _issued_token(owner)
    data = _feedback(token, topic)
    assert stranger.post(FEEDBACK, {**data, "email": "eve@example.org"}).status_code == 302
    response = owner.post(FEEDBACK, data)
    assert response.status_code == 302
    mine = Appeal.objects.get(email="anna@example.org")
    assert response["Location"].endswith(f"/sent/{mine.number}/")
    # The stranger, having come first, is refused the key a second time with other content.
    again = stranger.post(FEEDBACK, {**data, "email": "eve@example.org", "subject": "Другое"})
    assert again.status_code == 400 and mine.number not in again.content.decode()
