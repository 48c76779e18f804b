#!/usr/bin/env python3
"""Fit the accuracy risk model on the dev split and write ``diag/data/accuracy_model.json``.

    python3 tools/fit_accuracy.py                      # refit, print CV figures, write the JSON
    python3 tools/fit_accuracy.py --check              # refit and fail if the JSON would change
    python3 tools/fit_accuracy.py --cache /tmp/af.pkl  # reuse computed features between runs

Dev data only (``../shared/eval/dev/entity_errors_real_mt.jsonl``: WMT23 zh-en system
outputs against a human reference, with the raters' MQM errors); the held-out split is never
read. Features are those of ``diag.accuracy.pair_features``, computed through the pipeline's
own stages (``build_document``, ``align_and_score``).

Labels: a pair is positive when its record holds a Major (or Critical) MQM Accuracy error
whose candidate span falls in the pair's candidate sentences (every pair of the record when
the error has no span); every pair of a record without one is negative. The model is one
logistic regression (scikit-learn, lbfgs, standardised features); its regularisation is
chosen by cross-validation grouped by source document (the dev set is one source, WMT23
zh-en, so leave-one-source-out is not possible here: the held-out split judges that), and the
printed figures are those of the grouped cross-validation, scored as ``score.py`` does: the
AUROC of the highest pair risk of a record, Major-Accuracy records against error-free ones.

The severity thresholds are read off the out-of-fold risks: ``major_risk`` is the lowest
risk that at most ``MAJOR_ALARMS`` of the error-free records reach, ``minor_risk`` the same
for ``MINOR_ALARMS``. Output is deterministic: the same data and code give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diag import accuracy as A  # noqa: E402 - the repository first on sys.path
from diag.pipeline import align_and_score, build_document  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev"
SET = "entity_errors_real_mt.jsonl"
OUT = ROOT / "diag" / "data" / A.PARAMETERS_FILE
#: Regularisation strengths tried (inverse, scikit-learn's C).
GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5
#: Share of error-free records allowed a major / any accuracy finding (in sample).
MAJOR_ALARMS = 0.014
ANY_ALARMS = 0.125
#: Share of error-free records whose every pair stays below ``minor_risk`` (no finding possible).
QUIET_RISK = 0.25
#: Steps of ``major_risk`` tried (from 0.5 to 1).
RISK_STEP = 0.01
#: Floors tried for ``stretch_content`` (content words of the longer side of a pair whose stretches are
#: named): the dev split's long segments carry the risk model, a short pair seldom reaches
#: ``major_risk`` there, and the largest floor that costs no span recall keeps such pairs quiet elsewhere.
STRETCH_CONTENT = (0, 4, 8, 12, 16, 20, 24, 28, 32)
#: Grouped-CV span recall within which two settings count as equally good.
RECALL_TOLERANCE = 0.01
#: Run lengths (content words) tried for ``minor_run`` and ``major_run``.
RUNS = range(2, 11)


def _major_accuracy(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in (rec.get("other_errors") or []) + (rec.get("errors") or [])
            if str(e.get("mqm_category") or e.get("type") or "").startswith("Accuracy")
            and str(e.get("severity", "")).lower() in ("major", "critical")]


def _document_of(rec_id: str) -> str:
    """The source document of a record id: ``wmt23mqm-zh-en-<doc>:zh-en-<seg>-<system>``."""
    return rec_id.split(":")[0]


def _where(ref: Any, cand: Any, pair: Any, ev: A.PairEvidence, negation: Any) -> dict[str, tuple[int, int] | None]:
    """Where on the candidate side each finding ``diag.accuracy._pair_finding`` (or the negation rule)
    can give this pair points: the span score.py matches the raters' spans against."""
    if not (pair.reference and pair.candidate):
        return {}
    side = (cand.sentences[pair.candidate[0]].start, cand.sentences[pair.candidate[-1]].end)
    cr, rr = ev.candidate_run, ev.reference_run
    run = None if cr is None else A._whole_words(cand, cr.start, cr.end)
    at_run = None if run is None else (run.start, run.end)
    whole = rr is not None and cr is not None and (rr.words, cr.words) == (ev.reference_content, ev.candidate_content)
    flip = negation.candidate if negation is not None else None
    return {"omission": side, "addition": at_run, "mistranslation": side if whole else at_run,
            "negation": (flip.start, flip.end) if flip is not None else None}


