"""Keep each article's search vector inside its table row.

A vector (about 4.6 kB for a long article) is too big for PostgreSQL's default of moving
large values out to the side table; pglz cannot shrink it, so it was stored there
uncompressed, and every search fetched it back twice per matching article (the match, then
the rank): 2 × 863 side-table lookups for "depression".  STORAGE MAIN keeps it in the row
unless the row would not fit a page; the other large columns still move out.  Rows are
rewritten so that existing vectors move in (an update recomputes the generated column).
"""

from django.db import migrations

REWRITE = "UPDATE blog_article SET title = title"

class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_hero_decorative"),
    ]

    operations = [
        migrations.RunSQL(
            [
                "ALTER TABLE blog_article ALTER COLUMN search_vector SET STORAGE MAIN",
                REWRITE,
            ],
            reverse_sql=[
                "ALTER TABLE blog_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
                REWRITE,
            ],
        ),
    ]
