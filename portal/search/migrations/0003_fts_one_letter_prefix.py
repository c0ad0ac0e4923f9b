"""SQLite: a prefix index for one letter too.

While a citizen types "статус з", the suggestions match "з"*: without a one-letter
prefix index FTS5 merges the lists of every indexed word beginning with "з" (about
15 ms at 20,000 articles, several times per search); with it, one list (under 1 ms).
FTS5 cannot change its options in place: the rows are copied into a new table.
"""

from django.db import migrations

COLUMNS = "kind, object_id UNINDEXED, title, summary, body"
OPTIONS = "tokenize = 'unicode61 remove_diacritics 0'"


def _rebuild(prefix: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE search_fts_new USING fts5({COLUMNS}, {OPTIONS}, "
        f"prefix = '{prefix}')",
        "INSERT INTO search_fts_new (rowid, kind, object_id, title, summary, body) "
        "SELECT rowid, kind, object_id, title, summary, body FROM search_fts",
        "DROP TABLE search_fts",
        "ALTER TABLE search_fts_new RENAME TO search_fts",
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(_rebuild("1 2 3 4")), _run(_rebuild("2 3 4")))]
