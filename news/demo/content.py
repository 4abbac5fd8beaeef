# ruff: noqa: E501 - the demo articles are prose; one paragraph per line reads best.
"""The demo's content as data: columns, regions, tags, the seed article and a dozen more, pages,
footer settings. Everything except the seed article's English text was written for the demo."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ..models import Article

SHANGHAI = ZoneInfo("Asia/Shanghai")


COLUMNS = [
    ("investment-dynamics", "投资动态", "Investment Dynamics", "全省招商引资工作动态。", "News of investment promotion across the province."),
    ("photo-news", "图片新闻", "Photo News", "图说吉林投资热点。", "Investment stories in pictures."),
    ("policies", "政策法规", "Policies", "投资相关政策法规及解读。", "Investment policies, regulations and their explanations."),
    ("investment-environment", "投资环境", "Investment Environment", "区位、资源、产业与营商环境。", "Location, resources, industries and the business environment."),
    ("projects", "项目对接", "Projects", "重点招商项目与合作需求。", "Key projects seeking investors and partners."),
    ("notices", "通知公告", "Notices", "活动通知与公告。", "Notices of events and announcements."),
    ("policy-interpretations", "政策解读", "Policy Interpretations", "政策文件的解读。", "Explanations of policy documents."),
]  # fmt: skip

# Columns whose articles are not news (Column.kind); the same as migration news 0015 sets.
COLUMN_KINDS = {"policies": "policy", "notices": "notice", "policy-interpretations": "interpretation"}


REGIONS = [
    ("changchun", "长春市", "Changchun"),
    ("jilin-city", "吉林市", "Jilin City"),
    ("siping", "四平市", "Siping"),
    ("liaoyuan", "辽源市", "Liaoyuan"),
    ("tonghua", "通化市", "Tonghua"),
    ("baishan", "白山市", "Baishan"),
    ("songyuan", "松原市", "Songyuan"),
    ("baicheng", "白城市", "Baicheng"),
    ("yanbian", "延边朝鲜族自治州", "Yanbian Korean Autonomous Prefecture"),
    ("changbai-mountain", "长白山管委会", "Changbai Mountain Administrative Committee"),
    ("meihekou", "梅河口市", "Meihekou"),
]


TAGS = [
    ("new-energy-vehicles", "新能源汽车", "New-energy vehicles"),
    ("winter-tourism", "冰雪旅游", "Winter tourism"),
    ("modern-agriculture", "现代农业", "Modern agriculture"),
    ("business-environment", "营商环境", "Business environment"),
    ("new-materials", "新材料", "New materials"),
    ("clean-energy", "清洁能源", "Clean energy"),
    ("regional-cooperation", "区域合作", "Regional cooperation"),
    ("foreign-investment", "外商投资", "Foreign investment"),
]


SEED_NOTE = (
    "Seed article. The English text is the original as published on 2018-04-10. "
    "The Chinese version is a translation made for this demo, not an official text."
)


SEED_EN = [
    "On the morning of March 30th, the meeting that Beijing state-owned enterprises go to Jilin for project negotiation and matchmaking was held at Nanhu Hotel in Changchun. More than 50 enterprises from Beijing conducted face-to-face contact with the province’s cities and prefectures, development zones, bureaus, and enterprises. They talked about projects, learned from experiences and seized new opportunities arising from cooperation between Beijing and Jilin. A group of “tipping points” that haul new kinetic energy on economy in the future will be triggered at any moment.",
    "Currently, Jilin is fully implementing the spirit of the important speech made by General Secretary Xi Jinping at the NPC and the CPPCC and vigorously cultivating new industries, new kinetic energy, and new growth poles in accordance with the requirements for high-quality development. Beijing City’s state-owned enterprises, with strong strength, leading technologies and advanced management, are examples of high-quality development. The province has always attached great importance to carrying out cooperation and exchanges with Beijing City. In particular, the two parties signed a \"1+8\" strategic cooperation agreement this year, which has identified nine key areas of cooperation and broadened the prospects for cooperation between the two sides.",
    "“It is necessary and important for the provincial Party committee and government to build this platform. This matchmaking brings enterprises from different levels and in different fields in Beijing to Jilin and build a three-dimensional cooperation platform for us. Baishan has extensive contacts with companies in Beijing in tourism, energy, transportation, new materials and other areas and reached preliminary intentions.” Baishan City Deputy Mayor Liu Fengchun happily said, next, Baishan will continue to trace scheduling and promote projects to fall to the ground, come into production and achieve efficiency as soon as possible.",
    "Wang Yongzhi, head of the mergers and acquisitions division of the strategic planning department of Beijing Energy Group Co., Ltd., is confident in investing in the province. He said “this time, we have initially docked with Jilin Provincial Investment Group and also docked with Fusong County’s heating project. Let us have a better understanding of Jilin. As a power generation company, we are very willing to contribute to the electric power industry in Jilin Province. We will continue to strengthen exchanges and cooperation with related companies in Jilin Province to achieve a win-win situation.\"",
    "This meeting allowed companies to conduct group talks and docking around agricultural products, electronics, light industry and other manufacturing topics as well as finance, investment, infrastructure, tourism, culture, software and other modern service industry topics.",
]  # fmt: skip


SEED_ZH = [
    "3月30日上午，北京市属国有企业赴吉林项目洽谈对接会在长春南湖宾馆举行。50余家北京企业与我省各市（州）、开发区、厅局及企业面对面接触，谈项目、学经验，抓住京吉合作带来的新机遇。一批未来为经济发展注入新动能的“引爆点”随时可能被激发。",
    "当前，吉林正全面贯彻落实习近平总书记在全国两会上的重要讲话精神，按照高质量发展的要求，大力培育新产业、新动能、新增长极。北京市属国有企业实力雄厚、技术领先、管理先进，是高质量发展的典范。我省一贯高度重视与北京市开展合作交流，特别是今年双方签署了“1+8”战略合作协议，明确了九个重点合作领域，拓宽了双方的合作前景。",
    "“省委、省政府搭建这个平台十分必要、十分重要。这次对接活动把北京不同层级、不同领域的企业带到吉林，为我们搭建了立体式的合作平台。白山与北京企业在旅游、能源、交通、新材料等领域广泛接触，达成了初步意向。”白山市副市长刘凤春高兴地说，下一步，白山将继续跟踪调度，推动项目尽快落地、投产、见效。",
    "北京能源集团有限责任公司战略规划部并购处处长王永志对投资我省充满信心。他说：“这次我们与吉林省投资集团进行了初步对接，还对接了抚松县供热项目，让我们对吉林有了更深的了解。作为发电企业，我们非常愿意为吉林省电力事业作出贡献。我们将继续加强与吉林省相关企业的交流合作，实现共赢。”",
    "本次活动围绕农产品、电子、轻工等制造业专题，以及金融、投资、基础设施、旅游、文化、软件等现代服务业专题，组织企业开展了分组洽谈对接。",
]  # fmt: skip


def html(paragraphs):
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _at(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# Each article: slug (its natural key), column, publish time, status, featured,
# cover palette (or None), then per language (title, summary, paragraphs) or None.
ARTICLES = [
    {
        "slug": "beijing-soes-to-jilin-for-project-negotiation-and-matchmaking-was-held",
        "region": "changchun",
        "tags": ["regional-cooperation", "clean-energy"],
        "column": "investment-dynamics",
        "publish_at": _at(2018, 4, 10, 9, 40),
        "event_date": datetime(2018, 3, 30).date(),
        "featured": True,
        "cover": ((11, 74, 139), (196, 214, 232)),
        "internal_note": SEED_NOTE,
        "zh-hans": (
            "北京市属国有企业赴吉林项目洽谈对接会举行",
            "50余家北京市属国有企业在长春与我省各地、开发区和企业面对面洽谈项目。",
            SEED_ZH,
        ),
        "en": (
            "Beijing SoEs to Jilin for Project Negotiation and Matchmaking Was Held",
            "More than 50 Beijing state-owned enterprises met the province’s cities, development zones and enterprises in Changchun.",
            SEED_EN,
        ),
        "cover_text": {
            "zh-hans": ("项目洽谈对接会现场（演示图片）", "会场示意图：蓝色背景上的几何图形"),
            "en": ("The matchmaking meeting (demo picture)", "Illustration: geometric shapes on a blue background"),
        },
    },
    {
        "slug": "changchun-signs-new-energy-vehicle-parts-projects",
        "region": "changchun",
        "tags": ["new-energy-vehicles"],
        "column": "investment-dynamics",
        "publish_at": _at(2026, 10, 28, 10, 15),
        "featured": True,
        "cover": ((20, 110, 90), (210, 235, 220)),
        "zh-hans": (
            "长春集中签约一批新能源汽车零部件项目",
            "12个新能源汽车零部件项目在长春集中签约，涵盖电池、电驱和智能座舱。",
            [
                "10月27日，长春市举行新能源汽车零部件产业项目集中签约活动，12个项目现场签约，涵盖动力电池、电驱动系统和智能座舱等领域。",
                "长春是我国重要的汽车工业基地。近年来，当地围绕整车企业需求引进配套项目，推动产业链向新能源和智能网联方向延伸。",
                "签约企业表示，完备的产业配套和便捷的物流条件是他们选择长春的主要原因。",
            ],
        ),
        "en": (
            "Changchun Signs a Group of New-Energy Vehicle Parts Projects",
            "Twelve projects for batteries, electric drives and smart cockpits were signed in Changchun.",
            [
                "On October 27, Changchun held a signing ceremony for new-energy vehicle parts projects. Twelve projects were signed, covering power batteries, electric drive systems and smart cockpits.",
                "Changchun is one of China’s main automotive bases. In recent years the city has attracted suppliers that serve its carmakers, extending the industrial chain towards new energy and connected vehicles.",
                "The companies said that a complete supply chain and convenient logistics were the main reasons for choosing Changchun.",
            ],
        ),
        "cover_text": {
            "zh-hans": ("签约仪式（演示图片）", "示意图：绿色背景上的几何图形"),
            "en": ("The signing ceremony (demo picture)", "Illustration: geometric shapes on a green background"),
        },
    },
    {
        "slug": "jilin-zhejiang-investment-seminar-hangzhou",
        "tags": ["regional-cooperation", "modern-agriculture", "winter-tourism"],
        "column": "investment-dynamics",
        "publish_at": _at(2026, 9, 16, 15, 30),
        "zh-hans": (
            "吉林—浙江投资合作推介会在杭州举行",
            "推介会聚焦数字经济、现代农业和冰雪旅游，现场达成多项合作意向。",
            [
                "9月15日，吉林—浙江投资合作推介会在杭州举行。我省向浙江企业介绍了数字经济、现代农业和冰雪旅游等领域的投资机会。",
                "与会浙江企业家表示，吉林的资源禀赋和产业基础与浙江企业的资本、技术和市场优势互补性强，合作空间广阔。",
            ],
        ),
        "en": (
            "Jilin–Zhejiang Investment Cooperation Seminar Held in Hangzhou",
            "The seminar presented opportunities in the digital economy, modern agriculture and winter tourism.",
            [
                "On September 15, a Jilin–Zhejiang investment cooperation seminar was held in Hangzhou. The province presented investment opportunities in the digital economy, modern agriculture and winter tourism to Zhejiang companies.",
                "Entrepreneurs from Zhejiang said that Jilin’s resources and industrial base complement the capital, technology and markets of Zhejiang companies, leaving wide room for cooperation.",
            ],
        ),
    },
    {
        "slug": "yanbian-tumen-river-cooperation-promotion",
        "region": "yanbian",
        "tags": ["regional-cooperation", "foreign-investment"],
        "column": "investment-dynamics",
        "publish_at": _at(2026, 8, 20, 11, 0),
        "zh-hans": (
            "延边州举办图们江区域合作项目推介会",
            "延边州发布沿边开放和跨境物流领域重点项目，吸引国内外客商参会。",
            [
                "8月19日，延边朝鲜族自治州在延吉举办图们江区域合作项目推介会，发布沿边开放、跨境物流和特色食品加工等领域重点项目。",
                "来自国内外的客商参加了推介会，并赴珲春国际合作示范区实地考察。",
            ],
        ),
        "en": None,
    },
    {
        "slug": "changbai-mountain-winter-resort-welcomes-investors",
        "region": "changbai-mountain",
        "tags": ["winter-tourism"],
        "column": "photo-news",
        "publish_at": _at(2026, 11, 12, 8, 30),
        "featured": True,
        "cover": ((60, 100, 160), (235, 240, 248)),
        "zh-hans": (
            "冰雪经济升温：长白山度假区迎来投资考察团",
            "投资考察团实地考察长白山滑雪场和配套设施项目。",
            ["11月上旬，一批文旅企业组成的投资考察团来到长白山，考察滑雪场、温泉酒店和配套设施项目。"],
        ),
        "en": (
            "Winter Economy Heats Up: Investors Visit Changbai Mountain Resort",
            "A delegation of tourism companies toured ski slopes and resort projects at Changbai Mountain.",
            ["In early November, a delegation of tourism companies visited Changbai Mountain to see ski slopes, hot-spring hotels and supporting projects."],
        ),
        "cover_text": {
            "zh-hans": ("长白山雪场（演示图片）", "示意图：雪山与蓝天"),
            "en": ("Ski slopes at Changbai Mountain (demo picture)", "Illustration: snowy mountains under a blue sky"),
        },
    },
    {
        "slug": "jilin-city-chemical-park-new-materials",
        "region": "jilin-city",
        "tags": ["new-materials"],
        "column": "photo-news",
        "publish_at": _at(2026, 10, 9, 14, 0),
        "cover": ((150, 80, 30), (245, 228, 210)),
        "zh-hans": (
            "吉林化工园区新材料项目加快建设",
            "园区内多个新材料项目进入设备安装阶段。",
            ["吉林市化工园区内多个新材料项目进入设备安装阶段，预计明年陆续投产。"],
        ),
        "en": (
            "New Materials Projects Speed Up in Jilin City’s Chemical Park",
            "Several new materials projects in the park have reached equipment installation.",
            ["Several new materials projects in Jilin City’s chemical industrial park have reached the equipment installation stage and are expected to start production next year."],
        ),
        "cover_text": {
            "zh-hans": ("建设中的项目（演示图片）", "示意图：橙色背景上的厂房轮廓"),
            "en": ("A project under construction (demo picture)", "Illustration: factory outlines on an orange background"),
        },
    },
    {
        "slug": "measures-to-optimise-the-business-environment",
        "tags": ["business-environment"],
        "column": "policies",
        "publish_at": _at(2026, 7, 1, 9, 0),
        "zh-hans": (
            "吉林省进一步优化营商环境的若干措施",
            "措施涵盖审批提速、要素保障和企业服务三方面。",
            [
                "为进一步优化营商环境，我省出台若干措施，涵盖审批提速、要素保障和企业服务三个方面。",
                "<strong>审批提速：</strong>重点项目实行“容缺受理”，一般企业投资项目审批时限压缩至30个工作日以内。",
                "<strong>企业服务：</strong>建立重点企业“服务专员”制度，及时协调解决企业诉求。",
            ],
        ),
        "en": (
            "Measures to Further Optimise Jilin’s Business Environment",
            "The measures cover faster approvals, access to land and utilities, and services for companies.",
            [
                "To further improve the business environment, the province has issued measures covering faster approvals, access to land and utilities, and services for companies.",
                "<strong>Faster approvals:</strong> key projects may be accepted with documents to follow, and approval of ordinary investment projects is limited to 30 working days.",
                "<strong>Services:</strong> key companies get a dedicated service officer who coordinates their requests.",
            ],
        ),
    },
    {
        "slug": "foreign-invested-enterprises-support-policy",
        "tags": ["foreign-investment", "business-environment"],
        "column": "policies",
        "publish_at": _at(2026, 6, 18, 10, 0),
        "zh-hans": (
            "《关于支持外商投资企业发展的若干政策措施》解读",
            "政策从市场准入、用地保障和人才服务等方面支持外资企业发展。",
            [
                "近日，我省印发《关于支持外商投资企业发展的若干政策措施》。本文就政策要点进行解读。",
                "政策明确，外商投资企业依法平等参与政府采购和标准制定，在用地、用能等方面与内资企业享受同等待遇。",
            ],
        ),
        "en": None,
    },
    {
        "slug": "jilin-at-a-glance",
        "tags": ["modern-agriculture"],
        "column": "investment-environment",
        "publish_at": _at(2026, 5, 6, 9, 0),
        "featured": True,
        "cover": ((30, 120, 60), (230, 240, 200)),
        "zh-hans": (
            "吉林概览：区位、资源与产业",
            "吉林地处东北亚几何中心，汽车、石化、农产品加工产业基础雄厚。",
            [
                "吉林省地处东北亚地理几何中心，与俄罗斯、朝鲜接壤，是我国向北开放的重要窗口。",
                "全省汽车、石化、农产品加工、医药健康等产业基础雄厚，黑土地资源和生态资源优势突出。",
            ],
        ),
        "en": (
            "Jilin at a Glance: Location, Resources and Industries",
            "At the centre of Northeast Asia, Jilin has strong automotive, petrochemical and agri-food industries.",
            [
                "Jilin Province lies at the geographic centre of Northeast Asia and borders Russia and the DPRK, making it an important gateway for China’s opening to the north.",
                "The province has strong automotive, petrochemical, agricultural processing and health industries, and outstanding black-soil and ecological resources.",
            ],
        ),
        "cover_text": {
            "zh-hans": ("吉林的田野（演示图片）", "示意图：绿色田野"),
            "en": ("Fields in Jilin (demo picture)", "Illustration: green fields"),
        },
    },
    {
        "slug": "transport-and-logistics",
        "region": "changchun",
        "column": "investment-environment",
        "publish_at": _at(2026, 4, 22, 9, 0),
        "zh-hans": (
            "交通物流：通达东北亚的立体网络",
            "高铁、高速公路、航空和中欧班列构成通达东北亚的物流网络。",
            ["我省已形成高铁、高速公路、航空和中欧班列相互衔接的综合交通网络，长春兴隆综合保税区为企业提供便捷的通关服务。"],
        ),
        "en": (
            "Transport and Logistics: A Network Reaching All of Northeast Asia",
            "High-speed rail, motorways, air routes and China–Europe freight trains connect the province.",
            ["The province has an integrated network of high-speed rail, motorways, air routes and China–Europe freight trains, and the Changchun Xinglong Comprehensive Bonded Zone offers fast customs clearance."],
        ),
    },
    {
        "slug": "siping-corn-deep-processing-partners",
        "region": "siping",
        "tags": ["modern-agriculture"],
        "column": "projects",
        "publish_at": _at(2026, 9, 3, 9, 30),
        "zh-hans": (
            "四平市玉米深加工项目寻求合作伙伴",
            "项目拟建设年加工玉米30万吨的生产线，寻求资金与技术合作。",
            ["四平市玉米深加工项目拟建设年加工玉米30万吨的生产线，产品包括淀粉、变性淀粉和生物基材料，现寻求资金与技术合作伙伴。"],
        ),
        "en": (
            "Siping Corn Deep-Processing Project Seeks Partners",
            "A line processing 300,000 tonnes of corn a year seeks capital and technology partners.",
            ["The Siping corn deep-processing project plans a line processing 300,000 tonnes of corn a year into starch, modified starch and bio-based materials, and seeks capital and technology partners."],
        ),
    },
    {
        "slug": "baicheng-wind-solar-storage-project",
        "region": "baicheng",
        "tags": ["clean-energy"],
        "column": "projects",
        "publish_at": _at(2026, 8, 5, 9, 30),
        "zh-hans": (
            "白城市风光储一体化项目招商",
            "项目依托白城丰富的风能和太阳能资源，面向国内外投资者招商。",
            ["白城市风能、太阳能资源丰富。风光储一体化项目拟建设风电、光伏和储能设施，现面向国内外投资者招商。"],
        ),
        "en": None,
    },
    {
        "slug": "northeast-asia-expo-matchmaking-registration",
        "region": "changchun",
        "tags": ["regional-cooperation"],
        "column": "notices",
        "publish_at": _at(2026, 7, 20, 16, 0),
        "zh-hans": (
            "关于做好东北亚博览会投资洽谈对接活动报名工作的通知",
            "请有意参加投资洽谈对接活动的企业于8月10日前完成报名。",
            ["各有关单位：东北亚博览会期间将举办投资洽谈对接活动。请有意参加的企业于8月10日前通过本网站联系方式完成报名。"],
        ),
        "en": (
            "Notice on Registration for Investment Matchmaking at the Northeast Asia Expo",
            "Companies wishing to take part in matchmaking sessions should register by August 10.",
            ["Investment matchmaking sessions will be held during the Northeast Asia Expo. Companies wishing to take part should register by August 10 using the contact details on this site."],
        ),
    },
    {
        "slug": "winter-investment-week-schedule",
        "tags": ["winter-tourism"],
        "column": "notices",
        "publish_at": "in 30 days",
        "zh-hans": (
            "冬季投资周活动日程",
            "冬季投资周活动日程安排（定时发布）。",
            ["冬季投资周将在长春、吉林和延吉举办系列推介活动，具体日程如下。"],
        ),
        "en": (
            "Winter Investment Week Schedule",
            "The schedule of the Winter Investment Week (scheduled for publication).",
            ["The Winter Investment Week will hold promotion events in Changchun, Jilin City and Yanji. The schedule follows."],
        ),
    },
    {
        "slug": "draft-tonghua-pharmaceutical-forum",
        "region": "tonghua",
        "column": "investment-dynamics",
        "publish_at": _at(2026, 11, 20, 9, 0),
        "status": Article.Status.DRAFT,
        "zh-hans": (
            "通化医药健康产业投资论坛（草稿）",
            "草稿：尚未审核。",
            ["通化市将举办医药健康产业投资论坛。（草稿，待补充）"],
        ),
        "en": None,
    },
]  # fmt: skip


PAGES = [
    (
        "about",
        1,
        ("关于我们", "<p>吉林省投资促进网由吉林省投资促进部门主办，发布全省招商引资动态、投资政策、投资环境和重点项目信息。</p><p>本网站为演示站点，内容仅供演示。</p>"),
        ("About Us", "<p>The Jilin Provincial Investment Promotion Website is run by the province’s investment promotion agency. It publishes investment news, policies, information on the investment environment and key projects.</p><p>This is a demonstration site; its content is for demonstration only.</p>"),
    ),
    (
        "contact",
        2,
        ("联系我们", "<p>地址：吉林省长春市（演示地址）</p><p>电话：0431-00000000</p><p>电子邮箱：contact@example.org</p>"),
        ("Contact Us", "<p>Address: Changchun, Jilin Province (demo address)</p><p>Telephone: +86 431 0000 0000</p><p>Email: contact@example.org</p>"),
    ),
    (
        "privacy",
        3,
        ("隐私声明", "<p>本网站不要求读者注册，不使用第三方跟踪工具。为统计访问量，服务器会在短时间内记录访问地址的摘要，用于排除重复计数，不保存个人身份信息。</p>"),
        ("Privacy Statement", "<p>Readers do not register on this site and no third-party trackers are used. To count visits, the server briefly keeps a digest of the visitor’s address to avoid counting reloads twice; no personal identity is stored.</p>"),
    ),
    (
        "accessibility",
        4,
        ("无障碍声明", '<p>本声明适用于吉林省投资促进网（本网站）的中文版和英文版。</p><h2>本网站的无障碍情况</h2><p>我们希望尽可能多的人能够使用本网站。您可以：</p><ul><li>用每页顶部的“适老模式”按钮同时打开高对比度显示和特大字号；在文章页上还可以把文字调到四档中的任意一档，或单独打开高对比度显示；您的选择只保存在您自己的浏览器中，不会发送给我们；</li><li>把页面放大到 400%，文字仍在屏幕内完整显示；</li><li>只用键盘浏览整个网站；</li><li>用读屏软件浏览网站的大部分内容；</li><li>在没有弹窗、广告和第三方播放器的页面上阅读。</li></ul><h2>尚未完全无障碍的内容</h2><ul><li>部分较早的附件（PDF、Word、WPS）是扫描件或没有标记结构，读屏软件无法读取；这些附件都有标注，旁边有“索取其他格式”的链接；</li><li>部分活动图片缺少详细的文字说明；</li><li>政策文件以中文文本为准，英文文本除页面另有说明外均为参考译文；</li><li>网站不嵌入地图，开发区的位置以地址和天地图链接给出。</li></ul><h2>索取其他格式</h2><p>如需其他格式的文件（例如大字版、纯文本或 Word 文件），请点击该文件旁的“索取其他格式”，或<a href="/zh-hans/enquiry/">通过咨询表单联系我们</a>，写明文件名称和您需要的格式。咨询受理窗口会立即给您受理编号，并通过电子邮件答复。</p><h2>反映无障碍问题</h2><p>如果您遇到本声明没有列出的问题，或认为本网站未达到无障碍要求，请通过<a href="/zh-hans/enquiry/">咨询表单</a>或电子邮件 contact@example.org 告诉我们。</p><h2>技术信息</h2><p>本网站按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668-2019）、工业和信息化部《互联网网站适老化通用设计规范》和 Web 内容无障碍指南（WCAG）2.1 AA 级建设，每次发布前用 axe-core 和 Nu HTML 检查器检查页面。</p><p>本声明编写于 2026 年 11 月 30 日。</p>'),
        ("Accessibility statement", '<p>This statement covers the Jilin Provincial Investment Promotion Website (this site), in Chinese and in English.</p><h2>How accessible this website is</h2><p>We want as many people as possible to be able to use this website. You should be able to:</p><ul><li>turn on a high-contrast display and extra-large text together with the “Elder-friendly mode” button at the top of every page; on articles, also choose one of four text sizes or high contrast alone; your choice stays in your own browser and is never sent to us</li><li>zoom in up to 400% without the text spilling off the screen</li><li>use the whole website with a keyboard alone</li><li>use most of the website with a screen reader</li><li>read pages without pop-ups, advertisements or third-party players</li></ul><h2>What is not fully accessible</h2><ul><li>some older attachments (PDF, Word, WPS) are scanned or untagged and do not work with screen readers; each is marked, with a link beside it to ask for another format</li><li>some pictures of events lack a detailed description</li><li>the Chinese text of a policy document prevails; its English text is a reference translation unless the page says otherwise</li><li>maps are not embedded: zones are located by address and a link to Tianditu</li></ul><h2>Asking for another format</h2><p>If you need a document in another format, such as large print, plain text or a Word file, use the “Ask for another format” link beside it, or <a href="/en/enquiry/">send us an enquiry</a> naming the document and the format you need. The enquiry desk gives you a reference number at once and replies by e-mail.</p><h2>Reporting accessibility problems</h2><p>If you find a problem that this statement does not list, or think that we are not meeting accessibility requirements, tell us through the <a href="/en/enquiry/">enquiry form</a> or by e-mail to contact@example.org.</p><h2>Technical information</h2><p>This website is built to meet China’s national standard for accessible web content (GB/T 37668-2019), the Ministry of Industry and Information Technology’s design rules for websites used by older people, and the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA. Its pages are checked with axe-core and the Nu HTML checker before every release.</p><p>This statement was prepared on 30 November 2026.</p>'),
    ),
]  # fmt: skip


SITE_SETTINGS = {
    "site_name_zh_hans": "吉林省投资促进网",
    "site_name_en": "Jilin Provincial Investment Promotion Website",
    "sponsor_zh_hans": "吉林省投资促进部门（演示）",
    "sponsor_en": "Jilin provincial investment promotion agency (demo)",
    "contact_address_zh_hans": "吉林省长春市（演示地址）",
    "contact_address_en": "Changchun, Jilin Province (demo address)",
    "contact_phone": "0431-00000000",
    "contact_email": "contact@example.org",
    "icp_record": "吉ICP备10003975号",
    "icp_url": "https://beian.miit.gov.cn/",
}
