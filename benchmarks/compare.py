"""B5: what the paired bootstrap of ``diag compare`` costs, next to a report and next to sacrebleu.

    python3 benchmarks/compare.py             # seeds 001 / 000 at 1x and 10x, 5 interleaved repeats
    python3 benchmarks/compare.py --quick     # 1x only, 3 repeats

In one process, on the seeds (../shared/seeds, or --shared DIR; 001 the reference, 000 a
machine round trip of it; 10x is each text repeated ten times), with the reference itself as
the baseline and 000 as the candidate, it times (CPU seconds, medians of interleaved repeats):

- report: ``diagnose(reference, candidate)``, the analysis behind one report;
- bootstrap: ``compare_diagnoses(baseline, candidate)`` on the two finished diagnoses: units,
  1000 resamples of BLEU, chrF, chrF++ and TER for both sides, per-unit scores, finding matching.
  The goal is under 10% of the report;
- bootstrap, sacrebleu scoring: the same with each resample scored by sacrebleu's
  ``_compute_score_from_stats`` row by row (what ``diag.fastscore`` replaces; same figures);
- sacrebleu paired-bs: ``sacrebleu.significance.PairedTest(test_type="bs")`` on the same units
  as segments (it extracts the statistics again from the text, then resamples).

It also checks that the two bootstrap paths give identical metric figures. No figure is an
absolute timing test; each judged one is a ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's diag, installed or not

GOAL = 0.10  # bootstrap / report


def _cpu(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def _seed(shared: Path, number: str) -> str:
    found = sorted((shared / "seeds").glob(f"{number}_*.txt"))
    if not found:
        raise SystemExit(f"benchmarks/compare.py: seed {number} not found in {shared / 'seeds'}; pass --shared DIR")
    return found[0].read_text(encoding="utf-8")


def _paired_bs(c: Any) -> Callable[[], Any]:
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER
    from sacrebleu.significance import PairedTest

    def text(doc: Any, idx: Sequence[int]) -> str:
        return " ".join(doc.sentences[i].text for i in idx)

    refs = [text(c.reference, u.reference) for u in c.units]
    base = [text(c.baseline.candidate, u.baseline) for u in c.units]
    cand = [text(c.candidate.candidate, u.candidate) for u in c.units]

    def run() -> Any:
        metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
        return PairedTest([("baseline", base), ("candidate", cand)], metrics, [refs], test_type="bs", n_samples=1000)()

    return run


def measure(reference: str, candidate: str, reps: int) -> dict[str, Any]:
    import diag.fastscore
    from diag.compare import compare_diagnoses
    from diag.pipeline import diagnose

    baseline_d = diagnose(reference, reference)
    candidate_d = diagnose(reference, candidate)  # warm-up: lazy imports, first-use work
    fast_c = compare_diagnoses(baseline_d, candidate_d)
    paired = _paired_bs(fast_c)

    def sacrebleu_scoring() -> Any:
        saved = diag.fastscore.SCORERS.copy()
        diag.fastscore.SCORERS.clear()
        try:
            return compare_diagnoses(baseline_d, candidate_d)
        finally:
            diag.fastscore.SCORERS.update(saved)

    slow_c = sacrebleu_scoring()
    same = all(
        (f.delta, f.ci, f.p_value) == (s.delta, s.ci, s.p_value)
        for f, s in zip(fast_c.metrics.values(), slow_c.metrics.values(), strict=True)
    )
    times: dict[str, list[float]] = {"report": [], "bootstrap": [], "bootstrap_sacrebleu_scoring": [], "sacrebleu_paired_bs": []}
    for _ in range(reps):
        times["report"].append(_cpu(lambda: diagnose(reference, candidate))[1])
        times["bootstrap"].append(_cpu(lambda: compare_diagnoses(baseline_d, candidate_d))[1])
        times["bootstrap_sacrebleu_scoring"].append(_cpu(sacrebleu_scoring)[1])
        times["sacrebleu_paired_bs"].append(_cpu(paired)[1])
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "units": len(fast_c.units),
        "reference_sentences": len(fast_c.reference.sentences),
        "cpu_s": med,
        "bootstrap_over_report": med["bootstrap"] / med["report"],
        "bootstrap_over_sacrebleu_paired_bs": med["bootstrap"] / med["sacrebleu_paired_bs"],
        "sacrebleu_scoring_over_vectorised": med["bootstrap_sacrebleu_scoring"] / med["bootstrap"],
        "identical_figures": same,
    }


def render(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| size | units | report CPU s | bootstrap CPU s | bootstrap / report | goal | met | sacrebleu paired-bs CPU s | "
        "bootstrap / sacrebleu | with sacrebleu's row scoring (x slower) | same figures |",
        "|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|",
    ]
    for size, r in results.items():
        t = r["cpu_s"]
        ratio = r["bootstrap_over_report"]
        lines.append(
            f"| {size} | {r['units']} | {t['report']:.3f} | {t['bootstrap']:.4f} | {ratio:.3f} | < {GOAL:.2f} | "
            f"{'yes' if ratio < GOAL else '**no**'} | {t['sacrebleu_paired_bs']:.3f} | "
            f"{r['bootstrap_over_sacrebleu_paired_bs']:.3f} | {r['sacrebleu_scoring_over_vectorised']:.1f} | "
            f"{'yes' if r['identical_figures'] else '**no**'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1x only, 3 repeats")
    parser.add_argument("--reps", type=int, help="interleaved repeats (default 5, --quick 3)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding seeds/")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    reps = args.reps or (3 if args.quick else 5)
    ref, cand = _seed(args.shared, "001"), _seed(args.shared, "000")
    sizes = {"1x": 1} if args.quick else {"1x": 1, "10x": 10}
    results = {name: measure("\n\n".join([ref] * k), "\n\n".join([cand] * k), reps) for name, k in sizes.items()}
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["identical_figures"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
