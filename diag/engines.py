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
from typing import Any, Protocol, TypeVar

from diag.errors import ConfigError

log = logging.getLogger("diag")

T = TypeVar("T")
R = TypeVar("R")

#: Items in flight per worker: enough to keep each busy while the parent writes, few enough to bound memory.
WINDOW_PER_WORKER = 4
#: The environment variable naming a Dask scheduler when ``--scheduler`` is not given.
SCHEDULER_ENV = "DIAG_SCHEDULER"
#: Items per Dask task.
DASK_CHUNK = 2
#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 20


class Engine(Protocol):
    """Maps a function over items, yielding results in input order with a bounded window."""

    name: str

    @property
    def workers(self) -> int: ...

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

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

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
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


def _apply_all(func: Callable[[T], R], items: list[T]) -> list[R]:
    return [func(item) for item in items]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class DaskEngine:
    """A Dask distributed cluster, reached through its scheduler's address.

    Items travel in chunks of ``chunk`` (one task each): a task costs the scheduler and the
    client a round trip, which on a busy machine is worth sharing between several pairs.
    """

    name = "dask"

    def __init__(self, address: str, chunk: int = DASK_CHUNK) -> None:
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
        self.chunk = chunk
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

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def submit(chunk: list[T]) -> Any:
            return self.client.submit(_apply_all, func, chunk, pure=False)

        def result(future: Any) -> list[R]:
            value: list[R] = future.result()
            future.release()
            return value

        window = max(2, self.workers * WINDOW_PER_WORKER // self.chunk)
        for done in ordered_window(submit, result, _chunks(items, self.chunk), window):
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
