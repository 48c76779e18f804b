#!/usr/bin/env python3
"""diag's benchmarks, side by side with sacrebleu: one command, one markdown table.

    python3 benchmarks/run.py                 # B1-B4, about 10 minutes on 2 cores
    python3 benchmarks/run.py --quick         # smaller sizes, fewer repeats (about 2 minutes)
    python3 benchmarks/run.py --only B1,B4    # some of them

B1  ``diag report`` on seeds 001 (reference) / 000 (candidate) against sacrebleu computing
    BLEU, chrF and TER on diag's aligned sentence pairs: cold CLI against sacrebleu's CLI,
    and in-process ``diagnose()`` against sacrebleu's ``corpus_score``.
B2  growth: the seeds concatenated 1x, 10x, 100x; seconds per sentence and peak memory.
B3  ``diag batch`` on ../shared/eval/dev/mt_detection_docs.jsonl with 1 and 2 workers.
B4  start-up: ``diag --help`` and ``python -c "import diag"``.
B6  bounded cost: memory per input byte (peak RSS of the child, from its own VmHWM) and CPU
    per input byte at 1x, 10x, 100x the seeds and at 10 MB, and the pathological inputs:
    a 10 MB prose document against itself, 10 MB of generated prose against itself, against
    a perturbed copy, and that copy (mostly distinct sentences) against itself, a 10 MB line of one repeated word, a 600 KB
    sentence with no punctuation, 2 MB of punctuation-dense text (split only).

The machines are shared and noisy, so nothing here is an absolute timing test: every
figure that is judged is a ratio of two things measured in the same run, with repeated
runs interleaved (A B A B ...) and medians taken. Each timed run is a child process;
its CPU time and peak memory come from ``os.wait4`` (that child and the workers it
reaped). Input comes from ../shared (relative to the repository) or ``--shared``; a
benchmark whose input is missing is skipped with a message. Results are also written as
JSON to benchmarks/results/ (git-ignored).

Stdlib only, plus the project and sacrebleu (a dependency of the project) in the child
processes. Run it with the interpreter that has diag installed (``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_RESULTS = ROOT / "benchmarks" / "results"
REFERENCE_SEED = "001"
CANDIDATE_SEED = "000"
BATCH_FILE = Path("eval") / "dev" / "mt_detection_docs.jsonl"
HEAVY_MODULES = ("nltk", "sacrebleu", "rich", "numpy", "scipy", "regex")

GOALS = {
    "B1": 1.3,  # diag / sacrebleu, same run
    "B2_growth": 11 / 10,  # (time ratio) / (length ratio) between consecutive sizes
    "B2_mb": 500.0,  # peak RSS at the largest size
    "B3": 0.9,  # scaling efficiency, 2 workers
    "B4": 0.3,  # seconds
    "B6_bytes": 100.0,  # peak RSS per input byte at 10 MB
    "B6_growth": 2.0,  # CPU per input byte at 10 MB / at 1x the seeds
    "B6_seconds": 60.0,  # CPU seconds, 10 MB of prose against itself (issue 17)
    "B6_mb": 1024.0,  # peak RSS, the same
}
#: B6's inputs: (name, what, bytes); built in the child from the seeds (never shipped).
B6_INPUTS = (
    ("prose10", "10 MB prose (the seeds repeated) against itself", 10 * 1024 * 1024),
    ("generated10", "10 MB of generated prose (short sentences with names and numbers) against itself", 10 * 1024 * 1024),
    ("perturbed10", "10 MB of generated prose against a copy with one or two edits in every sentence", 10 * 1024 * 1024),
    ("distinct10", "that perturbed copy (mostly distinct sentences) against itself", 10 * 1024 * 1024),
    ("word10", "10 MB line of one repeated word against seed 001", 10 * 1024 * 1024),
    ("sentence600", "600 KB sentence with no punctuation against seed 000", 600 * 1024),
    ("dense2", '2 MB of ". . . . 1. 2. 3. ", split only', 2_000_000),
)


# --- child processes ----------------------------------------------------------------------


class Run:
    """One finished child process: wall and CPU seconds, peak RSS (MB), exit code, output."""

    def __init__(self, wall: float, cpu: float, rss_mb: float, code: int, out: str, err: str) -> None:
        self.wall, self.cpu, self.rss_mb, self.code, self.out, self.err = wall, cpu, rss_mb, code, out, err

    def check(self, what: str) -> Run:
        if self.code != 0:
            raise RuntimeError(f"{what} exited {self.code}: {self.err.strip()[-2000:]}")
        return self


def run_child(cmd: Sequence[str], *, cwd: Path | None = None, stdin: Path | None = None) -> Run:
    """Run ``cmd``; wall time from the parent, CPU and peak memory from ``os.wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin_handle = stdin.open("rb") if stdin else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=stdin_handle, cwd=cwd)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        finally:
            if stdin:
                stdin_handle.close()  # type: ignore[union-attr]
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            code=proc.returncode,
            out=out.read().decode("utf-8", "replace"),
            err=err.read().decode("utf-8", "replace"),
        )