def _unpaired(index: int, alignment: Any, ref: Any, cand: Any, ev: A.PairEvidence,
              summary: bool) -> tuple[str, tuple[int, int] | None] | None:
    """The severity and candidate span of the finding an unpaired sentence gets (no parameter decides it)."""
    pair = alignment.pairs[index]
    if pair.reference and pair.candidate:
        return None
    found = A._unpaired_finding(index, pair, alignment.pairs, ev, ref, cand, summary)
    if found is None:
        return None
    return found.severity, None if found.candidate is None else (found.candidate.start, found.candidate.end)


def compute(path: Path) -> list[dict[str, Any]]:
    """One row per pair: record id, group, role (positive/negative/other), label, features."""
    rows: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        ref = build_document(rec["reference"], allow_empty=True)
        cand = build_document(rec["candidate"], allow_empty=True)
        alignment, _ = align_and_score(ref, cand)
        median = A.document_median(alignment)
        summary = alignment.reference_coverage < A.SUMMARY_COVERAGE
        major = _major_accuracy(rec)
        negative = str(rec.get("subset", "")).endswith("no_error_negative")
        role = "negative" if negative else ("positive" if major else "other")
        spans = [(e["cand_start"], e["cand_end"]) for e in major if e.get("cand_start") is not None]
        for k, pair in enumerate(alignment.pairs):
            ev = A.pair_features(ref, cand, pair, median)
            stretches = [(loc.start, loc.end) for loc in A.stretch_locations(cand, ev.candidate_runs)]
            if sum(run.words for run in ev.candidate_runs) < A.STRETCH_WORDS or not A.stands_out(ev, median):
                stretches = []
            negation = pair.reference and pair.candidate and A._negation_finding(0, pair, ev, ref, cand)
            if major:
                if pair.candidate and spans:
                    lo = cand.sentences[pair.candidate[0]].start
                    hi = cand.sentences[pair.candidate[-1]].end
                    label = int(any(s < hi and lo < e for s, e in spans))
                else:
                    label = 1
            else:
                label = 0
            rows.append({"id": rec["id"], "group": _document_of(rec["id"]), "role": role, "label": label,
                         "x": [ev.features[f] for f in A.FEATURES],
                         "spans": spans, "stretches": stretches, "negation": bool(negation),
                         "content": max(ev.reference_content, ev.candidate_content),
                         "where": _where(ref, cand, pair, ev, negation or None),
                         "unpaired": _unpaired(k, alignment, ref, cand, ev, summary),
                         "summary": summary, "similarity": pair.similarity,
                         "runs": (ev.reference_run.words if ev.reference_run else 0,
                                  ev.candidate_run.words if ev.candidate_run else 0,
                                  ev.reference_content, ev.candidate_content)})
    return rows


def auroc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def _model(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))


