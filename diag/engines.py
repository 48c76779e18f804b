"""Where the work of a corpus run happens: engines that map a function over items, in order.

Every engine takes a picklable module-level function and an iterator of items and yields
``func(item)`` in input order, with at most a window of items in flight: the input is read
lazily and the output is written as it comes, so memory does not grow with the corpus. The
function is the same whatever the engine, so the results (and every byte written from them)
are the same too; only where and how fast it runs changes.

- ``LocalEngine``: this process (one job) or a local process pool (the default; no dependency).
- ``DaskEngine``: a Dask distributed cluster (``pip install 'diag[dask]'``), given by the
  scheduler's address (``--scheduler tcp://HOST:8786`` or ``DIAG_SCHEDULER``). Its workers need
  diag installed (the same version) and, for inputs given as paths, the same files.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol, TypeVar

from diag.errors import ConfigError

log = logging.getLogger("diag")

T = TypeVar("T")
R = TypeVar("R")

#: Items in flight per worker on the local pool. Results are written in input order, so while
#: the oldest item runs nothing new is submitted: the window must hold enough work to keep the
#: other workers busy behind one slow record (on the dev documents the slowest pair costs 30
#: times the median). Items are small (a record's texts and one output line), so this is cheap.
WINDOW_PER_WORKER = 16
#: The environment variable naming a Dask scheduler when ``--scheduler`` is not given.
SCHEDULER_ENV = "DIAG_SCHEDULER"
#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 20


@dataclass(frozen=True)
class Chunking:
    """How a Dask run groups items into tasks, and how many tasks it keeps in flight.

    Every task costs the client, the scheduler and the worker a few milliseconds of CPU (a
    round trip, bookkeeping, (de)serialisation) whatever its size; on two cores that CPU is
    taken from the workers. A task of several items shares it out. A chunk closes at
    ``items`` items or ``weight`` (the items' weights summed, for records: characters of
    text), so large records travel alone and the tasks stay similar in cost. With
    ``tasks_per_worker`` tasks in flight per worker, a slow task at the head of the order
    does not leave the other workers idle, and at most ``workers * (tasks_per_worker * items +
    tail_per_worker)`` items are in flight.
    """

    items: int = 8
    weight: int = 64_000
    tasks_per_worker: int = 8
    #: The last ``tail_per_worker * workers`` items of a run go one per task (the chunker reads
    #: that many items ahead to know where the end is): while one worker finishes its last full
    #: chunk, the others take these singles instead of waiting.
    tail_per_worker: int = 4

    def __post_init__(self) -> None:
        if self.items < 1 or self.weight < 1 or self.tasks_per_worker < 1 or self.tail_per_worker < 0:
            raise ValueError(f"chunking needs positive sizes, got {self}")


#: The chunking of ``DaskEngine``; ``benchmarks/scan.py`` (S3) measures its cost.
DASK_CHUNKING = Chunking()


class Engine(Protocol):
    """Maps a function over items, yielding results in input order with a bounded window.

    ``weight`` (optional) tells an engine that groups items into tasks roughly what each
    item costs (``diag.batch.task_weight``: the size of a record's texts); the results do
    not depend on it.
    """

    name: str

    @property
    def workers(self) -> int: ...

    def map(self, func: Callable[[T], R], items: Iterable[T], weight: Callable[[T], int] | None = None) -> Iterator[R]: ...

    def close(self) -> None: ...


def ordered_window(submit: Callable[[T], Any], result: Callable[[Any], R], items: Iterable[T], window: int) -> Iterator[R]:
    """Submit items lazily, at most ``window`` at a time, and yield their results in input order."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


@dataclass
class LocalEngine:
    """This process (``jobs=1``) or a pool of ``jobs`` worker processes on this machine."""

    jobs: int = 1
    warm_up: Callable[[], None] | None = None
    name: str = "local"

    @property
    def workers(self) -> int:
        return self.jobs

    def map(self, func: Callable[[T], R], items: Iterable[T], weight: Callable[[T], int] | None = None) -> Iterator[R]:
        if self.jobs == 1:
            yield from map(func, items)
            return
        if self.warm_up is not None:
            self.warm_up()  # forked workers inherit the loaded modules instead of each importing them
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:

            def submit(item: T) -> Future[R]:
                return pool.submit(func, item)

            yield from ordered_window(submit, Future.result, items, self.jobs * WINDOW_PER_WORKER)

    def close(self) -> None:
        pass


def run_chunk(func: Callable[[T], R], items: list[T]) -> list[R]:
    """One Dask task: ``func`` over a chunk of items, in order."""
    return [func(item) for item in items]


def chunked(
    items: Iterable[T], size: int, limit: int, weight: Callable[[T], int] | None = None, tail: int = 0
) -> Iterator[list[T]]:
    """``items`` in order, in lists of at most ``size`` items and, past the first item, at most
    ``limit`` weight (an item heavier than ``limit`` comes alone); the last ``tail`` items one
    per list (``tail`` items are read ahead)."""
    it = iter(items)
    ahead: deque[T] = deque(islice(it, tail))
    chunk: list[T] = []
    load = 0
    for item in it:
        ahead.append(item)
        first = ahead.popleft()
        w = weight(first) if weight is not None else 0
        if chunk and (len(chunk) >= size or load + w > limit):
            yield chunk
            chunk, load = [], 0
        chunk.append(first)
        load += w
    if chunk:
        yield chunk
    for item in ahead:
        yield [item]


class DaskEngine:
    """A Dask distributed cluster, reached through its scheduler's address.

    Items travel in chunks (``Chunking``): one task per chunk, its results the finished
    output lines, so the client only writes them. ``tasks`` and ``items`` count what was
    submitted.
    """

    name = "dask"

    def __init__(self, address: str, chunking: Chunking = DASK_CHUNKING) -> None:
        """Connect to the scheduler at ``address``.

        Raises:
            ConfigError: if Dask is not installed or the scheduler cannot be reached.
        """
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError(
                f"--scheduler {address}: Dask distributed is not installed; pip install 'diag[dask]'"
            ) from None
        self.address = address
        self.chunking = chunking
        self.tasks = 0
        self.items = 0
        self.client: Any
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as e:
            raise ConfigError(
                f"--scheduler {address}: cannot reach the Dask scheduler ({type(e).__name__}: {e}); "
                f"check the address or start one with 'dask scheduler'"
            ) from None

    @property
    def workers(self) -> int:
        threads: int = sum(self.client.nthreads().values())
        return max(1, threads)

    def map(self, func: Callable[[T], R], items: Iterable[T], weight: Callable[[T], int] | None = None) -> Iterator[R]:
        def submit(chunk: list[T]) -> Any:
            self.tasks += 1
            self.items += len(chunk)
            return self.client.submit(run_chunk, func, chunk, pure=False)

        def result(future: Any) -> list[R]:
            value: list[R] = future.result()
            future.release()
            return value

        c, workers = self.chunking, self.workers
        chunks = chunked(items, c.items, c.weight, weight, tail=c.tail_per_worker * workers)
        for done in ordered_window(submit, result, chunks, workers * c.tasks_per_worker):
            yield from done

    def close(self) -> None:
        self.client.close()


def engine_from(jobs: int | None, scheduler: str | None, warm_up: Callable[[], None] | None = None) -> Engine:
    """The engine named by the options: Dask at ``scheduler`` (or ``$DIAG_SCHEDULER``), else local.

    Raises:
        ConfigError: if both a scheduler and ``jobs`` are given, or the scheduler cannot be used.
        ``jobs`` given alone wins over ``$DIAG_SCHEDULER`` (a local run asked for on the command line).
    """
    if scheduler and jobs:
        raise ConfigError("--jobs is for the local pool; with --scheduler the cluster's workers do the work")
    address = scheduler or (None if jobs else os.environ.get(SCHEDULER_ENV)) or None
    if address is not None:
        log.info("running on the Dask scheduler at %s", address)
        return DaskEngine(address)
    return LocalEngine(max(1, jobs or os.cpu_count() or 1), warm_up=warm_up)
