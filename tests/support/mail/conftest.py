import pytest

from support.appeals.models import Topic
from support.mail.models import MAIL_TOPIC_SLUG


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.MAIL_SUPPORT_ADDRESS = "support@help.example.org"
    settings.MAIL_AUTHSERV_ID = ""
    settings.MAIL_FLOOD_PER_SENDER = 10
    settings.MAIL_FLOOD_PER_DOMAIN = 60
    return settings


@pytest.fixture
def mail_topic(db):
    """The letters' topic the data migration makes (a flushed database has lost it)."""
    topic, _ = Topic.objects.get_or_create(
        slug=MAIL_TOPIC_SLUG, defaults={"name": "Письмо на адрес поддержки"}
    )
    return topic


@pytest.fixture
def deliver(mail_topic, django_capture_on_commit_callbacks):
    """Store a letter as the receiver does and let it be processed (the task and the
    e-mails run after commit, as in production with the immediate backend)."""
    from support.mail.actions import letter_store
    from support.mail.models import InboundLetter

    def run(
        raw: bytes, *, envelope_from: str = "sender@example.ru", to=("support@help.example.org",)
    ):
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_store(raw=raw, envelope_from=envelope_from, envelope_to=list(to))
        return InboundLetter.objects.get(pk=letter.pk)

    return run
