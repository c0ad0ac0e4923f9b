"""Booking a call-back: inside the hours, into a free place, with a valid phone."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from support.appeals.rules import PHONE_INVALID
from support.callbacks import actions, selectors
from support.callbacks.models import Callback, CallbackSlot, Status, Topic
from support.contacts.models import SpecialHours
from tests.portal.factories import UserFactory
from tests.support.callbacks.factories import ALL_DAY, channel_make, moscow

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 10:05 in Moscow: an ordinary working day.
NOW = moscow(2026, 12, 1, 10, 5)


def book(user, when, **fields):
    data = {"phone": "8 (916) 123-45-67", "topic": Topic.SERVICES, **fields}
    return actions.callback_book(user=user, starts_at=when, now=NOW, **data)


def test_slots_are_cut_from_the_hours_and_start_after_now():
    channel_make(places=2)
    slots = selectors.callback_slots(now=NOW, days=2)
    starts = [slot.value for slot in slots]
    # 10:00 has begun; the day ends with 17:30–18:00; Wednesday starts at 09:00.
    assert starts[0] == "2026-12-01T10:30"
    assert "2026-12-01T17:30" in starts and "2026-12-01T18:00" not in starts
    assert starts[starts.index("2026-12-01T17:30") + 1] == "2026-12-02T09:00"
    assert all(slot.places == 2 and slot.free == 2 for slot in slots)


def test_citizen_books_a_slot_and_gets_a_number(citizen):
    channel_make()
    callback = book(citizen, moscow(2026, 12, 1, 11, 0))
    assert len(callback.number) == 8 and callback.number.isdigit()
    assert callback.phone == "+79161234567"
    assert callback.status == Status.REQUESTED
    assert CallbackSlot.objects.get().taken == 1
    assert [e.step for e in callback.events.all()] == ["register"]


@pytest.mark.parametrize(
    "when",
    [
        moscow(2026, 12, 1, 18, 0),  # after closing
        moscow(2026, 12, 1, 8, 30),  # before opening (and past)
        moscow(2026, 12, 1, 11, 15),  # not a slot boundary
        moscow(2026, 12, 6, 11, 0),  # Sunday: no hours
        moscow(2026, 12, 1, 9, 30),  # already past
        moscow(2026, 12, 20, 11, 0),  # beyond the booking week
    ],
)
def test_booking_outside_the_offered_slots_is_refused(citizen, when):
    channel_make()
    with pytest.raises(ValidationError) as error:
        book(citizen, when)
    assert error.value.message_dict == {"slot": [str(actions.SLOT_NOT_OFFERED)]}
    assert not Callback.objects.exists() and not CallbackSlot.objects.exists()


def test_a_closed_special_day_offers_no_slots(citizen):
    channel = channel_make()
    SpecialHours.objects.create(
        channel=channel,
        starts_on=datetime.date(2026, 12, 2),
        ends_on=datetime.date(2026, 12, 2),
        is_closed=True,
    )
    days = {
        slot.starts_at.astimezone(NOW.tzinfo).date() for slot in selectors.callback_slots(now=NOW)
    }
    assert datetime.date(2026, 12, 2) not in days and datetime.date(2026, 12, 3) in days
    with pytest.raises(ValidationError):
        book(citizen, moscow(2026, 12, 2, 11, 0))


def test_full_slot_is_refused_and_the_next_free_one_offered(citizen, other_citizen):
    channel_make(places=1)
    book(other_citizen, moscow(2026, 12, 1, 11, 0))
    with pytest.raises(actions.SlotFull) as error:
        book(citizen, moscow(2026, 12, 1, 11, 0))
    assert error.value.next_free.value == "2026-12-01T11:30"
    assert error.value.message_dict == {
        "slot": ["Это время уже занято. Ближайшее свободное: сегодня в 11:30."]
    }
    assert Callback.objects.count() == 1
    assert CallbackSlot.objects.get().taken == 1


def test_zero_capacity_day_is_not_offered(citizen):
    channel = channel_make(places=2)
    channel.callback_capacity.filter(weekday=1).update(places=0)
    starts = [s.value for s in selectors.callback_slots(now=NOW, days=2)]
    assert starts[0] == "2026-12-02T09:00"


@pytest.mark.parametrize("phone", ["12345", "+1 212 555 0100", "телефон"])
def test_bad_phone_is_refused_and_nothing_is_written(citizen, phone):
    channel_make()
    with pytest.raises(ValidationError) as error:
        book(citizen, moscow(2026, 12, 1, 11, 0), phone=phone)
    assert error.value.message_dict == {"phone": [str(PHONE_INVALID)]}
    assert not Callback.objects.exists() and not CallbackSlot.objects.exists()


def test_a_citizen_holds_at_most_three_waiting_call_backs(citizen):
    channel_make(places=5)
    for hour in (11, 12, 13):
        book(citizen, moscow(2026, 12, 1, hour, 0))
    with pytest.raises(ValidationError) as error:
        book(citizen, moscow(2026, 12, 1, 14, 0))
    assert "уже 3 заявки" in error.value.messages[0]
    assert Callback.objects.count() == 3
    assert not CallbackSlot.objects.filter(taken__gt=1).exists()


def test_wait_text_names_the_next_free_slot(citizen, other_citizen):
    channel_make(places=1)
    assert selectors.callback_wait_text(now=NOW) == "Ближайшее время для звонка: сегодня в 10:30"
    book(other_citizen, moscow(2026, 12, 1, 10, 30))
    assert selectors.callback_wait_text(now=NOW) == "Ближайшее время для звонка: сегодня в 11:00"
    late = moscow(2026, 12, 1, 17, 40)
    assert selectors.callback_wait_text(now=late) == "Ближайшее время для звонка: завтра в 09:00"
    friday_evening = moscow(2026, 12, 4, 18, 0)
    assert (
        selectors.callback_wait_text(now=friday_evening)
        == "Ближайшее время для звонка: в понедельник, 7 декабря, в 09:00"
    )


# --- The pages (real time: a channel that works round the clock) -----------------------


@pytest.fixture
def all_day():
    return channel_make(hours=ALL_DAY, places=1)


def test_book_page_prefills_the_phone_and_offers_free_slots(client, citizen, all_day):
    citizen.phone = "+79160000001"
    citizen.save()
    client.force_login(citizen)
    response = client.get("/support/callback/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="+79160000001"' in content
    assert '<label class="field__label" for="id_slot">' in content
    first = selectors.callback_next_free()
    assert f'<option value="{first.value}" selected>' in content


def test_booking_through_the_page_shows_the_confirmation(client, citizen, all_day):
    client.force_login(citizen)
    slot = selectors.callback_next_free()
    response = client.post(
        "/support/callback/",
        {"phone": "8 916 123-45-67", "topic": "account", "slot": slot.value},
        follow=True,
    )
    callback = Callback.objects.get()
    assert response.redirect_chain[-1][0] == f"/support/callback/{callback.number}/"
    content = response.content.decode()
    assert f"Заявка на обратный звонок № {callback.number} принята." in content
    assert "Ожидает звонка" in content and "+7 916 123-45-67" in content


def test_full_slot_on_the_page_keeps_the_input_and_preselects_the_next(
    client, citizen, other_citizen, all_day
):
    first = selectors.callback_next_free()
    actions.callback_book(
        user=other_citizen, phone="+79161111111", topic="other", starts_at=first.starts_at
    )
    client.force_login(citizen)
    response = client.post(
        "/support/callback/",
        {"phone": "8 916 222-33-44", "topic": "account", "slot": first.value},
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "Это время уже занято. Ближайшее свободное:" in content
    assert 'role="alert"' in content
    assert 'value="8 916 222-33-44"' in content
    second = selectors.callback_next_free()
    assert f'<option value="{second.value}" selected>' in content
    assert Callback.objects.count() == 1


def test_bad_phone_on_the_page_is_shown_next_to_the_field(client, citizen, all_day):
    client.force_login(citizen)
    slot = selectors.callback_next_free()
    response = client.post(
        "/support/callback/", {"phone": "123", "topic": "account", "slot": slot.value}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_phone_error"' in content and str(PHONE_INVALID) in content
    assert 'href="#id_phone"' in content
    assert not Callback.objects.exists()


def test_a_time_outside_the_hours_posted_by_hand_is_refused(client, citizen):
    channel_make()  # weekdays 09:00–18:00
    client.force_login(citizen)
    response = client.post(
        "/support/callback/",
        {"phone": "+79161234567", "topic": "other", "slot": "2030-01-01T03:00"},
    )
    assert response.status_code == 400
    assert str(actions.SLOT_NOT_OFFERED) in response.content.decode()
    response = client.post(
        "/support/callback/", {"phone": "+79161234567", "topic": "other", "slot": "завтра"}
    )
    assert response.status_code == 400
    assert not Callback.objects.exists()


def test_a_visitor_is_offered_the_form_sign_in_and_other_channels(client, all_day):
    from support.contacts.demo import seed_contacts

    seed_contacts()
    response = client.get("/support/callback/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="/accounts/login/?next=/support/callback/"' in content
    assert "Мои заявки" in content and "Онлайн-чат" in content
    assert 'name="slot"' in content and 'name="name"' in content and 'name="consent"' in content
    # Without a name and consent nothing is booked.
    response = client.post("/support/callback/", {"phone": "+79161234567"})
    assert response.status_code == 400
    assert "Напишите, как к вам обращаться." in response.content.decode()
    assert not Callback.objects.exists()


def test_without_a_call_back_channel_the_page_says_so(client, citizen):
    client.force_login(citizen)
    response = client.get("/support/callback/")
    assert "Свободного времени для звонка на ближайшую неделю нет" in response.content.decode()


def test_booking_is_rate_limited(client, citizen, all_day, settings):
    settings.CALLBACKS_BOOK_RATE = "2/m"
    client.force_login(citizen)
    for _ in range(2):
        assert client.post("/support/callback/", {"phone": "1"}).status_code == 400
    slot = selectors.callback_next_free()
    response = client.post(
        "/support/callback/", {"phone": "+79161234567", "topic": "other", "slot": slot.value}
    )
    assert response.status_code == 429
    assert not Callback.objects.exists()
    # Another address has its own allowance.
    response = client.post(
        "/support/callback/",
        {"phone": "+79161234567", "topic": "other", "slot": slot.value},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302


def test_book_page_queries_are_bounded(client, citizen, all_day, django_assert_max_num_queries):
    for n in range(3):
        actions.callback_book(
            user=UserFactory(username=f"u{n}"),
            phone="+79161234567",
            topic="other",
            starts_at=selectors.callback_next_free().starts_at,
        )
    client.force_login(citizen)
    with django_assert_max_num_queries(16):
        assert client.get("/support/callback/").status_code == 200


def test_contacts_page_and_hub_show_the_next_free_time(client, all_day):
    slot = selectors.callback_next_free()
    expected = selectors.slot_when_text(slot)
    for path in ("/support/contacts/", "/"):
        content = client.get(path).content.decode()
        assert f"Ближайшее время для звонка: {expected}" in content
    assert 'href="/support/callback/"' in client.get("/").content.decode()
