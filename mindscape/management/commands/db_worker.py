"""``manage.py db_worker``: django-tasks-db's worker command with our worker, which waits
out a database restart instead of exiting (see ``mindscape.ops.worker``).  Same options."""

from django_tasks_db.management.commands import db_worker as upstream

from mindscape.ops.worker import Worker


class Command(upstream.Command):
    def handle(self, *args, **options):
        # The upstream command builds ``upstream.Worker`` by name: ours stands in for it
        # for the life of this process (one command per process).
        upstream.Worker = Worker
        return super().handle(*args, **options)
