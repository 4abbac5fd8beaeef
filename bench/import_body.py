"""Time and peak memory of ``import_articles`` on a file with one oversized body.

    .venv/bin/python bench/import_body.py [MEGABYTES] [--code DIR]

Writes a JSON Lines file of three articles, the second with a body of MEGABYTES (50) MB of
Chinese text, migrates a fresh SQLite database in a temporary folder and runs
``manage.py import_articles`` on it in a child process; prints its wall time, the peak
resident memory of the children (the larger of migrate and the import) and the last lines
of its report. ``--code`` runs another checkout of the project (``git archive main | tar -x -C DIR``) to compare.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    args = sys.argv[1:]
    code = ROOT
    if "--code" in args:
        code = Path(args[args.index("--code") + 1]).resolve()
        del args[args.index("--code") : args.index("--code") + 2]
    megabytes = int(args[0]) if args else 50
    python = str(ROOT / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DJANGO_SECRET_KEY": "bench-only", "DJANGO_DATA_DIR": folder}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=code, env=env, check=True)
        column = {"slug": "news", "name": {"zh-hans": "新闻", "en": "News"}}
        body = "<p>" + "长春新区签约项目" * (megabytes * 1024 * 1024 // 24) + "</p>"
        records = [
            {"external_id": f"a-{n}", "column": column, "title": {"zh-hans": f"标题{n}"}, "body": {"zh-hans": text}}
            for n, text in ((1, "<p>正文</p>"), (2, body), (3, "<p>正文</p>"))
        ]
        path = Path(folder) / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        size = path.stat().st_size
        started = time.monotonic()
        result = subprocess.run(
            [python, "manage.py", "import_articles", str(path), "-v0"],
            cwd=code,
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"body of {megabytes} MB, file {size / 2**20:.0f} MB: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    print(f"exit status {result.returncode}")
    print("\n".join((result.stdout + result.stderr).strip().splitlines()[-4:])[:600])


if __name__ == "__main__":
    main()