def interleaved(commands: dict[str, Sequence[str]], reps: int) -> dict[str, list[Run]]:
    """Each command ``reps`` times, alternating (A B A B ...), after one untimed warm-up each."""
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for name, cmd in commands.items():
        run_child(cmd).check(name)  # warm the file cache
    for k in range(reps):
        order = list(commands.items()) if k % 2 == 0 else list(reversed(commands.items()))
        for name, cmd in order:
            runs[name].append(run_child(cmd).check(name))
    return runs


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def diag_command() -> tuple[list[str], str]:
    """The ``diag`` console script beside this interpreter, else ``python -m diag``."""
    script = Path(sys.executable).parent / "diag"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], f"{script} (console script)"
    return [sys.executable, "-m", "diag"], f"{Path(sys.executable).name} -m diag (no console script found)"


def child_json(mode: str, *args: str) -> dict[str, Any]:
    """Run this script in child ``mode``; it prints one JSON object as its last line."""
    run = run_child([sys.executable, str(Path(__file__).resolve()), "--child", mode, *args], cwd=ROOT).check(
        f"child {mode}"
    )
    result: dict[str, Any] = json.loads(run.out.strip().splitlines()[-1])
    result["_rss_mb"] = run.rss_mb
    result["_wall"] = run.wall
    result["_cpu"] = run.cpu
    return result


# --- the child side (imports the project) ------------------------------------------------


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def _stage_timers() -> dict[str, list[float]]:
    """Wrap the pipeline's stages (where they exist) to add up the CPU time of each."""
    import importlib

    spent: dict[str, list[float]] = {}
    targets = [
        ("align", "diag.pipeline", "align"),
        ("metrics", "diag.metrics", "score_pairs"),
        ("entities", "diag.entities", "find_damage"),
        ("accuracy", "diag.accuracy", "assess"),
        ("verdict", "diag.verdict", "judge"),
    ]
    for stage, module_name, attr in targets:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        original = getattr(module, attr, None)
        if original is None:
            continue
        bucket = spent.setdefault(stage, [])

        def wrapper(*a: Any, __f: Any = original, __b: list[float] = bucket, **kw: Any) -> Any:
            start = time.process_time()
            try:
                return __f(*a, **kw)
            finally:
                __b.append(time.process_time() - start)

        setattr(module, attr, wrapper)
    return spent


