#!/usr/bin/env python3
"""``diag scan`` and the Dask engine: cost per candidate as the references grow, and throughput per worker.

    .venv/bin/python benchmarks/scan.py              # S1-S3, about 15 minutes on 2 idle cores
    .venv/bin/python benchmarks/scan.py --quick      # scales 1,3,10 and fewer records (a smoke run)
    .venv/bin/python benchmarks/scan.py --only S3

S1  retrieval: the references at 1x, 10x and 100x the 241 distinct references of
    ../shared/eval/dev/mt_detection_docs.jsonl (the real ones plus synthetic articles, each
    made of lines drawn at random from all of them, so that every added article shares
    vocabulary with the real ones). A child process builds the index (seconds per reference,
    peak memory) and retrieves and re-ranks for every candidate (ms per candidate, and how
    often a translation's own reference comes first). Side by side in the same child:
    sacrebleu's chrF of one candidate against one reference, times the number of references:
    what finding the source by scoring every reference would cost (the ratio is the index's
    saving).
S2  the whole scan (``diag scan -j 1`` on the first N candidates, the index built beforehand
    and reused with ``--index``): seconds per candidate and peak memory, at each scale.
S3  the Dask engine: ``diag batch`` on the dev documents with ``--scheduler`` on a
    ``distributed.LocalCluster`` of 1 and then 2 worker processes (one thread each), runs
    interleaved, each after every worker has loaded diag's data, with CLUSTER_CONFIG (the
    README's worker settings; ``--dask-defaults`` for Dask's); pairs per second, scaling
    efficiency (also over the workers' span, without the command's start-up), and a check that
    the output is the same bytes as the local engine's. Beside them, the local engine's own
    efficiency (``-j 2`` against ``-j 1``: what the machine gives two processes in that hour)
    and the figures that do not need a quiet machine: pairs per worker CPU second, the
    workers' CPU per pair by thread (the task's, the rest), the Dask tasks the scheduler ran,
    and the CPU the client and the scheduler spent per pair (taken from the same cores as the
    workers').

Nothing is asserted as a time. The machines are shared: the table records the load average
before and after and the cores the runs actually got (CPU seconds per wall second). The
synthetic references exist only in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import DEFAULT_RESULTS, DEFAULT_SHARED, ROOT, diag_command, machine, median, run_child  # noqa: E402

DOCS = Path("eval") / "dev" / "mt_detection_docs.jsonl"
GOALS = {"S3": 0.9}


# --- inputs -----------------------------------------------------------------------------------


def corpora(source: Path, folder: Path, scale: int, seed: int = 16) -> tuple[Path, Path, dict[str, str]]:
    """references.jsonl (the real references, then synthetic ones up to ``scale`` times as many)
    and candidates.jsonl in ``folder``; the own reference id of each candidate."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    ref_ids: dict[str, str] = {}
    own: dict[str, str] = {}
    for rec in records:
        ref_ids.setdefault(rec["reference"], f"ref-{len(ref_ids):06d}")
        own[str(rec["id"])] = ref_ids[rec["reference"]]
    lines = [line for text in ref_ids for line in text.splitlines() if len(line.split()) > 3]
    rng = random.Random(seed)
    refs = folder / f"references-{scale}x.jsonl"
    with refs.open("w", encoding="utf-8") as f:
        for text, rid in ref_ids.items():
            f.write(json.dumps({"id": rid, "text": text}) + "\n")
        for k in range(len(ref_ids) * (scale - 1)):
            text = "\n".join(rng.sample(lines, min(len(lines), rng.randint(8, 20))))
            f.write(json.dumps({"id": f"syn-{k:06d}", "text": text}) + "\n")
    cands = folder / "candidates.jsonl"
    with cands.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps({"id": rec["id"], "text": rec["candidate"], "label": rec["label"]}) + "\n")
    return refs, cands, own


# --- children -----------------------------------------------------------------------------------


