"""The chat's pages without JavaScript: the citizen's page and steps, files and transcripts
behind permission checks, the operator's home and chat."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from support.chat import actions, lifecycle
from support.chat.models import CannedAnswer, Conversation, Message, Status
from tests.support.appeals.factories import (
    EXE,
    TopicFactory,
    appeal_make,
    operator_make,
    upload,
)
from tests.support.chat.factories import chat_make, operator_online, post

pytestmark = pytest.mark.django_db
PAGE = "/support/chat/"


@pytest.fixture
def operator(db):
    return operator_make("op-pages")


def test_every_page_has_a_chat_link_that_works_without_javascript(client):
    hub = client.get("/")
    assert 'href="/support/chat/"' in hub.content.decode()
    assert "js/chat.js" in hub.content.decode()
    assert client.get(PAGE).status_code == 200


def test_start_ask_and_see_the_bots_answer_without_javascript(client, citizen):
    client.force_login(citizen)
    assert "Начать чат" in client.get(PAGE).content.decode()
    client.post(reverse("chat:start"))
    conversation = Conversation.objects.get(user=citizen)
    form = client.get(PAGE).context["message_form"]
    client_id = form["client_id"].initial
    response = client.post(
        reverse("chat:send", args=[conversation.pk]),
        {"text": "<b>как</b> оплатить", "client_id": client_id},
    )
    assert response.status_code == 302
    # The same form posted again (a refresh) stores nothing new.
    client.post(
        reverse("chat:send", args=[conversation.pk]),
        {"text": "<b>как</b> оплатить", "client_id": client_id},
    )
    assert Message.objects.filter(conversation=conversation, client_id=client_id).count() == 1
    page = client.get(PAGE).content.decode()
    assert "&lt;b&gt;как&lt;/b&gt; оплатить" in page  # shown as text
    assert 'role="log"' in page and "Это помогло" in page


def test_a_too_long_message_shows_the_error_summary(client, citizen):
    client.force_login(citizen)
    conversation = chat_make(user=citizen)
    response = client.post(
        reverse("chat:send", args=[conversation.pk]), {"text": "я" * 4001, "client_id": "x1"}
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_another_citizens_conversation_is_a_404_everywhere(client, citizen, other_citizen):
    conversation = chat_make(user=citizen)
    client.force_login(other_citizen)
    for url in [
        reverse("chat:send", args=[conversation.pk]),
        reverse("chat:step", args=[conversation.pk, "end"]),
    ]:
        assert client.post(url, {"text": "x", "client_id": "a"}).status_code == 404
    assert client.get(reverse("chat:transcript", args=[conversation.pk])).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT


def test_hand_off_with_nobody_online_offers_leave_message(client, citizen):
    client.force_login(citizen)
    conversation = chat_make(user=citizen)
    page = client.get(PAGE).content.decode()
    assert "Сейчас нет операторов в сети." in page
    assert "Связаться с оператором" not in page  # the button becomes "Оставить сообщение"
    topic = TopicFactory()
    response = client.post(
        reverse("chat:step", args=[conversation.pk, "leave_message"]),
        {"topic": topic.pk, "email": "anna@example.org"},
    )
    assert response.status_code == 400  # consent is a separate act
    client.post(
        reverse("chat:step", args=[conversation.pk, "leave_message"]),
        {"topic": topic.pk, "email": "anna@example.org", "consent": "on"},
    )
    conversation.refresh_from_db()
    assert conversation.appeal is not None
    assert conversation.appeal.number in client.get(PAGE).content.decode()


def test_queue_place_is_shown_and_retry_is_offered_after_five_minutes(client, citizen, operator):
    from tests.support.chat.factories import waited

    operator_online(operator)
    client.force_login(citizen)
    conversation = chat_make(user=citizen)
    client.post(reverse("chat:step", args=[conversation.pk, "hand_off"]))
    page = client.get(PAGE).content.decode()
    assert "Ваше место в очереди: 1" in page
    assert "Повторить запрос" not in page
    waited(Conversation.objects.get(pk=conversation.pk), 6)
    assert "Повторить запрос" in client.get(PAGE).content.decode()
    client.post(reverse("chat:step", args=[conversation.pk, "retry"]))
    assert Conversation.objects.get(pk=conversation.pk).priority == 1


def test_files_are_checked_by_content_and_downloaded_only_by_who_may(
    client, citizen, other_citizen, operator
):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    client.force_login(citizen)
    url = reverse("chat:send", args=[conversation.pk])
    refused = client.post(url, {"client_id": "f0", "file": upload("virus.pdf", EXE)})
    assert refused.status_code == 400
    client.post(url, {"client_id": "f1", "file": upload("scan.pdf")})
    message = Message.objects.get(conversation=conversation, client_id="f1")
    download = reverse("chat:file", args=[message.key])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.force_login(other_citizen)
    assert client.get(download).status_code == 404
    client.force_login(operator)
    assert client.get(download).status_code == 200
    client.force_login(operator_make("op-other"))
    assert client.get(download).status_code == 404


def test_transcript_downloads_as_text(client, citizen):
    client.force_login(citizen)
    conversation = chat_make(user=citizen)
    response = client.get(reverse("chat:transcript", args=[conversation.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    assert f'filename="chat-{conversation.pk}.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Бот:" in b"".join(response.streaming_content).decode()


def test_operator_home_lists_waiting_chats_with_the_citizens_appeals(
    client, citizen, operator, django_assert_max_num_queries
):
    appeal = appeal_make(author=citizen)
    chat_make(user=citizen, status=Status.WAITING, operator=operator)
    chat_make(user=operator_make("another-citizen"), status=Status.WAITING, operator=operator)
    client.force_login(operator)
    with django_assert_max_num_queries(15):
        page = client.get("/support/operator/").content.decode()
    assert appeal.number in page and "Взять чат" in page
    assert reverse("appeals:operator-queue") in page


def test_citizens_cannot_open_the_operator_pages(client, citizen):
    client.force_login(citizen)
    assert client.get("/support/operator/").status_code == 403


def test_operator_takes_answers_with_canned_text_and_closes(client, citizen, operator):
    CannedAnswer.objects.create(title="Приветствие", text="Здравствуйте! Чем помочь?")
    conversation = chat_make(user=citizen, status=Status.WAITING, operator=operator)
    client.force_login(operator)
    client.post(reverse("chat:operator-act", args=[conversation.pk, "take"]))
    page = client.get(reverse("chat:operator-chat", args=[conversation.pk])).content.decode()
    assert "Здравствуйте! Чем помочь?" in page  # the canned answer to insert
    assert "Отвечает бот" not in page and "Здравствуйте! Я бот" in page  # the bot's part
    client.post(
        reverse("chat:operator-act", args=[conversation.pk, "answer"]),
        {"text": "Добрый день", "client_id": "op1"},
    )
    response = client.post(reverse("chat:operator-act", args=[conversation.pk, "close"]), {})
    assert response.status_code == 400
    client.post(
        reverse("chat:operator-act", args=[conversation.pk, "close"]),
        {"resolution": "Подсказали, где оплатить"},
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    client.force_login(citizen)
    page = client.get(PAGE).content.decode()
    assert "Подсказали, где оплатить" in page and "Оценить" in page
    client.post(reverse("chat:step", args=[conversation.pk, "rate"]), {"rating": "4"})
    assert Conversation.objects.get(pk=conversation.pk).rating == 4


def test_an_operator_cannot_take_over_a_colleagues_chat(client, citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    client.force_login(operator_make("op-colleague"))
    assert client.get(reverse("chat:operator-chat", args=[conversation.pk])).status_code == 404
    response = client.post(
        reverse("chat:operator-act", args=[conversation.pk, "answer"]),
        {"text": "я", "client_id": "z"},
    )
    assert response.status_code == 404


def test_the_english_interface_gets_an_english_bot(client, citizen):
    client.force_login(citizen)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(reverse("chat:start"))
    greeting = Message.objects.get(conversation__user=citizen)
    assert greeting.text.startswith("Hello!")


def test_leave_conversation_actions_are_refused_when_closed(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.CLOSED, operator=operator)
    with pytest.raises(ValidationError) as refused:
        actions.conversation_end(conversation_id=conversation.pk, user=citizen)
    assert refused.value.code == "status"
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    assert lifecycle.steps_allowed(conversation=conversation, actor=lifecycle.citizen(citizen)) == {
        "rate"
    }


def test_the_demo_canned_answers_are_seeded_once_and_offered_to_the_operator(
    client, citizen, operator
):
    from support.chat.demo import CANNED, seed_canned_answers

    assert seed_canned_answers() == len(CANNED)
    CannedAnswer.objects.filter(title="Приветствие").update(text="Добрый день! Чем помочь?")
    assert seed_canned_answers() == 0  # nothing doubled, the editor's wording kept
    assert CannedAnswer.objects.count() == len(CANNED)
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    client.force_login(operator)
    page = client.get(reverse("chat:operator-chat", args=[conversation.pk])).content.decode()
    assert "Добрый день! Чем помочь?" in page
    assert "5 рабочих дней" in page and "Мои заявки" in page


def test_the_bot_promises_an_operator_only_when_one_can_answer(client, citizen, operator):
    client.force_login(citizen)
    client.post(reverse("chat:start"))
    greeting = Message.objects.get(conversation__user=citizen)
    assert "в любой момент" not in greeting.text
    assert "Сейчас нет операторов в сети" in greeting.text
    assert "оставить сообщение" in greeting.text and greeting.data["offer"] == ["leave_message"]
    conversation = greeting.conversation
    # Asked for a person with nobody online: the truth and the offer to leave a message.
    post(conversation, citizen, "хочу поговорить с человеком", "person")
    reply = Message.objects.filter(conversation=conversation).last()
    assert reply.sender_kind == "bot" and "Сейчас нет операторов в сети" in reply.text
    assert reply.data["offer"] == ["leave_message"]
    # With an operator online, «оператор» offers the hand-off.
    operator_online(operator)
    post(conversation, citizen, "оператор", "operator")
    reply = Message.objects.filter(conversation=conversation).last()
    assert "Связаться с оператором" in reply.text and reply.data["offer"] == ["operator"]
    other = chat_make(user=operator_make("op-greeted-citizen"))
    assert "в любой момент" in Message.objects.filter(conversation=other).first().text


def test_after_hours_the_bot_says_when_operators_are_back(client, citizen):
    from portal.channels import ChannelKind
    from support.contacts.models import ContactChannel

    ContactChannel.objects.filter(kind=ChannelKind.CHAT).delete()
    ContactChannel.objects.create(kind=ChannelKind.CHAT, title="Чат", always_open=False)
    client.force_login(citizen)
    client.post(reverse("chat:start"))
    greeting = Message.objects.get(conversation__user=citizen)
    assert "Операторы чата сейчас не работают" in greeting.text
    assert "в любой момент" not in greeting.text


def test_a_new_chat_starts_without_rating_the_last_one(client, citizen, operator):
    closed = chat_make(user=citizen, status=Status.CLOSED, operator=operator)
    client.force_login(citizen)
    page = client.get(PAGE).content.decode()
    assert "Оценить" in page and "необязательно" in page and "Начать чат" in page
    assert "Оператор завершил чат. Итог: Готово" in page  # the last chat's log is shown
    client.post(reverse("chat:start"))
    assert Conversation.objects.filter(user=citizen).exclude(pk=closed.pk).get().is_open


def test_a_left_message_shows_the_appeals_number_and_link(client, citizen):
    topic = TopicFactory()
    client.force_login(citizen)
    client.post(reverse("chat:start"))
    conversation = Conversation.objects.get(user=citizen)
    client.post(
        reverse("chat:step", args=[conversation.pk, "leave_message"]),
        {"topic": topic.pk, "email": "a@example.org", "consent": "on"},
    )
    conversation.refresh_from_db()
    appeal = conversation.appeal
    page = client.get(PAGE).content.decode()
    assert f"Сообщение принято: обращение № {appeal.number}" in page
    assert f'href="{appeal.get_absolute_url()}"' in page
    assert "Закрыт." not in page


def test_the_operator_reads_the_citizens_name_and_colleagues_by_name(client, citizen, operator):
    citizen.first_name, citizen.last_name = "Анна", "Смирнова"
    citizen.save()
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    actions.message_post(
        conversation_id=conversation.pk,
        actor=lifecycle.citizen(citizen),
        text="Здравствуйте",
        client_id="hi",
    )
    colleague = operator_make("op-login-only")
    colleague.first_name, colleague.last_name = "Пётр", "Иванов"
    colleague.save()
    client.force_login(operator)
    page = client.get(reverse("chat:operator-chat", args=[conversation.pk])).content.decode()
    assert '<span class="chat__sender">Анна Смирнова</span>' in page
    assert '<span class="chat__sender">Вы</span>' not in page
    assert "Пётр Иванов" in page and ">op-login-only<" not in page


@pytest.mark.parametrize("status", [Status.BOT, Status.WAITING, Status.OPERATOR])
def test_the_citizen_ends_an_open_chat(citizen, operator, status):
    conversation = chat_make(user=citizen, status=status, operator=operator)
    ended = actions.conversation_end(conversation_id=conversation.pk, user=citizen)
    assert ended.status == Status.CLOSED
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED and conversation.closed_at is not None
    assert lifecycle.steps_allowed(conversation=conversation, actor=lifecycle.citizen(citizen)) == {
        "rate"
    }


def test_somebody_else_cannot_end_a_citizens_chat(citizen, other_citizen):
    conversation = chat_make(user=citizen)
    with pytest.raises(PermissionDenied):
        actions.conversation_end(conversation_id=conversation.pk, user=other_citizen)
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT
