"""Search benchmark: p50/p95 of the search query on a generated corpus (not a test).

    .venv/bin/python bench/search_bench.py --articles 100000                  # SQLite, in a temp folder
    .venv/bin/python bench/search_bench.py --articles 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_search        # PostgreSQL (dropped and recreated)

Generates bilingual articles from a fixed vocabulary (seeded, so runs are comparable),
indexes them the way the site does, then times what the search page runs for each
query — the count and the first page of 20 hits with snippets — and prints a Markdown
table. The PostgreSQL database named in the URL is DROPPED and recreated: never point
this at real data.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ZH_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "吉林 长春 吉林省 投资 项目 洽谈 对接 招商引资 企业 合作 新能源 汽车 零部件 产业 园区 开发区 "
    "政策 营商环境 冰雪 旅游 农业 现代农业 玉米 深加工 医药 健康 数字经济 物流 交通 高铁 口岸 东北亚 "
    "博览会 签约 落地 投产 资金 技术 人才 服务 审批 改革 创新 发展 高质量 战略 协议 领域 "
    "市场 出口 进口 外资 民营 国有 集团 延边 四平 白城 松原 通化 白山 辽源 梅河口 长白山 "
    "珲春 图们江 装备 制造 化工 新材料 电子 信息 软件 金融 "
).split()
EN_WORDS = (  # noqa: SIM905 - a word list reads best as text
    "Jilin Changchun province investment project negotiation matchmaking enterprise cooperation "
    "energy vehicle parts industry park zone policy business environment winter tourism agriculture "
    "corn processing medicine health digital economy logistics transport railway port Northeast "
    "Asia expo signing production capital technology talent service approval reform innovation "
    "development quality strategy agreement market export import foreign private state group "
    "Yanbian Siping Baicheng Songyuan Tonghua Baishan Liaoyuan equipment manufacturing chemical "
    "materials electronics software finance investors invested investing partners "
).split()
RARE = ("南湖宾馆", "Nanhu Hotel")
QUERIES = [
    ("zh-hans", "吉林"),
    ("zh-hans", "招商"),
    ("zh-hans", "洽谈"),
    ("zh-hans", "新能源汽车 零部件"),
    ("zh-hans", "南湖宾馆"),
    ("en", "Jilin"),
    ("en", "invest"),
    ("en", "matchmaking"),
    ("en", "Nanhu Hotel"),
    ("en", "winter tourism Changbai"),
]


def sentence(rng, words, length, joiner):
    return joiner.join(rng.choice(words) for _ in range(length))


def generate(count, rng):
    from django.utils import timezone

    from news.models import Article, Column

    columns = list(Column.objects.all())
    now = timezone.now()
    batch = []
    for number in range(count):
        zh_paragraphs = [sentence(rng, ZH_WORDS, rng.randint(30, 60), "") + "。" for _ in range(rng.randint(3, 6))]
        en_paragraphs = [sentence(rng, EN_WORDS, rng.randint(30, 60), " ") + "." for _ in range(rng.randint(3, 6))]
        if number % 1000 == 0:  # a rare phrase in one article out of a thousand
            zh_paragraphs[0] += f"会议在{RARE[0]}举行。"
            en_paragraphs[0] += f" The meeting was held at {RARE[1]}."
        batch.append(
            Article(
                column=columns[number % len(columns)],
                status=Article.Status.PUBLISHED,
                publish_at=now - __import__("datetime").timedelta(minutes=number * 7),
                title_zh_hans=sentence(rng, ZH_WORDS, rng.randint(5, 10), ""),
                summary_zh_hans=sentence(rng, ZH_WORDS, 12, ""),
                body_zh_hans="".join(f"<p>{p}</p>" for p in zh_paragraphs),
                title_en=sentence(rng, EN_WORDS, rng.randint(6, 12), " ").capitalize(),
                summary_en=sentence(rng, EN_WORDS, 14, " ").capitalize() + ".",
                body_en="".join(f"<p>{p.capitalize()}</p>" for p in en_paragraphs),
                slug=f"bench-{number}",
            )
        )
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def measure(runs):
    from django.db import connection

    from news import search

    rows = []
    for language, text in QUERIES:
        timings = []
        for run in range(runs + 2):
            started = time.perf_counter()
            results = search.search(text, language)
            total = results.count()
            hits = results[0:20]
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 2:  # two warm-up runs
                timings.append(elapsed)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        rows.append((language, text, total, len(hits), statistics.median(timings), p95))
    return connection.vendor, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", help="a throw-away PostgreSQL database (dropped and recreated)")
    parser.add_argument("--window", type=int, help="rank this many matches instead of search.RANK_WINDOW")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="search-bench-")
    os.environ.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DATA_DIR=data_dir, DJANGO_SECRET_KEY="bench")  # noqa: S106
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        import psycopg

        name = args.database_url.rsplit("/", 1)[1]
        admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    from news import demo, search

    call_command("migrate", verbosity=0)
    demo.load()
    started = time.perf_counter()
    generate(args.articles, random.Random(20180410))
    generated = time.perf_counter() - started
    started = time.perf_counter()
    search.rebuild()
    indexed = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    if args.window:
        search.RANK_WINDOW = args.window
    vendor, rows = measure(args.runs)
    print(
        f"\n{vendor}, {args.articles:,} generated articles (+ demo), both languages; "
        f"generated in {generated:.0f} s, indexed in {indexed:.0f} s; {args.runs} runs per query; "
        f"rank window {search.RANK_WINDOW}\n"
    )
    print("| language | query | matches | page | p50 ms | p95 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for language, text, total, page, p50, p95 in rows:
        print(f"| {language} | {text} | {total:,} | {page} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
