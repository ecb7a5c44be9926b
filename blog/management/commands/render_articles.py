"""Render the kept <article> element of every published article that needs it (a release)."""

from django.core.management.base import BaseCommand

from blog.rendered import render_missing


class Command(BaseCommand):
    help = (
        "Render and keep the <article> element of every published article whose content, "
        "related rows, code or settings changed since it was kept (blog/rendered.py), so the "
        "first visitor of each article after a release does not wait for it. Safe to re-run."
    )

    def handle(self, *args, **options):
        rendered = render_missing()
        if options["verbosity"]:
            self.stdout.write(f"Articles rendered: {rendered}.")
