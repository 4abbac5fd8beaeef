# ruff: noqa: E501 - the demo documents are prose; one paragraph per line reads best.
"""Demo policy documents with their metadata: two real documents with their real numbers and
dates, an interpretation of one, and a demonstration document repealed by the other.

What was checked, and against what (SPEC-services.md sources; the ``search`` library's stored pages and code):

- 国发〔2017〕39号: title, number, index 000014349/2017-00156, topic 商贸、海关、旅游 › 对外经贸合作,
  written 2017-08-08, published 2017-08-16 and the address
  www.gov.cn/zhengce/content/2017-08/16/content_5218057.htm, from a public scraper's record of the
  State Council's catalogue ([C6]); issuer 国务院 and the first two of the five headings of the
  summary from a copy of the text (zhonghuashu.com). The other three headings are from memory.
- 吉政发〔2025〕7号: number, issuer 吉林省人民政府 and the date signed, 2025-04-02, from the copy
  at huaxiataike.com/news/79303.html, whose title is 吉林省人民政府关于印发《吉林省招商引资综合改革
  实施方案》的通知: its 文种 is therefore 通知 (it was "programme" here before). Not verified: its
  topic, that it is a normative document, and its index number (the demo's comes from this site's
  counter, not from the province's catalogue).
- Organisation codes: 国务院 000014349 as in its index numbers ([C6]); 吉林省人民政府
  11220000013544357T as in index numbers of its own catalogue (two 2019 records of
  xxgk.jl.gov.cn in a public scraper's code, 11220000013544357T/2019-03850). The code was a
  placeholder, JL0000000, before. Websites www.gov.cn and www.jl.gov.cn: not checked here.
- The topic list is migration 0006's (its docstring says what was checked).

Bodies are short summaries written for the demo, not the documents' texts; the repealed
document and the interpretation are invented for the demo (their titles and texts say so).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..models import Article, Column
from .models import DocumentMeta, DocumentRelation, Issuer, TopicCategory

BEIJING = ZoneInfo("Asia/Shanghai")

ISSUERS = [
    # slug, Chinese, English, prefix, level, org code, website
    ("state-council", "国务院", "State Council", "国发", "national", "000014349", "https://www.gov.cn/"),
    ("jilin-provincial-government", "吉林省人民政府", "People's Government of Jilin Province", "吉政发", "provincial",
     "11220000013544357T", "https://www.jl.gov.cn/"),
]  # fmt: skip

DOCUMENTS = [
    {
        "slug": "state-council-measures-to-promote-foreign-investment-growth",
        "column": "policies",
        "publish_at": datetime(2017, 8, 16, 18, 0, tzinfo=BEIJING),
        "zh-hans": (
            "国务院关于促进外资增长若干措施的通知",
            "从减少外资准入限制、制定财税支持政策、完善国家级开发区综合投资环境、便利人才出入境、优化营商环境五个方面提出措施。",
            "<p>《国务院关于促进外资增长若干措施的通知》（国发〔2017〕39号）从五个方面提出促进外资增长的措施：减少外资准入限制，制定财税支持政策，完善国家级开发区综合投资环境，便利人才出入境，优化营商环境。</p><p>全文见中国政府网。</p>",
        ),
        "en": (
            "Notice of the State Council on Several Measures to Promote the Growth of Foreign Investment",
            "Measures in five areas: fewer restrictions on market access, fiscal and tax support, the investment environment of national development zones, easier entry for talent, and a better business environment.",
            "<p>The notice (Guo Fa [2017] No. 39) sets out measures in five areas: fewer restrictions on foreign investment access, fiscal and tax support, the investment environment of national development zones, easier entry and exit for talent, and a better business environment.</p><p>The full Chinese text is on the central government's website.</p>",
        ),
        "source": ("中国政府网", "www.gov.cn"),
        "source_url": "https://www.gov.cn/zhengce/content/2017-08/16/content_5218057.htm",
        "meta": {
            "issuer": "state-council",
            "index_number": "000014349/2017-00156",
            "topic": "0802",
            "document_number": "国发〔2017〕39号",
            "written_date": date(2017, 8, 8),
            "genre": DocumentMeta.Genre.NOTICE,
            "is_republished": True,
            "english_status": DocumentMeta.EnglishStatus.REFERENCE,
        },
    },
    {
        "slug": "jilin-demo-old-investment-promotion-policies",
        "column": "policies",
        "publish_at": datetime(2019, 3, 1, 9, 0, tzinfo=BEIJING),
        "zh-hans": (
            "（示例文件）吉林省招商引资若干政策（旧版）",
            "本文件为演示用示例，已被《吉林省招商引资综合改革实施方案》废止。",
            "<p>本文件为本演示网站编写的示例，用于展示已废止文件的显示方式。</p>",
        ),
        "en": (
            "(Demo document) Investment promotion policies of Jilin Province (old version)",
            "A document written for this demo, repealed by the Comprehensive Reform Programme for Investment Promotion.",
            "<p>A document written for this demonstration site, to show how a repealed document is displayed.</p>",
        ),
        "meta": {
            "issuer": "jilin-provincial-government",
            "topic": "0802",
            "document_number": "无",
            "written_date": date(2019, 2, 20),
            "genre": DocumentMeta.Genre.OPINION,
            "is_normative": True,
        },
    },
    {
        "slug": "jilin-comprehensive-reform-of-investment-promotion",
        "column": "policies",
        "publish_at": datetime(2025, 4, 8, 9, 0, tzinfo=BEIJING),
        "zh-hans": (
            "吉林省招商引资综合改革实施方案",
            "吉林省人民政府印发的招商引资综合改革实施方案。",
            "<p>《吉林省招商引资综合改革实施方案》（吉政发〔2025〕7号）由吉林省人民政府印发，成文日期为2025年4月2日。</p>",
        ),
        "en": (
            "Implementation Programme for the Comprehensive Reform of Investment Promotion in Jilin Province",
            "The programme issued by the People's Government of Jilin Province.",
            "<p>The programme (Ji Zheng Fa [2025] No. 7) was issued by the People's Government of Jilin Province and signed on 2 April 2025.</p>",
        ),
        "meta": {
            "issuer": "jilin-provincial-government",
            "topic": "0802",
            "document_number": "吉政发〔2025〕7号",
            "written_date": date(2025, 4, 2),
            "genre": DocumentMeta.Genre.NOTICE,
            "is_normative": True,
        },
        "relations": [("repeals", "jilin-demo-old-investment-promotion-policies")],
    },
    {
        "slug": "interpreting-jilin-comprehensive-reform-of-investment-promotion",
        "column": "policy-interpretations",
        "publish_at": datetime(2025, 4, 9, 9, 0, tzinfo=BEIJING),
        "zh-hans": (
            "图解：《吉林省招商引资综合改革实施方案》",
            "一图读懂吉政发〔2025〕7号的主要内容。",
            "<p>本文为演示网站编写的解读示例，介绍《吉林省招商引资综合改革实施方案》的要点。</p>",
        ),
        "en": (
            "Explained: Jilin's Programme for the Comprehensive Reform of Investment Promotion",
            "The main points of Ji Zheng Fa [2025] No. 7.",
            "<p>An interpretation written for this demonstration site, introducing the main points of the programme.</p>",
        ),
        "relations": [("interprets", "jilin-comprehensive-reform-of-investment-promotion")],
    },
]  # fmt: skip


def foreign_trade_topic():
    """商贸、海关、旅游 › 对外经贸合作, which migration 0002 seeds; made again if the topics were
    emptied (a test that flushes the database), so that the demo loads whatever came before."""
    parent, _created = TopicCategory.objects.get_or_create(
        code="08",
        defaults={
            "slug": "trade-customs-tourism",
            "name_zh_hans": "商贸、海关、旅游",
            "name_en": "Trade, customs and tourism",
        },
    )
    return TopicCategory.objects.get_or_create(
        code="0802",
        defaults={"slug": "foreign-trade-and-investment", "name_zh_hans": "对外经贸合作",
                  "name_en": "Foreign trade and economic cooperation", "parent": parent},
    )[0]  # fmt: skip


def load():
    """Create whichever demo issuers and documents are missing; returns how many objects."""
    created = 0
    issuers = {}
    for order, (slug, name_zh, name_en, prefix, level, org_code, website) in enumerate(ISSUERS, start=1):
        issuers[slug], was_created = Issuer.objects.get_or_create(
            slug=slug,
            defaults={
                "name_zh_hans": name_zh, "name_en": name_en, "short_name": prefix, "level": level,
                "org_code": org_code, "website": website, "order": order,
            },
        )  # fmt: skip
        created += was_created
    columns = {column.slug: column for column in Column.objects.all()}
    for data in DOCUMENTS:
        if Article.objects.filter(slug=data["slug"]).exists():
            continue
        article = Article(slug=data["slug"], column=columns[data["column"]], publish_at=data["publish_at"])
        for code, suffix in (("zh-hans", "zh_hans"), ("en", "en")):
            title, summary, body = data[code]
            setattr(article, f"title_{suffix}", title)
            setattr(article, f"summary_{suffix}", summary)
            setattr(article, f"body_{suffix}", body)
        if "source" in data:
            article.source_zh_hans, article.source_en = data["source"]
            article.source_url = data["source_url"]
        article.internal_note = "Demo policy document (news/policies/demo.py)."
        article.full_clean()
        article.save()
        if "meta" in data:
            values = dict(data["meta"])
            values["lead_issuer"] = issuers[values.pop("issuer")]
            code = values.pop("topic")
            values["topic"] = TopicCategory.objects.filter(code=code).first() or foreign_trade_topic()
            DocumentMeta.objects.create(article=article, **values)
        for kind, target in data.get("relations", []):
            DocumentRelation.objects.create(
                from_article=article, to_article=Article.objects.get(slug=target), kind=kind
            )
        # Published once its metadata and relations exist, as the workflow requires.
        article.status = Article.Status.PUBLISHED
        article.save()
        created += 1
    # The demo's older articles in the policy column get metadata too, so that they publish (and
    # import) under the same rule as any policy document.
    for article in Article.objects.filter(column__kind=Column.Kind.POLICY, document__isnull=True):
        DocumentMeta.objects.create(
            article=article,
            lead_issuer=issuers["jilin-provincial-government"],
            topic=foreign_trade_topic(),
            document_number="无",
            written_date=article.publish_at.date(),
            genre=DocumentMeta.Genre.OTHER,
        )
        created += 1
    return created
