"""Every limit is said from its constant: the messages and help texts a person reads name the
number the rule checks, in both languages, and no message retypes it."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import faq
import portal
import support
from faq.actions import COMMENT_TOO_LONG, MAX_COMMENT
from portal.catalogue.forms import CSV_TOO_BIG, MAX_CSV_BYTES
from support.appeals import rules
from support.appeals.forms import FeedbackForm, TextForm
from support.centre import uploads
from support.chat import lifecycle as chat_lifecycle
from support.chat import rules as chat_rules

# Each limit and the messages that must name it.
NAMED_BY = [
    (rules.MAX_DESCRIPTION, [rules.DESCRIPTION_TOO_LONG, rules.DESCRIPTION_HINT]),
    (rules.MAX_TEXT, [rules.TEXT_TOO_LONG]),
    (rules.MAX_SUBJECT, [rules.SUBJECT_TOO_LONG]),
    (
        rules.REVIEW_WINDOW_DAYS,
        [
            rules.REVIEW_WINDOW_PASSED,
            rules.NOT_ANSWERED_LONG_AGO,
            rules.CLOSED_WITHOUT_REVIEW,
        ],
    ),
    (rules.DEADLINE_DAYS, [rules.DEADLINE_USUAL, rules.ANSWER_USUALLY, rules.DEADLINES_EXPLAINED]),
    (rules.INTERAGENCY_DAYS, [rules.DEADLINES_EXPLAINED]),
    (uploads.MAX_FILES, [uploads.TOO_MANY_FILES, uploads.ROOM_FULL, uploads.FILES_LIMITS]),
    (
        uploads.MAX_FILE_SIZE // 2**20,
        [
            uploads.REQUEST_TOO_LARGE,
            uploads.FILE_TOO_BIG,
            uploads.ONE_FILE_LIMITS,
        ],
    ),
    (uploads.ALLOWED_LABEL, [uploads.FILE_TYPE_NOT_ALLOWED, uploads.ONE_FILE_LIMITS]),
    (MAX_COMMENT, [COMMENT_TOO_LONG]),
    (MAX_CSV_BYTES // 2**20, [CSV_TOO_BIG]),
    (chat_rules.MAX_TEXT, [chat_rules.TEXT_TOO_LONG]),
    (chat_rules.RATING_HIGH, [chat_rules.RATING_RANGE]),
    (int(chat_rules.RETRY_AFTER.total_seconds() // 60), [chat_lifecycle.TOO_EARLY_RETRY]),
]
SPOKEN = [(message, limit) for limit, messages in NAMED_BY for message in messages]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(("message", "limit"), SPOKEN, ids=lambda v: str(v)[:30])
def test_a_message_names_the_limit_its_rule_checks(message, limit, language):
    with translation.override(language):
        text = str(message)
    assert str(limit) in text
    assert "{" not in text  # every placeholder filled, in the translation too


def test_the_english_messages_are_translated():
    with translation.override("en"):
        assert str(uploads.TOO_MANY_FILES) == f"You can attach up to {uploads.MAX_FILES} files."
        assert str(rules.TEXT_TOO_LONG) == f"The text must be {rules.MAX_TEXT} characters or fewer."


@pytest.mark.django_db
def test_the_forms_help_texts_say_the_limits():
    feedback = FeedbackForm()
    assert str(rules.MAX_DESCRIPTION) in str(feedback.fields["description"].help_text)
    assert uploads.ALLOWED_LABEL in str(feedback.fields["files"].help_text)
    assert str(uploads.MAX_FILES) in str(TextForm(with_files=True).fields["files"].help_text)


LIMITS = {"5000", "4000", "1000", "10 МБ", "5 МБ", "5 файлов", "200 символов", "30 дней"}


def _retyped(root: Path) -> list[str]:
    """Messages (gettext calls) that spell a limit's number instead of formatting it in."""
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in {"_", "gettext_lazy", "gettext"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and any(re.search(rf"\b{limit}\b", node.args[0].value) for limit in LIMITS)
            ):
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", [portal, faq, support], ids=lambda p: p.__name__)
def test_no_message_retypes_a_limit(package):
    root = Path(package.__file__).parent
    assert _retyped(root) == []
