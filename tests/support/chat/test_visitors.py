"""A visitor without an account: the bot in their browser session, nobody else's chat, the
limits per visitor and per address, and the chat joining the account at sign-in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from portal.visitors import visitor_key
from support.chat import actions, lifecycle, selectors
from support.chat.models import Conversation, Message, SenderKind, Status
from support.chat.rules import RATE_MESSAGES
from tests.portal.factories import PASSWORD
from tests.support.appeals.factories import appeal_make, operator_make
from tests.support.chat.factories import chat_make, operator_online

pytestmark = pytest.mark.django_db
PAGE = "/support/chat/"


def _started(client: Client) -> Conversation:
    response = client.post(reverse("chat:start"))
    assert response.status_code == 302
    return Conversation.objects.get(visitor=_key(client))


def _key(client: Client) -> str:
    return visitor_key(user=None, session_key=client.cookies["sessionid"].value)


def _ask(client: Client, conversation: Conversation, text: str, client_id: str):
    return client.post(
        reverse("chat:send", args=[conversation.pk]), {"text": text, "client_id": client_id}
    )


def test_a_visitor_sees_the_chat_the_sign_in_and_the_other_channels(client):
    from portal.channels import ChannelKind
    from support.contacts.models import ContactChannel

    ContactChannel.objects.create(kind=ChannelKind.PHONE, title="Горячая линия", always_open=True)
    page = client.get(PAGE).content.decode()
    assert f"{reverse('login')}?next={PAGE}" in page
    assert "Горячая линия" in page
    assert "Начать чат" in page
    # Reading the page starts no session and no conversation.
    assert "sessionid" not in client.cookies
    assert not Conversation.objects.exists()


def test_a_visitor_starts_a_chat_that_belongs_to_their_session(client):
    conversation = _started(client)
    assert conversation.user is None and conversation.visitor.startswith("s")
    assert conversation.visitor != client.cookies["sessionid"].value  # the key, hashed
    greeting = Message.objects.get(conversation=conversation)
    assert greeting.sender_kind == SenderKind.BOT
    # Nobody online: no operator is promised, a message can be left.
    assert "Оператора можно позвать" not in greeting.text
    assert "оставить сообщение" in greeting.text
    page = client.get(PAGE).content.decode()
    assert greeting.text.split(".")[0] in page and "Отправить" in page


def test_a_visitor_asks_the_bot_without_javascript(client):
    conversation = _started(client)
    assert _ask(client, conversation, "Как восстановить пароль?", "v1").status_code == 302
    mine, bot = Message.objects.filter(conversation=conversation).order_by("seq")[1:]
    assert mine.sender_kind == SenderKind.CITIZEN and mine.sender is None
    assert bot.sender_kind == SenderKind.BOT
    conversation.refresh_from_db()
    assert conversation.topic == "Как восстановить пароль?"
    assert "Как восстановить пароль?" in client.get(PAGE).content.decode()


def test_two_starts_of_one_visitor_are_one_conversation(client):
    first = _started(client)
    assert _started(client).pk == first.pk
    assert Conversation.objects.count() == 1
    # The database says so too, whatever races past the check.
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(visitor=first.visitor)


def test_a_conversation_needs_an_owner():
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create()


def test_no_session_no_conversation():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.conversation_start(user=AnonymousUser(), visitor="", language="ru")
    assert not Conversation.objects.exists()


def test_another_visitor_gets_404_everywhere(client, citizen):
    conversation = _started(client)
    stranger = Client()
    stranger.post(reverse("chat:start"))  # a session of their own
    urls = [
        reverse("chat:send", args=[conversation.pk]),
        reverse("chat:step", args=[conversation.pk, "end"]),
        reverse("chat:step", args=[conversation.pk, "rate"]),
    ]
    for url in urls:
        assert stranger.post(url, {"text": "x", "client_id": "s1", "rating": 5}).status_code == 404
    assert stranger.get(reverse("chat:transcript", args=[conversation.pk])).status_code == 404
    # A signed-in citizen is a stranger to it too, and the visitor to the citizen's chat.
    signed_in = Client()
    signed_in.force_login(citizen)
    assert signed_in.get(reverse("chat:transcript", args=[conversation.pk])).status_code == 404
    theirs = chat_make(user=citizen)
    assert client.get(reverse("chat:transcript", args=[theirs.pk])).status_code == 404
    assert _ask(client, theirs, "чужой", "v9").status_code == 404
    # Nothing was written by any of them.
    assert Message.objects.filter(conversation=conversation).count() == 1
    conversation.refresh_from_db()
    assert conversation.status == Status.BOT
    # The visitor's own transcript is theirs.
    own = client.get(reverse("chat:transcript", args=[conversation.pk]))
    assert own.status_code == 200
    assert conversation.number in b"".join(own.streaming_content).decode()


def test_a_visitor_is_offered_the_hand_off_and_told_it_asks_for_contacts(client):
    operator_online(operator_make("op-visitors"))
    conversation = _started(client)
    greeting = Message.objects.get(conversation=conversation)
    assert "Оператора можно позвать" in greeting.text
    assert "имя и e-mail или телефон" in greeting.text
    actor = lifecycle.citizen(None, conversation.visitor)
    allowed = lifecycle.steps_allowed(conversation=conversation, actor=actor)
    assert {"ask", "end", "hand_off", "leave_message"} <= allowed
    page = client.get(PAGE).content.decode()
    assert "Связаться с оператором" in page and "Как к вам обращаться" in page


def test_the_bot_tells_a_visitor_no_appeals_status(client, citizen):
    appeal = appeal_make(author=citizen)
    conversation = _started(client)
    _ask(client, conversation, f"статус обращения {appeal.number}", "v1")
    answer = Message.objects.filter(conversation=conversation).order_by("-seq").first()
    assert answer.sender_kind == SenderKind.BOT
    assert appeal.subject not in answer.text + str(answer.data)
    assert appeal.get_status_display() not in answer.text
    assert answer.data["articles"][0]["url"] == reverse("appeals:lookup")
    assert "по номеру и e-mail" in answer.text  # what the status page asks for
    # The page is named as its heading reads, so the visitor recognises it.
    assert "«Найти обращение»" in answer.text
    assert answer.data["articles"][0]["title"] == "Найти обращение"


def test_a_visitor_asking_for_a_person_is_told_how_to_reach_one(client):
    operator_online(operator_make("op-visitors"))
    conversation = _started(client)
    _ask(client, conversation, "хочу поговорить с человеком", "v1")
    answer = Message.objects.filter(conversation=conversation).order_by("-seq").first()
    assert "имя и e-mail или телефон" in answer.text and answer.data["offer"] == ["operator"]


def test_a_visitor_ends_and_rates_their_chat(client):
    conversation = _started(client)
    client.post(reverse("chat:step", args=[conversation.pk, "end"]))
    client.post(reverse("chat:step", args=[conversation.pk, "rate"]), {"rating": 4})
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED and conversation.rating == 4
    # A new chat can start after the closed one (the constraint is for open ones).
    assert _started_again(client).pk != conversation.pk


def _started_again(client: Client) -> Conversation:
    client.post(reverse("chat:start"))
    return Conversation.objects.filter(visitor=_key(client)).order_by("-pk").first()


def test_messages_are_limited_per_visitor_not_per_address(client):
    conversation = _started(client)
    for n in range(RATE_MESSAGES):
        assert _ask(client, conversation, f"вопрос {n}", f"v{n}").status_code == 302
    refused = _ask(client, conversation, "ещё", "over")
    assert refused.status_code == 400
    assert "Слишком много сообщений" in refused.content.decode()
    assert not Message.objects.filter(client_id="over").exists()
    # A resend of an admitted message is never refused.
    assert _ask(client, conversation, "вопрос 0", "v0").status_code == 302
    # Another visitor from the same address has their own limit.
    other = Client()
    theirs = _started(other)
    assert _ask(other, theirs, "мой вопрос", "o1").status_code == 302


def test_visitors_chats_are_limited_per_client_address(settings, citizen):
    settings.CHAT_VISITOR_START_RATE = "2/h"
    for _ in range(2):
        _started(Client(REMOTE_ADDR="203.0.113.5"))
    limited = Client(REMOTE_ADDR="203.0.113.5").post(reverse("chat:start"))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert Conversation.objects.count() == 2
    # Another address, and a signed-in citizen at the same one, are not limited by it.
    _started(Client(REMOTE_ADDR="203.0.113.6"))
    signed_in = Client(REMOTE_ADDR="203.0.113.5")
    signed_in.force_login(citizen)
    assert signed_in.post(reverse("chat:start")).status_code == 302
    assert Conversation.objects.filter(user=citizen).exists()


def test_a_visitor_with_an_open_chat_is_not_counted_again(settings):
    settings.CHAT_VISITOR_START_RATE = "1/h"
    client = Client(REMOTE_ADDR="203.0.113.7")
    first = _started(client)
    assert _started(client).pk == first.pk  # the same chat, not a 429


def test_the_chat_joins_the_account_at_sign_in(client, citizen):
    conversation = _started(client)
    _ask(client, conversation, "Не приходит СМС-код", "v1")
    old_key = conversation.visitor
    response = client.post(reverse("login"), {"login": citizen.username, "password": PASSWORD})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.user == citizen and conversation.visitor == ""
    page = client.get(PAGE).content.decode()
    assert "Не приходит СМС-код" in page
    # The visitor's messages are the citizen's now; the old session key reaches nothing.
    assert selectors.conversation_of_citizen(user=None, visitor=old_key, pk=conversation.pk) is None
    assert selectors.may_read(user=citizen, conversation=conversation) == "citizen"


def test_a_failed_sign_in_takes_nothing_over(client, citizen):
    conversation = _started(client)
    client.post(reverse("login"), {"login": citizen.username, "password": "nope"})
    conversation.refresh_from_db()
    assert conversation.user is None and conversation.visitor == _key(client)


def test_the_take_over_takes_only_that_visitors_chats(citizen):
    mine = Client()
    theirs = Client()
    own, other = _started(mine), _started(theirs)
    account_chat = chat_make(user=operator_make("op-other"))
    assert actions.conversations_take_over(visitor=own.visitor, user=citizen) == 1
    assert actions.conversations_take_over(visitor="", user=citizen) == 0
    own.refresh_from_db(), other.refresh_from_db(), account_chat.refresh_from_db()
    assert own.user == citizen
    assert other.user is None and other.visitor
    assert account_chat.user.username == "op-other"


def test_who_owns_which_conversation(citizen):
    """The one rule (`selectors.owns`), asked by pages, sockets and the lifecycle."""
    from django.contrib.auth.models import AnonymousUser

    from tests.portal.factories import UserFactory

    other = UserFactory(username="someone-else")
    account_chat = chat_make(user=citizen)
    visitor_chat = actions.conversation_start(user=None, visitor="s" + "a" * 40, language="ru")
    cases = [
        (citizen, "", account_chat, "citizen"),
        (other, "", account_chat, None),
        (AnonymousUser(), "", account_chat, None),
        (AnonymousUser(), f"u{citizen.pk}", account_chat, None),
        (AnonymousUser(), "s" + "a" * 40, visitor_chat, "citizen"),
        (AnonymousUser(), "s" + "b" * 40, visitor_chat, None),
        (AnonymousUser(), "", visitor_chat, None),
        (citizen, "", visitor_chat, None),
        (None, "s" + "a" * 40, visitor_chat, "citizen"),
    ]
    for user, visitor, conversation, side in cases:
        assert selectors.may_read(user=user, visitor=visitor, conversation=conversation) == side


def test_a_supervisor_reads_a_visitors_chat_without_anybody_elses_appeals(client):
    from tests.support.appeals.factories import supervisor_make

    conversation = _started(client)
    orphan = appeal_make(author=None)  # somebody's appeal sent without an account
    staff = Client()
    staff.force_login(supervisor_make("sv-visitors"))
    page = staff.get(reverse("chat:operator-chat", args=[conversation.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Посетитель без входа" in content
    assert orphan.number not in content
    assert selectors.citizen_open_appeals(user=None) == []