def child_retrieval(refs: Path, cands: Path, index_path: Path, own_path: Path, chrf_sample: int) -> dict[str, Any]:
    """S1 in one process: build the index, then retrieve for every candidate; chrF beside it."""
    import resource

    from sacrebleu.metrics import CHRF

    from diag.scan import Index, iter_corpus, marks, rerank

    own = json.loads(own_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    index = Index.build(index_path, iter_corpus(refs, 10**8, "references"), refs)
    build = time.perf_counter() - start
    rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    entries = [json.loads(line) for line in cands.read_text(encoding="utf-8").splitlines()]
    right = translations = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for e in entries:
        hits = rerank(index.search(e["text"]), marks(e["text"]), index.marks)
        if e["label"] != "independent_same_domain":
            translations += 1
            right += bool(hits) and hits[0].id == own[str(e["id"])]
    retrieval_wall = (time.perf_counter() - wall) / len(entries)
    retrieval_cpu = (time.process_time() - cpu) / len(entries)
    chrf = CHRF()
    sample = entries[:chrf_sample]
    texts = [index.text(own[str(e["id"])]) for e in sample]
    cpu = time.process_time()
    for e, ref in zip(sample, texts, strict=True):
        chrf.sentence_score(e["text"], [ref])
    chrf_cpu = (time.process_time() - cpu) / len(sample)
    return {
        "references": index.size,
        "build_s": build,
        "build_ms_per_reference": 1000 * build / index.size,
        "index_mb": index_path.stat().st_size / 1024**2,
        "rss_build_mb": rss_build,
        "retrieval_ms": 1000 * retrieval_wall,
        "retrieval_cpu_ms": 1000 * retrieval_cpu,
        "chrf_pair_cpu_ms": 1000 * chrf_cpu,
        "brute_force_chrf_ms": 1000 * chrf_cpu * index.size,
        "top1_translations": right / translations,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_s1_s2(shared: Path, scales: list[int], scan_limit: int, tmp: Path) -> dict[str, Any]:
    diag_cmd, _ = diag_command()
    rows = []
    for scale in scales:
        refs, cands, own = corpora(shared / DOCS, tmp, scale)
        own_path = tmp / "own.json"
        own_path.write_text(json.dumps(own), encoding="utf-8")
        index = tmp / f"index-{scale}x.db"
        run = run_child([sys.executable, str(Path(__file__)), "--child", str(refs), str(cands), str(index), str(own_path)],
                        cwd=ROOT).check(f"S1 {scale}x")
        row: dict[str, Any] = json.loads(run.out.strip().splitlines()[-1]) | {"scale": scale}
        print(f"  S1 {scale}x: {row['references']} references, build {row['build_s']:.1f} s, "
              f"retrieval {row['retrieval_ms']:.1f} ms/candidate", file=sys.stderr)
        subset = tmp / "subset.jsonl"
        subset.write_text("".join(cands.read_text(encoding="utf-8").splitlines(keepends=True)[:scan_limit]), encoding="utf-8")
        out = tmp / f"scan-{scale}x.jsonl"
        scan = run_child([*diag_cmd, "scan", "-r", str(refs), "-c", str(subset), "-o", str(out), "-j", "1",
                          "--index", str(index)])
        if scan.code not in (0, 3):
            scan.check(f"S2 {scale}x")
        row["scan"] = {"candidates": scan_limit, "wall_s_per_candidate": scan.wall / scan_limit,
                       "cpu_s_per_candidate": scan.cpu / scan_limit, "rss_mb": scan.rss_mb}
        print(f"  S2 {scale}x: {scan.wall / scan_limit:.3f} s/candidate, {scan.rss_mb:.0f} MB", file=sys.stderr)
        rows.append(row)
        refs.unlink()
    return {"rows": rows}


#: The Dask configuration of the clusters S3 starts (and the README's worker command): Dask's
#: defaults tick over whether or not there is work, and on two cores that CPU is the workers'.
#: Idle, a LocalCluster of two workers spent 134 ms of CPU per second with the defaults (the
#: scheduler and nannies 52, each worker 41, half of it the statistical profiler) and 24 ms with
#: these: the profiler off (it samples the task's thread every 10 ms, taking the GIL from it),
#: the event-loop health check every second instead of every 20 ms, the memory monitor every
#: second instead of every 100 ms. And the scheduler hands a worker a task only when it is free
#: (worker saturation 1.0; Dask's 1.1 lets each one-thread worker hold a second task, which an
#: idle worker then waits for at the end of a run). ``--dask-defaults`` measures the cluster as
#: Dask ships it.
CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.worker-saturation": 1.0,
}


def bench_s3(shared: Path, limit: int | None, reps: int, tmp: Path, *, dask_defaults: bool = False,
             warm: str = "each") -> dict[str, Any]:
    import dask
    from distributed import Client, LocalCluster, get_task_stream

    from diag.batch import warm_up

    diag_cmd, _ = diag_command()
    lines = [line for line in (shared / DOCS).read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = lines[:limit] if limit else lines
    records = tmp / "records.jsonl"
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warmup = tmp / "warmup.jsonl"
    warmup.write_text("\n".join(lines[:8]) + "\n", encoding="utf-8")
    local = tmp / "local.jsonl"
    local2 = tmp / "local2.jsonl"
    runs: dict[int, list[Any]] = {1: [], 2: []}
    local_runs: dict[int, list[Any]] = {1: [], 2: []}
    same = True
    env = {k: v for k, v in os.environ.items() if k != "DIAG_SCHEDULER"}
    config = {} if dask_defaults else CLUSTER_CONFIG
    for k in range(reps):
        # the local engine, -j 1 (in this process) and -j 2 (two forked processes): one worker's
        # yardstick, and what two processes of the same work get from this machine in this hour
        order = (1, 2) if k % 2 == 0 else (2, 1)
        for jobs in order:
            local_runs[jobs].append(run_child([*diag_cmd, "batch", str(records), "-o", str(local if jobs == 1 else local2),
                                               "-j", str(jobs)]).check(f"S3 local -j {jobs}"))
        same = same and local2.read_bytes() == local.read_bytes()
        for workers in order:
            with dask.config.set(config), LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None) as c:
                out = tmp / f"dask{workers}.jsonl"
                # untimed: the client's path and the first tasks, which need not reach every
                # worker (before the engine sent a run's last pairs one per task, these 8
                # records were one task: one worker); so each worker also loads diag's data
                # (about 2 s of CPU, which a worker otherwise spends in the timed run)
                warm_run = subprocess.run([*diag_cmd, "batch", str(warmup), "-o", str(out), "--scheduler",
                                           c.scheduler_address], capture_output=True, env=env)
                with Client(c) as client:
                    if warm == "each":
                        client.run(warm_up)
                    before = _cluster_usage(client)
                    with get_task_stream(client) as stream:
                        started = time.time()
                        run = run_child([*diag_cmd, "batch", str(records), "-o", str(out), "--scheduler", c.scheduler_address])
                    used = {k: v - before[k] for k, v in _cluster_usage(client).items()}
                if run.code not in (0, 3) or warm_run.returncode not in (0, 3):
                    run.check(f"S3 {workers} workers")
                same = same and out.read_bytes() == local.read_bytes()
                used["occupancy"] = _occupancy(stream.data, workers)
                used["span"], used["startup"] = _span(stream.data, started)
                runs[workers].append(used | {"wall": run.wall, "cpu_workers": used["workers"], "cpu_client": run.cpu})
                print(f"  S3 {workers} worker(s): {len(lines)} records in {run.wall:.1f} s, {used['tasks']:.0f} tasks, "
                      f"workers busy {used['occupancy']:.2f} of the time, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    n = len(lines)
    result: dict[str, Any] = {"records": n, "same_output_as_local": same,
                              "dask_config": "Dask's defaults" if dask_defaults else CLUSTER_CONFIG, "warm": warm}
    for workers, rs in runs.items():
        wall = median([r["wall"] for r in rs])
        cpu = median([r["cpu_workers"] for r in rs])
        result[f"w{workers}"] = {
            "wall": [r["wall"] for r in rs],
            "pairs_per_s": n / wall,
            "cores_used": cpu / wall,
            "pairs_per_cpu_s": n / cpu,
            # the workers' CPU per pair: the thread that runs the tasks, and the rest (the event
            # loop: messages, heartbeats, monitors, the profiler's samples)
            "task_thread_ms_per_pair": 1000 * median([r["task_thread"] for r in rs]) / n,
            "other_threads_ms_per_pair": 1000 * median([r["workers"] - r["task_thread"] for r in rs]) / n,
            "tasks": median([r["tasks"] for r in rs]),
            "occupancy": median([r["occupancy"] for r in rs]),
            # the workers' span (first task start to last task end): the run without the
            # command's start-up (the interpreter, imports, connecting), which one worker and two
            # pay alike and which a long corpus makes negligible
            "span_pairs_per_s": n / median([r["span"] for r in rs]),
            "startup_s": median([r["startup"] for r in rs]),
            # what the run costs outside the workers, taken from the same two cores
            "client_ms_per_pair": 1000 * median([r["cpu_client"] for r in rs]) / n,
            "scheduler_ms_per_pair": 1000 * median([r["scheduler"] for r in rs]) / n,
        }
    result["efficiency"] = result["w2"]["pairs_per_s"] / (2 * result["w1"]["pairs_per_s"])
    result["span_efficiency"] = result["w2"]["span_pairs_per_s"] / (2 * result["w1"]["span_pairs_per_s"])
    result["local_j1_pairs_per_s"] = n / median([r.wall for r in local_runs[1]])
    result["local_j2_pairs_per_s"] = n / median([r.wall for r in local_runs[2]])
    result["local_efficiency"] = result["local_j2_pairs_per_s"] / (2 * result["local_j1_pairs_per_s"])
    # The work the engine adds when it splits the run in two (1.0: none); it does not depend on
    # whether the machine had a second core free, which the wall-clock efficiency does.
    result["cpu_efficiency"] = result["w2"]["pairs_per_cpu_s"] / result["w1"]["pairs_per_cpu_s"]
    return result


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _task_thread_cpu() -> float:
    """CPU seconds of this worker's task threads (Dask's executor, named ``...Dask-Default-Threads...``),
    from ``/proc/self/task`` (Linux; elsewhere 0)."""
    import threading

    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for tid in os.listdir("/proc/self/task") if os.path.isdir("/proc/self/task") else ():
        if "Dask-Default-Threads" not in names.get(int(tid), ""):
            continue
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _cluster_usage(client: Any) -> dict[str, float]:
    """CPU seconds used so far by the cluster's workers (all their threads, and the task threads
    alone) and by its scheduler (this process: ``LocalCluster`` runs the scheduler and the
    workers' nannies here), and the tasks the scheduler has finished."""

    def tasks(dask_scheduler: Any) -> int:
        return sum(int(prefix.state_counts["memory"]) for prefix in dask_scheduler.task_prefixes.values())

    return {
        "workers": float(sum(client.run(_own_cpu).values())),
        "task_thread": float(sum(client.run(_task_thread_cpu).values())),
        "scheduler": float(client.run_on_scheduler(_own_cpu)),
        "tasks": float(client.run_on_scheduler(tasks)),
    }


def _span(stream: list[dict[str, Any]], started: float) -> tuple[float, float]:
    """Seconds from the first task's start to the last task's end, and from the command's
    start (``started``, wall-clock time) to the first task's start."""
    spans = [(s["start"], s["stop"]) for task in stream for s in task["startstops"] if s["action"] == "compute"]
    if not spans:
        return float("nan"), float("nan")
    first = min(start for start, _ in spans)
    return max(stop for _, stop in spans) - first, first - started


def _occupancy(stream: list[dict[str, Any]], workers: int) -> float:
    """Share of the run (first task start to last task end) the workers spent computing a task.

    A worker without a task waits for the client, which submits in input order: this is the
    cost of the in-flight window, and it does not depend on how busy the machine is (a slower
    machine stretches the tasks and the waits alike)."""
    spans = [(s["start"], s["stop"]) for task in stream for s in task["startstops"] if s["action"] == "compute"]
    if not spans:
        return 0.0
    run = max(stop for _, stop in spans) - min(start for start, _ in spans)
    return sum(stop - start for start, stop in spans) / (workers * run) if run > 0 else 1.0


# --- report -------------------------------------------------------------------------------------


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['system']}, Python {m['python']}; "
        f"load average {m['load_average']} at start, {results['load_average_end']} at end.",
        "",
    ]
    if "S1" in results:
        rows = results["S1"]["rows"]
        table: list[tuple[str, str, Any]] = [
            ("references", "{:d}", lambda r: r["references"]),
            ("index build, ms per reference", "{:.2f}", lambda r: r["build_ms_per_reference"]),
            ("index file, MB", "{:.1f}", lambda r: r["index_mb"]),
            ("retrieval + re-rank, ms per candidate (CPU)", "{:.1f}", lambda r: r["retrieval_cpu_ms"]),
            ("sacrebleu chrF of the candidate against every reference, ms (CPU)", "{:.0f}", lambda r: r["brute_force_chrf_ms"]),
            ("ratio: retrieval / chrF against every reference", "{:.4f}", lambda r: r["retrieval_cpu_ms"] / r["brute_force_chrf_ms"]),
            ("translations with their own reference first", "{:.3f}", lambda r: r["top1_translations"]),
            ("peak memory of index build + retrieval, MB", "{:.0f}", lambda r: r["rss_mb"]),
            ("S2 `diag scan -j 1`, s per candidate (wall)", "{:.3f}", lambda r: r["scan"]["wall_s_per_candidate"]),
            ("S2 `diag scan -j 1`, s per candidate (CPU)", "{:.3f}", lambda r: r["scan"]["cpu_s_per_candidate"]),
            ("S2 `diag scan -j 1`, peak memory, MB", "{:.0f}", lambda r: r["scan"]["rss_mb"]),
        ]
        out += [
            "| measure | " + " | ".join(f"{r['scale']}x" for r in rows) + " |",
            "|---|" + "---:|" * len(rows),
        ]
        out += ["| " + label + " | " + " | ".join(fmt.format(get(r)) for r in rows) + " |" for label, fmt, get in table]
    if "S3" in results:
        s3 = results["S3"]
        out += [
            "",
            f"S3: {s3['records']} records; the clusters' Dask configuration: "
            + ("Dask's defaults" if s3["dask_config"] == "Dask's defaults"
               else ", ".join(f"`{k}` {v}" for k, v in s3["dask_config"].items()))
            + f"; warm-up: {'each worker loads diag' if s3['warm'] == 'each' else 'one batch of 8 records'}.",
            "",
            "| benchmark | measure | 1 worker | 2 workers | ratio | goal | met |",
            "|---|---|---:|---:|---:|---|---|",
            f"| S3 Dask | pairs/s, {s3['records']} records (`diag batch --scheduler`, LocalCluster) | "
            f"{s3['w1']['pairs_per_s']:.1f} | {s3['w2']['pairs_per_s']:.1f} | efficiency {s3['efficiency']:.2f} | "
            f">= {GOALS['S3']} | {'yes' if s3['efficiency'] >= GOALS['S3'] else '**no**'} |",
            f"| S3 Dask | pairs/s over the workers' span (first task start to last task end; the command's start-up, "
            f"{s3['w1']['startup_s']:.1f} and {s3['w2']['startup_s']:.1f} s, left out) | {s3['w1']['span_pairs_per_s']:.1f} | "
            f"{s3['w2']['span_pairs_per_s']:.1f} | efficiency {s3['span_efficiency']:.2f} | | |",
            f"| S3 Dask | cores the workers got (CPU s / wall s) | {s3['w1']['cores_used']:.2f} | "
            f"{s3['w2']['cores_used']:.2f} | | 2 workers near 2.0 | |",
            f"| S3 Dask | pairs per worker CPU second (the engine's own overhead) | {s3['w1']['pairs_per_cpu_s']:.1f} | "
            f"{s3['w2']['pairs_per_cpu_s']:.1f} | {s3['cpu_efficiency']:.2f} | ~1.0 | |",
            f"| S3 Dask | worker CPU ms per pair: the task thread + the other threads (event loop, monitors) | "
            f"{_threads(s3['w1'])} | {_threads(s3['w2'])} | "
            f"{s3['w1']['task_thread_ms_per_pair'] / max(s3['w2']['task_thread_ms_per_pair'], 1e-9):.2f} | | |",
            f"| local engine | pairs/s, `-j 1` / `-j 2` (two processes of the same work on this machine, no Dask) | "
            f"{s3['local_j1_pairs_per_s']:.1f} | {s3['local_j2_pairs_per_s']:.1f} | efficiency {s3['local_efficiency']:.2f} | | |",
            f"| S3 Dask | Dask tasks per run | {s3['w1']['tasks']:.0f} | {s3['w2']['tasks']:.0f} | | | |",
            f"| S3 Dask | share of the run the workers had a task to compute (the window's cost) | "
            f"{s3['w1']['occupancy']:.3f} | {s3['w2']['occupancy']:.3f} | | near 1.0 | |",
            f"| S3 Dask | pairs/s, 1 worker vs the local engine `-j 1` (Dask's own cost) | {s3['w1']['pairs_per_s']:.1f} | "
            f"local {s3['local_j1_pairs_per_s']:.1f} | {s3['w1']['pairs_per_s'] / s3['local_j1_pairs_per_s']:.2f} | ~1.0 | |",
            f"| S3 Dask | CPU ms per pair outside the workers: client (with its start-up) + scheduler (with the nannies) | "
            f"{_outside(s3['w1'])} | {_outside(s3['w2'])} | | | |",
            f"| S3 Dask | output identical to the local engine's | {s3['same_output_as_local']} | | | identical | "
            f"{'yes' if s3['same_output_as_local'] else '**no**'} |",
        ]
    return "\n".join(out)


