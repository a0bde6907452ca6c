"""Backup and restore of a data folder: `hdcat backup DIR` and `hdcat restore DIR`.

A backup is a folder:

* ``store.nq``: every quad of the store (the public graph, one named graph per record, the
  shipped ontology and vocabularies), as N-Quads;
* ``private.sqlite`` (and any other ``*.sqlite`` database of the data folder except the
  search index): a copy made with SQLite's online backup API, consistent while the server
  writes;
* ``files/``: the small files that make the folder what it is: ``config.toml`` (base IRI,
  identifier prefixes...) and ``secret_key`` (sessions stay valid after a restore);
* ``manifest.json``, written last (a folder without it is not a backup): what was backed up,
  the number of quads and graphs, the audit chain's length and last hash, and the size and
  SHA-256 of every file.

Not backed up: the search index (an index of the public graph, rebuilt on restore), the
daily visitor keys of the usage counters (``usage-keys/``: they are deleted every day so
that visitors cannot be linked across days, and a backup must not keep them) and SQLite's
``-wal``/``-shm`` files (the copies are complete databases).

Consistency. The backup takes SQLite's write lock of the private state (BEGIN IMMEDIATE:
every writer of drafts, identifiers, accounts and the audit chain waits, a few milliseconds),
copies the databases with the online backup API and opens the store read-only (an embedded
store is then a snapshot: its reads see the data as of the opening, so the backup runs beside
a serving process), lets the writers go, and dumps the snapshot. Every write goes to the
store first and to the audit chain right after, so the only disagreement possible is a write
caught between the two; `hdcat audit verify` of the pair finds it and the backup is taken
again. Problems that stay the same from one attempt to the next are the live folder's own
(a store changed behind hdcat's back): the backup keeps them in its manifest.

Restore goes into an empty data folder (a non-empty one only with ``--force``, which clears
it first), checks every file against the manifest before touching anything, loads the
quads, copies the databases and files, rebuilds the search index, and checks that the audit
chain verifies against the restored store and that the numbers match the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
import pyoxigraph as ox

from hdcat.config import Settings, load_settings
from hdcat.errors import HdcatError

FORMAT = "hdcat-backup/1"
MANIFEST = "manifest.json"
STORE_FILE = "store.nq"
FILES_DIR = "files"
KEPT_FILES = ("config.toml", "secret_key")
"""Files of the data folder's top level that a backup keeps."""
SKIPPED_DATABASES = ("search.sqlite",)
ATTEMPTS = 5
_CHUNK = 1 << 20


class BackupError(HdcatError):
    """A backup or restore that could not be made, and why."""


@dataclass
class Problem:
    kind: str
    subject: str
    detail: str


@dataclass
class BackupReport:
    """What a backup wrote."""

    folder: Path
    manifest: dict
    attempts: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RestoreReport:
    """What a restore did, and what the check after it found."""

    folder: Path
    quads: int
    graphs: int
    indexed: int
    problems: list[Problem] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.mismatches


# --------------------------------------------------------------------------- helpers


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> dict:
    return {"path": path.relative_to(root).as_posix(), "bytes": path.stat().st_size,
            "sha256": sha256_file(path)}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _databases(data_dir: Path) -> list[Path]:
    """The SQLite databases of a data folder that a backup copies."""
    return sorted(p for p in data_dir.glob("*.sqlite")
                  if p.is_file() and p.name not in SKIPPED_DATABASES)


def _audit_head(db: Path) -> tuple[int, str]:
    """(number of the last audit entry, its hash); (0, "") without an audit chain."""
    if not db.exists():
        return 0, ""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
    try:
        row = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return 0, ""  # no audit table yet
    finally:
        con.close()
    return (int(row[0]), str(row[1])) if row else (0, "")


@contextlib.contextmanager
def _writers_held(db: Path) -> Iterator[None]:
    """A connection to `db` inside a write transaction (BEGIN IMMEDIATE): every other
    writer of the private state waits until the block ends (they retry while busy)."""
    if not db.exists():
        yield
        return
    con = sqlite3.connect(str(db), timeout=60, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            con.execute("ROLLBACK")
    finally:
        con.close()


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API). It reads through
    a connection of its own: one holding the write lock could not (the backup would wait for
    itself), and a reader sees the last committed state beside a writer (WAL)."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(str(source), timeout=60)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)


