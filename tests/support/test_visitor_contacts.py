"""The one rule of a visitor's contacts: a name, and an e-mail or a phone that can be used."""

import pytest
from django.core.exceptions import ValidationError

from support.centre.contacts import (
    CONSENT_REQUIRED,
    CONTACT_REQUIRED,
    EMAIL_INVALID,
    NAME_REQUIRED,
    PHONE_INVALID,
    PHONE_REQUIRED,
    Contacts,
    contacts_clean,
)


def _refused(**given) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        contacts_clean(**{"consent": True, **given})
    return refused.value.message_dict


def test_a_name_and_an_email_or_a_phone_are_enough():
    assert contacts_clean(consent=True, name=" Анна ", email=" anna@example.ru ") == Contacts(
        name="Анна", email="anna@example.ru"
    )
    # Any usual spelling of a Russian number is stored one way.
    for spelling in ("8 (916) 123-45-67", "+7 916 123 45 67", "9161234567"):
        assert contacts_clean(consent=True, name="Анна", phone=spelling).phone == "+79161234567"
    both = contacts_clean(consent=True, name="Анна", email="a@example.ru", phone="89161234567")
    assert both.email == "a@example.ru" and both.phone_display == "+7 916 123-45-67"


def test_no_contact_at_all_is_refused_with_why():
    assert _refused(name="Анна") == {"email": [str(CONTACT_REQUIRED)]}
    assert _refused(name="Анна", email="  ", phone=" ") == {"email": [str(CONTACT_REQUIRED)]}


def test_a_missing_or_too_long_name_is_refused():
    assert _refused(name=" ", email="a@example.ru") == {"name": [str(NAME_REQUIRED)]}
    assert "name" in _refused(name="А" * 101, email="a@example.ru")


def test_a_bad_email_or_phone_is_refused_even_beside_a_good_one():
    assert _refused(name="Анна", email="anna@") == {"email": [str(EMAIL_INVALID)]}
    assert _refused(name="Анна", email="a" * 250 + "@example.ru") == {"email": [str(EMAIL_INVALID)]}
    assert _refused(name="Анна", phone="12345") == {"phone": [str(PHONE_INVALID)]}
    # A foreign number is not one operators call.
    assert _refused(name="Анна", phone="+44 20 7946 0958") == {"phone": [str(PHONE_INVALID)]}
    refused = _refused(name="", email="x@", phone="1")
    assert set(refused) == {"name", "email", "phone"}
    assert _refused(name="Анна", email="a@example.ru", phone="abc") == {
        "phone": [str(PHONE_INVALID)]
    }


def test_a_call_back_needs_the_phone():
    assert _refused(name="Анна", email="a@example.ru", phone_required=True) == {
        "phone": [str(PHONE_REQUIRED)]
    }
    assert contacts_clean(
        consent=True, name="Анна", phone="+79161234567", phone_required=True
    ).phone


def test_without_consent_nothing_is_kept():
    assert _refused(name="Анна", email="a@example.ru", consent=False) == {
        "consent": [str(CONSENT_REQUIRED)]
    }
