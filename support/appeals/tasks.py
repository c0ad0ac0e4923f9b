"""Background work: e-mails about appeals.

Enqueued by actions after the transaction commits. The default backend runs a
task at once (after commit); production sets TASKS_BACKEND to the database
backend and runs `manage.py db_worker` next to daphne.
"""

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from portal.notifications.actions import notification_send
from portal.notifications.models import NotificationEvent
from support.appeals.letters import Letter, letter_prepare
from support.appeals.models import Appeal, AppealEvent

# A signed-in author hears of these steps through their notification preferences (inbox
# always, e-mail and SMS as they chose); the registration e-mail, and every e-mail to an
# author without an account, go out directly.
PREFERENCE_EVENTS = {
    "answered": NotificationEvent.ANSWER_GIVEN,
    "clarification": NotificationEvent.CLARIFICATION_REQUESTED,
    "extended": NotificationEvent.DEADLINE_EXTENDED,
    "closed": NotificationEvent.STATUS_CHANGED,
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def appeal_citizen_email(appeal_id: int, template: str, event_id: int | None = None) -> bool:
    """Tell the citizen: the number and date after registration, then every public step."""
    appeal = Appeal.objects.select_related("topic", "author").filter(pk=appeal_id).first()
    via_preferences = appeal is not None and appeal.author and template in PREFERENCE_EVENTS
    if appeal is None or not (appeal.email or via_preferences):
        return False
    event = AppealEvent.objects.filter(pk=event_id, appeal=appeal).first() if event_id else None
    letter = Letter(
        appeal=appeal, template=template, event=event, via_preferences=bool(via_preferences)
    )
    if appeal.email:
        letter_prepare(letter)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"appeal": appeal, "event": event, "link": _absolute(appeal.get_absolute_url())}
        context |= letter.context
        subject = render_to_string(f"support/appeals/email/{template}_subject.txt", context)
        body = render_to_string(f"support/appeals/email/{template}_body.txt", context)
    if via_preferences and not letter.direct:
        notification_send(
            user=appeal.author,
            event=PREFERENCE_EVENTS[template],
            title=" ".join(subject.split()),
            body=body,
            url=appeal.get_absolute_url(),
        )
        return True
    EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [appeal.email],
        headers=letter.headers,
        reply_to=letter.reply_to,
    ).send()
    return True


@task()
def appeal_staff_email(appeal_id: int, recipients: list[str], template: str = "overdue") -> bool:
    """Tell staff: an appeal is past its deadline, or a citizen escalated it."""
    appeal = Appeal.objects.select_related("topic", "operator").filter(pk=appeal_id).first()
    if appeal is None or not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"appeal": appeal, "link": _absolute(appeal.get_operator_url())}
        subject = render_to_string(f"support/appeals/email/{template}_subject.txt", context)
        body = render_to_string(f"support/appeals/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return True