def _dump(catalog, work: Path) -> None:  # noqa: ANN001 - a Catalog
    with (work / STORE_FILE).open("wb") as out:
        catalog.store.dump(out, ox.RdfFormat.N_QUADS)


def _tables(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name")]
        return {n: int(con.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0])
                for n in names}
    finally:
        con.close()


def _open_catalog(settings: Settings, read_only: bool):  # noqa: ANN202 - a Catalog
    from hdcat.catalog import Catalog
    from hdcat.store import EmbeddedStore, open_store

    if settings.store_url is None:
        store_dir = settings.store_dir
        if read_only:
            if not store_dir.exists():
                raise BackupError(f"{settings.data_dir}: no store to back up")
            store = EmbeddedStore(store_dir, read_only=True)
        else:
            store = EmbeddedStore(store_dir)
    else:
        store = open_store(settings.data_dir, settings.store_url)
    return Catalog(settings, store)


def _verify(catalog, private_db: Path, copy: bool = False) -> list[Problem]:  # noqa: ANN001
    """`hdcat audit verify` of the store `catalog` reads against the chain in `private_db`
    (with `copy`, on a scratch copy of it, which opening as private state would change)."""
    from hdcat.audit import AuditLog
    from hdcat.state import PrivateState

    with tempfile.TemporaryDirectory(prefix="hdcat-verify-") as scratch:
        if copy:
            shutil.copy2(private_db, Path(scratch) / "private.sqlite")
            private_db = Path(scratch) / "private.sqlite"
        state = PrivateState(private_db)
        try:
            found = AuditLog(state).verify(catalog.stored_graphs())
        finally:
            state.close()
    return [Problem(p.kind, p.subject, p.detail) for p in found]


def _graph_count(quads_path: Path) -> tuple[int, int]:
    """(quads, distinct named graphs) of an N-Quads file."""
    quads = 0
    graphs: set[str] = set()
    for quad in ox.parse(path=str(quads_path), format=ox.RdfFormat.N_QUADS):
        quads += 1
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.add(quad.graph_name.value)
    return quads, len(graphs)


# --------------------------------------------------------------------------- backup


