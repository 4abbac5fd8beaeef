"""make bench's report (bench/run.py ``render``): each row against the right baseline."""

import pytest

from bench import run


def row(rps, cpu_ms):
    return {"rps": rps, "p50": 1.0, "p99": 2.0, "cpu_ms": cpu_ms, "errors": 0, "burst_errors": 0, "burst_p99": 9,
            "load": 1.0}  # fmt: skip


@pytest.fixture
def report(monkeypatch):
    monkeypatch.setattr(run, "ONLY", "article")  # no query plans (they need a corpus)
    monkeypatch.setattr(run, "commit", lambda: "abc1234")
    monkeypatch.setattr(run, "machine", lambda: "a test machine")
    results = {
        ("article", "en", "static/warm"): row(4000, 0.34),
        ("article", "en", "warm"): row(7000, 0.18),
        ("article", "en", run.BROWSER): row(6080, 0.200),
        ("article", "en", run.ALONE): row(8000, 0.16),
        ("article", "en", run.ALONE_BROWSER): row(7600, 0.17),
    }
    text = run.render([("article", "en", "/en/news/1/", "article-en.html")], results, [], 100, 100)
    return {
        line.split(" | ")[2]: line.split(" | ") for line in text.splitlines() if line.startswith("| article |")
    }, text


def test_the_browser_row_is_compared_with_whitenoise_alone_asked_the_same_way(report):
    rows, text = report
    assert rows[run.BROWSER][9:11] == ["0.80", "0.85"]  # 6080 / 7600 req/s, 0.17 / 0.20 ms
    assert rows["warm"][9:11] == ["0.88", "0.89"]  # 7000 / 8000, 0.16 / 0.18
    assert rows[run.ALONE_BROWSER][9:11] == ["0.95", "0.94"]  # what the headers cost whitenoise alone
    assert (
        f"| {run.BROWSER} article (en) ≥ 0.8 × {run.ALONE_BROWSER}, req/s and CPU | yes | 0.80 (by CPU 0.85) |" in text
    )
    assert f"| warm article (en) ≥ 0.8 × {run.ALONE}, req/s and CPU | yes | 0.88 (by CPU 0.89) |" in text
