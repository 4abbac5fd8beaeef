# ruff: noqa: E501 - one project per row of data reads best.
"""A dozen demo projects across sectors and regions, in both languages (``manage.py load_demo``).

Illustrative projects modelled on the kinds Jilin promotes (automotive parts in Changchun,
petrochemicals in Jilin City, ginseng in Tonghua, ice and snow at Changbai Mountain …); the
figures are made up for the demo. One is signed, one withdrawn, one about to expire, so every
state of a project page can be seen.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Region
from .models import CooperationMode, EnquiryDesk, Project, Sector
from .models.projects import a_year_after, site_zone

FOREIGN_DESK = "waizi@invest.example.org"
FOOD_DESK = "nongye@invest.example.org"

# external id, sectors, region, desk, total and sought (万元), modes, stage, land (亩), deal status,
# (zh name, zh summary, zh site, zh promoter), (en name, en summary, en site, en promoter)
PROJECTS = [
    ("demo-p01", ["automotive"], "changchun", FOREIGN_DESK, 350000, 200000, ["equity-jv", "wfoe"], "approved", 600, "open",
     ("长春新能源汽车电驱动系统项目", "建设年产50万套新能源汽车电驱动系统生产线，配套一汽等整车企业。", "长春汽车经济技术开发区", "长春汽开区投资集团"),
     ("Electric drive systems for new-energy vehicles, Changchun", "A plant for 500,000 electric drive systems a year, supplying FAW and other carmakers.", "Changchun Automotive Economic and Technological Development Zone", "Changchun Auto Zone Investment Group")),
    ("demo-p02", ["automotive"], "siping", FOREIGN_DESK, 45000, 30000, ["equity-jv"], "land", 150, "negotiating",
     ("四平汽车零部件产业园二期项目", "建设标准化厂房12万平方米，引进汽车轻量化零部件企业。", "四平红嘴经济技术开发区", "四平市城投公司"),
     ("Automotive parts park, phase II, Siping", "120,000 m² of standard factory space for makers of lightweight car parts.", "Siping Hongzui Economic and Technological Development Zone", "Siping Urban Investment Co.")),
    ("demo-p03", ["petrochemicals"], "jilin-city", FOREIGN_DESK, 1200000, 600000, ["equity-jv", "equity-investment"], "feasibility", 1800, "open",
     ("吉林化工园区碳纤维复合材料项目", "依托吉林化纤原丝产能，建设碳纤维及复合材料制品生产基地。", "吉林化学工业循环经济示范园区", "吉林市国有资本投资公司"),
     ("Carbon-fibre composites, Jilin Chemical Park", "A carbon-fibre and composite products base built on Jilin's precursor capacity.", "Jilin Chemical Industry Circular Economy Demonstration Park", "Jilin City State Capital Investment Co.")),
    ("demo-p04", ["new-energy"], "baicheng", FOREIGN_DESK, 800000, 500000, ["equity-investment", "ppp"], "approved", 3000, "open",
     ("白城风光制氢一体化项目", "建设风电、光伏发电及电解水制氢一体化项目，年产绿氢2万吨。", "白城市洮北区", "白城市能源投资公司"),
     ("Wind and solar hydrogen, Baicheng", "Wind and solar power with electrolysis producing 20,000 tonnes of green hydrogen a year.", "Taobei District, Baicheng", "Baicheng Energy Investment Co.")),
    ("demo-p05", ["new-energy"], "songyuan", FOREIGN_DESK, 260000, None, ["wfoe", "equity-jv"], "concept", 900, "open",
     ("松原绿色甲醇项目", "利用风电制氢与生物质耦合，建设年产30万吨绿色甲醇装置。", "松原石油化学工业循环经济园区", "松原市发展投资集团"),
     ("Green methanol, Songyuan", "300,000 tonnes of green methanol a year from wind-powered hydrogen and biomass.", "Songyuan Petrochemical Circular Economy Park", "Songyuan Development Investment Group")),
    ("demo-p06", ["agri-food"], "songyuan", FOOD_DESK, 60000, 40000, ["equity-jv", "wfoe"], "land", 300, "open",
     ("松原玉米精深加工项目", "建设年加工玉米60万吨的淀粉、糖醇及生物基材料生产线。", "松原市宁江区", "松原粮食集团"),
     ("Maize deep processing, Songyuan", "Starch, sugar alcohols and bio-based materials from 600,000 tonnes of maize a year.", "Ningjiang District, Songyuan", "Songyuan Grain Group")),
    ("demo-p07", ["agri-food"], "yanbian", FOOD_DESK, 18000, 12000, ["equity-jv", "technology"], "construction", 80, "negotiating",
     ("延边黄牛全产业链项目", "建设10万头黄牛屠宰及精深加工、冷链物流设施。", "延吉市", "延边畜牧开发集团"),
     ("Yanbian cattle value chain", "Slaughtering, processing and cold-chain logistics for 100,000 head of Yanbian cattle.", "Yanji", "Yanbian Livestock Development Group")),
    ("demo-p08", ["medicine"], "tonghua", FOREIGN_DESK, 75000, 50000, ["equity-jv", "technology"], "feasibility", 200, "open",
     ("通化人参生物制品项目", "以长白山人参为原料，建设人参皂苷提取及保健食品生产线。", "通化医药高新技术产业开发区", "通化医药产业投资公司"),
     ("Ginseng biological products, Tonghua", "Ginsenoside extraction and health-food lines using Changbai Mountain ginseng.", "Tonghua Medical High-tech Industrial Development Zone", "Tonghua Pharmaceutical Industry Investment Co.")),
    ("demo-p09", ["medicine"], "changchun", FOREIGN_DESK, 120000, 80000, ["wfoe", "merger-acquisition"], "approved", 260, "signed",
     ("长春生物疫苗产业化基地", "建设符合GMP标准的疫苗研发及产业化基地。", "长春新区", "长春新区发展集团"),
     ("Vaccine production base, Changchun", "A GMP vaccine research and production base.", "Changchun New Area", "Changchun New Area Development Group")),
    ("demo-p10", ["tourism"], "changbai-mountain", FOREIGN_DESK, 500000, 300000, ["ppp", "equity-jv"], "concept", 4500, "open",
     ("长白山冰雪旅游度假区项目", "建设滑雪场、度假酒店及冰雪运动培训中心。", "长白山池北区", "长白山旅游股份公司"),
     ("Ice and snow resort, Changbai Mountain", "Ski runs, resort hotels and a winter sports training centre.", "Chibei District, Changbai Mountain", "Changbai Mountain Tourism Co.")),
    ("demo-p11", ["tourism"], "jilin-city", FOREIGN_DESK, 90000, None, ["equity-jv", "other"], "land", 700, "withdrawn",
     ("吉林雾凇文化旅游小镇", "建设以雾凇观赏为主题的文化旅游小镇。", "吉林市龙潭区", "吉林市文旅集团"),
     ("Rime culture and tourism town, Jilin City", "A tourism town themed on the rime of the Songhua River.", "Longtan District, Jilin City", "Jilin City Culture and Tourism Group")),
    ("demo-p12", ["automotive", "new-energy"], "liaoyuan", FOREIGN_DESK, 30000, 20000, ["wfoe", "equity-jv"], "land", 120, "open",
     ("辽源动力电池铝箔项目", "建设年产2万吨电池用铝箔生产线。", "辽源经济开发区", "辽源市工业投资公司"),
     ("Battery aluminium foil, Liaoyuan", "A line for 20,000 tonnes a year of aluminium foil for batteries.", "Liaoyuan Economic Development Zone", "Liaoyuan Industrial Investment Co.")),
]  # fmt: skip

BODY_ZH = (
    "<h2>项目背景</h2><p>{summary}</p><h2>建设内容及规模</h2><p>项目选址{site}，分期建设。</p>"
    "<h2>市场前景</h2><p>产品面向东北亚及国内市场。</p><h2>前期工作</h2><p>已完成项目选址及初步论证。</p>"
)
BODY_EN = (
    "<h2>Background</h2><p>{summary}</p><h2>Scope and scale</h2><p>The project is located in {site} and is built "
    "in phases.</p><h2>Market</h2><p>Products serve North-East Asia and the Chinese market.</p>"
    "<h2>Preparation done</h2><p>The site is chosen and a first assessment is done.</p>"
)


def load():
    """Create the demo projects that are missing (matched by external id); returns how many."""
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    regions = {region.slug: region for region in Region.objects.all()}
    desks = {desk.email: desk for desk in EnquiryDesk.objects.all()}
    modes = {mode.slug: mode for mode in CooperationMode.objects.all()}
    existing = set(Project.objects.filter(external_id__startswith="demo-").values_list("external_id", flat=True))
    today = timezone.localdate(timezone.now(), site_zone())
    created = 0
    for order, row in enumerate(PROJECTS):
        external_id, sector_slugs, region, desk, total, sought, mode_slugs, stage, land, deal, zh, en = row
        if external_id in existing or region not in regions or desk not in desks:
            continue
        dated = deal in Project.DATED_STATUSES
        project = Project(
            external_id=external_id,
            region=regions[region],
            desk=desks[desk],
            total_investment=total,
            investment_sought=sought,
            stage=stage,
            land_area_mu=land,
            deal_status=deal,
            deal_status_date=today - timedelta(days=20) if dated else None,
            status=Project.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(days=3 * (len(PROJECTS) - order)),
            verified_on=today - timedelta(days=10 * order),
            # The last one is about to leave the list: the admin home and filter show it.
            valid_until=today + timedelta(days=12) if order == len(PROJECTS) - 1 else a_year_after(today),
            featured=order < 3,
        )
        for code, (title, summary, site, promoter), body in (("zh_hans", zh, BODY_ZH), ("en", en, BODY_EN)):
            setattr(project, f"title_{code}", title)
            setattr(project, f"summary_{code}", summary)
            setattr(project, f"body_{code}", body.format(summary=summary, site=site))
            setattr(project, f"site_{code}", site)
            setattr(project, f"promoter_{code}", promoter)
        if deal == Project.DealStatus.WITHDRAWN:
            project.withdrawn_reason_zh_hans = "地块已调整为城市公园用地。"
            project.withdrawn_reason_en = "The land has been rezoned as a city park."
        with transaction.atomic():
            project.save()
            project.sectors.set([sectors[slug] for slug in sector_slugs if slug in sectors])
            project.cooperation_modes.set([modes[slug] for slug in mode_slugs if slug in modes])
        created += 1
    return created
