"""A feed per topic of the policy library: the documents in force, newest first."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape

from ..feeds import LatestArticlesFeed
from .models import DocumentMeta, TopicCategory


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(TopicCategory, slug=slug)

    def title(self, topic):
        return f"{topic.name} - {self.site_name()}"

    def description(self, topic):
        return escape(str(topic))

    def link(self, topic):
        return reverse("policies:topic", kwargs={"topic": topic.slug})

    def feed_url(self, topic):
        return reverse("policies:topic-feed", kwargs={"slug": topic.slug})

    def articles(self, topic):
        documents = DocumentMeta.objects.in_force().filter(
            topic__in=[topic.pk, *topic.children.values_list("pk", flat=True)]
        )
        return super().articles(topic).filter(pk__in=documents.values("article_id"))
