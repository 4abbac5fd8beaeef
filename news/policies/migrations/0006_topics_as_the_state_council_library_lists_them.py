# ruff: noqa: E501 - one topic a line reads best.
"""The topic list (主题分类) as the State Council policy library lists it, correcting migration
0002, whose second level was written from memory.

Source: the library's search service (sousuo.gov.cn, the ``zhutitag`` facet of a 2021 answer,
copied into a public repository's code) and two 2019 records of Jilin's own catalogue
(xxgk.jl.gov.cn, "劳动、人事、监察;人事工作"), which use the same list. The 22 top-level topics of
0002 were right; 29 subtopics were missing, 11 named subtopics do not exist in the library
(金融, 能源, 工业, 交通, 服务业, 市场监管, 计划生育与服务, 外事工作, …) and two sat under the wrong
topic (节能与资源综合利用 and 气象、水文、测绘、地震 belong to 城乡建设、环境保护). Not verified: that
the list is unchanged since 2021 (the 2023 reorganisation of the State Council may have renamed
some), and the English names, which are this site's. The library's top-level 其他 has no
subtopics; 9999 其他 stays because a document is filed under a second-level topic.

Topics keep their rows (and so their documents) where the name matches; a subtopic that does
not exist moves its documents to its topic's 其他 (or 9999) and is removed. Codes are this
site's (two digits per level), for imports; 0802 对外经贸合作 keeps its code.
"""

from django.db import migrations

