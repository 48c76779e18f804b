"""The one corpus runner: input order, a bounded window, and the same bytes on every engine.

The Dask tests start a real ``distributed.LocalCluster`` (a scheduler and two worker
processes on localhost) and compare its output with the local engines' byte for byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diag import cli
from diag.batch import BatchSettings, Record, _Task, iter_results, read_records, task_weight
from diag.engines import (
    SCHEDULER_ENV,
    WINDOW_PER_WORKER,
    Chunking,
    DaskEngine,
    LocalEngine,
    chunked,
    engine_from,
    ordered_window,
)
from diag.errors import ConfigError

PAIRS = [
    ("a", "The council approved 12 new buses on Monday. Mayor Ilse Varga said the fleet would grow.",
     "The council approved 12 new buses on Monday. Mayor Ilse Varga said the fleet will grow."),
    ("b", "Rain closed the harbour for 3 days. Fishermen in Port Selby lost a week of income.",
     "Rain shut the harbour for 4 days. Fishermen in Port Shelby lost a week of earnings."),
    ("c", "The library opens at nine. Its new wing holds 40,000 books.",
     "A recipe for bread needs flour, water and salt. Knead it for ten minutes."),
    ("d", "Scientists at Lund counted 250 storks this spring.",
     "Scientists at Lund counted 250 storks this spring."),
]


def _write_pairs(folder: Path, extra: tuple[str, ...] = ()) -> Path:
    path = folder / "pairs.jsonl"
    lines = [json.dumps({"id": i, "reference": r, "candidate": c}) for i, r, c in PAIRS]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


# --- ordered_window -------------------------------------------------------------------------


@pytest.mark.parametrize("n, window", [(0, 3), (1, 3), (5, 1), (10, 3), (10, 20)])
def test_ordered_window_keeps_order_and_bounds_work_in_flight(n: int, window: int) -> None:
    in_flight: list[int] = []
    peak = 0

    def submit(item: int) -> int:
        nonlocal peak
        in_flight.append(item)
        peak = max(peak, len(in_flight))
        return item

    def result(item: int) -> int:
        in_flight.remove(item)
        return item * 10

    assert list(ordered_window(submit, result, range(n), window)) == [i * 10 for i in range(n)]
    assert peak <= window
    assert not in_flight


def _counted_records(n: int, counter: list[int]) -> Iterator[Record]:
    """``n`` good records, counting in ``counter[0]`` how many have been read."""
    for k in range(1, n + 1):
        i, r, c = PAIRS[k % len(PAIRS)]
        counter[0] += 1
        yield Record(k, {"id": f"{i}{k}", "reference": r, "candidate": c}, None)


def test_the_input_is_read_lazily_through_a_pool() -> None:
    """With 2 jobs the window is 2 x WINDOW_PER_WORKER records: the first result comes after at most that many are read."""
    read = [0]
    n = 2 * WINDOW_PER_WORKER + 8
    results = iter_results(_counted_records(n, read), BatchSettings(), LocalEngine(2))
    first = next(results)
    assert first.line == 1
    assert read[0] <= 2 * WINDOW_PER_WORKER + 1
    assert [r.line for r in results] == list(range(2, n + 1))


# --- chunks of a Dask run -------------------------------------------------------------------


@pytest.mark.parametrize(
    "weights, size, limit, expected",
    [
        ([], 3, 10, []),
        ([1, 1, 1, 1, 1, 1, 1], 3, 100, [[1, 1, 1], [1, 1, 1], [1]]),
        ([4, 4, 4, 4], 8, 10, [[4, 4], [4, 4]]),  # the weight closes a chunk before the count does
        ([2, 50, 2, 2], 8, 10, [[2], [50], [2, 2]]),  # a heavy item travels alone
        ([50, 50], 8, 10, [[50], [50]]),
        ([5, 5, 1], 8, 10, [[5, 5], [1]]),  # a chunk may reach the limit exactly
    ],
)
def test_chunked_keeps_order_and_closes_on_count_or_weight(
    weights: list[int], size: int, limit: int, expected: list[list[int]]
) -> None:
    items = list(enumerate(weights))
    chunks = list(chunked(items, size, limit, weight=lambda item: item[1]))
    assert [[w for _, w in chunk] for chunk in chunks] == expected
    assert [item for chunk in chunks for item in chunk] == items


def test_chunked_without_weights_counts_items() -> None:
    assert list(chunked(range(5), 2, 1)) == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize(
    "n, tail, expected",
    [
        (9, 3, [[0, 1], [2, 3], [4, 5], [6], [7], [8]]),
        (10, 3, [[0, 1], [2, 3], [4, 5], [6], [7], [8], [9]]),
        (3, 3, [[0], [1], [2]]),  # a run no longer than the tail: all singles
        (2, 3, [[0], [1]]),
        (0, 3, []),
        (5, 0, [[0, 1], [2, 3], [4]]),
    ],
)
def test_chunked_sends_the_last_items_one_per_chunk(n: int, tail: int, expected: list[list[int]]) -> None:
    """The end of a run: while one worker finishes its last full chunk, the others take singles."""
    assert list(chunked(range(n), 2, 100, tail=tail)) == expected


def test_chunked_reads_only_the_tail_ahead() -> None:
    read = [0]

    def counted() -> Iterator[int]:
        for k in range(100):
            read[0] += 1
            yield k

    chunks = chunked(counted(), 4, 100, tail=6)
    assert next(chunks) == [0, 1, 2, 3]
    assert read[0] == 4 + 6 + 1  # the chunk, the tail read ahead, and the item that closed the chunk


def test_task_weight_is_the_size_of_the_texts(tmp_path: Path) -> None:
    (tmp_path / "ref.txt").write_text("x" * 100, encoding="utf-8")
    inline = Record(1, {"id": "a", "reference": "abc", "candidate": "de", "baseline": "f"}, None)
    paths = Record(2, {"id": "b", "reference_path": "ref.txt", "candidate_path": "missing.txt"}, None)
    bad = Record(3, None, "not JSON")
    settings = BatchSettings(base_dir=str(tmp_path))
    assert [task_weight(_Task(r, None, settings, (), False)) for r in (inline, paths, bad)] == [6, 100, 0]


def test_results_come_in_input_order_with_errors_in_place(tmp_path: Path) -> None:
    path = _write_pairs(tmp_path, extra=('{"id": "e"}', "not json"))
    results = list(iter_results(read_records(path, 10**6), BatchSettings(), LocalEngine(1)))
    assert [r.name for r in results] == ["a", "b", "c", "d", "e", "line 6"]
    assert [r.ok for r in results] == [True, True, True, True, False, False]
    assert results[4].error == 'record "e" has no "reference" text or "reference_path"; give one of them'
    assert all(r.diagnosis is None for r in results)


def test_keep_diagnosis_returns_the_diagnosis_of_each_good_record(tmp_path: Path) -> None:
    path = _write_pairs(tmp_path)
    results = list(iter_results(read_records(path, 10**6), BatchSettings(), keep_diagnosis=True))
    assert [r.diagnosis.id for r in results if r.diagnosis is not None] == ["a", "b", "c", "d"]


# --- choosing the engine --------------------------------------------------------------------


@pytest.mark.parametrize(
    "jobs, env, expected_jobs",
    [
        (None, None, os.cpu_count() or 1),
        (3, None, 3),
        (2, "tcp://127.0.0.1:1", 2),  # an explicit -j wins over the environment
    ],
)
def test_local_engine_from_options(
    jobs: int | None, env: str | None, expected_jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is None:
        monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    else:
        monkeypatch.setenv(SCHEDULER_ENV, env)
    engine = engine_from(jobs, None)
    assert isinstance(engine, LocalEngine)
    assert engine.jobs == expected_jobs


def test_jobs_and_scheduler_together_are_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_pairs(tmp_path)
    code = cli.main(["batch", str(path), "-o", str(tmp_path / "out.jsonl"), "-j", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert capsys.readouterr().err == (
        "diag: --jobs is for the local pool; with --scheduler the cluster's workers do the work\n"
    )


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("diag.engines.CONNECT_TIMEOUT", 1)
    path = _write_pairs(tmp_path)
    out = tmp_path / "out.jsonl"
    code = cli.main(["batch", str(path), "-o", str(out), "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("diag: --scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler (")
    assert err.endswith("); check the address or start one with 'dask scheduler'\n")
    assert err.count("\n") == 1
    assert not out.exists()


def test_engine_from_names_the_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_distributed(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "distributed":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(ConfigError, match=r"^--scheduler tcp://h:1: Dask distributed is not installed; pip install 'diag\[dask\]'$"):
        engine_from(None, "tcp://h:1")


# --- the same bytes on every engine ---------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A real scheduler and two worker processes on localhost."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def _batch(path: Path, out: Path, *engine: str) -> bytes:
    assert cli.main(["batch", str(path), "-o", str(out), "--strict", *engine]) == 3  # one bad record on purpose
    return out.read_bytes()


def test_batch_output_is_identical_on_one_job_a_pool_and_a_local_cluster(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    path = _write_pairs(tmp_path, extra=('{"id": "e"}',))
    one = _batch(path, tmp_path / "one.jsonl", "-j", "1")
    pool = _batch(path, tmp_path / "pool.jsonl", "-j", "2")
    dask = _batch(path, tmp_path / "dask.jsonl", "--scheduler", cluster)
    monkeypatch.setenv(SCHEDULER_ENV, cluster)
    env = _batch(path, tmp_path / "env.jsonl")
    assert len(one.splitlines()) == 5
    assert one == pool == dask == env


def test_batch_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Every worker process (on every machine) hashes strings with its own seed, so nothing
    written may depend on the order of a set or dict of strings: the same bytes with seed 0 and 1.
    (A mean over a dict of word stems once came out +0.0 in one process and -0.0 in another.)"""
    import subprocess
    import sys

    from conftest import eval_path

    docs = eval_path("mt_detection_docs.jsonl")
    head = tmp_path / "head.jsonl"
    with docs.open(encoding="utf-8") as f:
        head.write_text("".join(next(f) for _ in range(4)), encoding="utf-8")
    outputs = []
    for seed in ("0", "1"):
        out = tmp_path / f"seed{seed}.jsonl"
        env = {k: v for k, v in os.environ.items() if k != SCHEDULER_ENV} | {"PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "diag", "batch", str(head), "-o", str(out), "-j", "1"],
                              env=env, capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert len(outputs[0].splitlines()) == 4
    assert outputs[0] == outputs[1]


def test_check_batch_prints_the_same_on_a_local_cluster(
    tmp_path: Path, cluster: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    path = _write_pairs(tmp_path, extra=('{"id": "e"}',))
    runs = []
    for engine in (["-j", "1"], ["--scheduler", cluster]):
        code = cli.main(["check", "--batch", str(path), "--min-chrf", "60", "--config", str(_empty_config(tmp_path)), *engine])
        runs.append((code, capsys.readouterr()))
    assert runs[0][0] == runs[1][0] == 3
    assert runs[0][1].out == runs[1][1].out
    assert runs[0][1].err == runs[1][1].err == 'diag: e: record "e" has no "reference" text or "reference_path"; give one of them\n'
    assert "FAIL c\n" in runs[0][1].out


def _empty_config(folder: Path) -> Path:
    path = folder / "gate.toml"
    path.write_text("", encoding="utf-8")
    return path


def test_check_batch_keeps_only_the_first_diagnosis_without_sarif_or_github(tmp_path: Path) -> None:
    """Memory does not grow with the diagnoses: outcomes keep gate results, not diagnoses."""
    path = _write_pairs(tmp_path)
    args = cli.build_parser().parse_args(["check", "--batch", str(path), "--min-chrf", "10", "-j", "1"])
    config = cli.load_gate_config(args)
    outcomes = list(cli._check_batch(args, config, keep_diagnoses=False))
    assert [o.diagnosis is not None for o in outcomes] == [True, False, False, False]
    assert all(o.result is not None for o in outcomes)
    kept = list(cli._check_batch(args, config, keep_diagnoses=True))
    assert [o.diagnosis is not None for o in kept] == [True, True, True, True]


def _scheduler_tasks(engine: DaskEngine) -> int:
    """Tasks the scheduler has finished so far, counted by the scheduler itself."""

    def finished(dask_scheduler: Any) -> int:
        prefix = dask_scheduler.task_prefixes.get("run_chunk")
        return 0 if prefix is None else int(prefix.state_counts["memory"])

    return int(engine.client.run_on_scheduler(finished))


def test_a_dask_run_sends_records_in_chunks_and_keeps_a_bounded_window(cluster: str) -> None:
    """23 small records in chunks of 4: 6 tasks, the scheduler runs 6, and reading stays at most
    2 workers x 2 tasks x 4 records ahead of the results."""
    engine = DaskEngine(cluster, Chunking(items=4, weight=10**6, tasks_per_worker=2, tail_per_worker=0))
    try:
        before = _scheduler_tasks(engine)
        read = [0]
        seen = []
        for result in iter_results(_counted_records(23, read), BatchSettings(), engine):
            seen.append(result.line)
            assert read[0] - len(seen) <= 2 * 2 * 4
        assert seen == list(range(1, 24))
        assert (engine.tasks, engine.items) == (6, 23)
        assert _scheduler_tasks(engine) - before == 6
    finally:
        engine.close()


def test_a_dask_run_ends_with_one_record_per_task(cluster: str) -> None:
    """23 records in chunks of 4, the last 2 per worker (2 workers) one per task: 19 records in 5
    chunks, then 4 singles; reading stays at most the window plus the tail ahead of the results."""
    engine = DaskEngine(cluster, Chunking(items=4, weight=10**6, tasks_per_worker=2, tail_per_worker=2))
    try:
        before = _scheduler_tasks(engine)
        read = [0]
        seen = []
        for result in iter_results(_counted_records(23, read), BatchSettings(), engine):
            seen.append(result.line)
            assert read[0] - len(seen) <= 2 * 2 * 4 + 2 * 2 + 1
        assert seen == list(range(1, 24))
        assert (engine.tasks, engine.items) == (9, 23)
        assert _scheduler_tasks(engine) - before == 9
    finally:
        engine.close()


def test_a_dask_run_sends_a_record_over_the_weight_alone(cluster: str) -> None:
    """Chunks close at 200 characters of text: the records (about 150 characters each) go one per task."""
    engine = DaskEngine(cluster, Chunking(items=8, weight=200, tasks_per_worker=2, tail_per_worker=0))
    try:
        results = list(iter_results(_counted_records(5, [0]), BatchSettings(), engine))
        assert [r.ok for r in results] == [True] * 5
        assert (engine.tasks, engine.items) == (5, 5)
    finally:
        engine.close()


def test_a_dask_task_carries_the_settings_once_and_returns_only_output_lines(
    cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What crosses the wire per chunk: the records' texts plus one copy of the settings (made
    large here, so that a copy per record would show); back come the output lines, no diagnoses."""
    import pickle

    engine = DaskEngine(cluster, Chunking(tail_per_worker=0))
    sent: list[int] = []
    submit = engine.client.submit

    def counting_submit(fn: Any, func: Any, chunk: list[Any], **kwargs: Any) -> Any:
        sent.append(len(pickle.dumps(chunk)))
        return submit(fn, func, chunk, **kwargs)

    monkeypatch.setattr(engine.client, "submit", counting_submit)
    records = list(_counted_records(8, [0]))
    texts = sum(len(r["reference"]) + len(r["candidate"]) for r in (rec.data or {} for rec in records))
    try:
        results = list(iter_results(iter(records), BatchSettings(base_dir="/" + "x" * 5000), engine))
    finally:
        engine.close()
    assert [r.ok for r in results] == [True] * 8
    assert all(r.diagnosis is None for r in results)
    assert len(sent) == 1
    assert 5000 + texts < sent[0] < 5000 + texts + 8 * 300  # per record: its texts and a few field names
