"""The view glue every package shares, written once: a rate read from settings, the visitor
key, a private download, an action's refusal shown on a form."""

import io

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from portal.forms import AccessibleFormMixin
from portal.http import private_download
from portal.ratelimits import setting_rate
from portal.visitors import request_visitor, visitor_key


def test_a_rate_is_read_when_the_request_comes(settings):
    rate = setting_rate("APPEALS_FORM_RATE")
    settings.APPEALS_FORM_RATE = "3/m"
    assert rate("group", None) == "3/m"
    settings.APPEALS_FORM_RATE = "7/h"
    assert rate("group", None) == "7/h"


@pytest.mark.django_db
def test_a_visitor_without_a_session_gets_one_or_no_key():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    assert request_visitor(request, start_session=False) == ""
    assert request.session.session_key is None
    key = request_visitor(request)
    assert key == visitor_key(user=None, session_key=request.session.session_key)
    assert request_visitor(request, start_session=False) == key  # the same on the next ask


@pytest.mark.django_db
def test_a_signed_in_visitor_is_their_account(citizen):
    request = RequestFactory().get("/")
    request.user = citizen
    request.session = SessionStore()
    assert request_visitor(request, start_session=False) == f"u{citizen.pk}"
    assert request.session.session_key is None  # no session started for them


def test_a_private_download_is_saved_not_shown_nor_sniffed_nor_cached():
    response = private_download(
        io.BytesIO(b"%PDF-1.4"), filename="скан.pdf", content_type="application/pdf"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%D1%81%D0%BA%D0%B0%D0%BD.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"


class _Form(AccessibleFormMixin, forms.Form):
    reason = forms.CharField()


def test_a_refusal_lands_next_to_the_field_it_names_under_this_forms_name():
    form = _Form({"reason": "x"})
    assert form.is_valid()
    form.refusal_add(
        ValidationError({"text": "Слишком коротко.", "other": "Вне формы."}),
        fields={"text": "reason"},
    )
    assert form.errors["reason"] == ["Слишком коротко."]
    assert form.non_field_errors() == ["Вне формы."]


def test_a_permission_refusal_and_a_plain_one_go_above_the_form():
    form = _Form({"reason": "x"})
    form.refusal_add(PermissionDenied("Это действие вам недоступно."))
    form.refusal_add(ValidationError("Статус изменился."))
    assert form.non_field_errors() == ["Это действие вам недоступно.", "Статус изменился."]


def test_a_form_shown_again_unchecked_carries_the_refusal():
    form = _Form(initial={"reason": "typed"})
    form.refusal_add(ValidationError("Сеанс истёк."))
    assert form.non_field_errors() == ["Сеанс истёк."]
    assert form["reason"].value() == "typed"