def _status_mb(field: str) -> float:
    """``VmHWM`` (this process's own peak) or ``VmRSS`` from /proc, in MB (0 if unavailable).

    ``os.wait4``'s ru_maxrss on Linux also counts the parent's image (it survives exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _seed_texts(shared: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]


def _repeat_to(text: str, n_bytes: int, joiner: str) -> str:
    """``text`` repeated (joined by ``joiner``) to at most ``n_bytes`` of UTF-8, cut at a joiner."""
    unit = text + joiner
    whole = unit * (n_bytes // len(unit.encode("utf-8")) + 1)
    cut = whole.encode("utf-8")[:n_bytes].decode("utf-8", "ignore")
    end = cut.rfind(joiner)
    return cut[:end] if end > 0 else cut


#: The words of ``_generated_prose`` (the project's own; the robustness tests build their big inputs alike).
_GENERATED_WORDS = (
    "the council approved a new budget on Tuesday after long debate members argued for hours over "
    "funding schools roads harbour mayor said plan would be reviewed again spring officials added "
    "Orvane Systems Mara Lindqvist 1,200 jobs demand"
).split()


def _generated_prose(n_bytes: int) -> str:
    """Sentences of 8-24 of ``_GENERATED_WORDS`` in a fixed rotation, one a line, cut at ``n_bytes``."""
    parts, size, k = [], 0, 0
    words = _GENERATED_WORDS
    while size < n_bytes:
        sentence = " ".join(words[(k * 13 + i * 5) % len(words)] for i in range(8 + (k * 7) % 17))
        sentence = sentence[0].upper() + sentence[1:] + "."
        parts.append(sentence)
        size += len(sentence) + 1
        k += 1
    return "\n".join(parts)[:n_bytes]


#: ``_perturbed_prose``'s misspelled names.
_MISSPELT = {"Lindqvist": "Lindkvist", "Orvane": "Orvanne", "Mara": "Marra", "Systems": "Sistems"}


def _perturbed_prose(text: str, seed: int = 17) -> str:
    """``text`` with one or two edits in every line, so that most pairs differ and few candidate sentences
    repeat (an ordinary translation, not a copy): a name misspelled or written in lower case, a number
    changed, a word dropped, added or moved (where the line has no such word, one is dropped)."""
    import random

    rng = random.Random(seed)
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        for _ in range(1 + rng.randrange(2)):
            edit = rng.choice(("misspell", "lower", "number", "drop", "add", "swap"))
            where = {"misspell": [k for k, w in enumerate(words) if w.rstrip(".") in _MISSPELT],
                     "lower": [k for k, w in enumerate(words) if k and w[:1].isupper()],
                     "number": [k for k, w in enumerate(words) if w[:1].isdigit()]}.get(edit, range(len(words) - 1))
            if not where:
                edit, where = "drop", range(len(words) - 1)
            if not where:
                break
            k = rng.choice(where)
            w = words[k]
            if edit == "misspell":
                words[k] = _MISSPELT[w.rstrip(".")] + w[len(w.rstrip(".")) :]
            elif edit == "lower":
                words[k] = w.lower()
            elif edit == "number":
                words[k] = f"{rng.randint(2, 99)},{rng.randint(100, 999)}" + w[len(w.rstrip(".")) :]
            elif edit == "drop":
                del words[k]
            elif edit == "add":
                words.insert(k + 1, rng.choice(("also", "then", "still")))
            else:
                words[k], words[k + 1] = words[k + 1], words[k]
        lines.append(" ".join(words))
    return "\n".join(lines)


def child_bounded(shared: Path, name: str, scale: float = 1.0) -> dict[str, Any]:
    """B6: one input of ``B6_INPUTS`` built here, run once after a warm-up; cost and notes."""
    from diag.pipeline import build_document, diagnose
    from diag.segment import split_sentences

    seeds = _seed_texts(shared)
    ref_seed = seed_file(shared, REFERENCE_SEED).read_text(encoding="utf-8")
    cand_seed = seed_file(shared, CANDIDATE_SEED).read_text(encoding="utf-8")
    diagnose(ref_seed, cand_seed)  # imports and first-use compilation are B4's business
    size = int(dict((n, b) for n, _, b in B6_INPUTS)[name] * scale)
    if name == "prose10":
        reference = _repeat_to("\n\n".join(s.strip() for s in seeds), size, "\n\n")
        candidate = reference.encode("utf-8").decode("utf-8")  # a second copy, as a second file is
    elif name == "generated10":
        reference = _generated_prose(size)
        candidate = reference.encode("utf-8").decode("utf-8")
    elif name == "perturbed10":
        reference = _generated_prose(size)
        candidate = _perturbed_prose(reference)
    elif name == "distinct10":  # the generated prose repeats few sentences; its perturbed copy mostly distinct ones
        reference = _perturbed_prose(_generated_prose(size))
        candidate = reference.encode("utf-8").decode("utf-8")
    elif name == "word10":
        reference, candidate = ref_seed, _repeat_to("word", size, " ")
    elif name == "sentence600":
        words = " ".join(" ".join(s.split()) for s in seeds)
        words = "".join(c for c in words if c not in ".!?\u3002")
        reference, candidate = _repeat_to(words, size, " "), cand_seed
    else:
        reference, candidate = _repeat_to(". . . . 1. 2. 3.", size, " "), ""
    input_bytes = len(reference.encode("utf-8")) + len(candidate.encode("utf-8"))
    baseline = _status_mb("VmRSS")

    def run() -> Any:
        if name == "dense2":
            return len(split_sentences(reference))
        return diagnose(build_document(reference), build_document(candidate, allow_empty=True))

    result, wall, cpu = _timed(run)
    out: dict[str, Any] = {
        "name": name,
        "input_bytes": input_bytes,
        "wall": wall,
        "cpu": cpu,
        "peak_mb": _status_mb("VmHWM"),
        "baseline_mb": baseline,
    }
    if name == "dense2":
        out["sentences"] = result
    else:
        out["sentences"] = len(result.reference.sentences) + len(result.candidate.sentences)
        out["relation"] = result.verdict.relation
        out["notes"] = list(result.notes)
    return out


def child_growth(shared: Path, copies: int) -> dict[str, Any]:
    """B2 (and B1's breakdown): diagnose the seeds concatenated ``copies`` times, warmed up."""
    from diag.pipeline import build_document, diagnose

    ref_text = seed_file(shared, REFERENCE_SEED).read_text(encoding="utf-8")
    cand_text = seed_file(shared, CANDIDATE_SEED).read_text(encoding="utf-8")
    diagnose(ref_text, cand_text)  # lazy imports and first-use compilation are B4's business
    spent = _stage_timers()
    ref_big = "\n\n".join([ref_text] * copies)
    cand_big = "\n\n".join([cand_text] * copies)
    baseline = _status_mb("VmRSS")

    def run() -> Any:
        ref = build_document(ref_big)
        cand = build_document(cand_big)
        return diagnose(ref, cand)

    d, wall, cpu = _timed(run)
    stages = {name: round(sum(v), 4) for name, v in spent.items()}
    stages["read+segment+other"] = round(cpu - sum(stages.values()), 4)
    return {
        "copies": copies,
        "chars": len(ref_big) + len(cand_big),
        "sentences": len(d.reference.sentences) + len(d.candidate.sentences),
        "pairs": len(d.alignment.pairs),
        "wall": wall,
        "cpu": cpu,
        "stages_cpu": stages,
        "input_bytes": len(ref_big.encode("utf-8")) + len(cand_big.encode("utf-8")),
        "peak_mb": _status_mb("VmHWM"),
        "baseline_mb": baseline,
    }


def child_inprocess(shared: Path, reps: int, segments_dir: str) -> dict[str, Any]:
    """B1 in-process: ``diagnose()`` on the seeds against sacrebleu's corpus_score on its pairs."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    from diag.pipeline import diagnose

    ref_text = seed_file(shared, REFERENCE_SEED).read_text(encoding="utf-8")
    cand_text = seed_file(shared, CANDIDATE_SEED).read_text(encoding="utf-8")
    d = diagnose(ref_text, cand_text)
    refs = [" ".join(d.reference.sentences[i].text for i in p.reference) for p in d.alignment.pairs]
    hyps = [" ".join(d.candidate.sentences[j].text for j in p.candidate) for p in d.alignment.pairs]
    folder = Path(segments_dir)
    # One segment per line, as sacrebleu's CLI reads them (a line break inside a sentence
    # becomes a space, which all three metrics' tokenisers do anyway).
    (folder / "ref.txt").write_text("".join(r.replace("\n", " ") + "\n" for r in refs), encoding="utf-8")
    (folder / "hyp.txt").write_text("".join(h.replace("\n", " ") + "\n" for h in hyps), encoding="utf-8")

    def sacrebleu_scores() -> dict[str, float]:
        return {
            "bleu": BLEU().corpus_score(hyps, [refs]).score,
            "chrf": CHRF().corpus_score(hyps, [refs]).score,
            "ter": TER().corpus_score(hyps, [refs]).score,
        }

    expected = sacrebleu_scores()
    same = all(abs(d.metrics[name].score - value) < 1e-9 for name, value in expected.items())
    times: dict[str, list[tuple[float, float]]] = {"diag": [], "sacrebleu": []}
    for k in range(reps):
        order = ["diag", "sacrebleu"] if k % 2 == 0 else ["sacrebleu", "diag"]
        for name in order:
            fn = (lambda: diagnose(ref_text, cand_text)) if name == "diag" else sacrebleu_scores
            _, wall, cpu = _timed(fn)
            times[name].append((wall, cpu))
    return {
        "pairs": len(refs),
        "scores_diag": {name: d.metrics[name].score for name in expected},
        "scores_sacrebleu": expected,
        "same_scores": same,
        "diag_wall": [t[0] for t in times["diag"]],
        "diag_cpu": [t[1] for t in times["diag"]],
        "sacrebleu_wall": [t[0] for t in times["sacrebleu"]],
        "sacrebleu_cpu": [t[1] for t in times["sacrebleu"]],
    }


def child_modules() -> dict[str, Any]:
    """Heavy modules loaded by ``import diag`` and by building the CLI's parser (B4)."""
    import diag

    after_import = sorted(m for m in HEAVY_MODULES if m in sys.modules)
    from diag.cli import build_parser

    build_parser().format_help()
    after_help = sorted(m for m in HEAVY_MODULES if m in sys.modules)
    return {"version": diag.__version__, "import_diag": after_import, "help": after_help}


# --- benchmarks (parent side) ---------------------------------------------------------------


def seed_file(shared: Path, number: str) -> Path:
    found = sorted((shared / "seeds").glob(f"{number}_*.txt"))
    if not found:
        raise FileNotFoundError(f"seed {number} not found in {shared / 'seeds'}")
    return found[0]


def have_seeds(shared: Path) -> str | None:
    try:
        seed_file(shared, REFERENCE_SEED)
        seed_file(shared, CANDIDATE_SEED)
    except FileNotFoundError as e:
        return f"{e}; pass --shared DIR (a folder with seeds/{REFERENCE_SEED}_*.txt and seeds/{CANDIDATE_SEED}_*.txt)"
    return None


def bench_b1(shared: Path, reps: int) -> dict[str, Any]:
    diag_cmd, _ = diag_command()
    ref, cand = seed_file(shared, REFERENCE_SEED), seed_file(shared, CANDIDATE_SEED)
    with tempfile.TemporaryDirectory(prefix="diag-bench-") as tmp:
        inproc = child_json("inprocess", str(shared), str(reps), tmp)
        seg_ref, seg_hyp = Path(tmp) / "ref.txt", Path(tmp) / "hyp.txt"
        commands = {
            "diag": [*diag_cmd, "report", str(ref), str(cand)],
            "sacrebleu": [
                sys.executable,
                "-m",
                "sacrebleu",
                str(seg_ref),
                "-i",
                str(seg_hyp),
                "-m",
                "bleu",
                "chrf",
                "ter",
            ],
        }
        runs = interleaved(commands, reps)
        cli_scores = {s["name"]: s["score"] for s in json.loads(runs["sacrebleu"][-1].out)}
    breakdown = child_json("growth", str(shared), "1")
    cli_same = (
        abs(cli_scores.get("BLEU", -1) - round(inproc["scores_diag"]["bleu"], 1)) < 0.051
        and abs(cli_scores.get("chrF2", -1) - round(inproc["scores_diag"]["chrf"], 1)) < 0.051
        and abs(cli_scores.get("TER", -1) - round(inproc["scores_diag"]["ter"], 1)) < 0.051
    )
    result = {
        "pairs": inproc["pairs"],
        "same_scores_in_process": inproc["same_scores"],
        "same_scores_cli": cli_same,
        "scores": inproc["scores_diag"],
        "cold": {
            name: {"wall": [r.wall for r in rs], "cpu": [r.cpu for r in rs], "rss_mb": [r.rss_mb for r in rs]}
            for name, rs in runs.items()
        },
        "in_process": {k: inproc[k] for k in ("diag_wall", "diag_cpu", "sacrebleu_wall", "sacrebleu_cpu")},
        "stages_cpu": breakdown["stages_cpu"],
        "commands": {name: " ".join(cmd) for name, cmd in commands.items()},
    }
    for kind, d_key, s_key in (("cold", "diag", "sacrebleu"),):
        for clock in ("wall", "cpu"):
            d_med = median(result[kind][d_key][clock])
            s_med = median(result[kind][s_key][clock])
            result[f"cold_{clock}_ratio"] = d_med / s_med
    for clock in ("wall", "cpu"):
        result[f"inproc_{clock}_ratio"] = median(inproc[f"diag_{clock}"]) / median(
            inproc[f"sacrebleu_{clock}"]
        )
    return result


def bench_b2(shared: Path, sizes: Sequence[int]) -> dict[str, Any]:
    rows = []
    for copies in sizes:
        row = child_json("growth", str(shared), str(copies))
        rows.append(row)
        print(f"  B2 {copies}x: {row['sentences']} sentences, {row['cpu']:.2f} s CPU", file=sys.stderr)
    for prev, row in itertools.pairwise(rows):
        length = row["chars"] / prev["chars"]
        row["growth_cpu"] = (row["cpu"] / prev["cpu"]) / length
        row["growth_wall"] = (row["wall"] / prev["wall"]) / length
    return {"rows": rows}


def bench_b3(shared: Path, limit: int | None, reps: int) -> dict[str, Any]:
    diag_cmd, _ = diag_command()
    source = shared / BATCH_FILE
    with tempfile.TemporaryDirectory(prefix="diag-bench-") as tmp:
        lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        if limit:
            lines = lines[:limit]
        records = Path(tmp) / "records.jsonl"
        records.write_text("\n".join(lines) + "\n", encoding="utf-8")
        runs: dict[int, list[Run]] = {1: [], 2: []}
        for k in range(reps):
            for jobs in (1, 2) if k % 2 == 0 else (2, 1):
                out = Path(tmp) / f"out{jobs}.jsonl"
                run = run_child([*diag_cmd, "batch", str(records), "-o", str(out), "-j", str(jobs)])
                if run.code not in (0, 3):  # 3: some records failed, the run itself went on
                    run.check(f"diag batch -j {jobs}")
                runs[jobs].append(run)
                print(f"  B3 -j {jobs}: {len(lines)} records in {run.wall:.1f} s", file=sys.stderr)
        same = (Path(tmp) / "out1.jsonl").read_bytes() == (Path(tmp) / "out2.jsonl").read_bytes()
    result: dict[str, Any] = {"records": len(lines), "same_output": same}
    for jobs, rs in runs.items():
        wall = median([r.wall for r in rs])
        result[f"j{jobs}"] = {
            "wall": [r.wall for r in rs],
            "cpu": [r.cpu for r in rs],
            "pairs_per_s": len(lines) / wall,
            "rss_mb": max(r.rss_mb for r in rs),
        }
    result["efficiency"] = result["j2"]["pairs_per_s"] / (2 * result["j1"]["pairs_per_s"])
    # CPU seconds per wall second: how many cores the run actually got. On a shared machine
    # -j 2 can only scale if a second core is idle; this says whether it was.
    for jobs in (1, 2):
        entry = result[f"j{jobs}"]
        entry["cores_used"] = median(entry["cpu"]) / median(entry["wall"])
    result["cpu_overhead"] = median(result["j2"]["cpu"]) / median(result["j1"]["cpu"])
    return result


def bench_b6(
    shared: Path, sizes: Sequence[int], scale: float, b2: dict[str, Any] | None, inputs: Sequence[str] | None = None
) -> dict[str, Any]:
    """Memory and CPU per input byte: the B2 sizes (B2's runs if it ran) and B6_INPUTS (only ``inputs``,
    without the B2 sizes, when given)."""
    rows = []
    for copies in sizes if inputs is None else ():
        done = [r for r in (b2 or {}).get("rows", []) if r["copies"] == copies]
        row = done[0] if done else child_json("growth", str(shared), str(copies))
        rows.append({**row, "name": f"seeds {copies}x"})
        print(f"  B6 seeds {copies}x: {row['peak_mb']:.0f} MB peak", file=sys.stderr)
    for name, _, _ in B6_INPUTS:
        if inputs is not None and name not in inputs:
            continue
        row = child_json("bounded", str(shared), name, str(scale))
        rows.append(row)
        print(f"  B6 {name}: {row['cpu']:.1f} s CPU, {row['peak_mb']:.0f} MB peak", file=sys.stderr)
    return {"rows": rows}


def bench_b4(reps: int) -> dict[str, Any]:
    diag_cmd, _ = diag_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import diag"': [sys.executable, "-c", "import diag"],
        "diag --help": [*diag_cmd, "--help"],
    }
    runs = interleaved(commands, reps)
    modules = child_json("modules")
    return {
        name: {
            "wall": [r.wall for r in rs],
            "cpu": [r.cpu for r in rs],
            "median_wall": median([r.wall for r in rs]),
        }
        for name, rs in runs.items()
    } | {"heavy_modules": {"import diag": modules["import_diag"], "diag --help": modules["help"]}}


