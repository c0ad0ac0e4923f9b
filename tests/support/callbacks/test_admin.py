"""Editors keep the call-back capacity in the admin; bad rows are refused with a message."""

import pytest

from portal.channels import ChannelKind
from support.callbacks.models import CallbackCapacity
from support.contacts.models import ContactChannel
from tests.support.callbacks.factories import channel_make

pytestmark = pytest.mark.django_db

URL = "/admin/callbacks/callbackcapacity/add/"


@pytest.fixture
def channel():
    channel = channel_make(hours={0: ("09:00", "18:00"), 1: ("09:00", "09:20")}, places=1)
    channel.callback_capacity.all().delete()
    return channel


def post(client, editor, **data):
    client.force_login(editor)
    return client.post(URL, {"places": "3", "slot_minutes": "30", "weekday": "0", **data})


def test_editor_adds_capacity_for_a_working_day(client, editor, channel):
    response = post(client, editor, channel=channel.pk)
    assert response.status_code == 302
    assert CallbackCapacity.objects.get().places == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekday": "6"}, "В этот день у канала нет часов работы"),
        ({"weekday": "1"}, "Интервал длиннее рабочего дня канала"),
        ({"places": "-1"}, "Убедитесь, что это значение больше либо равно 0."),
        ({"slot_minutes": "45"}, "Выберите корректный вариант"),
    ],
)
def test_capacity_outside_the_hours_or_negative_is_refused(client, editor, channel, data, message):
    response = post(client, editor, channel=channel.pk, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CallbackCapacity.objects.exists()


def test_capacity_only_for_the_call_back_channel(client, editor, channel):
    phone = ContactChannel.objects.create(kind=ChannelKind.PHONE, title="Линия")
    response = post(client, editor, channel=phone.pk)
    assert response.status_code == 200
    assert not CallbackCapacity.objects.exists()


def test_operators_see_call_backs_read_only_in_the_admin(client):
    from tests.support.appeals.factories import operator_make

    client.force_login(operator_make())
    assert client.get("/admin/callbacks/callback/").status_code == 200
    assert client.get("/admin/callbacks/callbackcapacity/").status_code == 403
