"""The full-text structures that differ by database vendor."""

from django.db import migrations

SQLITE_FORWARD = [
    # Stems are stored (we stem with Snowball in Python), so the tokenizer only splits.
    # `kind` is indexed so that MATCH narrows by it; prefix indexes serve suggestions.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        kind, object_id UNINDEXED, title, summary, body,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '2 3 4'
    )""",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_term_trigram ON search_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