# --- report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import importlib.metadata as md

        sacrebleu_version = md.version("sacrebleu")
    except Exception:  # noqa: BLE001 - only for the header
        sacrebleu_version = "?"
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "sacrebleu": sacrebleu_version,
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "diag_command": diag_command()[1],
        "interpreter": sys.executable,
    }


def ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        (
            f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['system']}, {m['implementation']} {m['python']}, "
            f"sacrebleu {m['sacrebleu']}; load average {m['load_average']} at start, "
            f"{results.get('load_average_end')} at end (shared machine: ratios within this run are what count). "
            f"diag run as `{m['diag_command']}`. Medians of {results['reps']} interleaved runs."
        ),
        "",
        "| benchmark | measure | diag | reference | ratio | goal | met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    skipped = results.get("skipped", {})
    b1 = results.get("B1")
    if b1:
        for label, key, clock in (
            ("cold CLI, wall s", "cold", "wall"),
            ("cold CLI, CPU s", "cold", "cpu"),
        ):
            d = median(b1[key]["diag"][clock])
            s = median(b1[key]["sacrebleu"][clock])
            lines.append(
                f"| B1 seeds 001/000 | {label}: `diag report` vs `sacrebleu -m bleu chrf ter` "
                f"({b1['pairs']} pairs) | {d:.2f} | {s:.2f} | {d / s:.2f} | <= {GOALS['B1']} | {ok(d / s <= GOALS['B1'])} |"
            )
        for label, clock in (("in-process, wall s", "wall"), ("in-process, CPU s", "cpu")):
            d = median(b1["in_process"][f"diag_{clock}"])
            s = median(b1["in_process"][f"sacrebleu_{clock}"])
            lines.append(
                f"| B1 seeds 001/000 | {label}: `diagnose()` vs `corpus_score` x3 | {d:.3f} | {s:.3f} | "
                f"{d / s:.2f} | <= {GOALS['B1']} | {ok(d / s <= GOALS['B1'])} |"
            )
        lines.append(
            f"| B1 seeds 001/000 | same document scores as sacrebleu (in-process exact; CLI to 0.1) | "
            f"{ok(b1['same_scores_in_process'])} | {ok(b1['same_scores_cli'])} | | equal | "
            f"{ok(b1['same_scores_in_process'] and b1['same_scores_cli'])} |"
        )
    b2 = results.get("B2")
    if b2:
        rows = b2["rows"]
        for prev, row in itertools.pairwise(rows):
            g = row["growth_cpu"]
            lines.append(
                f"| B2 growth | CPU s {prev['copies']}x -> {row['copies']}x "
                f"({prev['sentences']} -> {row['sentences']} sentences) | {row['cpu']:.2f} | {prev['cpu']:.2f} | "
                f"{row['cpu'] / prev['cpu']:.1f} for {row['chars'] / prev['chars']:.0f}x length | "
                f"<= {GOALS['B2_growth'] * row['chars'] / prev['chars']:.0f} | {ok(g <= GOALS['B2_growth'])} |"
            )
        last = rows[-1]
        lines.append(
            f"| B2 growth | peak memory at {last['copies']}x, MB (the child's VmHWM) | {last['peak_mb']:.0f} | | | "
            f"<= {GOALS['B2_mb']:.0f} | {ok(last['peak_mb'] <= GOALS['B2_mb'])} |"
        )
    b3 = results.get("B3")
    if b3:
        lines.append(
            f"| B3 batch | pairs/s, {b3['records']} records, -j 2 vs -j 1 | {b3['j2']['pairs_per_s']:.2f} | "
            f"{b3['j1']['pairs_per_s']:.2f} | efficiency {b3['efficiency']:.2f} | >= {GOALS['B3']} | "
            f"{ok(b3['efficiency'] >= GOALS['B3'])} |"
        )
        lines.append(
            f"| B3 batch | CPU s, -j 2 vs -j 1 (parallel overhead); same output | "
            f"{median(b3['j2']['cpu']):.1f} | {median(b3['j1']['cpu']):.1f} | {b3['cpu_overhead']:.2f} | "
            f"~1.0; identical | {ok(b3['same_output'])} |"
        )
        lines.append(
            f"| B3 batch | cores actually used (CPU s / wall s), -j 2 vs -j 1 | "
            f"{b3['j2']['cores_used']:.2f} | {b3['j1']['cores_used']:.2f} | | "
            f"-j 2 near 2.0 on an idle machine | |"
        )
    b4 = results.get("B4")
    if b4:
        base = b4["python -c pass"]["median_wall"]
        for name in ('python -c "import diag"', "diag --help"):
            w = b4[name]["median_wall"]
            lines.append(
                f"| B4 start-up | `{name}` wall s (reference: bare `python -c pass`) | {w:.3f} | {base:.3f} | "
                f"{w / base:.2f} | <= {GOALS['B4']} s | {ok(w <= GOALS['B4'])} |"
            )
        heavy = b4["heavy_modules"]
        loaded = sorted(set(heavy["import diag"]) | set(heavy["diag --help"]))
        lines.append(
            f"| B4 start-up | heavy modules ({', '.join(HEAVY_MODULES)}) loaded by import / --help | "
            f"{', '.join(loaded) or 'none'} | | | none | {ok(not loaded)} |"
        )
    b6 = results.get("B6")
    if b6:
        for row in b6["rows"]:
            if row["name"] in ("prose10", "generated10", "distinct10") and row["input_bytes"] > 10 * 2**20:
                met = row["cpu"] < GOALS["B6_seconds"] and row["peak_mb"] < GOALS["B6_mb"]
                lines.append(
                    f"| B6 bounded | CPU s / peak MB, {row['name']} (10 MB against itself) | {row['cpu']:.1f} / "
                    f"{row['peak_mb']:.0f} | | | < {GOALS['B6_seconds']:.0f} s / < {GOALS['B6_mb']:.0f} MB | {ok(met)} |"
                )
        base = next((r for r in b6["rows"] if "copies" in r), None)
        prose = next((r for r in b6["rows"] if r["name"] == "prose10"), None)
        if base and prose and prose["input_bytes"] > 10 * 2**20:
            base_cpu = base["cpu"] / base["input_bytes"]
            per_byte = prose["peak_mb"] * 2**20 / prose["input_bytes"]
            growth = (prose["cpu"] / prose["input_bytes"]) / base_cpu
            lines.append(
                f"| B6 bounded | peak RSS per input byte, 10 MB prose against itself | {per_byte:.0f} | | | "
                f"<= {GOALS['B6_bytes']:.0f} | {ok(per_byte <= GOALS['B6_bytes'])} |"
            )
            lines.append(
                f"| B6 bounded | CPU per input byte, 10 MB prose vs {base['name']} | "
                f"{prose['cpu']:.1f} s | {base['cpu']:.2f} s | {growth:.2f} | <= {GOALS['B6_growth']} | "
                f"{ok(growth <= GOALS['B6_growth'])} |"
            )
    for name, why in skipped.items():
        lines.append(f"| {name} | skipped: {why} | | | | | |")
    if b6:
        lines += [
            "",
            "Memory and CPU per input byte (both texts' bytes; peak = the child's VmHWM, "
            "baseline = its RSS after imports and a warm-up run):",
            "",
            "| input | input MB | sentences | peak MB | (peak - baseline) per input byte | CPU s | "
            "CPU µs per input byte | notes |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in b6["rows"]:
            mb = r["input_bytes"] / 2**20
            grown = (r["peak_mb"] - r["baseline_mb"]) * 2**20 / r["input_bytes"]
            notes = "; ".join(r.get("notes", [])) or r.get("relation", "") or ""
            lines.append(
                f"| {r['name']} | {mb:.2f} | {r['sentences']} | {r['peak_mb']:.0f} | {grown:.0f} | {r['cpu']:.2f} | "
                f"{1e6 * r['cpu'] / r['input_bytes']:.2f} | {notes} |"
            )
    if b1 or b2:
        lines += ["", "Where diag's CPU time goes (in-process, CPU s):", ""]
        stage_rows = ([("1x (B1)", b1["stages_cpu"])] if b1 else []) + (
            [(f"{r['copies']}x", r["stages_cpu"]) for r in b2["rows"]] if b2 else []
        )
        names = sorted({k for _, s in stage_rows for k in s}, key=lambda k: (k == "read+segment+other", k))
        lines.append("| size | " + " | ".join(names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        for label, s in stage_rows:
            lines.append(f"| {label} | " + " | ".join(f"{s.get(k, 0.0):.3f}" for k in names) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a smoke run)")
    parser.add_argument("--only", default="B1,B2,B3,B4,B6", help="comma-separated benchmarks (default: all)")
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help=f"input folder (default {DEFAULT_SHARED})"
    )
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="where the JSON goes")
    parser.add_argument("--reps", type=int, help="interleaved repeats (default 5, --quick 3)")
    parser.add_argument("--sizes", help="B2 sizes as copies (default 1,10,100; --quick 1,3,10)")
    parser.add_argument(
        "--batch-limit", type=int, help="B3: only the first N records (default all; --quick 24)"
    )
    parser.add_argument("--batch-reps", type=int, default=1, help="B3: runs of each worker count (default 1)")
    parser.add_argument(
        "--b6-scale", type=float, help="B6: scale the pathological inputs' sizes (default 1; --quick 0.02)"
    )
    parser.add_argument(
        "--b6-inputs",
        help=f"B6: only these inputs, comma-separated, without the seed sizes ({','.join(n for n, _, _ in B6_INPUTS)})",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        # A child measures the diag of this checkout, installed or not (sys.path[0] is benchmarks/).
        if str(ROOT) not in sys.path:
            sys.path.insert(1, str(ROOT))
        mode, *rest = args.child
        if mode == "growth":
            out = child_growth(Path(rest[0]), int(rest[1]))
        elif mode == "inprocess":
            out = child_inprocess(Path(rest[0]), int(rest[1]), rest[2])
        elif mode == "modules":
            out = child_modules()
        elif mode == "bounded":
            out = child_bounded(Path(rest[0]), rest[1], float(rest[2]))
        else:
            parser.error(f"unknown child mode {mode}")
        print(json.dumps(out))
        return 0

    reps = args.reps or (3 if args.quick else 5)
    sizes = [int(s) for s in (args.sizes or ("1,3,10" if args.quick else "1,10,100")).split(",")]
    limit = args.batch_limit or (24 if args.quick else None)
    only = {b.strip().upper() for b in args.only.split(",") if b.strip()}
    unknown = only - {"B1", "B2", "B3", "B4", "B6"}
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from B1,B2,B3,B4,B6")

    b6_inputs = [n.strip() for n in args.b6_inputs.split(",") if n.strip()] if args.b6_inputs else None
    known_inputs = [n for n, _, _ in B6_INPUTS]
    if b6_inputs is not None and set(b6_inputs) - set(known_inputs):
        parser.error(f"unknown B6 input(s) {', '.join(sorted(set(b6_inputs) - set(known_inputs)))}; "
                     f"choose from {','.join(known_inputs)}")

    results: dict[str, Any] = {"machine": machine(), "reps": reps, "quick": args.quick, "skipped": {}}
    missing_seeds = have_seeds(args.shared)
    for name in ("B1", "B2", "B3", "B4", "B6"):
        if name not in only:
            continue
        if name in ("B1", "B2", "B6") and missing_seeds:
            results["skipped"][name] = missing_seeds
        elif name == "B3" and not (args.shared / BATCH_FILE).is_file():
            results["skipped"][name] = f"{args.shared / BATCH_FILE} not found; pass --shared DIR"
        else:
            print(f"running {name} ...", file=sys.stderr)
            if name == "B1":
                results[name] = bench_b1(args.shared, reps)
            elif name == "B2":
                results[name] = bench_b2(args.shared, sizes)
            elif name == "B3":
                results[name] = bench_b3(args.shared, limit, args.batch_reps)
            elif name == "B6":
                results[name] = bench_b6(args.shared, sizes, args.b6_scale or (0.02 if args.quick else 1.0), results.get("B2"),
                                         b6_inputs)
            else:
                results[name] = bench_b4(max(reps, 7) if not args.quick else reps)
        if name in results["skipped"]:
            print(f"skipping {name}: {results['skipped'][name]}", file=sys.stderr)
    results["load_average_end"] = (
        [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    )
    table = render(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = args.results / f"bench-{stamp}.json"
    target.write_text(json.dumps(results | {"table": table}, indent=2), encoding="utf-8")
    print(f"\nresults: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
