"""The State Council policy library's topic list (主题分类, www.gov.cn/zhengce/xxgk/), two levels,
in Chinese and English. Codes are this site's (two digits per level), for imports. The subtopics were
written from memory; migration 0006 corrects them against the library."""

from django.db import migrations

# (code, slug, Chinese, English, [(subtopic code, slug, Chinese, English), …])
TOPICS = [
    ("01", "state-council-organisation", "国务院组织机构", "Organisation of the State Council", [
        ("0101", "state-council-organisation-other", "其他", "Other"),
    ]),
    ("02", "general-government-affairs", "综合政务", "General government affairs", [
        ("0201", "emergency-management", "应急管理", "Emergency management"),
        ("0202", "e-government", "电子政务", "E-government"),
        ("0203", "open-government", "政务公开", "Open government"),
        ("0204", "government-supervision", "政务督查", "Government supervision"),
        ("0205", "secretarial-work", "文秘工作", "Secretarial work"),
        ("0206", "petitions", "信访", "Letters and visits"),
        ("0299", "general-affairs-other", "其他", "Other"),
    ]),
    ("03", "economy-and-state-assets", "国民经济管理、国有资产监管", "Economic management and state assets", [
        ("0301", "macroeconomy", "宏观经济", "Macroeconomy"),
        ("0302", "economic-reform", "经济体制改革", "Economic reform"),
        ("0303", "energy-saving", "节能与资源综合利用", "Energy saving and resource use"),
        ("0304", "state-assets", "国有资产监管", "State-owned assets"),
        ("0305", "prices", "物价", "Prices"),
        ("0306", "statistics", "统计", "Statistics"),
        ("0399", "economy-other", "其他", "Other"),
    ]),
    ("04", "finance-and-audit", "财政、金融、审计", "Public finance, banking and audit", [
        ("0401", "public-finance", "财政", "Public finance"),
        ("0402", "banking", "金融", "Banking and finance"),
        ("0403", "audit", "审计", "Audit"),
        ("0404", "taxation", "税务", "Taxation"),
        ("0499", "finance-other", "其他", "Other"),
    ]),
    ("05", "land-and-energy", "国土资源、能源", "Land, resources and energy", [
        ("0501", "land", "土地", "Land"),
        ("0502", "minerals", "矿产", "Minerals"),
        ("0503", "oceans", "海洋", "Oceans"),
        ("0504", "surveying", "气象、水文、测绘、地震", "Meteorology, hydrology, surveying and seismology"),
        ("0505", "energy", "能源", "Energy"),
        ("0599", "land-other", "其他", "Other"),
    ]),
    ("06", "agriculture-forestry-water", "农业、林业、水利", "Agriculture, forestry and water", [
        ("0601", "agriculture", "农业、畜牧业、渔业", "Agriculture, livestock and fisheries"),
        ("0602", "forestry", "林业", "Forestry"),
        ("0603", "water", "水利", "Water resources"),
        ("0699", "agriculture-other", "其他", "Other"),
    ]),
    ("07", "industry-and-transport", "工业、交通", "Industry and transport", [
        ("0701", "industry", "工业", "Industry"),
        ("0702", "transport", "交通", "Transport"),
        ("0703", "telecommunications", "信息产业（含电信）", "Information industry and telecommunications"),
        ("0704", "postal-services", "邮政", "Postal services"),
        ("0799", "industry-other", "其他", "Other"),
    ]),
    ("08", "trade-customs-tourism", "商贸、海关、旅游", "Trade, customs and tourism", [
        ("0801", "domestic-trade", "国内贸易（含供销）", "Domestic trade"),
        ("0802", "foreign-trade-and-investment", "对外经贸合作", "Foreign trade and economic cooperation"),
        ("0803", "customs", "海关", "Customs"),
        ("0804", "tourism", "旅游", "Tourism"),
        ("0805", "services", "服务业", "Services"),
        ("0899", "trade-other", "其他", "Other"),
    ]),
    ("09", "market-and-safety", "市场监管、安全生产监管", "Market regulation and work safety", [
        ("0901", "market-regulation", "市场监管", "Market regulation"),
        ("0902", "work-safety", "安全生产监管", "Work safety"),
        ("0903", "food-and-drugs", "食品药品监管", "Food and drug safety"),
        ("0999", "market-other", "其他", "Other"),
    ]),
    ("10", "construction-and-environment", "城乡建设、环境保护", "Urban and rural construction, environment", [
        ("1001", "urban-planning", "城市规划", "Urban planning"),
        ("1002", "construction-and-housing", "城乡建设（含住房）", "Construction and housing"),
        ("1003", "environment", "环境监测、保护与治理", "Environmental protection"),
        ("1099", "construction-other", "其他", "Other"),
    ]),
    ("11", "science-and-education", "科技、教育", "Science, technology and education", [
        ("1101", "science-and-technology", "科技", "Science and technology"),
        ("1102", "education", "教育", "Education"),
        ("1103", "intellectual-property", "知识产权", "Intellectual property"),
        ("1199", "science-other", "其他", "Other"),
    ]),
    ("12", "culture-and-media", "文化、广电、新闻出版", "Culture, broadcasting and publishing", [
        ("1201", "culture", "文化", "Culture"),
        ("1202", "broadcasting", "广播、电影、电视", "Radio, film and television"),
        ("1203", "publishing", "新闻出版", "Press and publishing"),
        ("1204", "cultural-heritage", "文物", "Cultural heritage"),
        ("1299", "culture-other", "其他", "Other"),
    ]),
    ("13", "health-and-sport", "卫生、体育", "Health and sport", [
        ("1301", "health", "卫生", "Health"),
        ("1302", "medicines", "医药管理", "Medicines"),
        ("1303", "sport", "体育", "Sport"),
        ("1399", "health-other", "其他", "Other"),
    ]),
    ("14", "population-women-children", "人口与计划生育、妇女儿童工作", "Population, women and children", [
        ("1401", "family-planning", "计划生育与服务", "Family planning"),
        ("1402", "women-and-children", "妇女儿童", "Women and children"),
        ("1499", "population-other", "其他", "Other"),
    ]),
    ("15", "labour-personnel-supervision", "劳动、人事、监察", "Labour, personnel and supervision", [
        ("1501", "employment", "劳动就业", "Employment"),
        ("1502", "personnel", "人事工作", "Personnel"),
        ("1503", "supervision", "监察", "Supervision"),
        ("1504", "social-security", "社会保障", "Social security"),
        ("1599", "labour-other", "其他", "Other"),
    ]),
    ("16", "public-security-and-justice", "公安、安全、司法", "Public security and justice", [
        ("1601", "public-security", "公安", "Public security"),
        ("1602", "national-security", "国家安全", "National security"),
        ("1603", "justice", "司法", "Justice"),
        ("1699", "justice-other", "其他", "Other"),
    ]),
    ("17", "civil-affairs", "民政、扶贫、救灾", "Civil affairs, poverty relief and disaster relief", [
        ("1701", "social-welfare", "社会福利", "Social welfare"),
        ("1702", "disaster-relief", "减灾救灾", "Disaster relief"),
        ("1703", "associations", "社团管理", "Associations"),
        ("1704", "administrative-divisions", "行政区划与地名", "Administrative divisions and place names"),
        ("1705", "poverty-relief", "扶贫", "Poverty relief"),
        ("1799", "civil-affairs-other", "其他", "Other"),
    ]),
    ("18", "ethnic-and-religious-affairs", "民族、宗教", "Ethnic and religious affairs", [
        ("1801", "ethnic-affairs", "民族事务", "Ethnic affairs"),
        ("1802", "religious-affairs", "宗教事务", "Religious affairs"),
        ("1899", "ethnic-other", "其他", "Other"),
    ]),
    ("19", "foreign-affairs", "对外事务", "Foreign affairs", [
        ("1901", "foreign-affairs-general", "外事工作", "Foreign affairs"),
        ("1999", "foreign-affairs-other", "其他", "Other"),
    ]),
    ("20", "hong-kong-macao-taiwan", "港澳台侨工作", "Hong Kong, Macao, Taiwan and overseas Chinese", [
        ("2001", "hong-kong-and-macao", "港澳工作", "Hong Kong and Macao"),
        ("2002", "taiwan", "对台工作", "Taiwan"),
        ("2003", "overseas-chinese", "侨务工作", "Overseas Chinese"),
    ]),
    ("21", "national-defence", "国防", "National defence", [
        ("2101", "defence-mobilisation", "国防动员", "Defence mobilisation"),
        ("2199", "defence-other", "其他", "Other"),
    ]),
    ("99", "other-topics", "其他", "Other", [
        ("9999", "other", "其他", "Other"),
    ]),
]  # fmt: skip


def add_topics(apps, schema_editor):
    TopicCategory = apps.get_model("policies", "TopicCategory")
    for order, (code, slug, name_zh, name_en, children) in enumerate(TOPICS, start=1):
        parent, _created = TopicCategory.objects.get_or_create(
            code=code,
            defaults={"slug": slug, "name": name_zh, "name_zh_hans": name_zh, "name_en": name_en, "order": order},
        )
        for child_order, (child_code, child_slug, child_zh, child_en) in enumerate(children, start=1):
            TopicCategory.objects.get_or_create(
                code=child_code,
                defaults={
                    "slug": child_slug,
                    "name": child_zh,
                    "name_zh_hans": child_zh,
                    "name_en": child_en,
                    "parent": parent,
                    "order": child_order,
                },
            )


def remove_topics(apps, schema_editor):
    TopicCategory = apps.get_model("policies", "TopicCategory")
    codes = [code for code, *_rest in TOPICS]
    TopicCategory.objects.filter(parent__code__in=codes, documents__isnull=True).delete()
    TopicCategory.objects.filter(code__in=codes, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