def out_of_fold(rows: list[dict[str, Any]], c: float) -> tuple[list[float], float]:
    """Risk of every row from a model that never saw its document, and the mean AUROC per fold.

    The mean per fold is the figure to select by: pooling the folds' risks also measures how
    differently five models place their intercepts, which the one shipped model does not do.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    x = np.array([r["x"] for r in rows])
    y = np.array([r["label"] for r in rows])
    groups = [r["group"] for r in rows]
    risk = np.zeros(len(rows))
    aucs: list[float] = []
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = _model(c).fit(x[train], y[train])
        risk[test] = model.predict_proba(x[test])[:, 1]
        pos, neg = record_scores([rows[k] for k in test], [float(risk[k]) for k in test])
        auc = auroc(pos, neg)
        if auc is not None:
            aucs.append(auc)
    return [float(v) for v in risk], sum(aucs) / len(aucs)


def record_scores(rows: list[dict[str, Any]], risks: list[float]) -> tuple[list[float], list[float]]:
    """Highest pair risk per record: (Major-Accuracy records, error-free records)."""
    best: dict[str, float] = defaultdict(float)
    role: dict[str, str] = {}
    for r, p in zip(rows, risks, strict=True):
        best[r["id"]] = max(best[r["id"]], p)
        role[r["id"]] = r["role"]
    pos = [best[k] for k in best if role[k] == "positive"]
    neg = [best[k] for k in best if role[k] == "negative"]
    return pos, neg


def threshold(neg: list[float], share: float) -> float:
    """The lowest risk (3 decimals) that at most ``share`` of ``neg`` reach."""
    ranked = sorted(neg, reverse=True)
    allowed = int(share * len(ranked))
    return round(ranked[allowed] + 0.0005, 3) if allowed < len(ranked) else 0.0


def _overlaps(start: int, end: int, gold: tuple[int, int]) -> bool:
    """score.py's overlap: an empty gold span counts when it lies inside the stretch."""
    s, e = gold
    return s <= start <= e if start == end else s < end and start < e


def pair_findings(row: dict[str, Any], risk: float, params: dict[str, Any]) -> list[tuple[str, tuple[int, int] | None]]:
    """The severities (and candidate stretches) ``diag.accuracy.assess`` gives a matched pair: a
    negation flip, else the stretches of a pair at ``major_risk``, else what ``classify`` makes;
    in a summary (``diag.accuracy._in_summary``) only a close pair's findings stay, as notes."""
    if not row["where"]:
        return [row["unpaired"]] if row["unpaired"] else []
    found: list[tuple[str, str, tuple[int, int] | None]] = []
    where = row["where"]
    if row["negation"]:
        found = [("mistranslation", "major", where["negation"])]
    elif ("major_risk" in params and risk >= params["major_risk"] and row["stretches"]
          and row["content"] >= params["stretch_content"]):
        found = [("mistranslation", "major", (s[0], s[1])) for s in row["stretches"]]
    elif risk >= params["minor_risk"] and (kind := A.classify(*row["runs"], params)) is not None:
        found = [(kind[0], kind[1], where[kind[0]])]
    if row["summary"]:
        found = [(k, "minor", s) for k, _, s in found if k != "omission" and row["similarity"] >= A.SUMMARY_CLOSE]
    return [(severity, stretch) for _, severity, stretch in found]


def alarms(rows: list[dict[str, Any]], risks: list[float], params: dict[str, Any]) -> dict[str, float]:
    """Share of error-free records with a major / any finding, of Major-Accuracy records with a major
    one, and of the raters' spans a major finding's candidate span overlaps (score.py's span recall)."""
    found: dict[str, set[str]] = defaultdict(set)
    role: dict[str, str] = {}
    hit: dict[str, set[int]] = defaultdict(set)
    spans: dict[str, int] = {}
    for r, p in zip(rows, risks, strict=True):
        role[r["id"]] = r["role"]
        spans[r["id"]] = len(r["spans"])
        for severity, stretch in pair_findings(r, p, params):
            found[r["id"]].add(severity)
            if stretch is not None and severity == "major":
                hit[r["id"]].update(k for k, g in enumerate(r["spans"]) if _overlaps(*stretch, tuple(g)))
    neg = [k for k in role if role[k] == "negative"]
    pos = [k for k in role if role[k] == "positive"]
    return {
        "false_alarms_major": sum("major" in found[k] for k in neg) / len(neg),
        "false_alarms_any": sum(bool(found[k]) for k in neg) / len(neg),
        "major_found": sum("major" in found[k] for k in pos) / len(pos),
        "span_recall": sum(len(hit[k]) for k in pos) / max(1, sum(spans[k] for k in pos)),
    }


