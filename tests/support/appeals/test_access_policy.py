"""One access policy per kind: the SQL and the Python form of each rule agree on every case
(every status × deadline × holder × escalation, every kind of staff), and the pages, the
queue and the lifecycle ask the policy."""

import datetime
import itertools

import pytest

from portal.applications import access as application_access
from portal.applications.models import Application
from portal.applications.models import Status as ApplicationStatus
from support.appeals import access
from support.appeals.models import Appeal, Status
from support.centre import people
from support.centre.people import Actor, Role
from tests.portal.application_factories import application
from tests.support.appeals.factories import appeal_make, operator_make, supervisor_make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def staff_people():
    return {
        "operator": operator_make("op-policy"),
        "other": operator_make("op-other"),
        "supervisor": supervisor_make("sv-policy"),
    }


@pytest.fixture
def appeals(staff_people):
    """One appeal for each status × deadline × holder × escalation."""
    made = []
    holders = [None, staff_people["operator"], staff_people["other"]]
    deadlines = [TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=1)]
    for status, due, holder, escalated in itertools.product(Status, deadlines, holders, [0, 1]):
        appeal = appeal_make()
        Appeal.objects.filter(pk=appeal.pk).update(
            status=status, due_date=due, operator=holder, escalated=bool(escalated)
        )
        made.append(appeal.pk)
    return list(Appeal.objects.filter(pk__in=made))


def test_overdue_is_one_rule_in_sql_and_in_python(appeals):
    in_sql = set(Appeal.objects.filter(access.overdue_q(today=TODAY)).values_list("pk", flat=True))
    in_python = {a.pk for a in appeals if access.overdue(a, today=TODAY)}
    assert in_sql == in_python
    assert 0 < len(in_python) < len(appeals)  # the cases cut both ways


@pytest.mark.parametrize("who", ["operator", "supervisor", "citizen", "system", "nobody"])
def test_which_staff_see_an_appeal_is_one_rule_in_sql_and_in_python(
    appeals, staff_people, citizen, who
):
    actor = {
        "operator": people.staff(staff_people["operator"]),
        "supervisor": people.staff(staff_people["supervisor"]),
        "citizen": people.citizen(citizen),
        "system": people.SYSTEM,
        "nobody": None,
    }[who]
    in_sql = set(
        Appeal.objects.filter(access.staff_sees_q(actor=actor)).values_list("pk", flat=True)
    )
    in_python = {a.pk for a in appeals if access.staff_sees(a, actor=actor)}
    assert in_sql == in_python
    expected = {"operator": "some", "supervisor": "all"}.get(who, "none")
    assert {"all": len(appeals), "none": 0}.get(expected, len(in_python)) == len(in_python)
    if expected == "some":
        assert 0 < len(in_python) < len(appeals)


def test_an_operator_sees_the_free_and_their_own_never_anothers_or_an_escalated_one(
    staff_people,
):
    operator = Actor(Role.OPERATOR, staff_people["operator"])
    free, mine, others, escalated = (appeal_make() for _ in range(4))
    Appeal.objects.filter(pk=mine.pk).update(operator=staff_people["operator"])
    Appeal.objects.filter(pk=others.pk).update(operator=staff_people["other"])
    Appeal.objects.filter(pk=escalated.pk).update(escalated=True)
    seen = {a.number for a in Appeal.objects.all() if access.staff_sees(a, actor=operator)}
    assert seen == {free.number, mine.number}


def test_application_overdue_is_one_rule_in_sql_and_in_python(citizen):
    for status in ApplicationStatus:
        for days in (-1, 0, 1, None):
            made = application(user=citizen, status=status)
            expected = None if days is None else TODAY + datetime.timedelta(days=days)
            Application.objects.filter(pk=made.pk).update(expected_date=expected)
    everything = list(Application.objects.all())
    in_sql = set(
        Application.objects.filter(application_access.overdue_q(today=TODAY)).values_list(
            "pk", flat=True
        )
    )
    in_python = {a.pk for a in everything if application_access.overdue(a, today=TODAY)}
    assert in_sql == in_python
    assert 0 < len(in_python) < len(everything)


@pytest.mark.parametrize("url", ["/support/operator/appeals/", "/support/operator/callbacks/"])
def test_the_operator_pages_require_what_the_operator_socket_requires(client, url):
    operator = operator_make("op-gate")
    client.force_login(operator)
    assert client.get(url).status_code == 200
    # Taken out of the staff, still in the operators' group: no page, no socket, no action.
    operator.is_staff = False
    operator.save()
    assert client.get(url).status_code == 403
    assert people.staff(operator) is None and not people.user_is_operator(operator)
