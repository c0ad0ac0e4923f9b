"""Editors keep the contacts in the admin; bad data is refused with a reason."""

import pytest

from faq.admin import ArticleAdminForm
from portal.channels import ChannelKind
from support.contacts.models import (
    HOURS_ORDER,
    SPECIAL_OVERLAP,
    ContactChannel,
    RegionalOffice,
    SpecialHours,
)
from tests.admin_forms import assert_refused

pytestmark = pytest.mark.django_db
ADD_CHANNEL = "/admin/contacts/contactchannel/add/"
MONDAY_8_TO_20 = {
    "hours-TOTAL_FORMS": "1",
    "hours-0-weekday": "0",
    "hours-0-opens": "08:00",
    "hours-0-closes": "20:00",
}


def channel_form(**extra) -> dict:
    data = {
        "kind": "phone",
        "title_ru": "Линия",
        "value": "8 800 555-73-73",
        "order": "0",
        "is_active": "on",
        "hours-TOTAL_FORMS": "0",
        "hours-INITIAL_FORMS": "0",
        "special_hours-TOTAL_FORMS": "0",
        "special_hours-INITIAL_FORMS": "0",
        "voice_menu-TOTAL_FORMS": "0",
        "voice_menu-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_editor_adds_a_channel_with_hours_and_voice_menu(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD_CHANNEL,
        channel_form(
            **MONDAY_8_TO_20,
            **{
                "voice_menu-TOTAL_FORMS": "1",
                "voice_menu-0-key": "1",
                "voice_menu-0-title_ru": "Справка по услугам",
            },
        ),
    )
    assert response.status_code == 302
    channel = ContactChannel.objects.get()
    assert channel.hours.count() == 1 and channel.voice_menu.get().key == "1"


def test_opening_after_closing_is_refused(client, editor):
    client.force_login(editor)
    evening_to_morning = MONDAY_8_TO_20 | {"hours-0-opens": "20:00", "hours-0-closes": "08:00"}
    response = client.post(ADD_CHANNEL, channel_form(**evening_to_morning))
    assert_refused(response, HOURS_ORDER, ContactChannel)


def test_overlapping_exceptions_are_refused_in_one_form(client, editor):
    client.force_login(editor)
    rows = {
        "special_hours-TOTAL_FORMS": "2",
        "special_hours-0-starts_on": "30.12.2026",
        "special_hours-0-ends_on": "31.12.2026",
        "special_hours-0-is_closed": "on",
        "special_hours-1-starts_on": "31.12.2026",
        "special_hours-1-ends_on": "02.01.2027",
        "special_hours-1-opens": "10:00",
        "special_hours-1-closes": "14:00",
    }
    response = client.post(ADD_CHANNEL, channel_form(**rows))
    assert_refused(response, SPECIAL_OVERLAP, SpecialHours)


