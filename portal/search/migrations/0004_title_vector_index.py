"""PostgreSQL: a GIN index over the title's part of the vector.

A search reads its candidates level by level, first the documents holding every word
in the title: `ts_filter(vector, '{a}') @@ query`. The index on `vector` cannot answer
that (it keeps no weights), so PostgreSQL read and filtered every document of the kind
(about 90 ms at 20,000 articles); over this expression it reads the few that match
(under 1 ms). The expression must stay written exactly as the backend writes it.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS search_document_title_vector "
    "ON search_searchdocument USING gin (ts_filter(vector, '{a}'))"
)
BACKWARD = "DROP INDEX IF EXISTS search_document_title_vector"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fts_one_letter_prefix")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
