"""news/admin/presence.py without a browser: who may ask, and what is said."""

import pytest

from news.models import Article
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


def test_the_presence_address_answers_staff_who_may_see_the_article(client, site):
    article = make_article(site, status=Article.Status.DRAFT)
    url = f"/admin/news/article/{article.pk}/presence/"
    chief = make_staff("Senior editor")
    client.force_login(chief)
    client.get(f"/admin/news/article/{article.pk}/change/")
    other = make_staff("Editor")
    client.force_login(other)
    answer = client.post(url, headers={"accept-language": "en"}).json()
    assert len(answer["others"]) == 1 and f"{chief.username} is editing this article since" in answer["others"][0]
    assert client.get(url).status_code == 405  # POST only
    client.force_login(chief)
    client.post(url, {"leave": "1"})
    client.force_login(other)
    assert client.post(url).json() == {"others": []}
    assert client.post("/admin/news/article/999999/presence/").status_code == 404
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