def _threads(row: dict[str, Any]) -> str:
    return f"{row['task_thread_ms_per_pair']:.1f} + {row['other_threads_ms_per_pair']:.1f}"


def _outside(row: dict[str, Any]) -> str:
    client, scheduler = row["client_ms_per_pair"], row["scheduler_ms_per_pair"]
    return f"{client:.1f} + {scheduler:.1f} = {client + scheduler:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="scales 1,3,10, 20 scanned candidates, 60 S3 records")
    parser.add_argument("--only", default="S1,S3", help="S1 (with S2) and/or S3 (default both)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help=f"input folder (default {DEFAULT_SHARED})")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="where the JSON goes")
    parser.add_argument("--scales", help="S1 scales (default 1,10,100)")
    parser.add_argument("--scan-limit", type=int, help="S2: candidates scanned per scale (default 60)")
    parser.add_argument("--s3-limit", type=int, help="S3: only the first N records (default all)")
    parser.add_argument("--reps", type=int, default=2, help="S3: interleaved runs per worker count (default 2)")
    parser.add_argument("--dask-defaults", action="store_true",
                        help="S3: start the clusters with Dask's default configuration instead of CLUSTER_CONFIG")
    parser.add_argument("--warm", choices=("each", "one"), default="each",
                        help="S3: before timing, warm each worker (default) or, as before, only send one batch of 8 "
                             "records through a client")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if str(ROOT) not in sys.path:
            sys.path.insert(1, str(ROOT))
        refs, cands, index, own = map(Path, args.child)
        print(json.dumps(child_retrieval(refs, cands, index, own, chrf_sample=40)))
        return 0
    if not (args.shared / DOCS).is_file():
        print(f"skipping: {args.shared / DOCS} not found; pass --shared DIR", file=sys.stderr)
        return 0
    scales = [int(s) for s in (args.scales or ("1,3,10" if args.quick else "1,10,100")).split(",")]
    only = {s.strip().upper() for s in args.only.split(",")}
    results: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="diag-bench-scan-") as folder:
        tmp = Path(folder)
        if "S1" in only:
            print("running S1/S2 ...", file=sys.stderr)
            results["S1"] = bench_s1_s2(args.shared, scales, args.scan_limit or (20 if args.quick else 60), tmp)
        if "S3" in only:
            print("running S3 ...", file=sys.stderr)
            results["S3"] = bench_s3(args.shared, args.s3_limit or (60 if args.quick else None), args.reps, tmp,
                                     dask_defaults=args.dask_defaults, warm=args.warm)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    table = render(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    target = args.results / f"scan-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results | {"table": table}, indent=2), encoding="utf-8")
    print(f"\nresults: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
