"""The fast validator in worker processes, beside the load that feeds them.

The validator is pure Python, so a thread cannot run it beside the rest of a load (cutting,
gathering each record's context, the privacy scan, audit hashing: all Python, all under the
GIL). A large batch (POOL_MIN_RECORDS) therefore sends its validation groups, as N-Triples,
to WORKERS worker processes in turn (`python -m hdcat.validation_worker`, talking over their
stdin and stdout) and goes on preparing the next groups while they judge; verdicts come back
in the order of the groups. Smaller batches (a registration, a harvest page, a short file) are
judged in this process: starting a worker costs about a second of CPU, once per process (idle
workers wait for the next large batch until the process ends).

A worker judges with the profile's shapes as shipped (`validation.profile_shapes`). If it
dies or fails on a group, its groups are judged here and the next large batch starts a new
one: a worker never loses or changes a verdict.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from hdcat.garbage import fewer_collections
from hdcat.validation import Result

log = logging.getLogger(__name__)

POOL_MIN_RECORDS = 2000
"""Batches of at least this many records are validated in the worker process."""

WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Worker processes a large batch is shared among (one group each in turn)."""

IN_FLIGHT = 3
"""Groups handed to each worker ahead of the one whose verdicts are awaited."""

Group = tuple[list[ox.Triple], set]
"""A validation group: its data graph and the focus nodes whose results are wanted."""

_HEADER = 8


def judge(level: str, triples: list, focus: set) -> list[Result]:
    """The fast validator's results for `focus` over `triples` at `level` (in any process)."""
    from hdcat.fastshacl import DescribedSubjects, fast_validator
    from hdcat.validation import profile_shapes, soften_external_references

    results = fast_validator(profile_shapes(level)).validate(triples, focus=focus)
    if level == "core":
        results = soften_external_references(results, DescribedSubjects(triples))
    return results


def _write_message(stream: BinaryIO, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "big") + data)
    stream.flush()


def _read_message(stream: BinaryIO) -> object | None:
    """The next message, or None at the end of the stream."""
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


class _Worker:
    """One worker process. A sender thread writes the groups handed to it and a reader
    thread collects the answers, so that this process never blocks on a full pipe (and the
    sender waits for the worker without holding the GIL)."""

    def __init__(self, level: str) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ,
               "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hdcat.validation_worker", level],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.broken = False
        self.answers: queue.SimpleQueue[object | None] = queue.SimpleQueue()
        self.outbox: queue.SimpleQueue[tuple[str, Group] | None] = queue.SimpleQueue()
        threading.Thread(target=self._receive_all, daemon=True,
                         name="hdcat-validation-answers").start()
        threading.Thread(target=self._send_all, daemon=True,
                         name="hdcat-validation-groups").start()

    def _receive_all(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                answer = _read_message(self.process.stdout)
            except Exception:  # a torn or garbled answer: the worker is broken
                answer = None
            self.answers.put(answer)
            if answer is None:
                return

    def _send_all(self) -> None:
        assert self.process.stdin is not None
        while (item := self.outbox.get()) is not None:
            level, (triples, focus) = item
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                _write_message(self.process.stdin, (level, data, focus))
            except (OSError, ValueError):  # the worker is gone: its answers end with None
                return
        with contextlib.suppress(OSError):
            self.process.stdin.close()

    def send(self, level: str, group: Group) -> None:
        self.outbox.put((level, group))

    def receive(self) -> list[Result] | None:
        """The answer to the oldest group sent, or None if the worker failed on it (it is
        then broken, and answers nothing more)."""
        if self.broken:
            return None
        answer = self.answers.get()
        if isinstance(answer, tuple) and answer[0] == "ok":
            return answer[1]
        if isinstance(answer, tuple):
            log.warning("the validation worker failed on a group: %s", answer[1])
        self.broken = True
        return None

    def stop(self, now: bool = False) -> None:
        """End the worker: once it has judged what it was sent, or `now`."""
        if now:
            self.process.kill()
        self.outbox.put(None)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take_workers(level: str) -> list[_Worker]:
    """WORKERS workers for one batch: idle ones of earlier batches, the rest started now."""
    with _idle_lock:
        taken = _idle[:WORKERS]
        del _idle[:WORKERS]
    taken = [w for w in taken if w.process.poll() is None]
    return taken + [_Worker(level) for _ in range(WORKERS - len(taken))]


def _give_back(workers: Iterable[_Worker]) -> None:
    for worker in workers:
        with _idle_lock:
            if len(_idle) < WORKERS:
                _idle.append(worker)
                continue
        worker.stop()


def start(level: str) -> None:
    """Start the workers now (they take about a second to be ready), for a large batch
    about to be read."""
    _give_back(_take_workers(level))


@atexit.register
def shutdown() -> None:
    """Stop the idle workers."""
    with _idle_lock:
        workers = list(_idle)
        _idle.clear()
    for worker in workers:
        worker.stop()


def judge_groups(
    level: str, groups: Iterable[Group], records: int, read_all_first: bool = False
) -> Iterator[list[Result]]:
    """Each group's results, in the order of the groups (`records` in all).

    From POOL_MIN_RECORDS records, worker processes judge the groups (in turn) while the
    next ones are prepared: `groups` is advanced up to IN_FLIGHT groups a worker ahead of the
    verdicts given, or with `read_all_first` to its end before the first verdict (the
    workers start on the first groups meanwhile). Else the groups are judged here, one after
    the other (all read first with `read_all_first`).
    """
    if records < POOL_MIN_RECORDS:
        if read_all_first:
            groups = list(groups)
        for triples, focus in groups:
            yield judge(level, triples, focus)
        return
    workers = _take_workers(level)
    sent: deque[tuple[Group, _Worker]] = deque()
    ahead = None if read_all_first else IN_FLIGHT * len(workers)

    def collect() -> list[Result]:
        group, worker = sent.popleft()
        results = worker.receive()
        if results is not None:
            return results
        log.warning("a validation worker stopped; its groups are validated in this process")
        return judge(level, *group)

    try:
        for group in groups:
            worker = workers[len(sent) % len(workers)]
            worker.send(level, group)
            sent.append((group, worker))
            if ahead is not None and len(sent) > ahead:
                yield collect()
        while sent:
            yield collect()
    finally:
        if sent:  # abandoned midway: its answers must not reach the next batch
            for worker in workers:
                worker.stop(now=True)
        else:
            _give_back(w for w in workers if not w.broken)
            for worker in workers:
                if worker.broken:
                    worker.stop(now=True)


def _serve(level: str) -> None:
    """The worker's loop: judge each group sent on stdin, answer on stdout, until EOF.
    The shapes of `level` are compiled before the first group arrives."""
    from hdcat.fastshacl import fast_validator
    from hdcat.validation import profile_shapes

    fast_validator(profile_shapes(level))
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing else may write into the answers
    with fewer_collections():
        while True:
            message = _read_message(requests)
            if message is None:
                return
            level, data, focus = message  # type: ignore[misc]
            try:
                triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
                answer: tuple = ("ok", judge(level, triples, focus))
            except Exception as e:  # the parent judges this group itself
                answer = ("failed", f"{type(e).__name__}: {e}")
            _write_message(answers, answer)


if __name__ == "__main__":
    _serve(sys.argv[1] if len(sys.argv) > 1 else "full")
