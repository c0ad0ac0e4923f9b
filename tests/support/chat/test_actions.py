"""Chat actions: numbered storage exactly once, the bot, hand-off, leaving a message,
closing and rating, and what each refuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from faq.models import Status as ArticleStatus
from portal.notifications.models import Notification, NotificationEvent
from support.appeals.models import Appeal
from support.chat import actions, lifecycle, selectors
from support.chat.models import Conversation, Message, SenderKind, Status
from support.chat.rules import TEXT_TOO_LONG, TOO_FAST
from tests.faq.factories import ArticleFactory
from tests.support.appeals.factories import (
    TopicFactory,
    appeal_make,
    checked,
    operator_make,
)
from tests.support.chat.factories import chat_make, operator_online, post, waited

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return operator_make("op-chat")


def seqs(conversation) -> list[int]:
    return list(Message.objects.filter(conversation=conversation).values_list("seq", flat=True))


def test_start_greets_and_a_second_start_returns_the_same_conversation(citizen):
    first = actions.conversation_start(user=citizen, language="ru")
    again = actions.conversation_start(user=citizen, language="ru")
    assert first.pk == again.pk
    greeting = Message.objects.get(conversation=first)
    assert greeting.sender_kind == SenderKind.BOT and greeting.seq == 1


def test_messages_are_numbered_one_after_another(citizen):
    conversation = chat_make(user=citizen)
    post(conversation, citizen, "как восстановить пароль", "a1")
    post(conversation, citizen, "спасибо", "a2")
    assert seqs(conversation) == [1, 2, 3, 4, 5]  # greeting, question, bot, question, bot
    conversation.refresh_from_db()
    assert conversation.last_seq == 5


def test_a_resend_with_the_same_client_id_is_stored_once(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    first = post(conversation, citizen, "Здравствуйте", "same-id")
    again = post(conversation, citizen, "Здравствуйте", "same-id")
    assert not first.replayed and again.replayed
    assert again.message.pk == first.message.pk
    assert Message.objects.filter(conversation=conversation, client_id="same-id").count() == 1


def test_the_same_client_id_from_the_other_side_is_a_different_message(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    post(conversation, citizen, "Вопрос", "x")
    post(conversation, operator, "Ответ", "x", staff=True)
    assert Message.objects.filter(conversation=conversation, client_id="x").count() == 2


def test_bot_answers_from_the_knowledge_base_with_links(citizen):
    ArticleFactory(
        title="Как восстановить пароль от учётной записи",
        short_answer="Нажмите «Забыли пароль» на странице входа.",
        status=ArticleStatus.PUBLISHED,
    )
    conversation = chat_make(user=citizen)
    post(conversation, citizen, "не помню пароль, как восстановить", "q1")
    bot = Message.objects.filter(conversation=conversation, sender_kind=SenderKind.BOT).last()
    assert bot.data["articles"][0]["title"] == "Как восстановить пароль от учётной записи"
    assert "Забыли пароль" in bot.data["articles"][0]["answer"]
    assert bot.data["offer"] == ["helped", "operator"]


def test_bot_says_plainly_when_it_does_not_know(citizen):
    conversation = chat_make(user=citizen)
    post(conversation, citizen, "абракадабра зюзюка", "q1")
    bot = Message.objects.filter(conversation=conversation).last()
    assert bot.sender_kind == SenderKind.BOT
    assert "не знаю" in bot.text
    assert bot.data["offer"] == ["operator"]


def test_bot_answers_in_the_conversations_language(citizen):
    conversation = chat_make(user=citizen, language="en")
    post(conversation, citizen, "qwertyuiop zxcv", "q1")
    bot = Message.objects.filter(conversation=conversation).last()
    assert bot.text.startswith("I don't know")


def test_bot_tells_the_status_of_the_citizens_own_appeal(citizen):
    appeal = appeal_make(author=citizen)
    conversation = chat_make(user=citizen)
    post(conversation, citizen, f"какой статус обращения {appeal.number}", "q1")
    bot = Message.objects.filter(conversation=conversation).last()
    assert appeal.number in bot.text and "Зарегистрировано" in bot.text
    assert bot.data["articles"][0]["url"] == appeal.get_absolute_url()


def test_bot_never_tells_somebody_elses_appeal(citizen, other_citizen):
    theirs = appeal_make(author=other_citizen, subject="Чужая тайна")
    conversation = chat_make(user=citizen)
    post(conversation, citizen, f"статус заявки {theirs.number}", "q1")
    bot = Message.objects.filter(conversation=conversation).last()
    assert "нет обращения" in bot.text
    assert "Зарегистрировано" not in bot.text and "Чужая тайна" not in str(bot.data)


def test_too_long_message_is_refused_with_its_reason(citizen):
    conversation = chat_make(user=citizen)
    with pytest.raises(ValidationError) as caught:
        post(conversation, citizen, "я" * 4001, "long")
    assert caught.value.messages == [str(TEXT_TOO_LONG)]
    assert seqs(conversation) == [1]
    post(conversation, citizen, "я" * 4000, "exact")  # the limit itself is fine


def test_the_eleventh_message_in_ten_seconds_is_refused(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    for n in range(10):
        post(conversation, citizen, f"сообщение {n}", f"m{n}")
    with pytest.raises(ValidationError) as caught:
        post(conversation, citizen, "ещё одно", "m10")
    assert caught.value.messages == [str(TOO_FAST)]
    # A resend of something already stored is not a new message: never refused for speed.
    assert post(conversation, citizen, "сообщение 9", "m9").replayed


def test_a_bad_client_id_is_refused(citizen):
    conversation = chat_make(user=citizen)
    for bad in ["", "with space", "x" * 65, "<script>"]:
        with pytest.raises(ValidationError):
            post(conversation, citizen, "текст", bad)


def test_another_citizen_cannot_write_into_a_conversation(citizen, other_citizen):
    conversation = chat_make(user=citizen)
    with pytest.raises(PermissionDenied):
        post(conversation, other_citizen, "я тут", "x1")
    assert seqs(conversation) == [1]


def test_an_operator_who_does_not_hold_it_cannot_answer(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    colleague = operator_make("op-colleague")
    with pytest.raises(PermissionDenied):
        post(conversation, colleague, "Я тоже тут", "c1", staff=True)


def test_hand_off_with_nobody_online_is_refused_and_leaves_the_bot(citizen):
    conversation = chat_make(user=citizen)
    with pytest.raises(ValidationError) as caught:
        actions.conversation_hand_off(conversation_id=conversation.pk, user=citizen)
    assert caught.value.code == "unavailable"
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT


def test_hand_off_outside_the_chats_hours_is_refused(citizen, operator):
    from portal.channels import ChannelKind
    from support.contacts.models import ContactChannel

    ContactChannel.objects.create(kind=ChannelKind.CHAT, title="Чат")  # no hours: closed
    operator_online(operator)
    conversation = chat_make(user=citizen)
    with pytest.raises(ValidationError) as caught:
        actions.conversation_hand_off(conversation_id=conversation.pk, user=citizen)
    assert "не работают" in caught.value.messages[0]


def test_queue_place_and_retry_raises_priority(citizen, other_citizen, operator):
    operator_online(operator)
    first = chat_make(user=other_citizen, status=Status.WAITING, operator=operator)
    second = chat_make(user=citizen, status=Status.WAITING, operator=operator)
    assert selectors.queue_place(conversation=second).position == 2
    with pytest.raises(ValidationError):
        actions.conversation_retry(conversation_id=second.pk, user=citizen)
    waited(second, 6)
    actions.conversation_retry(conversation_id=second.pk, user=citizen)
    second.refresh_from_db()
    first.refresh_from_db()
    assert selectors.queue_place(conversation=second).position == 1
    assert selectors.queue_place(conversation=first).position == 2
    assert [row.conversation.pk for row in selectors.queue_rows()] == [second.pk, first.pk]


def _leave_message(conversation, citizen, *, consent: bool = True):
    """The citizen leaves the chat's question as an appeal, answered by e-mail."""
    return actions.conversation_leave_message(
        conversation_id=conversation.pk,
        user=citizen,
        topic=TopicFactory(),
        email="anna@example.org",
        consent=consent,
    )


