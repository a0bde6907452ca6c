"""The private state (hdcat/state.py) shared by threads: closing it while another thread
reads it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CLOSE_UNDER_READERS = textwrap.dedent("""
    import sqlite3, sys, tempfile, threading
    from pathlib import Path
    from hdcat.state import PrivateState

    refused = 0
    folder = tempfile.TemporaryDirectory()
    for i in range(200):
        state = PrivateState(Path(folder.name) / f"state-{i}.sqlite")
        state.execute("CREATE TABLE t (x)")
        state.execute("INSERT INTO t VALUES (1)")
        reading = threading.Event()

        def read() -> None:
            global refused
            reading.set()
            try:
                while True:
                    state.rows("SELECT x FROM t")
            except sqlite3.ProgrammingError:
                refused += 1

        reader = threading.Thread(target=read)
        reader.start()
        reading.wait()
        state.close()
        reader.join()
    folder.cleanup()
    print(refused)
""")


def test_closing_the_state_while_another_thread_reads_it_refuses_the_reader() -> None:
    """A reader of a closed state gets sqlite3's "closed database" error. Closing it in the
    middle of another thread's statement crashed the interpreter (segmentation fault, within
    a few hundred closes), which a background job of a closing catalog could do."""
    run = subprocess.run([sys.executable, "-c", CLOSE_UNDER_READERS], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert run.stdout.split() == ["200"]
