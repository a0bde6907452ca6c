"""A throwaway Virtuoso Open Source 7 instance for the tests (Debian's `virtuoso-opensource`).

`VirtuosoServer(directory).start()` writes a `virtuoso.ini` into `directory` (database,
transaction log and temp files there too), listens on two free ports on 127.0.0.1 (SQL and
HTTP), waits until the SPARQL endpoint answers, then prepares it as docs/deployment.md says a
Virtuoso for hdcat must be prepared:

* `GRANT SPARQL_UPDATE TO "SPARQL"`: the anonymous `/sparql` and `/sparql-graph-crud`
  endpoints may write (the server listens on 127.0.0.1 only);
* the graphs Virtuoso ships with (its `virtrdf:` quad-map metadata, OWL, LDP, the service
  description) go into the private graph group, and the anonymous user ("nobody") may read
  and write every other graph but none of those: hdcat sees only its own graphs, so its union
  default graph and its graph list hold only catalog data;
* the `dba` password is changed to a random one.

`stop()` shuts it down and removes its files. Run as a script to keep one up by hand:
``python tests/virtuoso_server.py [DIR]`` prints the endpoint URLs and waits for Ctrl-C.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from live_server import free_port

PRIVATE_GROUP = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
SERVER_NAMES = ("virtuoso-t", "virtuoso")
ISQL_NAMES = ("isql-vt", "isql-v")


def virtuoso_binary() -> str | None:
    """The Virtuoso server binary, if installed (Debian: /usr/bin/virtuoso-t)."""
    return next((p for p in map(shutil.which, SERVER_NAMES) if p), None)


def isql_binary() -> str | None:
    return next((p for p in map(shutil.which, ISQL_NAMES) if p), None)


INI = """\
; written by tests/virtuoso_server.py for one test session
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort          = 127.0.0.1:{sql_port}
DisableUnixSocket   = 1
MaxClientConnections = 20
CheckpointInterval  = 60
CaseMode            = 2
DirsAllowed         = .
NumberOfBuffers     = 10000
MaxDirtyBuffers     = 6000
ThreadsPerQuery     = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/www
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 20
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
; Virtuoso cuts every result at ResultSetMaxRows rows (10000 in Debian's ini), silently
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
"""


class VirtuosoServer:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.sql_port = 0
        self.http_port = 0
        self.password = "dba"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base_url}/sparql-graph-crud"

    def log_text(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- life cycle
    def start(self, timeout: float = 180.0) -> VirtuosoServer:
        binary = virtuoso_binary()
        if binary is None or isql_binary() is None:
            raise RuntimeError("Virtuoso (virtuoso-t and isql-vt) is not installed")
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "www").mkdir(exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(INI.format(dir=self.directory, sql_port=self.sql_port,
                                  http_port=self.http_port))
        self._log = (self.directory / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=self.directory, stdout=self._log, stderr=subprocess.STDOUT,
        )
        try:
            self._wait(timeout)
            self._prepare()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso exited ({self.proc.returncode}):\n{self.log_text()}")
            try:
                if self.select("ASK {}") is not None:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso did not answer within {timeout:g} s:\n"
                                   f"{self.log_text()}")
            time.sleep(0.2)

    def _prepare(self) -> None:
        system = [row["g"]["value"] for row in self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")["results"]["bindings"]]
        new_password = secrets.token_hex(12)
        statements = [
            'GRANT SPARQL_UPDATE TO "SPARQL"',
            f"DB.DBA.RDF_GRAPH_GROUP_CREATE ('{PRIVATE_GROUP}', 1)",
            *(f"DB.DBA.RDF_GRAPH_GROUP_INS ('{PRIVATE_GROUP}', '{_sql_str(g)}')" for g in system),
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1)",  # private graphs: nothing
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 3)",  # other graphs: read, write
            f"USER_SET_PASSWORD ('dba', '{new_password}')",
        ]
        self.isql(statements)
        self.password = new_password
        left = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        n = int(left["results"]["bindings"][0]["n"]["value"])
        if n:
            raise RuntimeError(f"{n} triples of Virtuoso's own graphs are still visible")

    def isql(self, statements: list[str]) -> str:
        """Run SQL statements as dba; raise on any error."""
        binary = isql_binary()
        assert binary is not None
        script = "".join(f"{s};\n" for s in statements)
        done = subprocess.run(
            [binary, f"127.0.0.1:{self.sql_port}", "dba", self.password],
            input=script.encode(), capture_output=True, timeout=120,
        )
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed:\n{out}")
        return out

    def select(self, sparql: str) -> dict:
        """A query as the anonymous SPARQL user (form-encoded POST), JSON results."""
        import json

        data = urllib.parse.urlencode({"query": sparql}).encode()
        req = urllib.request.Request(self.sparql_url, data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def stop(self, *, remove: bool = True) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if remove:
            for name in ("virtuoso.db", "virtuoso-temp.db", "virtuoso.trx", "virtuoso-temp.trx",
                         "virtuoso.pxa", "virtuoso.lck"):
                (self.directory / name).unlink(missing_ok=True)

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


if __name__ == "__main__":
    import signal

    # stop cleanly on Ctrl-C and on SIGTERM, also when started in the background
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="virtuoso-"))
    server = VirtuosoServer(where).start()
    print(f"SPARQL:      {server.sparql_url}\nGraph Store: {server.graph_store_url}\n"
          f"SQL:         127.0.0.1:{server.sql_port} (dba / {server.password})\n"
          f"files:       {where}", flush=True)
    try:
        while server.proc is not None and server.proc.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
