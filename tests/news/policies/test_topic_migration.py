"""Migration policies 0006: the topic list corrected to the State Council library's, documents
kept on their topic where it exists and moved to its 其他 where it does not."""

import pytest
from django.core.management import call_command

from news.policies.models import DocumentMeta, TopicCategory
from tests.factories import make_policy

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    call_command("migrate", "policies", target, verbosity=0, interactive=False)


def test_the_corrected_list_keeps_documents_on_their_topic_or_its_other():
    migrate("0001")
    migrate("0005")  # the list as 0002 wrote it
    banking = TopicCategory.objects.get(code="0402", name_zh_hans="金融")
    energy_saving = TopicCategory.objects.get(code="0303", name_zh_hans="节能与资源综合利用")
    foreign_trade = TopicCategory.objects.get(code="0802")
    on_banking = make_policy(meta={"topic": banking})
    on_energy_saving = make_policy(meta={"topic": energy_saving})
    on_foreign_trade = make_policy(meta={"topic": foreign_trade})
    migrate("0006")
    topic = {meta.article_id: meta.topic for meta in DocumentMeta.objects.select_related("topic__parent")}
    assert str(topic[on_banking.pk]) == "财政、金融、审计 › 其他" and topic[on_banking.pk].code == "0499"
    # Under the topic it belongs to, the same row (addresses by slug change, its documents stay).
    assert topic[on_energy_saving.pk].pk == energy_saving.pk
    assert str(topic[on_energy_saving.pk]) == "城乡建设、环境保护 › 节能与资源综合利用"
    assert topic[on_foreign_trade.pk].pk == foreign_trade.pk and topic[on_foreign_trade.pk].code == "0802"
    assert not TopicCategory.objects.filter(name_zh_hans__in=["金融", "能源", "服务业", "市场监管"]).exists()
    assert TopicCategory.objects.filter(parent__isnull=True).count() == 22
    assert TopicCategory.objects.filter(parent__isnull=False).count() == 122
    assert [str(t) for t in TopicCategory.objects.filter(parent__code="08").order_by("order")] == [
        "商贸、海关、旅游 › 对外经贸合作",
        "商贸、海关、旅游 › 国内贸易（含供销）",
        "商贸、海关、旅游 › 海关",
        "商贸、海关、旅游 › 检验、检疫",
        "商贸、海关、旅游 › 旅游",
        "商贸、海关、旅游 › 其他",
    ]
