# ruff: noqa: E501 - one zone per row of data reads best.
"""Demo development zones (``manage.py load_demo``): real Jilin zones with their founding facts and
the official source of each. Only the level, approving body, year, and where known the day, the
approval's document number and the planned area are stated. Checked against published copies of
the approvals (2026-11): Changchun New Area (国函〔2016〕31号, about 499 km²), the Hunchun
demonstration zone (13 April 2012, about 90 km²) and the China–ROK zone (国函〔2020〕45号, 21 April
2020, 36 km² first, 210 km² in all); the years of the three older national zones are as the
ministries' lists give them, not checked here. Staff should check every fact against the cited
source before publishing on a real site. The figures are placeholders marked as such in their source
("演示数据"), so the page shows how dated figures read without inventing statistics.
"""

from datetime import date
from decimal import Decimal
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from ..models import Region
from .models import DevelopmentZone, EnquiryDesk, Indicator, Project, Sector, ZoneFigure

FOREIGN_DESK = "waizi@invest.example.org"

# slug, level, region, parent slug, year, exact day or None, approval document, planned km², sectors,
# (zh name, zh short name, zh overview), (en name, en short name, en overview), sources
ZONES = [
    (
        "changchun-new-area",
        "new_area",
        "changchun",
        None,
        2016,
        date(2016, 2, 3),
        "国函〔2016〕31号",
        Decimal("499"),
        [],
        ("长春新区", "长春新区", "长春新区是经国务院批复设立的国家级新区，位于吉林省长春市，规划面积499平方公里。"),
        (
            "Changchun New Area",
            "Changchun New Area",
            "Changchun New Area is a national new area in Changchun, Jilin Province, approved by the State Council, with a planned area of 499 km².",
        ),
        "国务院关于同意设立长春新区的批复（国函〔2016〕31号），中国政府网 www.gov.cn",
    ),
    (
        "changchun-high-tech-zone",
        "high_tech",
        "changchun",
        "changchun-new-area",
        1991,
        None,
        "",
        None,
        ["medicine"],
        (
            "长春国家高新技术产业开发区",
            "长春高新区",
            "长春高新区是1991年经国务院批准的首批国家级高新技术产业开发区之一，现为长春新区的组成部分。",
        ),
        (
            "Changchun National High-tech Industrial Development Zone",
            "Changchun Hi-tech Zone",
            "One of the first national high-tech zones approved by the State Council in 1991; today part of Changchun New Area.",
        ),
        "国务院关于批准国家高新技术产业开发区和有关政策规定的通知（1991年）；科学技术部国家高新区名单",
    ),
    (
        "changchun-etdz",
        "etdz",
        "changchun",
        None,
        1993,
        None,
        "",
        None,
        [],
        ("长春经济技术开发区", "长春经开区", "长春经济技术开发区于1993年经国务院批准为国家级经济技术开发区。"),
        (
            "Changchun Economic and Technological Development Zone",
            "Changchun ETDZ",
            "Approved by the State Council as a national economic and technological development zone in 1993.",
        ),
        "商务部国家级经济技术开发区名录（ezone.mofcom.gov.cn）",
    ),
    (
        "jilin-high-tech-zone",
        "high_tech",
        "jilin-city",
        None,
        1992,
        None,
        "",
        None,
        [],
        (
            "吉林高新技术产业开发区",
            "吉林高新区",
            "吉林高新区于1992年经国务院批准为国家级高新技术产业开发区，位于吉林市。",
        ),
        (
            "Jilin High-tech Industrial Development Zone",
            "Jilin Hi-tech Zone",
            "Approved by the State Council as a national high-tech zone in 1992, in Jilin City.",
        ),
        "科学技术部国家高新区名单；吉林市人民政府网站",
    ),
    (
        "hunchun-cooperation-zone",
        "cooperation",
        "yanbian",
        None,
        2012,
        date(2012, 4, 13),
        "",
        Decimal("90"),
        [],
        (
            "中国图们江区域（珲春）国际合作示范区",
            "珲春国际合作示范区",
            "珲春国际合作示范区于2012年4月13日经国务院同意设立，面积约90平方公里，位于中国、俄罗斯、朝鲜三国交界的图们江区域。",
        ),
        (
            "China Tumen River Area (Hunchun) International Cooperation Demonstration Zone",
            "Hunchun Demonstration Zone",
            "Set up with the State Council's approval on 13 April 2012, about 90 km², in the Tumen River area where China, Russia and the DPRK meet.",
        ),
        "国务院办公厅关于支持中国图们江区域（珲春）国际合作示范区建设的若干意见（2012年4月13日经国务院同意）；国家发展改革委新闻发布会，2012年5月21日",
    ),
    (
        "hunchun-border-zone",
        "border",
        "yanbian",
        "hunchun-cooperation-zone",
        1992,
        None,
        "",
        None,
        [],
        ("珲春边境经济合作区", "珲春边合区", "珲春边境经济合作区于1992年经国务院批准设立，是国家级边境经济合作区。"),
        (
            "Hunchun Border Economic Cooperation Zone",
            "Hunchun Border Zone",
            "A national border economic cooperation zone approved by the State Council in 1992.",
        ),
        "商务部国家级边境经济合作区名录（ezone.mofcom.gov.cn）",
    ),
    (
        "china-rok-changchun",
        "cooperation",
        "changchun",
        None,
        2020,
        date(2020, 4, 21),
        "国函〔2020〕45号",
        Decimal("210"),
        [],
        (
            "中韩（长春）国际合作示范区",
            "中韩示范区",
            "中韩（长春）国际合作示范区总体方案于2020年4月21日经国务院批复，示范区位于长春市区东北部，近期开发面积约36平方公里，远期总面积约210平方公里。",
        ),
        (
            "China–ROK (Changchun) International Cooperation Demonstration Zone",
            "China–ROK Zone",
            "Its overall plan was approved by the State Council on 21 April 2020; in north-east Changchun, about 36 km² in the first phase and about 210 km² in all.",
        ),
        "国务院关于中韩（长春）国际合作示范区总体方案的批复（国函〔2020〕45号）；国家发展改革委关于印发《中韩（长春）国际合作示范区总体方案》的通知，2020年5月12日",
    ),
]