def test_overlap_with_a_saved_exception_is_refused():
    import datetime

    from django.core.exceptions import ValidationError

    channel = ContactChannel.objects.create(kind=ChannelKind.CHAT, title="Чат")
    SpecialHours.objects.create(
        channel=channel,
        starts_on=datetime.date(2026, 12, 31),
        ends_on=datetime.date(2026, 12, 31),
        is_closed=True,
    )
    clash = SpecialHours(
        channel=channel,
        starts_on=datetime.date(2026, 12, 30),
        ends_on=datetime.date(2027, 1, 1),
        opens=datetime.time(10),
        closes=datetime.time(14),
    )
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert SPECIAL_OVERLAP in error.value.message_dict["starts_on"]
    no_hours = SpecialHours(
        channel=channel, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        no_hours.full_clean()
    assert set(error.value.message_dict) >= {"ends_on", "opens"}


def test_office_coordinates_must_be_on_earth(client, editor):
    from portal.catalogue.models import Region

    client.force_login(editor)
    response = client.post(
        "/admin/contacts/regionaloffice/add/",
        {
            "region": Region.objects.get(code="77").pk,
            "title_ru": "Офис",
            "address": "Москва",
            "latitude": "95",
            "longitude": "37.6",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not RegionalOffice.objects.exists()


def test_editor_may_edit_every_contacts_and_works_model(editor):
    for perm in (
        "contacts.change_specialhours",
        "contacts.add_voicemenuitem",
        "contacts.change_regionaloffice",
        "contacts.delete_managementcontact",
        "maintenance.add_technicalwork",
        "maintenance.change_technicalwork",
    ):
        assert editor.has_perm(perm), perm


def test_faq_and_contacts_share_one_list_of_channel_kinds():
    field = ArticleAdminForm.base_fields["channels"]
    assert list(field.choices) == list(ChannelKind.choices)
    assert ContactChannel._meta.get_field("kind").choices == list(ChannelKind.choices)


def _footer(client) -> str:
    content = client.get("/support/status/").content.decode()
    return content.split('<footer class="site-footer"')[1]


def test_the_footer_shows_an_editors_change_at_once(client, editor, production_caches):
    client.force_login(editor)
    assert client.post(ADD_CHANNEL, channel_form(show_in_footer="on")).status_code == 302
    channel = ContactChannel.objects.get()
    assert "8 800 555-73-73" in _footer(client)  # and now cached
    change = f"/admin/contacts/contactchannel/{channel.pk}/change/"
    response = client.post(change, channel_form(show_in_footer="on", value="8 800 100-70-10"))
    assert response.status_code == 302
    footer = _footer(client)
    assert "8 800 100-70-10" in footer and "8 800 555-73-73" not in footer
    # Taken out of the footer, then deleted from the list of channels.
    client.post(change, channel_form(value="8 800 100-70-10"))
    assert "8 800 100-70-10" not in _footer(client)
    client.post(change, channel_form(show_in_footer="on", value="8 800 100-70-10"))
    assert "8 800 100-70-10" in _footer(client)
    response = client.post(
        "/admin/contacts/contactchannel/",
        {"action": "delete_selected", "_selected_action": [channel.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "8 800 100-70-10" not in _footer(client)


def test_the_footer_forgets_a_channel_deleted_on_its_page(client, editor, production_caches):
    client.force_login(editor)
    client.post(ADD_CHANNEL, channel_form(show_in_footer="on"))
    channel = ContactChannel.objects.get()
    assert "8 800 555-73-73" in _footer(client)
    response = client.post(f"/admin/contacts/contactchannel/{channel.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "8 800 555-73-73" not in _footer(client)


def _hours_form(channel, **extra) -> dict:
    """The channel's change form with its one row of hours (Monday)."""
    row = channel.hours.get()
    return channel_form(
        **{
            "show_in_footer": "on",
            **MONDAY_8_TO_20,
            "hours-INITIAL_FORMS": "1",
            "hours-0-id": str(row.pk),
            "hours-0-channel": str(channel.pk),
            **extra,
        }
    )


def test_open_hours_show_an_editors_change_at_once(client, editor, production_caches):
    client.force_login(editor)
    response = client.post(ADD_CHANNEL, channel_form(**MONDAY_8_TO_20))
    assert response.status_code == 302
    channel = ContactChannel.objects.get()
    assert "08:00–20:00" in client.get("/support/contacts/").content.decode()  # now cached
    change = f"/admin/contacts/contactchannel/{channel.pk}/change/"
    response = client.post(change, _hours_form(channel, **{"hours-0-opens": "09:30"}))
    assert response.status_code == 302
    content = client.get("/support/contacts/").content.decode()
    assert "09:30–20:00" in content and "08:00–20:00" not in content
    # A channel switched off leaves the page and the hub.
    client.post(change, _hours_form(channel, is_active=""))
    assert "8 800 555-73-73" not in client.get("/support/contacts/").content.decode()
    assert "8 800 555-73-73" not in client.get("/").content.decode()
