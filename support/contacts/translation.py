"""The contacts' texts in each language (django-modeltranslation), Russian the original."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from support.contacts.models import (
    ContactChannel,
    ManagementContact,
    RegionalOffice,
    SpecialHours,
    VoiceMenuItem,
)


@register(ContactChannel)
class ContactChannelTranslation(TranslationOptions):
    fields = ("title", "note")
    required_languages = {"ru": ("title",)}


@register(VoiceMenuItem)
class VoiceMenuItemTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("ru",)


@register(SpecialHours)
class SpecialHoursTranslation(TranslationOptions):
    fields = ("note",)


@register(RegionalOffice)
class RegionalOfficeTranslation(TranslationOptions):
    fields = ("title", "hours")
    required_languages = {"ru": ("title",)}


@register(ManagementContact)
class ManagementContactTranslation(TranslationOptions):
    fields = ("position", "hours")
    required_languages = {"ru": ("position",)}


# After the translated columns: the history keeps every language's text.
simple_history.register(ContactChannel)
simple_history.register(RegionalOffice)
