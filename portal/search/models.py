from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One indexed object; its id is the row id of the backend's full-text index.

    On SQLite the text lives in the FTS5 table `search_fts`; on PostgreSQL in the
    `vector` column (tsvector, GIN index) and the title's part of it in `title_vector`.
    They are made by migrations 0002 and 0004, which is why none appears as a field here.
    `sentence` is the document's sentence vector (see `sentences.py`).
    """

    kind = models.CharField(_("вид"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("объект"))
    # 512 float16 numbers (1 KB): what the document is about, for candidates by meaning.
    sentence = models.BinaryField(_("вектор смысла"), null=True, editable=False)

    class Meta:
        verbose_name = _("документ поиска")
        verbose_name_plural = _("документы поиска")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchTerm(models.Model):
    """A word that occurs in indexed text: the vocabulary typos are corrected against."""

    kind = models.CharField(_("вид"), max_length=32)
    word = models.CharField(_("слово"), max_length=64)
    stem = models.CharField(_("основа"), max_length=64)

    class Meta:
        verbose_name = _("слово словаря")
        verbose_name_plural = _("словарь поиска")
        constraints = [models.UniqueConstraint(fields=["kind", "word"], name="search_term_unique")]
        indexes = [models.Index(fields=["kind", "stem"], name="search_term_stem")]

    def __str__(self) -> str:
        return self.word
