"""The registration's own checks, run on the action itself (the form and the API stop most
bad input first, but the chat and any future entry point come straight here): each refusal
names its field and its words, and nothing is written."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from portal.phones import PHONE_INVALID
from support.appeals import actions, rules
from support.appeals.models import AnswerChannel, Appeal, Attachment
from support.centre import uploads
from tests.support.appeals.factories import TopicFactory, checked

pytestmark = pytest.mark.django_db


def _register(**overrides):
    fields = {
        "author": None,
        "topic": TopicFactory(),
        "subject": "Не приходит СМС",
        "description": "Третий день не приходит СМС.",
        "email": "anna@example.org",
        "answer_channel": AnswerChannel.EMAIL,
        "consent": True,
    }
    return actions.appeal_register(**{**fields, **overrides})


def _refused(**overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        _register(**overrides)
    assert Appeal.objects.count() == 0
    return error.value.message_dict


def test_the_inputs_as_given_register():
    assert _register().number


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": False}, "consent", rules.CONSENT_REQUIRED),
        ({"answer_channel": AnswerChannel.CABINET}, "answer_channel", rules.CABINET_NEEDS_ACCOUNT),
        ({"phone": "12345"}, "phone", PHONE_INVALID),
        ({"answer_channel": AnswerChannel.PHONE}, "phone", rules.PHONE_NEEDED_FOR_CALL),
        ({"subject": "я" * (rules.MAX_SUBJECT + 1)}, "subject", rules.SUBJECT_TOO_LONG),
        (
            {"description": "я" * (rules.MAX_DESCRIPTION + 1)},
            "description",
            rules.DESCRIPTION_TOO_LONG,
        ),
        (
            {"files": [checked() for _ in range(uploads.MAX_FILES + 1)]},
            "files",
            uploads.TOO_MANY_FILES,
        ),
    ],
    ids=["consent", "cabinet", "phone", "call", "subject", "description", "files"],
)
def test_each_check_refuses_with_its_words_and_writes_nothing(overrides, field, message):
    assert _refused(**overrides) == {field: [str(message)]}
    assert Attachment.objects.count() == 0


def test_an_inactive_topic_is_refused():
    assert _refused(topic=TopicFactory(is_active=False)) == {"topic": [str(rules.TOPIC_UNKNOWN)]}


def test_the_limits_themselves_are_allowed_after_trimming():
    appeal = _register(
        subject=" " + "я" * rules.MAX_SUBJECT + " ",
        description="я" * rules.MAX_DESCRIPTION + "\n",
        files=[checked() for _ in range(uploads.MAX_FILES)],
    )
    assert len(appeal.subject) == rules.MAX_SUBJECT
    assert len(appeal.description) == rules.MAX_DESCRIPTION
    assert appeal.attachments.count() == uploads.MAX_FILES


def test_an_invalid_phone_is_said_once_even_when_a_call_was_asked_for():
    assert _refused(answer_channel=AnswerChannel.PHONE, phone="12345") == {
        "phone": [str(PHONE_INVALID)]
    }


def test_all_the_refusals_at_once():
    refused = _refused(consent=False, subject="я" * 201, answer_channel=AnswerChannel.CABINET)
    assert set(refused) == {"consent", "subject", "answer_channel"}


def test_files_stashed_for_the_form_count_towards_the_limit():
    token = uuid.uuid4()
    actions.attachments_stash(
        token=token, owner="s1", address="203.0.113.1", files=[checked() for _ in range(4)]
    )
    refused = _refused(files=[checked(), checked()], visitor="s1", pending_token=token)
    assert refused == {"files": [str(uploads.TOO_MANY_FILES)]}
    assert Attachment.objects.filter(appeal=None).count() == 4  # the stashed ones untouched


def test_a_file_seen_attached_but_not_held_is_asked_for_again():
    token = uuid.uuid4()
    (held,) = actions.attachments_stash(
        token=token, owner="s-old", address="203.0.113.1", files=[checked("скан.pdf")]
    )
    refused = _refused(visitor="s-new", pending_token=token, attached=[held.key])
    assert refused == {"files": [rules.files_lost(["скан.pdf"])]}
    # Attached by this visitor: registered with it.
    appeal = _register(visitor="s-old", pending_token=token, attached=[held.key])
    assert [a.original_name for a in appeal.attachments.all()] == ["скан.pdf"]
