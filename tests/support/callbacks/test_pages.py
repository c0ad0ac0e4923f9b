"""Who sees which call-back page, and the operators' day by slot."""

import datetime

import pytest
from django.utils import timezone

from portal.notifications.models import Notification
from support.callbacks import selectors
from support.callbacks.models import Callback, CallbackSlot, Status
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.callbacks.factories import ALL_DAY, callback_make, channel_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return channel_make(hours=ALL_DAY, places=2)


@pytest.fixture
def upcoming(channel, citizen):
    """A call-back in the next free slot: still ahead, so the citizen may change it."""
    return callback_make(user=citizen, starts_at=selectors.callback_next_free().starts_at)


@pytest.fixture
def begun(channel, citizen):
    """A call-back whose slot began ten minutes ago: the operator may mark it."""
    now = timezone.now().replace(second=0, microsecond=0)
    return callback_make(
        user=citizen, starts_at=now - datetime.timedelta(minutes=10), number="23456789"
    )


def test_citizen_sees_own_call_back_with_its_steps(client, citizen, upcoming):
    client.force_login(citizen)
    content = client.get(f"/support/callback/{upcoming.number}/").content.decode()
    assert f"Обратный звонок № {upcoming.number}" in content
    assert "Перенести" in content and "Отменить звонок" in content


def test_citizen_is_not_offered_changes_once_the_slot_began(client, citizen, begun):
    client.force_login(citizen)
    content = client.get(f"/support/callback/{begun.number}/").content.decode()
    assert "Ожидает звонка" in content
    assert "Отменить звонок" not in content and 'name="slot"' not in content
    response = client.post(f"/support/callback/{begun.number}/cancel/", follow=True)
    assert "Время звонка уже наступило" in response.content.decode()
    begun.refresh_from_db()
    assert begun.status == Status.REQUESTED


@pytest.mark.parametrize("suffix", ["", "move/", "cancel/"])
def test_another_citizens_call_back_is_not_found(client, other_citizen, upcoming, suffix):
    client.force_login(other_citizen)
    url = f"/support/callback/{upcoming.number}/{suffix}"
    response = client.post(url, {"slot": "2030-01-01T10:00"}) if suffix else client.get(url)
    assert response.status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status == Status.REQUESTED


@pytest.mark.parametrize("suffix", ["", "move/", "cancel/"])
def test_anonymous_is_sent_to_sign_in(client, upcoming, suffix):
    url = f"/support/callback/{upcoming.number}/{suffix}"
    response = client.post(url) if suffix else client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    upcoming.refresh_from_db()
    assert upcoming.status == Status.REQUESTED


def test_citizen_cancels_and_the_place_is_freed(client, citizen, upcoming):
    client.force_login(citizen)
    response = client.post(f"/support/callback/{upcoming.number}/cancel/", follow=True)
    assert "Заявка на звонок отменена." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == Status.CANCELLED
    assert upcoming.slot.taken == 0


def test_citizen_moves_to_another_free_slot(client, citizen, upcoming):
    client.force_login(citizen)
    later = selectors.callback_slots()[3]
    response = client.post(
        f"/support/callback/{upcoming.number}/move/", {"slot": later.value}, follow=True
    )
    assert "Время звонка изменено." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.slot.starts_at == later.starts_at
    assert dict(CallbackSlot.objects.values_list("starts_at", "taken")) == {
        later.starts_at: 1,
        selectors.callback_slots()[0].starts_at: 0,
    }


def test_moving_to_a_time_outside_hours_shows_the_error(client, citizen, upcoming):
    client.force_login(citizen)
    response = client.post(
        f"/support/callback/{upcoming.number}/move/", {"slot": "2030-01-01T10:00"}
    )
    assert response.status_code == 400
    assert "В это время операторы не перезванивают" in response.content.decode()


# --- Operators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/support/operator/callbacks/", "/support/operator/callbacks/23456789/done/"]
)
def test_operator_pages_are_for_staff_only(client, citizen, editor, begun, path):
    def call():
        return client.post(path) if path.endswith("done/") else client.get(path)

    response = call()
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for person in (citizen, editor):
        client.force_login(person)
        assert call().status_code == 403
    begun.refresh_from_db()
    assert begun.status == Status.REQUESTED


