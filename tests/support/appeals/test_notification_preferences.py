"""An account holder's appeal news follows their notification preferences; an author
without an account still gets the e-mails the law requires."""

import pytest
from django.core import mail

from portal.notifications import actions as notifications
from portal.notifications.models import Channel, Notification, NotificationEvent
from support.appeals import actions
from support.appeals.models import AnswerChannel
from tests.support.appeals.factories import appeal_make, operator_make

pytestmark = pytest.mark.django_db


def test_answer_to_an_account_holder_goes_to_inbox_and_email_by_default(citizen, committed):
    appeal = appeal_make(author=citizen, email="other-address@example.org")
    mail.outbox.clear()
    with committed():
        actions.appeal_answer(appeal=appeal, actor=operator_make(), text="Обновите приложение.")
    notification = Notification.objects.get(user=citizen)
    assert notification.event == NotificationEvent.ANSWER_GIVEN
    assert notification.url == appeal.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "Обновите приложение." in mail.outbox[0].body


def test_answer_by_phone_with_email_switched_off_sends_no_email(citizen, committed):
    notifications.notification_preferences_set(
        user=citizen, chosen={(NotificationEvent.ANSWER_GIVEN, Channel.EMAIL): False}
    )
    appeal = appeal_make(author=citizen, answer_channel=AnswerChannel.PHONE)
    mail.outbox.clear()
    with committed():
        actions.appeal_answer(appeal=appeal, actor=operator_make(), text="Позвонили.")
    assert mail.outbox == []
    assert Notification.objects.filter(user=citizen).count() == 1


def test_extension_is_not_mailed_to_an_account_holder_by_default(citizen, committed):
    appeal = appeal_make(author=citizen)
    mail.outbox.clear()
    with committed():
        actions.appeal_extend(appeal=appeal, actor=operator_make(), text="Запрос в МВД")
    assert mail.outbox == []
    assert Notification.objects.get(user=citizen).event == NotificationEvent.DEADLINE_EXTENDED


def test_anonymous_author_gets_registration_and_answer_by_email(committed):
    with committed():
        appeal = appeal_make(email="anna@example.org")
    with committed():
        actions.appeal_answer(appeal=appeal, actor=operator_make(), text="Ответ.")
    assert [m.to for m in mail.outbox] == [["anna@example.org"], ["anna@example.org"]]
    assert not Notification.objects.exists()