def backup(data_dir: Path, target: Path, *, force: bool = False, verify: bool = True,
           attempts: int = ATTEMPTS, log=None) -> BackupReport:  # noqa: ANN001
    """Back the data folder `data_dir` up into the folder `target` (empty or new; with
    `force`, an earlier backup there is replaced)."""
    say = log or (lambda _msg: None)
    data_dir = Path(data_dir)
    settings = load_settings(data_dir)
    if not data_dir.is_dir():
        raise BackupError(f"{data_dir}: no such data folder")
    target = Path(target)
    if target.resolve() == data_dir.resolve() or data_dir.resolve() in target.resolve().parents:
        raise BackupError(f"{target}: a backup cannot go inside the data folder it backs up")
    if target.exists() and any(target.iterdir()):
        if not force:
            raise BackupError(f"{target} is not empty (give --force to replace the backup "
                              "in it)")
        if not (target / MANIFEST).exists():
            raise BackupError(f"{target} is not empty and holds no backup: not replaced")
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=target))
    try:
        return _backup_into(settings, target, work, verify, attempts, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _backup_into(settings: Settings, target: Path, work: Path, verify: bool, attempts: int,
                 say) -> BackupReport:  # noqa: ANN001
    data_dir = settings.data_dir
    private_db = data_dir / "private.sqlite"
    previous: list[tuple[str, str]] | None = None
    problems: list[Problem] = []
    for attempt in range(1, attempts + 1):
        for old in work.iterdir():
            old.unlink()
        with _writers_held(private_db):
            # No process can append to the audit chain (nor change any other private
            # state) while this block runs: the copies of the databases and the store
            # snapshot belong to one moment, but for a write whose store half is done and
            # whose audit entry waits for the block to end (the check below finds it).
            for db in _databases(data_dir):
                _copy_database(db, work / db.name)
            catalog = _open_catalog(settings, read_only=True)
            if settings.store_url is not None:  # no snapshot: read it all while held
                _dump(catalog, work)
        try:
            if settings.store_url is None:
                _dump(catalog, work)  # from the read-only store: the data as of its opening
            problems = _verify(catalog, work / "private.sqlite", copy=True) if (
                verify and (work / "private.sqlite").exists()) else []
        finally:
            catalog.close()
        key = sorted((p.kind, p.subject) for p in problems)
        settled = not problems or key == previous
        say(f"attempt {attempt}: audit chain of {_audit_head(work / 'private.sqlite')[0]} "
            f"entries, {len(problems)} problem(s){'' if settled else ', trying again'}")
        if settled:
            break
        previous = key
        time.sleep(0.1 * attempt)
    else:
        raise BackupError(f"{data_dir}: the store and the audit chain disagreed differently "
                          f"in each of {attempts} attempts (writes in flight); try again")
    os.chmod(work / STORE_FILE, 0o600)
    (work / FILES_DIR).mkdir(mode=0o700)
    for name in KEPT_FILES:
        source = data_dir / name
        if source.is_file():
            shutil.copy2(source, work / FILES_DIR / name)
            os.chmod(work / FILES_DIR / name, 0o600)
    quads, graphs = _graph_count(work / STORE_FILE)
    head = _audit_head(work / "private.sqlite")
    files = [p for p in sorted(work.rglob("*")) if p.is_file()]
    # Move everything into place, then write the manifest: its presence marks a backup.
    for path in files:
        dest = target / path.relative_to(work)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)
    manifest = {
        "format": FORMAT,
        "created": _now(),
        "source": str(data_dir.resolve()),
        "base_iri": settings.base_iri,
        "store": {"file": STORE_FILE, "format": "application/n-quads", "quads": quads,
                  "graphs": graphs,
                  "backend": "embedded" if settings.store_url is None else "remote"},
        "databases": {
            db.name: {"tables": _tables(target / db.name)}
            for db in sorted(target.glob("*.sqlite"))
        },
        "audit": {"entries": head[0], "last_hash": head[1], "verified": verify,
                  "problems": [p.__dict__ for p in problems]},
        "search": "not kept: rebuilt from the store on restore",
        "files": [_entry(target, target / p.relative_to(work)) for p in files],
    }
    tmp = target / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, target / MANIFEST)
    return BackupReport(target, manifest, attempt, problems)


