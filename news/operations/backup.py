"""One-file backups: the database and every media file, with a checksum manifest.

The archive (``.tar.gz``) holds:

- ``database.sqlite3`` (a consistent snapshot taken with SQLite's online backup API) or
  ``database.pgdump`` (``pg_dump --format=custom``), whichever the site runs on;
- ``media/…``, every file of the default storage (local disk or S3);
- ``manifest.json``: the database kind and, for every file, its size and SHA-256.

``restore`` checks every checksum before it changes anything, then loads the database
and writes the media files back through the storage.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from ..pagecache.version import bump_content_version

FORMAT = 1


class BackupError(Exception):
    pass


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def media_files(storage=default_storage, folder=""):
    """Every file name in ``storage``, recursively (none when its folder does not exist yet)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from media_files(storage, f"{folder}/{directory}" if folder else directory)


def _pg_environment():
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    args = ["--host", settings.get("HOST") or "localhost", "--username", settings.get("USER") or ""]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    return env, args


def _dump_database(workdir):
    if connection.vendor == "sqlite":
        target = workdir / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)
        destination.close()
        return "sqlite", target
    if connection.vendor == "postgresql":
        target = workdir / "database.pgdump"
        env, args = _pg_environment()
        subprocess.run(  # noqa: S603 - fixed program; arguments from settings, no shell
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(target)]
            + [connection.settings_dict["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
        return "postgresql", target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def create(path):
    """Write a backup archive to ``path``. Returns the manifest."""
    manifest = {"format": FORMAT, "created": datetime.now(UTC).isoformat(), "files": {}}
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as tmp:
        kind, dump = _dump_database(Path(tmp))
        manifest["database"] = kind
        # Readable by its owner only, from the start: it holds password hashes and two-factor secrets.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = dump.read_bytes()
            manifest["files"][dump.name] = {"size": len(data), "sha256": _sha256(data)}
            archive.add(dump, arcname=dump.name)
            for name in sorted(media_files()):
                with default_storage.open(name, "rb") as handle:
                    data = handle.read()
                arcname = f"media/{name}"
                manifest["files"][arcname] = {"size": len(data), "sha256": _sha256(data)}
                info = tarfile.TarInfo(arcname)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return manifest


def _read_verified(path):
    """The archive's members as bytes, after checking the manifest; raises BackupError."""
    with tarfile.open(path, "r:gz") as archive:
        members = {}
        for member in archive.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"Unexpected entry in the archive: {member.name!r}")
            members[member.name] = archive.extractfile(member).read()
    try:
        manifest = json.loads(members.pop("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.json.") from error
    if set(members) != set(manifest["files"]):
        raise BackupError("The archive's files do not match its manifest.")
    for name, expected in manifest["files"].items():
        if _sha256(members[name]) != expected["sha256"]:
            raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")
    return manifest, members


def restore(path):
    """Load the database and the media files from a backup archive, then empty the page cache.

    Returns the manifest, with ``cache_updated`` False when the shared cache could not be told
    (each process then finds the new version in the database within seconds of its return).
    """
    manifest, members = _read_verified(path)
    if manifest["database"] != connection.vendor:
        raise BackupError(f"This is a {manifest['database']} backup; the site runs on {connection.vendor}.")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as tmp:
        if connection.vendor == "sqlite":
            snapshot = Path(tmp) / "database.sqlite3"
            snapshot.write_bytes(members["database.sqlite3"])
            connection.ensure_connection()
            with sqlite3.connect(snapshot) as source:
                source.backup(connection.connection)
            source.close()
        else:
            dump = Path(tmp) / "database.pgdump"
            dump.write_bytes(members["database.pgdump"])
            env, args = _pg_environment()
            connection.close()
            subprocess.run(  # noqa: S603 - fixed program; arguments from settings, no shell
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
                + [*args, "--dbname", connection.settings_dict["NAME"], str(dump)],
                env=env,
                check=True,
                capture_output=True,
            )
    for name, data in members.items():
        if name.startswith("media/"):
            target = name.removeprefix("media/")
            if default_storage.exists(target):
                default_storage.delete(target)
            saved = default_storage.save(target, ContentFile(data))
            if saved != target:
                raise BackupError(f"The storage renamed {target} to {saved}.")
    # The database was replaced behind the ORM: no save signal told the page cache. A new content
    # version (in the restored database and the cache) makes every page of the old content stale.
    manifest["cache_updated"] = bump_content_version()
    return manifest