def _risks() -> list[float]:
    """The ``major_risk`` values tried: steps of ``RISK_STEP`` from 0.5 to 1."""
    steps = int(round(1 / RISK_STEP))
    return [round(k * RISK_STEP, 3) for k in range(steps // 2, steps + 1)]


def choose_findings(rows: list[dict[str, Any]], fitted: list[float], oof: list[float], minor_risk: float,
                    report: list[str]) -> dict[str, Any]:
    """The run lengths and ``major_risk`` that find the most of the raters' spans out of fold.

    ``minor_run`` is the shortest that keeps the error-free records with any finding within
    ``ANY_ALARMS``. Among the settings whose major false alarms stay within ``MAJOR_ALARMS`` both out
    of fold and in sample, those within ``RECALL_TOLERANCE`` of the best grouped-CV span recall are
    as good (the difference is a few spans); of them the shortest ``major_run`` (a clause lost or
    added stays a major finding, as before) and, for it, the ``major_risk`` and ``stretch_content``
    with the highest span recall (ties: fewer out-of-fold false alarms, the larger floor, the higher
    risk). The curve of the chosen setting over ``major_risk`` goes to the report.
    """
    for minor in RUNS:
        feasible: list[tuple[tuple[float, ...], dict[str, Any]]] = []
        for major in (k for k in RUNS if k >= minor):
            for t in _risks():
                for floor in STRETCH_CONTENT:
                    trial = {"minor_risk": minor_risk, "minor_run": minor, "major_run": major, "major_risk": t,
                             "stretch_content": floor}
                    fit_ = alarms(rows, fitted, trial)
                    if fit_["false_alarms_major"] > MAJOR_ALARMS or fit_["false_alarms_any"] > ANY_ALARMS:
                        continue
                    cv = alarms(rows, oof, trial)
                    if cv["false_alarms_major"] <= MAJOR_ALARMS:
                        feasible.append(((cv["span_recall"], -cv["false_alarms_major"], floor, t), trial))
        best = None
        if feasible:
            top = max(key[0] for key, _ in feasible)
            near = [(key, trial) for key, trial in feasible if key[0] >= top - RECALL_TOLERANCE]
            shortest = min(trial["major_run"] for _, trial in near)
            best = max((item for item in near if item[1]["major_run"] == shortest), key=lambda item: item[0])
        if best is not None:
            chosen = best[1]
            report.append(f"minor_risk {minor_risk}, minor_run {minor}, major_run {chosen['major_run']}, "
                          f"stretch_content {chosen['stretch_content']}; "
                          "major_risk (every unmatched stretch of a pair at this risk is a major finding):")
            for t in _risks():
                trial = {**chosen, "major_risk": t}
                cv, fit_ = alarms(rows, oof, trial), alarms(rows, fitted, trial)
                mark = "  <- chosen" if t == chosen["major_risk"] else ""
                report.append(f"  major_risk {t:.3f}: grouped CV false alarms {cv['false_alarms_major']:.3f}, "
                              f"span recall {cv['span_recall']:.3f}; in sample {fit_['false_alarms_major']:.3f}, "
                              f"{fit_['span_recall']:.3f}, any finding {fit_['false_alarms_any']:.3f}{mark}")
            return chosen
    raise SystemExit("fit_accuracy: no run lengths and risk keep the false alarms within budget")


def fit(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    import numpy as np

    report: list[str] = []
    # records with only minor or entity errors are neither clean negatives nor positives
    rows = [r for r in rows if r["role"] != "other"]
    best_c, best_auc, best_pooled = GRID[0], -1.0, 0.0
    for c in GRID:
        oof, auc = out_of_fold(rows, c)
        pos, neg = record_scores(rows, oof)
        pooled = auroc(pos, neg) or 0.0
        report.append(f"C={c:<5} grouped-CV AUROC {auc:.3f} per fold, {pooled:.3f} pooled "
                      f"({len(pos)} Major-Accuracy vs {len(neg)} error-free records)")
        if auc > best_auc + 1e-9:
            best_c, best_auc, best_pooled = c, auc, pooled
    x = np.array([r["x"] for r in rows])
    y = np.array([r["label"] for r in rows])
    model = _model(best_c).fit(x, y)
    fitted = [float(v) for v in model.predict_proba(x)[:, 1]]
    pos, neg = record_scores(rows, fitted)
    minor_risk = threshold(neg, 1.0 - QUIET_RISK)
    report.append(f"chosen C={best_c}: grouped-CV AUROC {best_auc:.3f} per fold ({best_pooled:.3f} pooled); "
                  f"in-sample {auroc(pos, neg):.3f}")
    oof, _ = out_of_fold(rows, best_c)
    chosen = choose_findings(rows, fitted, oof, minor_risk, report)
    for name, k in zip(A.FEATURES, range(len(A.FEATURES)), strict=True):
        col = [r["x"][k] for r in rows]
        prow = [r["x"][k] for r in rows if r["label"]]
        nrow = [r["x"][k] for r in rows if not r["label"]]
        report.append(f"  {name:<20} pair AUROC alone {auroc(prow, nrow) or 0:.3f}  mean {sum(col) / len(col):.3f}")
    scaler, logit = model.steps[0][1], model.steps[1][1]
    params = {
        "description": "diag.accuracy risk model: logistic regression on standardised pair features; "
                       "risk = sigmoid(intercept + sum(coef * (x - mean) / scale))",
        "source": f"fitted by tools/fit_accuracy.py on ../shared/eval/dev/{SET} (WMT23 zh-en MQM, dev split)",
        "license": "parameters derived from WMT23 MQM annotations (Apache-2.0, google/wmt-mqm-human-evaluation)",
        "data_sha256": "",
        "C": best_c,
        "grouped_cv_auroc": round(best_auc, 4),
        "grouped_cv_auroc_pooled": round(best_pooled, 4),
        "features": list(A.FEATURES),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coefficients": [round(float(v), 6) for v in logit.coef_[0]],
        "intercept": round(float(logit.intercept_[0]), 6),
        "minor_risk": minor_risk,
        "minor_run": chosen["minor_run"],
        "major_run": chosen["major_run"],
        "major_risk": chosen["major_risk"],
        "stretch_content": chosen["stretch_content"],
    }
    for name, coef in zip(A.FEATURES, params["coefficients"], strict=True):
        report.append(f"  coefficient {name:<20} {coef:+.3f}")
    return params, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail (exit 1) if the shipped JSON would change")
    ap.add_argument("--cache", type=Path, help="pickle of computed features to reuse between runs")
    ap.add_argument("--dev", type=Path, default=DEV, help=f"the dev folder (default: {DEV})")
    args = ap.parse_args()
    path = args.dev / SET
    if not path.exists():
        print(f"fit_accuracy: {path} not found; pass --dev with the folder holding {SET}", file=sys.stderr)
        return 3
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = None
    if args.cache and args.cache.exists():
        cached = pickle.loads(args.cache.read_bytes())
        if cached.get("sha") == digest and cached.get("features") == list(A.FEATURES):
            rows = cached["rows"]
    if rows is None:
        rows = compute(path)
        if args.cache:
            args.cache.write_bytes(pickle.dumps({"sha": digest, "features": list(A.FEATURES), "rows": rows}))
    params, report = fit(rows)
    params["data_sha256"] = digest
    print("\n".join(report))
    text = json.dumps(params, indent=1) + "\n"
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"fit_accuracy: {OUT.relative_to(ROOT)} differs from a refit; run tools/fit_accuracy.py",
                  file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date")
        return 0
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