# --------------------------------------------------------------------------- restore


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder}: no {MANIFEST}: not a (complete) hdcat backup")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except ValueError as e:
        raise BackupError(f"{path}: unreadable manifest: {e}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def check_files(folder: Path, manifest: dict) -> list[str]:
    """Files of the backup that are missing or differ from the manifest."""
    bad = []
    for entry in manifest["files"]:
        path = Path(folder) / entry["path"]
        if ".." in Path(entry["path"]).parts or Path(entry["path"]).is_absolute():
            bad.append(f"{entry['path']}: a path outside the backup")
        elif not path.is_file():
            bad.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["bytes"] or sha256_file(path) != entry["sha256"]:
            bad.append(f"{entry['path']}: differs from the manifest (SHA-256)")
    return bad


def _clear(data_dir: Path) -> None:
    for child in data_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def restore(folder: Path, data_dir: Path, *, force: bool = False,
            log=None) -> RestoreReport:  # noqa: ANN001
    """Restore the backup in `folder` into the data folder `data_dir` (empty or new; with
    `force`, cleared first)."""
    say = log or (lambda _msg: None)
    folder, data_dir = Path(folder), Path(data_dir)
    manifest = read_manifest(folder)
    bad = check_files(folder, manifest)
    if bad:
        raise BackupError(f"{folder}: the backup is damaged: " + "; ".join(bad))
    say(f"backup of {manifest['source']} made {manifest['created']}: "
        f"{manifest['store']['quads']} quads in {manifest['store']['graphs']} graphs")
    if data_dir.exists() and any(data_dir.iterdir()):
        if not force:
            raise BackupError(f"{data_dir} is not empty (give --force to replace what is in "
                              "it)")
        _clear(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    files_dir = folder / FILES_DIR
    for name in KEPT_FILES:
        if (files_dir / name).is_file():
            shutil.copy2(files_dir / name, data_dir / name)
            if name == "secret_key":
                os.chmod(data_dir / name, 0o600)
    settings = load_settings(data_dir)
    catalog = _open_catalog(settings, read_only=False)
    try:
        if len(catalog.store):  # a remote store named by the restored config.toml
            if not force:
                raise BackupError(f"{catalog.store!r} is not empty (give --force)")
            catalog.store.clear()
        for name in manifest["databases"]:
            shutil.copy2(folder / name, data_dir / name)
            os.chmod(data_dir / name, 0o600)
        say(f"loading {manifest['store']['quads']} quads")
        catalog.store.bulk_load(folder / STORE_FILE, ox.RdfFormat.N_QUADS)
        catalog.store.flush()
        quads = len(catalog.store)
        graphs = len(catalog.store.graph_names())
        say("rebuilding the search index")
        (data_dir / "search.sqlite").unlink(missing_ok=True)
        indexed = catalog.search_index().rebuild(catalog)
        say("checking the audit chain against the restored store")
        problems = _verify(catalog, data_dir / "private.sqlite") if (
            data_dir / "private.sqlite").exists() else []
    finally:
        catalog.close()
    mismatches = []
    if quads != manifest["store"]["quads"]:
        mismatches.append(f"quads: {quads} restored, {manifest['store']['quads']} backed up")
    if graphs != manifest["store"]["graphs"]:
        mismatches.append(f"graphs: {graphs} restored, {manifest['store']['graphs']} backed up")
    head = _audit_head(data_dir / "private.sqlite")
    if (head[0], head[1]) != (manifest["audit"]["entries"], manifest["audit"]["last_hash"]):
        mismatches.append("the audit chain differs from the backed-up one")
    # Problems the backed-up folder already had are reported, not counted as new.
    known = {(p["kind"], p["subject"]) for p in manifest["audit"].get("problems", [])}
    new = [p for p in problems if (p.kind, p.subject) not in known]
    return RestoreReport(data_dir, quads, graphs, indexed, new, mismatches)


# --------------------------------------------------------------------------- the commands


def _data_dir(ctx: click.Context) -> Path:
    obj = ctx.find_root().ensure_object(dict)
    return Path(obj.get("data") or os.environ.get("HDCAT_DATA") or "./hdcat-data")


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except BackupError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace an earlier backup in FOLDER.")
@click.option("--no-verify", "no_verify", is_flag=True,
              help="Do not check the audit chain against the store snapshot (faster).")
@click.pass_context
def backup_command(ctx: click.Context, folder: str, force: bool, no_verify: bool) -> None:
    """Back the data folder up into FOLDER: the store as N-Quads, the private state (SQLite
    online backup), config and session key, and a manifest with counts and SHA-256. Safe
    while the server runs."""
    with _errors():
        report = backup(_data_dir(ctx), Path(folder), force=force, verify=not no_verify,
                        log=lambda m: click.echo(m, err=True))
    m = report.manifest
    click.echo(f"backup in {report.folder}: {m['store']['quads']} quads in "
               f"{m['store']['graphs']} graphs, {m['audit']['entries']} audit entries, "
               f"{len(m['files'])} files")
    for p in report.problems:
        click.echo(f"  audit {p.kind}: {p.subject} {p.detail}", err=True)
    if report.problems:
        click.echo(f"{len(report.problems)} audit problem(s) in the backed-up folder "
                   "(recorded in the manifest)", err=True)


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Clear a non-empty data folder first.")
@click.pass_context
def restore_command(ctx: click.Context, folder: str, force: bool) -> None:
    """Restore the backup in FOLDER into the data folder (--data), which must be empty;
    rebuild the search index; check the audit chain against the restored store. Exit 1 if
    the check finds a problem."""
    with _errors():
        report = restore(Path(folder), _data_dir(ctx), force=force,
                         log=lambda m: click.echo(m, err=True))
    click.echo(f"restored into {report.folder}: {report.quads} quads in {report.graphs} "
               f"graphs, {report.indexed} records indexed")
    for p in report.problems:
        click.echo(f"  audit {p.kind}: {p.subject} {p.detail}", err=True)
    for m in report.mismatches:
        click.echo(f"  mismatch: {m}", err=True)
    if not report.ok:
        ctx.exit(1)
    click.echo("audit chain and store agree")


backup_command.name = "backup"
restore_command.name = "restore"
