"""A visitor's hand-off with their contacts, the operator's answer reaching them by e-mail
and SMS when they are not on the page, a message left as an appeal with those contacts
(a phone alone will do) and followed on «Найти обращение», and the per-address limit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from portal.visitors import visitor_key
from support.appeals.models import AnswerChannel, Appeal
from support.appeals.rules import EMAIL_REQUIRED
from support.centre.contacts import CONTACT_REQUIRED, EMAIL_INVALID, NAME_REQUIRED
from support.chat import actions, lifecycle
from support.chat.models import Conversation, Message, SenderKind, Status
from support.chat.rules import RATE_MESSAGES
from tests.support.appeals.factories import TopicFactory, appeal_make, operator_make
from tests.support.chat.factories import operator_online

pytestmark = pytest.mark.django_db
PAGE = "/support/chat/"
CONTACTS = {"name": "Анна", "email": "anna@example.ru", "phone": "", "consent": "on"}


def _started(client: Client) -> Conversation:
    assert client.post(reverse("chat:start")).status_code == 302
    key = visitor_key(user=None, session_key=client.cookies["sessionid"].value)
    return Conversation.objects.get(visitor=key, status=Status.BOT)


def _hand_off(client: Client, conversation: Conversation, **fields):
    return client.post(
        reverse("chat:step", args=[conversation.pk, "hand_off"]), {**CONTACTS, **fields}
    )


@pytest.fixture
def operator(db):
    user = operator_make("op-hand-off")
    operator_online(user)
    return user


def _answer(conversation: Conversation, operator, text: str, client_id: str) -> Message:
    return actions.message_post(
        conversation_id=conversation.pk,
        actor=lifecycle.staff(operator),
        text=text,
        client_id=client_id,
    ).message


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "", "phone": ""}, "email", CONTACT_REQUIRED),
        ({"email": "anna@"}, "email", EMAIL_INVALID),
        ({"email": "", "phone": "12-34"}, "phone", None),
        ({"name": " "}, "name", NAME_REQUIRED),
    ],
)
def test_a_hand_off_without_usable_contacts_is_refused_next_to_the_field(
    client, operator, fields, field, message
):
    conversation = _started(client)
    response = _hand_off(client, conversation, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_handoff_{field}_error"' in page
    if message is not None:
        assert str(message) in page
    assert "Введите российский номер" in page or field != "phone"
    # What was typed is kept, and nothing moved or was stored.
    assert 'value="Анна"' in page or field == "name"
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT and conversation.queued_at is None
    assert not conversation.contact_name and not conversation.has_contacts


def test_a_hand_off_without_consent_is_refused(client, operator):
    conversation = _started(client)
    response = _hand_off(client, conversation, consent="")
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT
    # The action asks too, whatever calls it.
    with pytest.raises(ValidationError) as refused:
        actions.conversation_hand_off(
            conversation_id=conversation.pk,
            user=None,
            visitor=conversation.visitor,
            name="Анна",
            email="anna@example.ru",
        )
    assert set(refused.value.message_dict) == {"consent"}
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT and not conversation.has_contacts


def test_a_visitor_hands_off_with_a_name_and_contacts_and_is_told_where_answers_go(
    client, operator
):
    conversation = _started(client)
    response = _hand_off(client, conversation, phone="8 (916) 123-45-67")
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.WAITING and conversation.queued_at is not None
    assert conversation.contact_name == "Анна"
    assert conversation.contact_email == "anna@example.ru"
    assert conversation.contact_phone == "+79161234567"
    assert conversation.contact_consent_at is not None  # when the visitor agreed
    said = conversation.messages.order_by("-seq").first()
    assert said.sender_kind == SenderKind.SYSTEM
    assert "anna@example.ru" in said.text and "+7 916 123-45-67" in said.text
    assert "Ваше место в очереди: 1" in client.get(PAGE).content.decode()


def test_nobody_online_refuses_the_hand_off_and_offers_the_message(client):
    conversation = _started(client)
    response = _hand_off(client, conversation, phone="89161234567")
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT
    page = client.get(PAGE).content.decode()
    assert "Сейчас нет операторов в сети" in page and "Оставить сообщение" in page


def test_the_operator_sees_the_visitors_name_and_contacts(client, operator):
    conversation = _started(client)
    _hand_off(client, conversation, phone="+79161234567")
    staff = Client()
    staff.force_login(operator)
    home = staff.get(reverse("chat:operator-home")).content.decode()
    assert "Анна, без входа" in home
    page = staff.get(reverse("chat:operator-chat", args=[conversation.pk])).content.decode()
    assert "Анна — Посетитель без входа" in page
    assert 'href="mailto:anna@example.ru"' in page
    assert 'href="tel:+79161234567"' in page and "+7 916 123-45-67" in page


def _taken(client, operator, **contacts) -> Conversation:
    conversation = _started(client)
    assert _hand_off(client, conversation, **contacts).status_code == 302
    actions.conversation_take(conversation_id=conversation.pk, actor=lifecycle.staff(operator))
    conversation.refresh_from_db()
    return conversation


def test_an_unread_answer_reaches_the_visitor_by_email_and_sms(
    client, operator, sms_outbox, django_capture_on_commit_callbacks
):
    conversation = _taken(client, operator, phone="89161234567")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(conversation, operator, "Пароль можно сбросить по ссылке «Забыли пароль».", "o1")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["anna@example.ru"]
    assert conversation.number in letter.subject
    assert "Здравствуйте, Анна!" in letter.body
    assert "Пароль можно сбросить по ссылке «Забыли пароль»." in letter.body
    assert letter.body.count("http") == 1 and reverse("chat:page") in letter.body
    assert "том же браузере" in letter.body
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["phone"] == "+79161234567"
    assert "Пароль можно сбросить" in sms_outbox[0]["text"]

    # One letter at a time: a second answer before the visitor looks sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        second = _answer(conversation, operator, "Ещё одно.", "o2")
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    # Read on the page: the next answer they miss is sent again.
    actions.conversation_mark_read(conversation_id=conversation.pk, staff=False, seq=second.seq)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(conversation, operator, "Третье.", "o3")
    assert len(mail.outbox) == 2 and "Третье." in mail.outbox[1].body
    assert "Ещё одно." not in mail.outbox[1].body  # read already


def test_an_answer_read_on_the_page_is_not_sent(client, operator, sms_outbox):
    conversation = _taken(client, operator, phone="89161234567")
    message = _answer(conversation, operator, "Ответ", "o1")  # the task waits (on commit)
    actions.conversation_mark_read(conversation_id=conversation.pk, staff=False, seq=message.seq)
    assert not actions.conversation_copy_to_inbox(conversation_id=conversation.pk, seq=message.seq)
    assert mail.outbox == [] and sms_outbox == []


def test_a_phone_only_visitor_gets_an_sms_and_no_letter(
    client, operator, sms_outbox, django_capture_on_commit_callbacks
):
    conversation = _taken(client, operator, email="", phone="+7 916 123 45 67")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(conversation, operator, "Перезвоним завтра.", "o1")
    assert mail.outbox == []
    assert [sms["phone"] for sms in sms_outbox] == ["+79161234567"]


def test_the_close_sends_what_the_visitor_has_not_read_with_the_resolution(
    client, operator, sms_outbox, django_capture_on_commit_callbacks
):
    conversation = _taken(client, operator, email="anna@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(conversation, operator, "Первый ответ", "o1")
    # The first letter is unread; the close sends the last word anyway.
    with django_capture_on_commit_callbacks(execute=True):
        actions.conversation_close(
            conversation_id=conversation.pk,
            actor=lifecycle.staff(operator),
            resolution="Пароль сброшен",
        )
    assert len(mail.outbox) == 2
    final = mail.outbox[1]
    assert "завершён" in final.subject
    assert "Первый ответ" in final.body and "Итог: Пароль сброшен" in final.body


def test_a_failing_gateway_fails_no_answer(client, operator, settings, caplog):
    settings.SMS_BACKEND = "portal.notifications.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""  # every send raises
    conversation = _taken(client, operator, email="", phone="89161234567")
    message = _answer(conversation, operator, "Ответ", "o1")
    assert actions.conversation_copy_to_inbox(conversation_id=conversation.pk, seq=message.seq)
    assert "not sent" in caplog.text
    assert Message.objects.filter(pk=message.pk).exists()


def test_a_citizens_hand_off_needs_no_contacts_and_answers_go_to_the_inbox(
    citizen, operator, django_capture_on_commit_callbacks
):
    conversation = actions.conversation_start(user=citizen, language="ru")
    actions.conversation_hand_off(conversation_id=conversation.pk, user=citizen)
    actions.conversation_take(conversation_id=conversation.pk, actor=lifecycle.staff(operator))
    with django_capture_on_commit_callbacks(execute=True):
        _answer(conversation, operator, "Ответ", "o1")
    assert citizen.notifications.filter(title__contains=conversation.number).exists()
    assert all(letter.to != [""] for letter in mail.outbox)


# --- A message left without an account ---------------------------------------------------


def _leave(client: Client, conversation: Conversation, **fields):
    topic = TopicFactory()
    data = {"topic": topic.pk, "name": "Анна", "email": "", "phone": "", "consent": "on"}
    return client.post(
        reverse("chat:step", args=[conversation.pk, "leave_message"]), {**data, **fields}
    )


def test_a_visitor_leaves_a_message_with_a_phone_only_and_follows_it(client):
    conversation = _started(client)
    client.post(
        reverse("chat:send", args=[conversation.pk]),
        {"text": "Не приходит СМС с кодом", "client_id": "v1"},
    )
    response = _leave(client, conversation, phone="8 916 123-45-67")
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.author is None and appeal.email == "" and appeal.phone == "+79161234567"
    assert appeal.answer_channel == AnswerChannel.PHONE
    assert "Посетитель без входа: Анна" in appeal.description
    assert "Не приходит СМС с кодом" in appeal.description
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED and conversation.appeal == appeal
    page = client.get(PAGE).content.decode()
    assert f"Сообщение принято: обращение № {appeal.number}" in page
    assert "Как ответим: звонком по телефону." in page
    assert f"{reverse('appeals:lookup')}?number={appeal.number}" in page
    # «Найти обращение» with the number and the phone, in any spelling, opens it.
    lookup = reverse("appeals:lookup")
    found = client.post(lookup, {"number": appeal.number, "phone": "+7 (916) 123 45 67"})
    assert found.status_code == 302 and found.url == appeal.get_absolute_url()
    assert client.get(appeal.get_absolute_url()).status_code == 200
    # Nobody else is let in without it.
    other = Client()
    assert other.get(appeal.get_absolute_url()).status_code == 302


def test_a_visitors_message_with_an_email_is_answered_by_email(
    client, django_capture_on_commit_callbacks
):
    conversation = _started(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert _leave(client, conversation, email="anna@example.ru").status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.email == "anna@example.ru" and appeal.answer_channel == AnswerChannel.EMAIL
    assert any(appeal.number in letter.subject for letter in mail.outbox)


def test_a_message_left_without_contacts_is_refused_and_nothing_is_written(client):
    conversation = _started(client)
    response = _leave(client, conversation)
    assert response.status_code == 400
    assert str(CONTACT_REQUIRED) in response.content.decode()
    response = _leave(client, conversation, phone="12")
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT


def test_the_status_lookup_needs_the_right_phone_or_email(client):
    appeal = appeal_make(email="", answer_channel=AnswerChannel.PHONE, phone="+79161234567")
    lookup = reverse("appeals:lookup")
    for wrong in ({"phone": "+79161234568"}, {"email": "anna@example.ru"}, {"phone": "12"}):
        refused = client.post(lookup, {"number": appeal.number, **wrong})
        assert refused.status_code == 400
    asked = client.post(lookup, {"number": appeal.number})
    assert asked.status_code == 400
    assert "Укажите e-mail или телефон" in asked.content.decode()
    assert client.post(lookup, {"number": appeal.number, "phone": "89161234567"}).status_code == 302


def test_an_appeal_needs_an_email_unless_it_is_answered_by_a_call():
    with pytest.raises(ValidationError) as refused:
        appeal_make(email="", answer_channel=AnswerChannel.EMAIL)
    assert refused.value.message_dict["email"] == [str(EMAIL_REQUIRED)]
    with pytest.raises(ValidationError) as refused:
        appeal_make(email="", phone="", answer_channel=AnswerChannel.PHONE)
    assert "phone" in refused.value.message_dict
    assert appeal_make(email="", answer_channel=AnswerChannel.PHONE).email == ""


def test_the_feedback_form_says_so_with_the_other_fields(client):
    topic = TopicFactory()
    response = client.post(
        reverse("appeals:feedback"),
        {"topic": topic.pk, "subject": "", "description": "x", "answer_channel": "email"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert str(EMAIL_REQUIRED) in page and "Напишите, о чём ваш вопрос." in page


# --- The per-address limit ------------------------------------------------------------------


def test_visitors_messages_are_limited_per_client_address_too(monkeypatch):
    from support.chat.actions import common

    monkeypatch.setattr(common, "RATE_ADDRESS_MESSAGES", RATE_MESSAGES + 2)
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.7")
    mine, theirs = _started(first), _started(second)

    def ask(client, conversation, client_id):
        return client.post(
            reverse("chat:send", args=[conversation.pk]), {"text": "вопрос", "client_id": client_id}
        )

    for n in range(RATE_MESSAGES):
        assert ask(first, mine, f"a{n}").status_code == 302
    assert ask(second, theirs, "b0").status_code == 302
    assert ask(second, theirs, "b1").status_code == 302
    # Another visitor behind the same address: the address is full.
    refused = ask(second, theirs, "b2")
    assert refused.status_code == 400
    assert "Слишком много сообщений" in refused.content.decode()
    assert not Message.objects.filter(client_id="b2").exists()
    # An admitted message is never refused when it comes again.
    assert ask(second, theirs, "b1").status_code == 302
    # A visitor from another address is not counted with them.
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    assert ask(elsewhere, _started(elsewhere), "c0").status_code == 302
