"""Demo desks, sectors, the 2025 and 2026 holiday calendar, a dozen projects (``demo_projects``), real Jilin
zones (``demo_zones``) and a few
enquiries in each state (``manage.py load_demo``)."""

from datetime import date, timedelta

from django.utils import timezone

from ..models import Region
from . import demo_projects, demo_zones, handling
from .models import Enquiry, EnquiryDesk, Sector, WorkingDay

SECTORS = [
    # slug, zh, en, GB/T 4754 code
    ("automotive", "汽车及零部件", "Automobiles and parts", "36"),
    ("agri-food", "农产品加工与食品", "Agricultural products and food", "13"),
    ("petrochemicals", "石化与新材料", "Petrochemicals and new materials", "26"),
    ("medicine", "医药健康", "Medicine and health", "27"),
    ("new-energy", "新能源", "New energy", "44"),
    ("tourism", "冰雪与文化旅游", "Ice, snow and cultural tourism", "61"),
]

DESKS = [
    {
        "name_zh_hans": "外资处",
        "name_en": "Foreign Investment Division",
        "email": "waizi@invest.example.org",
        "phone": "0431-88900000",
        "office_hours_zh_hans": "工作日 8:30–11:30，13:00–17:00",
        "office_hours_en": "Working days 8:30–11:30 and 13:00–17:00 (Beijing time)",
        "languages": ["zh-hans", "en"],
        "is_default": True,
        "sectors": ["automotive", "petrochemicals", "new-energy"],
        "regions": [],
    },
    {
        "name_zh_hans": "现代农业与食品招商组",
        "name_en": "Agriculture and Food Investment Desk",
        "email": "nongye@invest.example.org",
        "phone": "0431-88900001",
        "office_hours_zh_hans": "工作日 8:30–17:00",
        "office_hours_en": "Working days 8:30–17:00 (Beijing time)",
        "languages": ["zh-hans", "en"],
        "is_default": False,
        "sectors": ["agri-food"],
        "regions": ["songyuan", "baicheng"],
    },
]

# The State Council's holiday arrangements (国务院办公厅关于2025年/2026年部分节假日安排的通知):
# (first day off, last day off, name), and the make-up working days (调休上班) on weekends.
# Checked day by day against the chinesecalendar package (tests/news/investment/test_calendar.py).
# The site administrator enters each new year's from the notice, published each November.
HOLIDAY_RANGES = [
    (date(2025, 1, 1), date(2025, 1, 1), "元旦 New Year's Day"),
    (date(2025, 1, 28), date(2025, 2, 4), "春节 Spring Festival"),
    (date(2025, 4, 4), date(2025, 4, 6), "清明节 Qingming Festival"),
    (date(2025, 5, 1), date(2025, 5, 5), "劳动节 Labour Day"),
    (date(2025, 5, 31), date(2025, 6, 2), "端午节 Dragon Boat Festival"),
    (date(2025, 10, 1), date(2025, 10, 8), "国庆节、中秋节 National Day and Mid-Autumn Festival"),
    (date(2026, 1, 1), date(2026, 1, 3), "元旦 New Year's Day"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节 Spring Festival"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节 Qingming Festival"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节 Labour Day"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节 Dragon Boat Festival"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节 Mid-Autumn Festival"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节 National Day"),
]
MAKE_UP_DAYS = [
    (date(2025, 1, 26), "春节"),
    (date(2025, 2, 8), "春节"),
    (date(2025, 4, 27), "劳动节"),
    (date(2025, 9, 28), "国庆节"),
    (date(2025, 10, 11), "国庆节"),
    (date(2026, 1, 4), "元旦"),
    (date(2026, 2, 14), "春节"),
    (date(2026, 2, 28), "春节"),
    (date(2026, 5, 9), "劳动节"),
    (date(2026, 9, 20), "国庆节"),
    (date(2026, 10, 10), "国庆节"),
]


def holiday_calendar():
    """The calendar rows above as ``[(date, is_working_day, note)]``, in date order."""
    rows = [
        (first + timedelta(days=n), False, name)
        for first, last, name in HOLIDAY_RANGES
        for n in range((last - first).days + 1)
    ]
    rows += [(day, True, f"{name}调休上班 make-up working day") for day, name in MAKE_UP_DAYS]
    return sorted(rows)


