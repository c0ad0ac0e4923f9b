"""Every long field on the site (a text area with a limit) is counted while typing.

The forms take their limits from the rules' constants; the mixin turns each limit into the
count the page shows (data-char-count, the count's id in aria-describedby) and drops the
browser's maxlength, which would cut a pasted text without a word.
"""

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import faq
import portal
import support
from faq.actions import MAX_COMMENT
from faq.forms import VoteForm
from portal.forms import AccessibleFormMixin, counts_characters
from support.appeals.rules import MAX_DESCRIPTION
from support.chat.forms import MessageForm, RateForm
from support.chat.rules import MAX_RATING_COMMENT
from support.chat.rules import MAX_TEXT as CHAT_MAX_TEXT


def _site_forms() -> list[type[forms.BaseForm]]:
    found = set()
    for package in (portal, faq, support):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if "migrations" in info.name or info.name.endswith(("admin", "tests")):
                continue
            module = importlib.import_module(info.name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_citizen_form_with_a_long_field_counts_it():
    counted = []
    for form_class in _site_forms():
        long_fields = [
            name for name, field in form_class.base_fields.items() if counts_characters(field)
        ]
        if long_fields:
            counted.append(form_class.__name__)
            assert issubclass(form_class, AccessibleFormMixin), (
                f"{form_class.__module__}.{form_class.__name__} has long fields {long_fields} "
                "without the character count (AccessibleFormMixin)"
            )
    # The walk found the forms it is meant to police.
    assert {"FeedbackForm", "VoteForm", "MessageForm", "RateForm", "EscalationForm"} <= set(counted)


@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    [
        (VoteForm, "comment", MAX_COMMENT),
        (MessageForm, "text", CHAT_MAX_TEXT),
        (RateForm, "comment", MAX_RATING_COMMENT),
    ],
)
def test_a_long_field_carries_its_limit_and_points_to_its_count(form_class, name, limit):
    html = str(form_class()[name])
    assert f'data-char-count="{limit}"' in html
    assert "maxlength" not in html
    assert f'aria-describedby="id_{name}_count"' in html


def test_the_count_keeps_the_hint_and_the_error_described_too():
    from support.appeals.forms import FeedbackForm

    form = FeedbackForm(data={"description": "x" * (MAX_DESCRIPTION + 1)})
    assert not form.is_valid()
    html = str(form["description"])
    assert (
        'aria-describedby="id_description_error id_description_helptext id_description_count"'
        in html
    )
    assert 'aria-invalid="true"' in html


def test_field_include_renders_the_count_with_the_limit(rf):
    from django.template.loader import render_to_string

    html = render_to_string("includes/field.html", {"field": VoteForm()["comment"]})
    assert 'id="id_comment_count"' in html
    assert 'data-char-count-for="id_comment"' in html
    assert f"До {MAX_COMMENT} символов." in html
    assert 'role="status"' in html
    # A short field has no count.
    from support.appeals.forms import LookupForm

    assert "_count" not in render_to_string("includes/field.html", {"field": LookupForm()["email"]})


def test_a_text_over_the_limit_is_refused_with_its_message_and_kept():
    form = VoteForm(data={"helpful": "no", "comment": "ы" * (MAX_COMMENT + 5)})
    assert not form.is_valid()
    assert form.errors["comment"] == ["Комментарий не длиннее 1000 символов."]
    assert len(form["comment"].value()) == MAX_COMMENT + 5
