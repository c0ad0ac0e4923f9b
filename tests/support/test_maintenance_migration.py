"""The migration that translated the technical works keeps the English titles editors had
written in the hand-made `title_en` column, and every work's Russian text."""

import datetime

import pytest
from django.utils import timezone, translation

from support.maintenance.models import TechnicalWork
from tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("maintenance", "0003_technical_work_announced_ahead")]
AFTER = [("maintenance", "0004_translations")]


def old_work_make(apps, title: str, title_en: str):
    start = timezone.now() + datetime.timedelta(days=1)
    texts = {
        "title": title,
        "title_en": title_en,
        "description": "Вход будет недоступен.",
        "started_work": "Черновики сохранятся.",
        "unavailable": "вход на портал",
    }
    work = apps.get_model("maintenance", "TechnicalWork").objects.create(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), **texts
    )
    apps.get_model("maintenance", "HistoricalTechnicalWork").objects.create(
        id=work.pk,
        starts_at=work.starts_at,
        ends_at=work.ends_at,
        announce_hours=24,
        is_published=True,
        created_at=work.created_at,
        updated_at=work.updated_at,
        history_date=timezone.now(),
        history_type="+",
        **texts,
    )
    return work


def test_existing_works_keep_their_english_title_and_their_russian_texts():
    old = migrate(BEFORE)
    try:
        translated = old_work_make(old, "Обновление личного кабинета", "Personal account update")
        untranslated = old_work_make(old, "Замена оборудования", "")
    finally:
        migrate(AFTER)
        migrate_to_latest()

    work = TechnicalWork.objects.get(pk=translated.pk)
    assert (work.title_ru, work.title_en) == (
        "Обновление личного кабинета",
        "Personal account update",
    )
    assert (work.description_ru, work.started_work_ru, work.unavailable_ru) == (
        "Вход будет недоступен.",
        "Черновики сохранятся.",
        "вход на портал",
    )
    assert work.description_en is None
    # An empty hand-made English title was no translation: the title falls back to Russian.
    other = TechnicalWork.objects.get(pk=untranslated.pk)
    assert other.title_en is None
    with translation.override("en"):
        assert work.title == "Personal account update"
        assert work.description == "Вход будет недоступен."
        assert other.title == "Замена оборудования"
    history = {h.id: h for h in TechnicalWork.history.all()}  # by the work's id
    assert history[work.pk].title_en == "Personal account update"
    assert history[work.pk].title_ru == "Обновление личного кабинета"
    assert history[other.pk].title_en is None


def test_going_back_keeps_the_english_titles_in_the_hand_made_column():
    work = TechnicalWork.objects.create(
        title="Обновление личного кабинета",
        title_en="Personal account update",
        description="Вход будет недоступен.",
        started_work="Черновики сохранятся.",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    other = TechnicalWork.objects.create(
        title="Замена оборудования",
        description="Оплата недоступна.",
        started_work="Платежи не списываются.",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    old = migrate(BEFORE)
    try:
        works = {w.pk: w for w in old.get_model("maintenance", "TechnicalWork").objects.all()}
        assert (works[work.pk].title, works[work.pk].title_en) == (
            "Обновление личного кабинета",
            "Personal account update",
        )
        assert (works[other.pk].title, works[other.pk].title_en) == ("Замена оборудования", "")
        assert works[other.pk].description == "Оплата недоступна."
        assert works[other.pk].unavailable == ""  # left empty: no Russian text to copy back
    finally:
        migrate_to_latest()
    assert TechnicalWork.objects.get(pk=work.pk).title_en == "Personal account update"
