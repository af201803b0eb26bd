"""A list's documents through the single-upload checks, in a pool of processes when there are many.

Each row's files go through `claims/uploads.py::check_file` (libmagic, pypdf, images re-encoded), the
one check every upload passes; a row's cleaned files are stored (`StagedDocuments`) only when the row
has no error and all its files passed. `check_row_files` does that for one row and is the same function
in-process and in a worker: a list of at least ``COLLECTIVE_POOL_MIN_FILES`` files is checked by
``DocumentChecker`` in a ``ProcessPoolExecutor`` (one worker a core, forked, so each worker has the
parent's settings and storage), a smaller one in-process, where starting the pool would cost more than
it saves. The workers read no database and write none: the parent reads the files from the ZIP, sends
their bytes, and records the results on its rows.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from lapakasik.claims.uploads import CleanFile, RefusedFile, check_file

from .files import StagedDocuments, document_kind

# A task for a worker: this many rows' files, or fewer adding up to this many bytes (big scans); at most
# IN_FLIGHT tasks a worker are queued, which bounds the memory a chunk's files take.
BATCH_ROWS = 50
BATCH_BYTES = 32 * 1024 * 1024
IN_FLIGHT = 3

# One file as the parent hands it over: its display name and its bytes, or the refusal met reading it.
Item = tuple[str, bytes | tuple[str, dict[str, Any]]]


@dataclass
class RowFiles:
    """One row's files to check; `store` says whether the row is still valid (then its files are kept)."""

    files: list[Item]
    store: bool


@dataclass
class RowResult:
    """The row's refused files (name, message id, parameters) and, if stored, its document records."""

    refused: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    stored: list[dict[str, Any]] = field(default_factory=list)


def check_row_files(job: RowFiles, storage: StagedDocuments) -> RowResult:
    """Every file of one row through check_file; all of them stored only if the row stays valid."""
    result = RowResult()
    cleaned: list[tuple[str, CleanFile]] = []
    for name, data in job.files:
        if isinstance(data, tuple):  # the ZIP entry could not be read
            result.refused.append((name, data[0], data[1]))
            continue
        try:
            cleaned.append((name, check_file(name, data)))
        except RefusedFile as refused:
            result.refused.append((name, refused.message, refused.params))
    if job.store and not result.refused:
        result.stored = [_store(storage, name, clean) for name, clean in cleaned]
    return result


def _store(storage: StagedDocuments, name: str, clean: CleanFile) -> dict[str, Any]:
    return {
        "name": name,
        "kind": document_kind(name),
        "file": storage.save(clean),
        "sha256": clean.sha256,
        "size": len(clean.content),
        "content_type": clean.content_type,
    }


def _check_batch(jobs: list[RowFiles], storage: StagedDocuments) -> list[RowResult]:
    # What a pool worker runs: a batch of rows, so one task carries many small files.
    return [check_row_files(job, storage) for job in jobs]


def pool_workers() -> int:
    return int(getattr(settings, "COLLECTIVE_POOL_WORKERS", 0)) or os.cpu_count() or 1


def pool_min_files() -> int:
    return int(getattr(settings, "COLLECTIVE_POOL_MIN_FILES", 200))


class DocumentChecker:
    """Checks rows' files for one list: in-process, or in a pool started on first use for a big list.

    Use as a context manager (the pool is shut down at the end). ``files`` is the number of files the
    list holds: below ``COLLECTIVE_POOL_MIN_FILES`` (or with one worker) no pool is started.
    """

    def __init__(self, storage: StagedDocuments, *, files: int) -> None:
        self.storage = storage
        workers = pool_workers()
        self.workers = workers
        self.pooled = workers > 1 and files >= pool_min_files() and "fork" in _start_methods()
        self._pool: Executor | None = None

    def __enter__(self) -> DocumentChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def check(self, jobs: Iterable[RowFiles], heartbeat: Callable[[], None]) -> list[RowResult]:
        """The results of ``jobs``, in their order; ``heartbeat`` is called as work completes.

        ``jobs`` is consumed lazily: in the pool, at most a few batches a worker are in flight, so a chunk
        of big scans is never all in memory at once."""
        if not self.pooled:
            results = []
            for job in jobs:
                results.append(check_row_files(job, self.storage))
                heartbeat()
            return results
        pool = self._start()
        batches: list[Future[list[RowResult]]] = []
        in_flight: set[Future[list[RowResult]]] = set()
        batch: list[RowFiles] = []
        size = 0

        def send() -> None:
            nonlocal batch, size
            future = pool.submit(_check_batch, batch, self.storage)
            batches.append(future)
            in_flight.add(future)
            batch, size = [], 0

        for job in jobs:
            batch.append(job)
            size += sum(len(data) for _name, data in job.files if isinstance(data, bytes))
            if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
                send()
                while len(in_flight) >= self.workers * IN_FLIGHT:
                    _done, pending = wait(in_flight, timeout=5, return_when=FIRST_COMPLETED)
                    in_flight.intersection_update(pending)
                    heartbeat()
        if batch:
            send()
        while in_flight:
            _done, pending = wait(in_flight, timeout=5)
            in_flight.intersection_update(pending)
            heartbeat()
        return [result for future in batches for result in future.result()]

    def _start(self) -> Executor:
        if self._pool is None:
            # Forked: the workers inherit the loaded code, the settings (tests' overrides too) and the
            # storage; they never touch the parent's database connection.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
        return self._pool


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
