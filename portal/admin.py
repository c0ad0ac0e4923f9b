from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Контакты"), {"fields": ["middle_name", "phone"]}),
        (
            _("Версия для слабовидящих"),
            {"fields": ["a11y_enabled", "a11y_font_size", "a11y_scheme", "a11y_images"]},
        ),
    ]
    list_display = ["username", "email", "first_name", "last_name", "is_staff"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]
