"""Background tasks (django-tasks, database backend).  Arguments are ids and the server-made
name of an image, nothing a person typed."""

from django.db import transaction
from django_tasks import task

from .images import make_renditions, renditions_to_json
from .models import Article


@task()
def make_hero_renditions(article_id: int, image_name: str) -> str:
    """Make the renditions of an article's hero image, unless it has changed since."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return "article deleted"
    if article.hero_image.name != image_name:
        return "image replaced"  # the newer image's own task makes its renditions
    article_process_hero(article=article)
    return "made"


def article_process_hero(*, article: Article) -> Article:
    """Make the hero image's renditions (several widths, WebP + JPEG) and remember them.

    Slow for a large photo (seconds): the task worker runs it, not the request.  The
    renditions are saved only if the article still has the image they were made from.
    """
    name = article.hero_image.name
    renditions = []
    if name:
        # Opened here and closed on the way out: reading a stored FieldFile opens a handle
        # that nothing else would close.
        with article.hero_image.open("rb") as source:
            renditions = make_renditions(
                source,
                storage=article.hero_image.storage,
                prefix=f"articles/renditions/{article.pk}-{article.slug}",
            )
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.hero_image.name != name:
            return current  # replaced meanwhile: the new image's own task makes its renditions
        current.hero_renditions = renditions_to_json(renditions)
        current.hero_width = renditions[-1].width if renditions else None
        current.hero_height = renditions[-1].height if renditions else None
        current.save(update_fields=["hero_renditions", "hero_width", "hero_height", "updated_at"])
    return current