# (code, slug, Chinese, English, [(subtopic code, slug, Chinese, English), …]), in the library's order.
TOPICS = [
    ("01", "state-council-organisation", "国务院组织机构", "Organisation of the State Council", [
        ("0101", "state-council", "国务院", "State Council"),
        ("0102", "general-office-of-the-state-council", "国务院办公厅", "General Office of the State Council"),
        ("0103", "state-council-ministries", "国务院组成部门", "Ministries and commissions"),
        ("0104", "state-council-special-organisation", "国务院直属特设机构", "Special organisation directly under the State Council"),
        ("0105", "state-council-direct-organisations", "国务院直属机构", "Organisations directly under the State Council"),
        ("0106", "state-council-administrative-offices", "国务院办事机构", "Administrative offices of the State Council"),
        ("0107", "state-council-public-institutions", "国务院直属事业单位", "Public institutions directly under the State Council"),
        ("0108", "national-administrations", "国务院部委管理的国家局", "National administrations under ministries"),
        ("0109", "state-council-coordination-bodies", "国务院议事协调机构", "Deliberation and coordination bodies"),
        ("0199", "state-council-organisation-other", "其他", "Other"),
    ]),
    ("02", "general-government-affairs", "综合政务", "General government affairs", [
        ("0203", "open-government", "政务公开", "Open government"),
        ("0204", "government-supervision", "政务督查", "Government supervision"),
        ("0201", "emergency-management", "应急管理", "Emergency management"),
        ("0202", "e-government", "电子政务", "E-government"),
        ("0205", "secretarial-work", "文秘工作", "Secretarial work"),
        ("0207", "confidentiality", "保密工作", "Confidentiality"),
        ("0206", "petitions", "信访", "Letters and visits"),
        ("0208", "counsellors-and-history", "参事、文史", "Counsellors and literary history"),
        ("0299", "general-affairs-other", "其他", "Other"),
    ]),
    ("03", "economy-and-state-assets", "国民经济管理、国有资产监管", "Economic management and state assets", [
        ("0301", "macroeconomy", "宏观经济", "Macroeconomy"),
        ("0302", "economic-reform", "经济体制改革", "Economic reform"),
        ("0306", "statistics", "统计", "Statistics"),
        ("0305", "prices", "物价", "Prices"),
        ("0304", "state-assets", "国有资产监管", "State-owned assets"),
        ("0307", "major-construction-projects", "重大建设项目", "Major construction projects"),
        ("0399", "economy-other", "其他", "Other"),
    ]),
    ("04", "finance-and-audit", "财政、金融、审计", "Public finance, banking and audit", [
        ("0401", "public-finance", "财政", "Public finance"),
        ("0404", "taxation", "税务", "Taxation"),
        ("0405", "banks", "银行", "Banks"),
        ("0406", "currency-and-foreign-exchange", "货币（含外汇）", "Currency (including foreign exchange)"),
        ("0407", "securities", "证券", "Securities"),
        ("0408", "insurance", "保险", "Insurance"),
        ("0409", "social-credit-system", "社会信用体系建设", "Social credit system"),
        ("0403", "audit", "审计", "Audit"),
        ("0499", "finance-other", "其他", "Other"),
    ]),
    ("05", "land-and-energy", "国土资源、能源", "Land, resources and energy", [
        ("0501", "land", "土地", "Land"),
        ("0502", "minerals", "矿产", "Minerals"),
        ("0506", "water-resources", "水资源", "Water resources"),
        ("0503", "oceans", "海洋", "Oceans"),
        ("0507", "coal", "煤炭", "Coal"),
        ("0508", "oil-and-gas", "石油与天然气", "Oil and natural gas"),
        ("0509", "electricity", "电力", "Electric power"),
        ("0599", "land-other", "其他", "Other"),
    ]),
    ("06", "agriculture-forestry-water", "农业、林业、水利", "Agriculture, forestry and water", [
        ("0601", "agriculture", "农业、畜牧业、渔业", "Agriculture, livestock and fisheries"),
        ("0602", "forestry", "林业", "Forestry"),
        ("0603", "water", "水利", "Water conservancy"),
        ("0699", "agriculture-other", "其他", "Other"),
    ]),
    ("07", "industry-and-transport", "工业、交通", "Industry and transport", [
        ("0705", "machinery-and-heavy-industry", "机械制造与重工业", "Machinery and heavy industry"),
        ("0706", "light-industry-and-textiles", "轻工纺织", "Light industry and textiles"),
        ("0707", "chemical-industry", "化工", "Chemical industry"),
        ("0708", "defence-industry", "国防工业", "Defence industry"),
        ("0709", "aerospace-and-aviation", "航天、航空", "Aerospace and aviation"),
        ("0703", "telecommunications", "信息产业（含电信）", "Information industry (including telecommunications)"),
        ("0710", "roads", "公路", "Roads"),
        ("0711", "waterways", "水运", "Water transport"),
        ("0712", "railways", "铁路", "Railways"),
        ("0713", "civil-aviation", "民航", "Civil aviation"),
        ("0704", "postal-services", "邮政", "Postal services"),
        ("0799", "industry-other", "其他", "Other"),
    ]),
    ("08", "trade-customs-tourism", "商贸、海关、旅游", "Trade, customs and tourism", [
        ("0802", "foreign-trade-and-investment", "对外经贸合作", "Foreign trade and economic cooperation"),
        ("0801", "domestic-trade", "国内贸易（含供销）", "Domestic trade (including supply and marketing)"),
        ("0803", "customs", "海关", "Customs"),
        ("0806", "inspection-and-quarantine", "检验、检疫", "Inspection and quarantine"),
        ("0804", "tourism", "旅游", "Tourism"),
        ("0899", "trade-other", "其他", "Other"),
    ]),
    ("09", "market-and-safety", "市场监管、安全生产监管", "Market regulation and work safety", [
        ("0904", "industry-and-commerce", "工商", "Industry and commerce"),
        ("0905", "quality-supervision", "质量监督", "Quality supervision"),
        ("0906", "standards", "标准", "Standards"),
        ("0903", "food-and-drugs", "食品药品监管", "Food and drug safety"),
        ("0902", "work-safety", "安全生产监管", "Work safety"),
        ("0999", "market-other", "其他", "Other"),
    ]),
    ("10", "construction-and-environment", "城乡建设、环境保护", "Urban and rural construction, environment", [
        ("1001", "urban-planning", "城市规划", "Urban planning"),
        ("1002", "construction-and-housing", "城乡建设（含住房）", "Construction (including housing)"),
        ("1003", "environment", "环境监测、保护与治理", "Environmental monitoring, protection and remediation"),
        ("1004", "energy-saving-and-resource-use", "节能与资源综合利用", "Energy saving and resource use"),
        ("1005", "meteorology-hydrology-surveying-seismology", "气象、水文、测绘、地震", "Meteorology, hydrology, surveying and seismology"),
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
        ("1204", "cultural-heritage", "文物", "Cultural heritage"),
        ("1203", "publishing", "新闻出版", "Press and publishing"),
        ("1202", "broadcasting", "广播、电影、电视", "Radio, film and television"),
        ("1299", "culture-other", "其他", "Other"),
    ]),
    ("13", "health-and-sport", "卫生、体育", "Health and sport", [
        ("1301", "health", "卫生", "Health"),
        ("1302", "medicines", "医药管理", "Medicines"),
        ("1303", "sport", "体育", "Sport"),
        ("1399", "health-other", "其他", "Other"),
    ]),
    ("14", "population-women-children", "人口与计划生育、妇女儿童工作", "Population, women and children", [
        ("1403", "population-and-family-planning", "人口与计划生育", "Population and family planning"),
        ("1402", "women-and-children", "妇女儿童", "Women and children"),
        ("1499", "population-other", "其他", "Other"),
    ]),
    ("15", "labour-personnel-supervision", "劳动、人事、监察", "Labour, personnel and supervision", [
        ("1501", "employment", "劳动就业", "Employment"),
        ("1504", "social-security", "社会保障", "Social security"),
        ("1502", "personnel", "人事工作", "Personnel"),
        ("1505", "resettlement-of-demobilised-officers", "军转安置", "Resettlement of demobilised officers"),
        ("1503", "supervision", "监察", "Supervision"),
        ("1506", "unhealthy-practices-in-trades", "纠正行业不正之风", "Correcting unhealthy practices in trades"),
        ("1599", "labour-other", "其他", "Other"),
    ]),
    ("16", "public-security-and-justice", "公安、安全、司法", "Public security and justice", [
        ("1601", "public-security", "公安", "Public security"),
        ("1602", "national-security", "国家安全", "National security"),
        ("1603", "justice", "司法", "Justice"),
        ("1699", "justice-other", "其他", "Other"),
    ]),
    ("17", "civil-affairs", "民政、扶贫、救灾", "Civil affairs, poverty relief and disaster relief", [
        ("1702", "disaster-relief", "减灾救灾", "Disaster reduction and relief"),
        ("1706", "care-for-veterans-and-families", "优抚安置", "Care and resettlement of veterans and their families"),
        ("1701", "social-welfare", "社会福利", "Social welfare"),
        ("1704", "administrative-divisions", "行政区划与地名", "Administrative divisions and place names"),
        ("1703", "associations", "社团管理", "Associations"),
        ("1705", "poverty-relief", "扶贫", "Poverty relief"),
        ("1799", "civil-affairs-other", "其他", "Other"),
    ]),
    ("18", "ethnic-and-religious-affairs", "民族、宗教", "Ethnic and religious affairs", [
        ("1801", "ethnic-affairs", "民族事务", "Ethnic affairs"),
        ("1802", "religious-affairs", "宗教事务", "Religious affairs"),
    ]),
    ("19", "foreign-affairs", "对外事务", "Foreign affairs", [
        ("1902", "diplomacy-and-foreign-affairs", "外交、外事", "Diplomacy and foreign affairs"),
        ("1903", "treaties-and-international-organisations", "国际条约、国际组织", "International treaties and organisations"),
        ("1999", "foreign-affairs-other", "其他", "Other"),
    ]),
    ("20", "hong-kong-macao-taiwan", "港澳台侨工作", "Hong Kong, Macao, Taiwan and overseas Chinese", [
        ("2001", "hong-kong-and-macao", "港澳工作", "Hong Kong and Macao"),
        ("2002", "taiwan", "对台工作", "Taiwan"),
        ("2003", "overseas-chinese", "侨务工作", "Overseas Chinese"),
    ]),
    ("21", "national-defence", "国防", "National defence", [
        ("2102", "defence-construction", "国防建设", "Defence construction"),
        ("2101", "defence-mobilisation", "国防动员", "Defence mobilisation"),
    ]),
    ("99", "other-topics", "其他", "Other", [
        ("9999", "other", "其他", "Other"),
    ]),
]  # fmt: skip


