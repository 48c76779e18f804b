"""The end of a batch: which records failed, and what the corpus looks like. No I/O.

Works on the batch's output lines (the JSON contract, ``diag.report/1``, or a failed
record's ``{id, error, line}``), so any runner that yields them can feed it: the summary
is built as the lines stream past, holding a few numbers per record, never a report.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from diag.model import METRIC_NAMES, RELATIONS, SEVERITIES

METRIC_LABEL = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}


@dataclass(frozen=True, slots=True)
class FailedRecord:
    """A record that has no report: its id (if it had one), its input line, and why."""

    id: str | None
    line: int | None
    reason: str

    def message(self) -> str:
        """``record "ID" (line N): reason``, one line, the reason not naming the record again."""
        name = f'record "{self.id}"' if self.id is not None else "a record"
        where = f" (line {self.line})" if self.line is not None else ""
        reason = " ".join(self.reason.split())
        for prefix in (f'record "{self.id}": ', f'record "{self.id}" ', f"line {self.line} "):
            if reason.startswith(prefix):
                reason = reason[len(prefix) :]
                break
        return f"{name}{where}: {reason}"


@dataclass
class CorpusSummary:
    """What a batch produced, accumulated one output line at a time (``add``)."""

    total: int = 0
    failed: list[FailedRecord] = field(default_factory=list)
    relations: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    metric_values: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRIC_NAMES})

    def add(self, report: Mapping[str, Any]) -> None:
        """Count one output record: a report, or a failed record's ``{id, error, line}``."""
        self.total += 1
        if "error" in report:
            rid = report.get("id")
            self.failed.append(FailedRecord(None if rid is None else str(rid), report.get("line"), str(report["error"])))
            return
        relation = (report.get("verdict") or {}).get("relation")
        self.relations[relation if relation in RELATIONS else "not assessed"] += 1
        for f in report.get("findings") or ():
            self.findings[f.get("severity", "")] += 1
        for name, score in (report.get("metrics") or {}).items():
            if name in self.metric_values and isinstance(score, Mapping):
                self.metric_values[name].append(float(score["score"]))

    def add_line(self, line: str) -> None:
        """``add`` for one JSON line of batch output."""
        self.add(json.loads(line))

    @property
    def succeeded(self) -> int:
        return self.total - len(self.failed)

    def medians(self) -> dict[str, float]:
        """The median of each document metric over the records that have it."""
        return {m: statistics.median(v) for m, v in self.metric_values.items() if v}

    def lines(self) -> list[str]:
        """The corpus summary: relations, median metrics, findings by severity (one line each)."""
        if not self.succeeded:
            return ["corpus: no record was diagnosed"]
        relations = ", ".join(f"{k} {n}" for k, n in sorted(self.relations.items(), key=lambda kv: (-kv[1], kv[0])))
        medians = ", ".join(f"{METRIC_LABEL[m]} {v:.1f}" for m, v in self.medians().items())
        findings = ", ".join(f"{self.findings[s]} {s}" for s in SEVERITIES)
        return [
            f"corpus: {self.succeeded} reports; relations: {relations}",
            f"corpus: median {medians}",
            f"corpus: findings {findings}",
        ]


def summarize(lines: Iterable[str]) -> CorpusSummary:
    """The summary of a batch output, from its JSON lines."""
    summary = CorpusSummary()
    for line in lines:
        if line.strip():
            summary.add_line(line)
    return summary