# (days ago, language, kind, sector, name, organisation, country, message, steps)
ENQUIRIES = [
    (
        1,
        "en",
        "question",
        "automotive",
        "Demo Sender A",
        "Example Motors GmbH",
        "DE",
        "We supply brake systems and are looking for a site near the FAW plants in Changchun.",
        [],
    ),
    (
        4,
        "zh-hans",
        "visit",
        "agri-food",
        "演示用户乙",
        "示例食品有限公司",
        "CN",
        "我们计划下月到松原考察玉米深加工项目，希望安排对接。",
        ["acknowledge"],
    ),
    (
        9,
        "en",
        "question",
        "new-energy",
        "Demo Sender C",
        "Example Wind Partners",
        "DK",
        "What land and grid-connection terms apply to onshore wind projects in Baicheng?",
        ["acknowledge", "hollow"],
    ),
    (
        20,
        "en",
        "interest",
        "medicine",
        "Demo Sender D",
        "Example Pharma KK",
        "JP",
        "We are interested in a joint venture for traditional Chinese medicine extracts in Tonghua.",
        ["acknowledge", "answer"],
    ),
    (
        45,
        "zh-hans",
        "question",
        "tourism",
        "演示用户戊",
        "示例文旅集团",
        "HK",
        "长白山冰雪旅游项目的用地和合作方式有哪些？",
        ["acknowledge", "answer", "close"],
    ),
    (
        2,
        "en",
        "question",
        "",
        "Demo Sender F",
        "Example Trading",
        "US",
        "Cheap followers https://a.example https://b.example https://c.example https://d.example",
        ["spam"],
    ),
]


def load():
    """Create what is missing; the enquiries only when there are none. Returns the number of objects created."""
    created = 0
    for order, (slug, zh, en, code) in enumerate(SECTORS, start=1):
        created += Sector.objects.get_or_create(
            slug=slug, defaults={"name_zh_hans": zh, "name_en": en, "gb_code": code, "order": order}
        )[1]
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    regions = {region.slug: region for region in Region.objects.all()}
    for order, data in enumerate(DESKS, start=1):
        data = dict(data)
        desk_sectors, desk_regions = data.pop("sectors"), data.pop("regions")
        desk, was_created = EnquiryDesk.objects.get_or_create(email=data["email"], defaults={**data, "order": order})
        if was_created:
            desk.sectors.set([sectors[slug] for slug in desk_sectors])
            desk.regions.set([regions[slug] for slug in desk_regions if slug in regions])
            created += 1
    for day, working, note in holiday_calendar():
        created += WorkingDay.objects.get_or_create(date=day, defaults={"is_working_day": working, "note": note})[1]
    created += demo_projects.load()
    created += demo_zones.load()
    if not Enquiry.objects.exists():
        created += _enquiries(sectors)
    return created


def _enquiries(sectors):
    now = timezone.now()
    for days_ago, language, kind, sector, name, organisation, country, message, steps in ENQUIRIES:
        enquiry = Enquiry(
            submitted_at=now - timedelta(days=days_ago),
            language=language,
            kind=kind,
            name=name,
            organisation=organisation,
            country=country,
            email=f"{name.split()[-1].lower() if language == 'en' else 'demo'}-{days_ago}@example.com",
            message=message,
            consent_processing=True,
        )
        spam = "spam" in steps
        handling.receive(
            enquiry, [sectors[sector]] if sector else [], held_as_spam=spam, spam_reason="links" if spam else ""
        )
        for step in steps:
            if step == "acknowledge":
                handling.acknowledge(enquiry, None)
            elif step == "hollow":
                handling.reply(
                    enquiry,
                    None,
                    "We have forwarded your question to the grid company.",
                    substantive=False,
                    notify=False,
                )
            elif step == "answer":
                handling.reply(enquiry, None, _ANSWERS[language], substantive=True, notify=False)
                handling.rate(enquiry, 5 if language == "en" else 4)
            elif step == "close":
                handling.close(enquiry, None)
    return len(ENQUIRIES)


_ANSWERS = {
    "en": "Thank you. The Tonghua Medicine High-tech Zone has serviced land available; its investment office "
    "will send you the land terms and a list of local extract producers this week.",
    "zh-hans": "感谢来信。长白山保护开发区现有冰雪旅游项目三个，合作方式为合资或特许经营，项目资料已发至您的邮箱。",
}
