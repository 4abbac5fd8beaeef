"""Projects and zones in and out as JSON Lines: the round trip, updates instead of duplicates,
the dry run, and lines rejected one by one with the reason (as articles, news/transfer.py)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from news.investment.models import DevelopmentZone, Project, ZoneFigure
from tests.factories import SectorFactory, make_article, make_figure, make_project, make_zone

pytestmark = pytest.mark.django_db


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_projects_round_trip_and_import_again_updates(tmp_path, column):
    zone = make_zone()
    news = make_article(column=column, external_id="news-1")
    project = make_project(zone=zone, title_en="Battery plant", land_area_mu="150.50", lat="43.880000")
    project.related_articles.set([news])
    path = tmp_path / "projects.jsonl"
    call_command("export_projects", str(path), stdout=StringIO())
    [record] = lines(path)
    assert record["external_id"] == f"project-{project.code}" and record["zone"] == zone.slug
    assert record["title"]["en"] == "Battery plant" and record["land_area_mu"] == "150.50"
    assert record["related_articles"] == ["news-1"] and record["desk"] == project.desk.email

    sectors, modes = list(project.sectors.all()), list(project.cooperation_modes.all())
    Project.objects.all().delete()
    out = StringIO()
    call_command("import_projects", str(path), stdout=out, stderr=StringIO())
    assert "1 projects were created" in out.getvalue()
    again = Project.objects.get()
    assert again.title_en == "Battery plant" and again.zone == zone and again.region == project.region
    assert list(again.sectors.all()) == sectors and list(again.cooperation_modes.all()) == modes
    assert list(again.related_articles.all()) == [news] and str(again.lat) == "43.880000"
    assert again.code != "" and again.external_id == record["external_id"]

    record["title"]["en"] = "Battery plant, phase II"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_projects", str(path), stdout=out, stderr=StringIO())
    assert "0 projects were created, 1 were updated" in out.getvalue()
    assert Project.objects.get().title_en == "Battery plant, phase II"


def test_a_bad_line_is_rejected_alone_and_a_dry_run_saves_nothing(tmp_path):
    project = make_project(title_en="Good one")
    path = tmp_path / "projects.jsonl"
    call_command("export_projects", str(path), stdout=StringIO())
    [good] = lines(path)
    good["external_id"] = "new-one"
    bad = {**good, "external_id": "bad-one", "region": "atlantis"}
    negative = {**good, "external_id": "bad-two", "total_investment": 0}
    path.write_text("\n".join(json.dumps(r) for r in (good, bad, negative)) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), "--dry-run", stdout=StringIO(), stderr=err)
    assert "line 2: rejected: unknown region “atlantis”" in err.getvalue() and "line 3: rejected" in err.getvalue()
    assert list(Project.objects.all()) == [project]
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), stdout=StringIO(), stderr=StringIO())
    assert set(Project.objects.values_list("external_id", flat=True)) == {"", "new-one"}


def test_zones_round_trip_with_their_figures_parents_first(tmp_path, column):
    policy = make_article(column=column, external_id="policy-1")
    parent = make_zone(slug="new-area", name_en="New Area")
    child = make_zone(slug="hi-tech", parent=parent, planned_area_km2="12.5")
    child.leading_sectors.set([SectorFactory(slug="medicine")])
    child.incentives.set([policy])
    make_figure(child, 2024, value="1234.50", source_en="City Statistics Bureau")
    path = tmp_path / "zones.jsonl"
    call_command("export_zones", str(path), stdout=StringIO())
    records = lines(path)
    assert [r["slug"] for r in records] == ["new-area", "hi-tech"]
    assert records[1]["figures"][0] == {
        "indicator": "gdp", "value": "1234.50", "unit": "", "year": 2024, "quarter": None,
        "source": {"zh-hans": "市统计局", "en": "City Statistics Bureau"}, "source_url": "",
    }  # fmt: skip
    DevelopmentZone.objects.filter(parent__isnull=False).delete()
    DevelopmentZone.objects.all().delete()
    call_command("import_zones", str(path), stdout=StringIO(), stderr=StringIO())
    again = DevelopmentZone.objects.get(slug="hi-tech")
    assert again.parent.slug == "new-area" and str(again.planned_area_km2) == "12.50"
    assert list(again.incentives.all()) == [policy] and again.leading_sectors.get().slug == "medicine"
    figure = ZoneFigure.objects.get(zone=again)
    assert str(figure.value) == "1234.50" and figure.source_en == "City Statistics Bureau"


def test_a_zone_figure_without_a_source_rejects_its_line(tmp_path):
    zone = make_zone(slug="lonely")
    path = tmp_path / "zones.jsonl"
    call_command("export_zones", str(path), stdout=StringIO())
    [record] = lines(path)
    record["figures"] = [{"indicator": "gdp", "value": "10", "year": 2024, "source": {}}]
    record["overview"]["en"] = "<p>Changed</p>"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_zones", str(path), stdout=StringIO(), stderr=err)
    assert "figures[1]" in err.getvalue() and "source" in err.getvalue()
    zone.refresh_from_db()
    assert zone.overview_en != "<p>Changed</p>" and not zone.figures.exists()
