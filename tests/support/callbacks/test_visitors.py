"""Call-backs without an account: a name and the phone, one waiting call-back per number (in
any spelling, also when two requests race), limited per client address, the visitor's own
in their browser session, and joining the account at sign-in."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from portal.visitors import visitor_key
from support.callbacks import actions, selectors
from support.callbacks.models import Callback, CallbackSlot, Status, Topic
from support.centre import people
from support.centre.contacts import CONSENT_REQUIRED, NAME_REQUIRED, PHONE_REQUIRED
from tests.concurrency import at_once
from tests.portal.factories import PASSWORD
from tests.support.appeals.factories import operator_make
from tests.support.callbacks.factories import ALL_DAY, channel_make, moscow

pytestmark = pytest.mark.django_db
PAGE = "/support/callback/"
NOW = moscow(2026, 12, 1, 10, 5)
SLOT = moscow(2026, 12, 1, 11, 0)
VISITOR = "s" + "a" * 40


@pytest.fixture
def all_day():
    return channel_make(hours=ALL_DAY, places=3)


def _form(slot: str, **fields) -> dict:
    return {
        "name": "Анна",
        "phone": "8 (916) 123-45-67",
        "topic": Topic.ACCOUNT,
        "slot": slot,
        "consent": "on",
        **fields,
    }


def _book(visitor: str = VISITOR, **fields) -> Callback:
    """Анна books without an account; at SLOT as seen at NOW unless `fields` say otherwise
    (`now=None`: the real clock, for a slot the selectors offered)."""
    data = {"name": "Анна", "phone": "+79161234567", "topic": Topic.ACCOUNT, "consent": True}
    data |= {"starts_at": SLOT, "now": NOW} | fields
    return actions.callback_book(user=None, visitor=visitor, **data)


def test_a_visitor_books_by_phone_and_sees_it_in_their_browser(client, all_day):
    slot = selectors.callback_next_free()
    response = client.post(PAGE, _form(slot.value), follow=True)
    callback = Callback.objects.get()
    assert response.redirect_chain[-1][0] == callback.get_absolute_url()
    content = response.content.decode()
    assert f"Заявка на обратный звонок № {callback.number} принята." in content
    assert "Анна" in content and "+7 916 123-45-67" in content
    assert "сохранена в этом браузере" in content
    assert callback.user is None and callback.name == "Анна"
    assert callback.phone == "+79161234567" and callback.consent_at is not None
    assert callback.visitor == visitor_key(user=None, session_key=client.cookies["sessionid"].value)
    # Another browser gets nothing of it (asked to sign in, as for a number that does not exist).
    stranger = Client()
    stranger.get(PAGE)
    response = stranger.get(callback.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert stranger.post(f"{callback.get_absolute_url()}cancel/").status_code == 302
    assert Callback.objects.get().status == Status.REQUESTED


def test_the_visitor_moves_and_cancels_their_own(client, all_day):
    first, second = [s for s in selectors.callback_slots() if s.free][:2]
    client.post(PAGE, _form(first.value))
    callback = Callback.objects.get()
    response = client.post(f"{callback.get_absolute_url()}move/", {"slot": second.value})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.slot.starts_at == second.starts_at
    client.post(f"{callback.get_absolute_url()}cancel/")
    callback.refresh_from_db()
    assert callback.status == Status.CANCELLED


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": ""}, "name", NAME_REQUIRED),
        ({"phone": ""}, "phone", PHONE_REQUIRED),
        ({"phone": "12-34"}, "phone", "Введите российский номер"),
        ({"consent": ""}, "consent", "Без согласия"),
    ],
)
def test_a_visitors_booking_is_refused_next_to_the_field(client, all_day, fields, field, message):
    slot = selectors.callback_next_free()
    response = client.post(PAGE, _form(slot.value, **fields))
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content and str(message) in content
    assert not Callback.objects.exists()
    assert not CallbackSlot.objects.filter(taken__gt=0).exists()


def test_the_action_asks_the_contacts_rule_too():
    channel_make(places=2)
    with pytest.raises(ValidationError) as refused:
        _book(name=" ", phone="", consent=False)
    assert refused.value.message_dict == {
        "name": [str(NAME_REQUIRED)],
        "phone": [str(PHONE_REQUIRED)],
        "consent": [str(CONSENT_REQUIRED)],
    }
    # Neither an account nor a session: nobody's call-back.
    with pytest.raises(PermissionDenied):
        actions.callback_book(
            user=None, visitor="", phone="+79161234567", topic="other", starts_at=SLOT, now=NOW
        )
    assert not Callback.objects.exists()


def test_one_waiting_call_back_per_number_in_any_spelling(client, all_day):
    slot = selectors.callback_next_free()
    client.post(PAGE, _form(slot.value, phone="+7 916 123 45 67"))
    taken_before = CallbackSlot.objects.get().taken
    # Another browser, another spelling of the same number.
    other = Client()
    response = other.post(PAGE, _form(slot.value, name="Борис", phone="8-916-123-45-67"))
    assert response.status_code == 400
    content = response.content.decode()
    assert str(actions.NUMBER_HAS_OPEN) in content and 'id="id_phone_error"' in content
    assert Callback.objects.count() == 1
    assert CallbackSlot.objects.get().taken == taken_before
    # Another number is fine; and once the first is cancelled the number may book again.
    assert other.post(PAGE, _form(slot.value, phone="+79160000002")).status_code == 302
    Callback.objects.filter(phone="+79161234567").update(status=Status.CANCELLED)
    assert other.post(PAGE, _form(slot.value, phone="89161234567")).status_code == 302


def test_the_database_holds_one_waiting_call_back_per_visitors_number():
    first = (channel_make(places=3), _book())[1]
    with pytest.raises(IntegrityError), transaction.atomic():
        Callback.objects.create(
            number="87654321",
            visitor="s" + "b" * 40,
            phone=first.phone,
            topic=Topic.OTHER,
            slot=first.slot,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Callback.objects.create(number="87654322", phone="+79160000000", topic="x", slot=first.slot)


def test_accounts_keep_their_own_limit_not_the_numbers(citizen):
    channel_make(places=5)
    _book()
    # A signed-in citizen may have a call-back to the same number (up to their three).
    mine = actions.callback_book(
        user=citizen, phone="+79161234567", topic=Topic.OTHER, starts_at=SLOT, now=NOW
    )
    assert mine.user == citizen


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_requests_for_one_number_at_once_make_one_call_back(attempt):
    channel_make(places=5)
    spellings = ["+79161234567", "8 (916) 123-45-67"]
    results = at_once(lambda i: _book(visitor=f"s{i}" + "c" * 39, phone=spellings[i]))
    booked = [r for r in results if isinstance(r, Callback)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert refused[0].message_dict == {"phone": [str(actions.NUMBER_HAS_OPEN)]}
    assert Callback.objects.count() == 1
    # The loser's place went back with its transaction.
    assert CallbackSlot.objects.get(starts_at=SLOT).taken == 1


def test_visitors_bookings_are_limited_per_client_address(settings, all_day):
    settings.CALLBACKS_VISITOR_RATE = "2/h"
    slot = selectors.callback_next_free()
    for n in range(2):
        visitor = Client(REMOTE_ADDR="203.0.113.5")  # a new cookie each time
        response = visitor.post(PAGE, _form(slot.value, phone=f"+7916000000{n}"))
        assert response.status_code == 302
    refused = Client(REMOTE_ADDR="203.0.113.5").post(PAGE, _form(slot.value, phone="+79160000009"))
    assert refused.status_code == 429 and "Попробуйте снова через" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert not Callback.objects.filter(phone="+79160000009").exists()
    # Another address is not counted with them.
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert elsewhere.post(PAGE, _form(slot.value, phone="+79160000009")).status_code == 302


def test_a_visitors_call_back_joins_the_account_at_sign_in(client, citizen, all_day):
    slot = selectors.callback_next_free()
    client.post(PAGE, _form(slot.value))
    callback = Callback.objects.get()
    response = client.post(
        "/accounts/login/", {"login": citizen.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    callback.refresh_from_db()
    assert callback.user == citizen and callback.visitor == ""
    assert client.get(callback.get_absolute_url()).status_code == 200
    assert actions.callbacks_take_over(visitor="", user=citizen) == 0


def test_staff_see_the_visitors_name_and_tell_them_of_a_new_time_by_sms(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    channel_make(hours=ALL_DAY, places=3)
    first, later = [s for s in selectors.callback_slots() if s.free][:2]
    callback = _book(starts_at=first.starts_at, now=None)
    staff = operator_make()
    client.force_login(staff)
    page = client.get("/support/operator/callbacks/").content.decode()
    assert "Анна (без входа)" in page
    with django_capture_on_commit_callbacks(execute=True):
        actions.callback_reschedule(
            callback=callback, actor=people.staff(staff), starts_at=later.starts_at
        )
    assert [sms["phone"] for sms in sms_outbox] == ["+79161234567"]
    assert callback.number in sms_outbox[0]["text"] and "перенесён" in sms_outbox[0]["text"]


def test_a_reschedule_onto_a_number_that_booked_again_is_refused():
    channel_make(hours=ALL_DAY, places=3)
    first, later = [s for s in selectors.callback_slots() if s.free][:2]
    old = _book(starts_at=first.starts_at, now=None, topic="other")
    Callback.objects.filter(pk=old.pk).update(status=Status.NO_ANSWER)
    _book(starts_at=first.starts_at, now=None, topic="other")
    with pytest.raises(ValidationError) as refused:
        actions.callback_reschedule(
            callback=old, actor=people.staff(operator_make()), starts_at=later.starts_at
        )
    assert refused.value.code == "number_open"
    old.refresh_from_db()
    assert old.status == Status.NO_ANSWER and old.slot.starts_at == first.starts_at