# Placeholder figures, to show a dated figure and a stale one: (zone, indicator, value, years ago).
DEMO_FIGURES = [
    ("changchun-new-area", "enterprises", Decimal("1000"), 1),
    ("changchun-new-area", "fortune-500", Decimal("10"), 4),
]
DEMO_SOURCE = ("演示数据，非官方统计", "Demo value, not an official statistic")
# Demo projects whose site lies in a zone above.
PROJECT_ZONES = {"demo-p09": "changchun-new-area"}


def standard_indicators():
    """The standard indicators of migration 0006, made again where they are missing (a test database
    emptied between tests); {slug: Indicator}."""
    rows = import_module("news.investment.migrations.0006_zone_groups_and_indicators").INDICATORS
    for order, (slug, zh, en, unit_zh, unit_en) in enumerate(rows):
        Indicator.objects.get_or_create(
            slug=slug,
            defaults={"name_zh_hans": zh, "name_en": en, "unit_zh_hans": unit_zh, "unit_en": unit_en, "order": order},
        )
    return {indicator.slug: indicator for indicator in Indicator.objects.all()}


def load():
    """Create the demo zones that are missing (matched by slug); returns how many objects were created."""
    regions = {region.slug: region for region in Region.objects.all()}
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    indicators = {indicator.slug: indicator for indicator in Indicator.objects.all()} or standard_indicators()
    desk = EnquiryDesk.objects.filter(email=FOREIGN_DESK).first()
    zones = {zone.slug: zone for zone in DevelopmentZone.objects.all()}
    created = 0
    for order, row in enumerate(ZONES):
        slug, level, region, parent, year, day, document, area, sector_slugs, zh, en, sources = row
        if slug in zones or region not in regions:
            continue
        zone = DevelopmentZone(
            slug=slug,
            level=level,
            region=regions[region],
            parent=zones.get(parent),
            approved_year=year,
            approved_on=day,
            approval_document=document,
            planned_area_km2=area,
            approved_by_zh_hans="国务院",
            approved_by_en="State Council",
            desk=desk,
            sources=sources,
            order=order,
            external_id=f"demo-{slug}",
            status=DevelopmentZone.Status.PUBLISHED,
            publish_at=timezone.now(),
        )
        for code, (name, short_name, overview) in (("zh_hans", zh), ("en", en)):
            setattr(zone, f"name_{code}", name)
            setattr(zone, f"short_name_{code}", short_name)
            setattr(zone, f"overview_{code}", f"<p>{overview}</p>")
        with transaction.atomic():
            zone.save()
            zone.leading_sectors.set([sectors[s] for s in sector_slugs if s in sectors])
        zones[slug] = zone
        created += 1
    this_year = timezone.localdate().year
    for slug, indicator, value, years_ago in DEMO_FIGURES:
        if slug in zones and indicator in indicators:
            created += ZoneFigure.objects.get_or_create(
                zone=zones[slug],
                indicator=indicators[indicator],
                year=this_year - years_ago,
                quarter=None,
                defaults={"value": value, "source_zh_hans": DEMO_SOURCE[0], "source_en": DEMO_SOURCE[1]},
            )[1]
    for external_id, slug in PROJECT_ZONES.items():
        if slug in zones:
            Project.objects.filter(external_id=external_id, zone=None).update(zone=zones[slug])
    return created