def test_leave_message_makes_an_appeal_with_the_transcript(citizen):
    conversation = chat_make(user=citizen)
    post(conversation, citizen, "Не приходит код подтверждения", "q1")
    appeal = _leave_message(conversation, citizen)
    assert appeal.author == citizen
    assert "Не приходит код подтверждения" in appeal.description
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED and conversation.appeal == appeal
    last = Message.objects.filter(conversation=conversation).last()
    assert appeal.number in last.text
    # A second click does not make a second appeal, it is refused.
    with pytest.raises(ValidationError):
        _leave_message(conversation, citizen)
    assert Appeal.objects.filter(author=citizen).count() == 1


def test_leave_message_without_consent_writes_nothing(citizen):
    conversation = chat_make(user=citizen)
    with pytest.raises(ValidationError):
        _leave_message(conversation, citizen, consent=False)
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT and not Appeal.objects.exists()


def test_take_answer_transfer_close_and_rate(citizen, operator, django_capture_on_commit_callbacks):
    colleague = operator_make("op-next")
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    post(conversation, operator, "Чем помочь?", "o1", staff=True)
    actions.conversation_transfer(
        conversation_id=conversation.pk,
        actor=lifecycle.staff(operator),
        to=colleague,
        note="Вопрос про госпошлину",
    )
    conversation.refresh_from_db()
    assert conversation.operator == colleague
    note = Message.objects.get(conversation=conversation, staff_only=True)
    assert "госпошлину" in note.text
    citizen_view = selectors.messages_after(conversation_id=conversation.pk, after=0, staff=False)
    assert note not in citizen_view
    with pytest.raises(PermissionDenied):
        post(conversation, operator, "ещё я", "o2", staff=True)
    with pytest.raises(ValidationError):
        actions.conversation_close(
            conversation_id=conversation.pk, actor=lifecycle.staff(colleague), resolution="  "
        )
    actions.conversation_close(
        conversation_id=conversation.pk,
        actor=lifecycle.staff(colleague),
        resolution="Пошлина оплачивается на странице услуги",
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    report = Message.objects.filter(conversation=conversation).last()
    assert "Пошлина оплачивается" in report.text and not report.staff_only
    with pytest.raises(ValidationError):
        actions.conversation_rate(conversation_id=conversation.pk, user=citizen, rating=6)
    actions.conversation_rate(conversation_id=conversation.pk, user=citizen, rating=5, comment="ок")
    with pytest.raises(ValidationError):
        actions.conversation_rate(conversation_id=conversation.pk, user=citizen, rating=4)
    conversation.refresh_from_db()
    assert conversation.rating == 5


def test_transfer_to_a_non_operator_is_refused(citizen, operator, other_citizen):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    with pytest.raises(ValidationError):
        actions.conversation_transfer(
            conversation_id=conversation.pk,
            actor=lifecycle.staff(operator),
            to=other_citizen,
            note="",
        )


def test_an_operators_answer_reaches_the_inbox_whatever_presence_says(
    citizen, operator, django_capture_on_commit_callbacks
):
    from support.chat.models import Presence

    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    # A row left by a server that died: the citizen looks present, and is not.
    Presence.objects.create(channel_name="dead.1", user=citizen, conversation=conversation)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate tasks backend
        post(conversation, operator, "Ответ", "o1", staff=True)
    notice = Notification.objects.get(user=citizen)
    assert notice.event == NotificationEvent.CHAT_MESSAGE and notice.read_at is None
    # One unread copy at a time, however many answers.
    with django_capture_on_commit_callbacks(execute=True):
        post(conversation, operator, "Ещё ответ", "o2", staff=True)
    assert Notification.objects.filter(user=citizen).count() == 1
    # Reading the chat reads the copy; the next answer makes a new one.
    conversation.refresh_from_db()
    actions.conversation_mark_read(
        conversation_id=conversation.pk, staff=False, seq=conversation.last_seq
    )
    assert Notification.objects.get(user=citizen).read_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        post(conversation, operator, "И ещё", "o3", staff=True)
    assert Notification.objects.filter(user=citizen, read_at__isnull=True).count() == 1


def test_an_answer_read_before_the_check_is_not_copied(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    answer = post(conversation, operator, "Ответ", "o1", staff=True).message
    actions.conversation_mark_read(conversation_id=conversation.pk, staff=False, seq=answer.seq)
    assert not actions.conversation_copy_to_inbox(conversation_id=conversation.pk, seq=answer.seq)
    assert not Notification.objects.filter(user=citizen).exists()
    later = post(conversation, operator, "Ещё", "o2", staff=True).message
    assert actions.conversation_copy_to_inbox(conversation_id=conversation.pk, seq=later.seq)
    assert Notification.objects.filter(user=citizen).count() == 1


def test_a_resent_queue_is_never_refused(citizen, operator, settings):
    """Ten messages fill the limit; the page resends all ten (their answers were lost), and
    one the server counted but never stored (the server died in between): none refused."""
    from support.chat.actions import common

    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    first = [post(conversation, citizen, f"м{n}", f"q{n}") for n in range(9)]
    # The count, then the crash.
    assert common._rate_refusal(lifecycle.citizen(citizen), "counted-not-stored", "") is None
    with pytest.raises(ValidationError) as refused:
        post(conversation, citizen, "лишнее", "q-new")
    assert refused.value.code == "rate"
    assert 1 <= common.rate_retry_after(refused.value) <= 10
    again = [post(conversation, citizen, f"м{n}", f"q{n}") for n in range(9)]
    assert [p.replayed for p in again] == [True] * 9
    assert [p.message.pk for p in again] == [p.message.pk for p in first]
    stored = post(conversation, citizen, "после сбоя", "counted-not-stored")
    assert not stored.replayed and stored.message.text == "после сбоя"
    assert post(conversation, citizen, "после сбоя", "counted-not-stored").replayed


def test_a_resend_of_a_stored_message_is_answered_after_the_chat_closed(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    sent = post(conversation, citizen, "Последнее", "late")
    actions.conversation_close(
        conversation_id=conversation.pk, actor=lifecycle.staff(operator), resolution="Готово"
    )
    again = post(conversation, citizen, "Последнее", "late")
    assert again.replayed and again.message.pk == sent.message.pk
    with pytest.raises(ValidationError):  # a new message to a closed chat is still refused
        post(conversation, citizen, "Новое", "new-after-close")


def test_a_client_id_of_somebody_else_finds_nothing(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    post(conversation, operator, "Ответ", "shared-id", staff=True)
    colleague = operator_make("op-colleague")
    from support.appeals.roles import roles_ensure

    roles_ensure()
    Conversation.objects.filter(pk=conversation.pk).update(operator=colleague)
    with pytest.raises(ValidationError) as refused:
        post(conversation, colleague, "Чужой номер", "shared-id", staff=True)
    assert refused.value.code == "client_id"


def test_presence_expires_with_the_heartbeat(operator):
    import datetime

    from django.utils import timezone

    from support.chat.models import Presence
    from support.chat.rules import PRESENCE_STALE

    actions.presence_beat(channel_name="ws.alive", user=operator)
    assert selectors.operators_online() == 1
    # The server died: no more beats. Within two and a half beats the operator is gone.
    later = timezone.now() + PRESENCE_STALE + datetime.timedelta(seconds=1)
    assert selectors.operators_online(now=later) == 0
    assert selectors.operators_online(now=timezone.now() + PRESENCE_STALE / 2) == 1
    # A beat renews the row; the next operator who comes sweeps the dead ones.
    Presence.objects.filter(channel_name="ws.alive").update(
        seen_at=timezone.now() - PRESENCE_STALE * 2
    )
    assert selectors.operators_online() == 0
    actions.presence_beat(channel_name="ws.alive", user=operator)
    assert selectors.operators_online() == 1
    Presence.objects.filter(channel_name="ws.alive").update(
        seen_at=timezone.now() - PRESENCE_STALE * 2
    )
    other = operator_make("op-next")
    actions.presence_beat(channel_name="ws.next", user=other)
    assert list(Presence.objects.values_list("channel_name", flat=True)) == ["ws.next"]


def test_files_go_with_a_message(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    posted = post(conversation, citizen, "", "f1", file=checked("скан.pdf"))
    message = posted.message
    assert message.file_name.endswith(".pdf") and message.file_type == "application/pdf"
    assert not message.file.name.endswith("скан.pdf")  # stored under a random name


def test_read_marks_only_move_forward(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    last = Conversation.objects.get(pk=conversation.pk).last_seq
    assert actions.conversation_mark_read(conversation_id=conversation.pk, staff=True, seq=last)
    assert not actions.conversation_mark_read(conversation_id=conversation.pk, staff=True, seq=1)
    assert not actions.conversation_mark_read(
        conversation_id=conversation.pk, staff=True, seq=last + 10
    )
    assert Conversation.objects.get(pk=conversation.pk).operator_read_seq == last


def test_a_read_mark_is_one_statement_for_staff_and_one_or_two_for_the_citizen(
    citizen, operator, django_assert_num_queries
):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    last = Conversation.objects.get(pk=conversation.pk).last_seq
    with django_assert_num_queries(1):  # the conditional UPDATE … RETURNING, no transaction
        actions.conversation_mark_read(conversation_id=conversation.pk, staff=True, seq=last)
    # PostgreSQL: the mark and the inbox's notice in one statement; elsewhere two in one
    # transaction (with the test's savepoint pair).
    postgres = connection.vendor == "postgresql"
    with django_assert_num_queries(1 if postgres else 4):
        actions.conversation_mark_read(conversation_id=conversation.pk, staff=False, seq=last)
    # Not forward: the UPDATE that moves nothing, no notice.
    with django_assert_num_queries(1 if postgres else 3):
        actions.conversation_mark_read(conversation_id=conversation.pk, staff=False, seq=last)


def test_the_citizens_mark_reads_only_their_own_chat_notice(citizen, other_citizen, operator):
    """The one-statement mark reads the notices of the conversation's citizen, of the chat
    kind, unread ones only; a mark that does not move reads none."""
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    answer = post(conversation, operator, "Ответ", "o1", staff=True).message
    notices = {
        name: Notification.objects.create(user=user, event=event, title=name)
        for name, user, event in [
            ("chat", citizen, NotificationEvent.CHAT_MESSAGE),
            ("other event", citizen, NotificationEvent.ANSWER_GIVEN),
            ("other citizen", other_citizen, NotificationEvent.CHAT_MESSAGE),
        ]
    }
    assert not actions.conversation_mark_read(
        conversation_id=conversation.pk, staff=False, seq=answer.seq + 1
    )
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    assert actions.conversation_mark_read(
        conversation_id=conversation.pk, staff=False, seq=answer.seq
    )
    read = {n: Notification.objects.get(pk=x.pk).read_at is not None for n, x in notices.items()}
    assert read == {"chat": True, "other event": False, "other citizen": False}
    assert Conversation.objects.get(pk=conversation.pk).citizen_read_seq == answer.seq


def test_transcript_has_every_visible_line(citizen, operator):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    post(conversation, citizen, "<b>жирный</b>", "t1")
    text = selectors.transcript_text(conversation=conversation)
    assert "<b>жирный</b>" in text and "Бот" in text


def test_a_message_to_the_operator_costs_two_statements_or_three(
    citizen, operator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    # PostgreSQL: the row's lock, the next number and the resend check in one UPDATE, then
    # the message; elsewhere the locked row with the resend check, the next number, the
    # message. The other two are the savepoint pair of the test's own transaction.
    postgres = connection.vendor == "postgresql"
    with (
        django_assert_num_queries(4 if postgres else 5),
        django_capture_on_commit_callbacks(execute=False) as rings,
    ):
        posted = post(conversation, citizen, "Где мой паспорт?", "q1")
    assert posted.message.seq == conversation.last_seq + 1 and not posted.replayed
    assert len(rings) == 1  # announced only after the commit
    # A resend: the locked row finds the stored message, which is read back; nothing written
    # (on PostgreSQL the number taken is rolled back: the savepoint's rollback is one more).
    with django_capture_on_commit_callbacks(execute=False) as rings:
        with django_assert_num_queries(5 if postgres else 4):
            again = post(conversation, citizen, "Где мой паспорт?", "q1")
    assert again.replayed and again.message.pk == posted.message.pk and not rings
    assert Conversation.objects.get(pk=conversation.pk).last_seq == posted.message.seq
    # The next message takes the next number: none was lost to the resend.
    assert post(conversation, citizen, "И ещё", "q2").message.seq == posted.message.seq + 1


def test_the_ring_carries_the_stored_message_and_the_committed_state(
    citizen, operator, monkeypatch, django_capture_on_commit_callbacks
):
    from support.chat import events

    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    sent = []
    monkeypatch.setattr(events, "group_send", lambda group, event: sent.append((group, event)))
    with django_capture_on_commit_callbacks(execute=True):
        posted = post(conversation, citizen, "Где мой паспорт?", "q1")
    [(group, event)] = sent
    assert group == events.conversation_group(conversation.pk)
    stored = selectors.messages_after(conversation_id=conversation.pk, after=0, staff=True)[-1]
    assert event["seq"] == posted.message.seq == stored.seq
    assert event["message"] == selectors.ring_payload(stored)
    assert selectors.payload_for_side(event["message"], staff=False) == selectors.message_payload(
        stored
    )
    assert selectors.payload_for_side(event["message"], staff=True)["sender_name"] == "Иван Иванов"
    assert event["state"]["status"] == Status.OPERATOR and not event["state"]["rated"]


def test_with_a_database_queue_the_inbox_task_is_stored_in_the_answers_transaction(
    citizen, operator, settings, django_capture_on_commit_callbacks
):
    """Stored with the answer (no second commit per answer, and never one without the
    other); the immediate backend still runs it only after the commit."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    with django_capture_on_commit_callbacks(execute=False):
        answer = post(conversation, operator, "Ответ", "o1", staff=True).message
        # Nothing committed yet, and the task is already there.
        task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"] == {"conversation_id": conversation.pk, "seq": answer.seq}
    assert task.run_after is not None
    conversation.status = Status.CLOSED
    conversation.save()
    with pytest.raises(ValidationError):
        post(conversation, operator, "Поздно", "o2", staff=True)
    assert DBTaskResult.objects.count() == 1


def test_a_workspace_beat_of_a_present_socket_is_one_statement(operator, django_assert_num_queries):
    actions.presence_beat(channel_name="ws.beating", user=operator)  # arrives: the row
    with django_assert_num_queries(1):  # the UPDATE of its row, no transaction around it
        actions.presence_beat(channel_name="ws.beating", user=operator)
    assert selectors.operators_online() == 1