def test_operator_sees_call_backs_grouped_by_slot(
    client, citizen, other_citizen, begun, django_assert_max_num_queries
):
    callback_make(user=other_citizen, starts_at=begun.slot.starts_at, number="34567890")
    cancelled = callback_make(
        user=other_citizen,
        starts_at=begun.slot.starts_at,
        number="45678901",
        status=Status.CANCELLED,
    )
    client.force_login(operator_make())
    with django_assert_max_num_queries(16):
        response = client.get("/support/operator/callbacks/")
    content = response.content.decode()
    assert content.count('class="callback-slot"') == 1
    assert 'id="callback-23456789"' in content and 'id="callback-34567890"' in content
    assert cancelled.number not in content
    assert "Звонок состоялся: № 23456789" in content
    # The appeals queue links here.
    queue = client.get("/support/operator/appeals/").content.decode()
    assert 'href="/support/operator/callbacks/"' in queue


def test_a_call_due_before_midnight_stays_on_the_operators_page_until_marked(channel, citizen):
    """At 00:05 Moscow time the call due at 23:50 still waits for its outcome: it stays in
    the operator's list; yesterday's calls already marked, and cancelled ones, do not."""
    moscow = timezone.get_default_timezone()
    after_midnight = datetime.datetime(2026, 12, 8, 0, 5, tzinfo=moscow)
    late = after_midnight - datetime.timedelta(minutes=15)
    waiting = callback_make(user=citizen, starts_at=late, number="51000001")
    callback_make(user=citizen, starts_at=late, number="51000002", status=Status.DONE)
    callback_make(user=citizen, starts_at=late, number="51000003", status=Status.CANCELLED)
    early = callback_make(
        user=citizen, starts_at=after_midnight - datetime.timedelta(days=3), number="51000004"
    )
    today = callback_make(
        user=citizen, starts_at=after_midnight + datetime.timedelta(hours=9), number="51000005"
    )
    groups = selectors.operator_callbacks(now=after_midnight)
    shown = [callback.number for group in groups for callback in group.callbacks]
    # Oldest first: what waits longest is what the operator sees first.
    assert shown == [early.number, waiting.number, today.number]


def test_operator_is_not_offered_outcomes_before_the_slot(client, upcoming):
    client.force_login(operator_make())
    content = client.get("/support/operator/callbacks/").content.decode()
    assert f'id="callback-{upcoming.number}"' in content
    assert "Звонок состоялся" not in content and "Перенести" in content
    response = client.post(f"/support/operator/callbacks/{upcoming.number}/done/", follow=True)
    assert "Время звонка ещё не наступило." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == Status.REQUESTED


@pytest.mark.parametrize(
    ("step", "status", "message"),
    [("done", Status.DONE, "Звонок состоялся"), ("no_answer", Status.NO_ANSWER, "Не дозвонились")],
)
def test_operator_marks_the_outcome_and_the_citizen_is_told(
    client, citizen, begun, step, status, message
):
    client.force_login(supervisor_make())
    response = client.post(f"/support/operator/callbacks/{begun.number}/{step}/", follow=True)
    assert "Отмечено" in response.content.decode()
    begun.refresh_from_db()
    assert begun.status == status
    notification = Notification.objects.get(user=citizen)
    assert message in notification.title


def test_operator_reschedules_after_no_answer(client, citizen, begun):
    begun.status = Status.NO_ANSWER
    begun.save()
    client.force_login(operator_make())
    target = selectors.callback_next_free()
    response = client.post(
        f"/support/operator/callbacks/{begun.number}/reschedule/",
        {f"cb{begun.number}-slot": target.value},
        follow=True,
    )
    assert "Звонок перенесён" in response.content.decode()
    begun.refresh_from_db()
    assert begun.status == Status.REQUESTED and begun.slot.starts_at == target.starts_at
    assert "перенесён" in Notification.objects.get(user=citizen).title
    # Without a time the reschedule is refused and nothing changes.
    response = client.post(f"/support/operator/callbacks/{begun.number}/reschedule/", follow=True)
    assert "Выберите время звонка." in response.content.decode()
    assert Callback.objects.get(pk=begun.pk).slot.starts_at == target.starts_at
