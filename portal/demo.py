"""Demo accounts (README lists them), the categories every demo catalogue starts with, and
how a demo's texts are read. Idempotent: running twice changes nothing."""

import json
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import models

from portal.models import User
from portal.roles import CONTENT_EDITORS, OPERATORS, SUPERVISORS

DEMO_ACCOUNTS = [
    # username, password, first, last, e-mail, phone, is_staff, groups
    (
        "citizen",
        "citizen-demo",
        "Анна",
        "Смирнова",
        "citizen@example.org",
        "+79161234567",
        False,
        [],
    ),
    ("operator", "operator-demo", "Олег", "Петров", "operator@example.org", "", True, [OPERATORS]),
    (
        "supervisor",
        "supervisor-demo",
        "Мария",
        "Волкова",
        "supervisor@example.org",
        "",
        True,
        [OPERATORS, SUPERVISORS],
    ),
    (
        "editor",
        "editor-demo",
        "Елена",
        "Кузнецова",
        "editor@example.org",
        "",
        True,
        [CONTENT_EDITORS],
    ),
]


def seed_users() -> list[User]:
    users = []
    for username, password, first, last, email, phone, is_staff, groups in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": phone,
                "is_staff": is_staff,
                "is_active": True,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
        # The demo addresses count as confirmed, so the accounts sign in as before.
        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users.append(user)
    return users


def demo_data(app_file: str, name: str) -> Any:
    """One of an app's demo data files (`<app>/demo_data/<name>`): texts an editor can read and
    change without reading code. A record's English, where the demo has it, sits under its
    "en" key with the same keys as the Russian."""
    return json.loads((Path(app_file).parent / "demo_data" / name).read_text(encoding="utf-8"))


def demo_text(lines: list[str]) -> str:
    """A text of several lines, which the data files keep as a list of its lines."""
    return "\n".join(lines)


def demo_categories_seed(
    model: type[models.Model], categories: list[dict]
) -> dict[str, models.Model]:
    """A demo's categories (slug, title, description) in their order, with their English
    columns where the demo translates them; returns them by slug."""
    by_slug = {}
    for order, item in enumerate(categories, start=1):
        english = item.get("en", {})
        by_slug[item["slug"]], _ = model.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "description": item["description"],
                "order": order * 10,
                "title_en": english.get("title"),
                "description_en": english.get("description"),
            },
        )
    return by_slug
