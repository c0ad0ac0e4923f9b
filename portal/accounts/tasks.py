"""Account messages sent in the background."""

import logging

from django_tasks import task

from portal.notifications.sms import sms_backend

logger = logging.getLogger(__name__)


@task()
def phone_code_deliver(*, phone: str, text: str) -> bool:
    """Send the SMS with a confirmation code; never raises (the citizen can ask again)."""
    try:
        sms_backend().send(phone=phone, text=text)
    except Exception as error:  # noqa: BLE001 (any gateway failure: logged, not retried)
        logger.warning("phone code to %s… not sent: %s", phone[:5], error)
        return False
    return True
