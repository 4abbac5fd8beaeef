import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_creates_the_first_administrator_once():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    text = out.getvalue()
    password = text.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password) and len(password) >= 16
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert "already exists" in again.getvalue()
    assert get_user_model().objects.count() == 1


def run_settings(**env):
    """Import the real settings in a fresh interpreter with ``env``; return the process."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.DATABASES['default']['ENGINE'])",
        ],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_a_missing_secret_key_stops_start_up_with_its_name(tmp_path):
    result = run_settings(DJANGO_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_key_file_in_the_data_folder_is_used(tmp_path):
    (tmp_path / "secret_key").write_text("from-the-file")
    result = run_settings(DJANGO_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "django.db.backends.sqlite3"]


def test_database_url_selects_postgresql(tmp_path):
    result = run_settings(DJANGO_SECRET_KEY="x", DATABASE_URL="postgres://u@127.0.0.1:5432/db", DJANGO_HTTPS="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "django.db.backends.postgresql"]


def test_a_malformed_boolean_is_refused_by_name():
    result = run_settings(DJANGO_SECRET_KEY="x", DJANGO_DEBUG="maybe")
    assert result.returncode != 0 and "DJANGO_DEBUG" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 5000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_every_model_change_has_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"a model change has no migration:\n{out.getvalue()}")