def correct_topics(apps, schema_editor):
    TopicCategory = apps.get_model("policies", "TopicCategory")
    DocumentMeta = apps.get_model("policies", "DocumentMeta")
    existing = list(TopicCategory.objects.select_related("parent").order_by("pk"))
    # Free every code and slug first: the corrected list reuses some for other topics.
    for topic in existing:
        TopicCategory.objects.filter(pk=topic.pk).update(code=f"x{topic.pk}", slug=f"old-topic-{topic.pk}")
    kept = set()

    def reuse(name, parent_name):
        """The existing row of this topic: same name under the same topic, or (for a subtopic
        0002 put under the wrong topic) the same name anywhere but 其他."""
        candidates = [topic for topic in existing if topic.pk not in kept and topic.name_zh_hans == name]
        for topic in candidates:
            if (topic.parent.name_zh_hans if topic.parent_id else None) == parent_name:
                return topic
        if parent_name is not None and name != "其他":
            return next((topic for topic in candidates if topic.parent_id), None)
        return None

    def put(row, **values):
        if row is None:
            return TopicCategory.objects.create(**values)
        kept.add(row.pk)
        TopicCategory.objects.filter(pk=row.pk).update(**values)
        return TopicCategory.objects.get(pk=row.pk)

    for order, (code, slug, name_zh, name_en, children) in enumerate(TOPICS, start=1):
        names = {"name": name_zh, "name_zh_hans": name_zh, "name_en": name_en}
        parent = put(reuse(name_zh, None), code=code, slug=slug, parent=None, order=order, **names)
        for child_order, (child_code, child_slug, child_zh, child_en) in enumerate(children, start=1):
            names = {"name": child_zh, "name_zh_hans": child_zh, "name_en": child_en}
            put(reuse(child_zh, name_zh), code=child_code, slug=child_slug, parent=parent, order=child_order, **names)
    # Subtopics the library does not have: their documents go to their topic's 其他, then they go.
    leftovers = [topic for topic in existing if topic.pk not in kept]
    for topic in sorted(leftovers, key=lambda topic: topic.parent_id is None):
        if topic.parent_id:
            parent_code = TopicCategory.objects.get(pk=topic.parent_id).code
            other = TopicCategory.objects.filter(code=f"{parent_code}99").first() or TopicCategory.objects.get(
                code="9999"
            )
            DocumentMeta.objects.filter(topic_id=topic.pk).update(topic=other)
        TopicCategory.objects.filter(pk=topic.pk).delete()


class Migration(migrations.Migration):
    dependencies = [("policies", "0005_correction_and_review_note")]

    operations = [migrations.RunPython(correct_topics, migrations.RunPython.noop)]
