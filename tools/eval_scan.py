#!/usr/bin/env python3
"""Evaluate ``diag scan`` on a labelled document set (../shared/eval/dev/mt_detection_docs.jsonl).

Every distinct reference of the set goes into the index (as a JSONL of {"id", "text"}, ids
``ref-NNNN`` in order of first appearance) and every record's candidate is scanned (id: the
record's id). Then, per label and per source (the id's first part):

- a translation (machine or human) is found when its own reference is its ``source``
  (goal: at least 99%);
- an independent text is cleared when it is not given the reference it was paired with
  (goal: at least 95%); ``independent_null_rate`` says how often it got no source at all. An
  independent text is often a translation of another document of the set (ids ``A-vs-B``: the
  reference of A, a translation of B): ``independent_attributed`` counts how often, when B's
  reference is in the index, the scan names it as the source.

    python3 tools/eval_scan.py ../shared/eval/dev/mt_detection_docs.jsonl
    python3 tools/eval_scan.py SET.jsonl --cmd ".venv/bin/python -m diag scan -j 2" --json out.json

Stdlib only; the scan runs as a child process (``--cmd``), so any engine can be evaluated
(``--cmd "... --scheduler tcp://HOST:8786"``). Texts from the set are written only to a
temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

GOALS = {"translation_found": 0.99, "independent_cleared": 0.95}
TRANSLATIONS = ("machine_translation", "human_translation")
INDEPENDENT = ("independent_same_domain",)


def write_corpora(records: list[dict[str, Any]], folder: Path) -> dict[str, str]:
    """references.jsonl (distinct references) and candidates.jsonl in ``folder``; the reference id of each record."""
    ref_ids: dict[str, str] = {}
    own: dict[str, str] = {}
    with (folder / "references.jsonl").open("w", encoding="utf-8") as refs, (folder / "candidates.jsonl").open(
        "w", encoding="utf-8"
    ) as cands:
        for rec in records:
            text = rec["reference"]
            if text not in ref_ids:
                ref_ids[text] = f"ref-{len(ref_ids):04d}"
                refs.write(json.dumps({"id": ref_ids[text], "text": text}, ensure_ascii=False) + "\n")
            own[str(rec["id"])] = ref_ids[text]
            cands.write(json.dumps({"id": rec["id"], "text": rec["candidate"]}, ensure_ascii=False) + "\n")
    return own


def score(records: list[dict[str, Any]], own: dict[str, str], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures, overall and per source."""
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    nulls = [0, 0]
    rendered = [0, 0]  # independent texts whose own document is in the index: given that document's reference
    translated_by_ref: dict[str, list[str]] = defaultdict(list)
    for rec in records:
        if rec["label"] in TRANSLATIONS:
            translated_by_ref[own[str(rec["id"])]].append(str(rec["id"]))
    misses = []
    for rec in records:
        rid = str(rec["id"])
        line = results.get(rid, {})
        source = line.get("source")
        group = rid.split("-")[0]
        if rec["label"] in TRANSLATIONS:
            key, ok = "translation_found", source == own[rid]
        elif rec["label"] in INDEPENDENT:
            key, ok = "independent_cleared", source != own[rid]
            nulls[0] += source is None
            nulls[1] += 1
            document = rid.split("-vs-")[-1].split(":")[0] if "-vs-" in rid else None
            if document and any(document in i for ids in translated_by_ref.values() for i in ids):
                rendered[1] += 1
                rendered[0] += source is not None and any(document in i for i in translated_by_ref[source])
        else:
            continue
        for where in ("all", group):
            tally[where][key][0] += ok
            tally[where][key][1] += 1
        if not ok:
            misses.append({"id": rid, "label": rec["label"], "source": source, "own": own[rid],
                           "relation": (line.get("verdict") or {}).get("relation"),
                           "candidates": line.get("candidates")})
    figures = {
        where: {key: {"rate": right / n, "right": right, "n": n} for key, (right, n) in keys.items()}
        for where, keys in sorted(tally.items())
    }
    overall = figures.get("all", {})
    return {
        "figures": figures,
        "independent_null_rate": nulls[0] / nulls[1] if nulls[1] else None,
        "independent_attributed": {"right": rendered[0], "n": rendered[1]},
        "goals_met": {k: overall.get(k, {}).get("rate", 0.0) >= goal for k, goal in GOALS.items()},
        "misses": misses,
        "references": len(set(own.values())),
        "candidates": len(records),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", type=Path, help="a relation set (records with reference, candidate, label)")
    parser.add_argument("--cmd", default=f"{sys.executable} -m diag scan", help="the scan command (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="eval-scan-") as tmp:
        folder = Path(tmp)
        own = write_corpora(records, folder)
        out = folder / "out.jsonl"
        argv_ = [*shlex.split(args.cmd), "--references", str(folder / "references.jsonl"),
                 "--candidates", str(folder / "candidates.jsonl"), "-o", str(out)]
        start = time.perf_counter()
        proc = subprocess.run(argv_, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode not in (0, 3) or not out.exists():
            sys.exit(f"eval_scan: {' '.join(argv_)} exited {proc.returncode}\n{proc.stderr[-2000:]}")
        results = {str(json.loads(line)["id"]): json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()}
    summary = score(records, own, results)
    summary.update({"set": args.set.name, "seconds": round(seconds, 2), "missing": len(records) - len(results)})
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if all(summary["goals_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
