"""Background tasks (django-tasks, database backend).  Arguments are ids and the server-made
name of an image, nothing a person typed."""

from django_tasks import task

from . import services
from .models import Article


@task()
def make_hero_renditions(article_id: int, image_name: str) -> str:
    """Make the renditions of an article's hero image, unless it has changed since."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return "article deleted"
    if article.hero_image.name != image_name:
        return "image replaced"  # the newer image's own task makes its renditions
    services.article_process_hero(article=article)
    return "made"
