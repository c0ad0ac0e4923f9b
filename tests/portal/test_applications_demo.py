"""The demo: the citizen's applications in every state, notifications, a department key."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from portal.applications import access
from portal.applications.demo import DEMO_KEY
from portal.applications.models import Application, Status
from portal.models import User
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_citizen_applications_in_every_state_once():
    call_command("seed_demo", verbosity=0)
    counts = Application.objects.count(), Notification.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (Application.objects.count(), Notification.objects.count()) == counts

    citizen = User.objects.get(username="citizen")
    mine = list(Application.objects.filter(user=citizen))
    assert len(mine) >= 8
    assert {a.status for a in mine} == set(Status)
    refused = [a for a in mine if a.status == Status.REFUSED]
    assert refused and all(a.refusal_reason for a in refused)
    today = timezone.localdate()
    assert any(access.overdue(a, today=today) for a in mine)
    notes = Notification.objects.filter(user=citizen)
    assert notes.filter(read_at__isnull=True).exists()
    assert notes.filter(read_at__isnull=False).exists()


def test_the_printed_demo_key_moves_a_demo_application(capsys):
    call_command("seed_demo")
    assert DEMO_KEY in capsys.readouterr().out
    application = Application.objects.get(number="4100000002")  # МВД, on review
    response = APIClient().post(
        f"/api/v1/department/applications/{application.number}/status/",
        {"status": "action_required", "comment": "Нужна копия СНИЛС"},
        format="json",
        headers={"Authorization": f"Api-Key {DEMO_KEY}"},
    )
    assert response.status_code == 200
    # Another department's demo application is not this key's business.
    other = Application.objects.exclude(department__code="mvd").first()
    response = APIClient().post(
        f"/api/v1/department/applications/{other.number}/status/",
        {"status": "cancelled"},
        format="json",
        headers={"Authorization": f"Api-Key {DEMO_KEY}"},
    )
    assert response.status_code == 404
