"""CI outputs of ``diag check``: JUnit XML, SARIF 2.1.0, GitLab Code Quality, GitHub workflow commands and
the Markdown job summary. No I/O.

Each function takes finished values (``Diagnosis``, ``GateResult``) and returns text;
the CLI writes it. Positions in the candidate file are computed from ``str`` offsets
into its decoded text: lines and columns are 1-based and columns count characters
(Unicode code points), not bytes or UTF-16 units.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from diag import __version__
from diag.gate import GateResult
from diag.model import SEVERITIES, Diagnosis, Finding
from diag.render import printable
from diag.render.view import Place, ReportView, missing_at

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: SARIF level and GitHub command per finding severity.
SARIF_LEVEL = {"critical": "error", "major": "error", "minor": "warning"}
GITHUB_COMMAND = {"critical": "error", "major": "error", "minor": "warning"}
COLUMN_NOTE = (
    "lines and columns are 1-based; columns count characters (Unicode code points) of the decoded text"
)


@dataclass(frozen=True)
class PairOutcome:
    """One pair of a check run: its gate result (and diagnosis, where kept), or the input error that stopped it.

    A corpus run keeps the diagnosis only for the outputs that list findings (SARIF, GitHub).
    """

    name: str
    diagnosis: Diagnosis | None = None
    result: GateResult | None = None
    error: str | None = None
    seconds: float = 0.0
    #: The record's line in a batch input (where inline texts are located in SARIF).
    line: int | None = None
    #: The comparison with a baseline (``diag check --baseline``), a ``diag.compare.Comparison``.
    comparison: Any = None

    def __post_init__(self) -> None:
        if (self.error is None) == (self.result is None):
            raise ValueError(f"PairOutcome {self.name!r}: give a gate result, or an error")


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``; columns count characters."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def rule_id(f: Finding) -> str:
    """The SARIF rule of a finding: ``category/type``."""
    return f"{f.category}/{f.type}"


# --- JUnit ------------------------------------------------------------------------------------


def junit(outcomes: Sequence[PairOutcome], suite: str = "diag check") -> str:
    """A JUnit XML report: one testsuite, one testcase per pair.

    A failed gate is a ``<failure>`` whose message names each failed threshold and its
    value; a pair that could not be read is an ``<error>``.
    """
    failures = sum(1 for o in outcomes if o.result is not None and not o.result.passed)
    errors = sum(1 for o in outcomes if o.error is not None)
    total = sum(o.seconds for o in outcomes)
    root = ET.Element(
        "testsuites", name=suite, tests=str(len(outcomes)), failures=str(failures), errors=str(errors)
    )
    root.set("time", f"{total:.3f}")
    ts = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(outcomes)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
        time=f"{total:.3f}",
    )
    props = ET.SubElement(ts, "properties")
    ET.SubElement(props, "property", name="diag_version", value=__version__)
    first = next((o for o in outcomes if o.diagnosis is not None), None)
    if first is not None and first.diagnosis is not None:
        ET.SubElement(props, "property", name="signature", value=first.diagnosis.signature)
    for o in outcomes:
        case = ET.SubElement(ts, "testcase", name=o.name, classname="diag.check", time=f"{o.seconds:.3f}")
        if o.error is not None:
            el = ET.SubElement(case, "error", message=o.error, type="InputError")
            el.text = o.error
            continue
        assert o.result is not None
        lines = [("PASS " if c.passed else "FAIL ") + c.message for c in o.result.checks]
        if o.diagnosis is not None:  # what the report says first: the verdict and the findings
            v = ReportView.build(o.diagnosis)
            lines += [v.verdict_line, v.counts_line]
        failed = o.result.failures()
        if failed:
            el = ET.SubElement(
                case, "failure", message="; ".join(c.message for c in failed), type="GateFailed"
            )
            el.text = "\n".join(lines)
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(lines)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- SARIF ------------------------------------------------------------------------------------


def _display_path(path: str) -> str:
    """``path`` relative to the working directory (the repository root in CI) when it is inside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _artifact_uri(path: str) -> str:
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
        return rel.as_posix().replace("%", "%25").replace(" ", "%20")
    except ValueError:
        return p.resolve().as_uri()


def _has_file(path: str | None) -> bool:
    return path is not None and path != "<stdin>"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a decoded text: ``str`` offsets and their 1-based lines and columns (characters)."""

    start: int
    end: int
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    snippet: str

    @classmethod
    def of(cls, text: str, start: int, end: int, snippet: str) -> Span:
        return cls(start, end, *position(text, start), *position(text, end), snippet)


@dataclass(frozen=True, slots=True)
class Where:
    """Where every CI output puts a finding (``locate``): a file as the user named it and a span of it,
    or a line of the batch input; ``path`` is ``stdin`` (and ``is_file`` False) for text on stdin."""

    path: str
    is_file: bool
    span: Span | None = None
    line: int = 1


STDIN = "stdin"


def locate(d: Diagnosis, f: Finding, source: str | None = None, line: int | None = None) -> Where:
    """Where a finding is, for SARIF, GitLab Code Quality and GitHub annotations alike (the one policy).

    In the candidate file where it has a span there; a finding missing from the candidate (an
    omission) at its place in the reference file, or else at the point where it is missing in
    the candidate; a pair of inline texts (a batch record) at the record's line of ``source``,
    the JSONL input. Only text on stdin, with no record line, is in ``stdin`` (not a file).
    """
    ref, cand = d.reference, d.candidate
    if f.candidate is not None and _has_file(cand.path):
        return Where(str(cand.path), True, Span.of(cand.text, f.candidate.start, f.candidate.end, f.candidate.text))
    if f.reference is not None and _has_file(ref.path):
        return Where(str(ref.path), True, Span.of(ref.text, f.reference.start, f.reference.end, f.reference.text))
    if _has_file(cand.path):
        at = missing_at(d, f)
        return Where(str(cand.path), True, Span.of(cand.text, at, at, ""))
    if source is not None and line is not None:
        return Where(source, True, line=line)
    loc = f.candidate or f.reference
    text = cand.text if f.candidate is not None else ref.text
    return Where(STDIN, False, Span.of(text, loc.start, loc.end, loc.text) if loc else None)


def locate_pair(o: PairOutcome, source: str | None = None) -> Where:
    """Where a pair's gate failure or input error is: the candidate file, else the record's line of
    the batch input, else the file a single pair's error names; ``stdin`` otherwise."""
    d = o.diagnosis
    if d is not None and _has_file(d.candidate.path):
        return Where(str(d.candidate.path), True)
    if source is not None and o.line is not None:
        return Where(source, True, line=o.line)
    if d is None and source is None and _has_file(o.name):
        return Where(o.name, True)
    return Where(STDIN, False)


def _sarif_region(where: Where) -> dict[str, object]:
    s = where.span
    if s is None:
        return {"startLine": where.line}
    return {
        "startLine": s.start_line,
        "startColumn": s.start_column,
        "endLine": s.end_line,
        "endColumn": s.end_column,
        "charOffset": s.start,
        "charLength": s.end - s.start,
        "snippet": {"text": s.snippet},
    }


def sarif_location(d: Diagnosis, f: Finding, source: str | None = None, line: int | None = None) -> dict[str, object]:
    """A finding's place (``locate``) as a SARIF location: a physical location with a region (GitHub's rule)."""
    where = locate(d, f, source, line)
    uri = _artifact_uri(where.path) if where.is_file else STDIN
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _sarif_region(where)}}


def _sarif_result(place: Place, d: Diagnosis, rule_index: int, places: int, location: dict[str, object]) -> dict[str, object]:
    f = place.finding  # its text made printable (the location's snippet is the file's own)
    text = f.message
    if f.suggestion:
        text += f" Suggestion: {f.suggestion}"
    props: dict[str, object] = {"severity": f.severity, "category": f.category, "places": places}
    if d.id is not None:
        props["record"] = d.id
    if f.reference is not None:
        props["reference"] = {"text": f.reference.text, "charOffset": f.reference.start}
    props["candidate"] = None if f.candidate is None else {"text": f.candidate.text, "charOffset": f.candidate.start}
    return {
        "ruleId": rule_id(f),
        "ruleIndex": rule_index,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": text},
        "locations": [location],
        "properties": props,
    }


def _fixed_results(
    c: Any, source: str | None, line: int | None, rules: dict[str, int], rule_objs: list[dict[str, object]]
) -> list[dict[str, object]]:
    """SARIF results in ``baselineState`` ``absent`` for the findings the candidate fixed, located in the baseline."""
    out: list[dict[str, object]] = []
    for f in c.findings.fixed:
        rid = rule_id(f)
        if rid not in rules:
            rules[rid] = len(rule_objs)
            rule_objs.append({"id": rid, "properties": {"category": f.category}})
        out.append(
            {
                "ruleId": rid,
                "ruleIndex": rules[rid],
                "level": "note",
                "baselineState": "absent",
                "message": {"text": f"fixed (in the baseline, not in the candidate): {printable(f.message)}"},
                "locations": [sarif_location(c.baseline, f, source, line)],
                "properties": {"severity": f.severity, "category": f.category},
            }
        )
    return out


def sarif(outcomes: Sequence[PairOutcome], source: str | None = None) -> str:
    """A SARIF 2.1.0 log: one run, one result per finding, every result located (``sarif_location``).

    Results come in the order of the report's groups (most severe first). ``ruleId`` is
    ``category/type``; critical and major findings are ``error``, minor ones ``warning``.
    Columns are characters, stated in ``run.columnKind`` and a run property. ``source``
    is the batch input, where records of inline text are located.

    A pair compared with a baseline (``--baseline``) gives each result SARIF's ``baselineState``
    (``new`` or ``unchanged``), and each finding the candidate fixed is a result in state
    ``absent`` (level ``note``), located in the baseline.
    """
    rules: dict[str, int] = {}
    rule_objs: list[dict[str, object]] = []
    results: list[dict[str, object]] = []
    diagnoses = [o.diagnosis for o in outcomes if o.diagnosis is not None]
    for o in outcomes:
        d = o.diagnosis
        if d is None:
            continue
        for g in ReportView.build(d).groups:
            if g.rule not in rules:
                rules[g.rule] = len(rule_objs)
                rule_objs.append(
                    {
                        "id": g.rule,
                        "name": "".join(part.title() for part in g.rule.replace("/", "_").split("_")),
                        "shortDescription": {"text": f"{g.category.replace('_', ' ')}: {g.type.replace('_', ' ')}"},
                        "properties": {"category": g.category},
                    }
                )
            for place in g.places:
                location = sarif_location(d, d.findings[place.number - 1], source, o.line)
                result = _sarif_result(place, d, rules[g.rule], g.count, location)
                if o.comparison is not None:
                    new = any(f is d.findings[place.number - 1] for f in o.comparison.findings.new)
                    result["baselineState"] = "new" if new else "unchanged"
                results.append(result)
        if o.comparison is not None:
            results.extend(_fixed_results(o.comparison, source, o.line, rules, rule_objs))
    signatures = sorted({d.signature for d in diagnoses})
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "diag", "version": __version__, "rules": rule_objs}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"columns": COLUMN_NOTE, "signatures": signatures},
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# --- GitLab Code Quality ----------------------------------------------------------------------

#: What a Code Quality issue reports besides the findings: a threshold not met, a pair not read.
GATE_FAILED = "gate_failed"
INPUT_ERROR = "input_error"
#: GitLab's severity (info, minor, major, critical, blocker) for each finding severity and pair event.
CODEQUALITY_SEVERITY: Mapping[str, str] = {
    "critical": "critical",
    "major": "major",
    "minor": "minor",
    GATE_FAILED: "blocker",
    INPUT_ERROR: "blocker",
}
CODEQUALITY_SEVERITIES: tuple[str, ...] = ("info", "minor", "major", "critical", "blocker")


def _codequality_location(where: Where) -> dict[str, object]:
    """GitLab's location: a repository-relative path and 1-based positions (columns count characters)."""
    path = _display_path(where.path) if where.is_file else STDIN
    s = where.span
    if s is None:
        return {"path": path, "lines": {"begin": where.line}}
    return {
        "path": path,
        "positions": {
            "begin": {"line": s.start_line, "column": s.start_column},
            "end": {"line": s.end_line, "column": s.end_column},
        },
    }


class _Fingerprints:
    """Stable, unique fingerprints: a hash of what identifies an issue (its kind, record, file and
    words), never of the run; the k-th issue with the same identity gets k into its hash."""

    def __init__(self) -> None:
        self._seen: Counter[tuple[str, ...]] = Counter()

    def take(self, *identity: str) -> str:
        self._seen[identity] += 1
        payload = "\0".join(("diag", *identity, str(self._seen[identity])))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _issue(description: str, check: str, severity_key: str, fingerprint: str, where: Where) -> dict[str, object]:
    return {
        "description": description,
        "check_name": f"diag/{check}",
        "fingerprint": fingerprint,
        "severity": CODEQUALITY_SEVERITY[severity_key],
        "location": _codequality_location(where),
    }


def _pair_issues(o: PairOutcome, source: str | None, prints: _Fingerprints) -> list[dict[str, object]]:
    """A pair's input error, or each threshold it did not meet (as JUnit's error and failure)."""
    where = locate_pair(o, source)
    label = f"[{o.name}] " if source is not None else ""
    if o.error is not None:
        fp = prints.take(INPUT_ERROR, o.name, where.path)
        return [_issue(f"{label}diag check could not read the pair: {o.error}", INPUT_ERROR, INPUT_ERROR, fp, where)]
    assert o.result is not None
    return [
        _issue(
            f"{label}diag gate failed: {c.message}",
            f"gate/{c.name}",
            GATE_FAILED,
            prints.take(GATE_FAILED, o.name if source is not None else "", where.path, c.name),
            where,
        )
        for c in o.result.failures()
    ]


def codequality(outcomes: Sequence[PairOutcome], source: str | None = None) -> str:
    """A GitLab Code Quality report: a JSON array of issues, the subset of the Code Climate spec
    GitLab reads (``description``, ``check_name``, ``fingerprint``, ``severity``, ``location``).

    First each pair that could not be read and each threshold not met (severity ``blocker``),
    then one issue per finding in the order of the report's groups (most severe first), located
    by ``locate`` (``location.positions`` with 1-based lines and character columns; a record of
    inline texts at ``location.lines.begin``, its line of ``source``, the batch input). ``check_name``
    is ``diag/category/type`` (``diag/gate/<threshold>``, ``diag/input_error``). A fingerprint
    hashes the kind, the record (batch), the file and the words of the finding, not its line,
    so an unchanged finding keeps it when text above it moves (GitLab then shows it neither new
    nor fixed) and two findings never share one.
    """
    prints = _Fingerprints()
    issues: list[dict[str, object]] = []
    for o in outcomes:
        issues += _pair_issues(o, source, prints)
    for o in outcomes:
        d = o.diagnosis
        if d is None:
            continue
        label = "" if _has_file(d.candidate.path) else f"[{o.name}] "
        record = o.name if source is not None else ""
        for g in ReportView.build(d).groups:
            for place in g.places:
                f = d.findings[place.number - 1]
                where = locate(d, f, source, o.line)
                text = place.finding.message  # made printable
                if place.finding.suggestion:
                    text += f" Suggestion: {place.finding.suggestion}"
                identity = (
                    rule_id(f), record, where.path, f.reference.text if f.reference else "", f.candidate.text if f.candidate else ""
                )
                issues.append(_issue(label + text, rule_id(f), f.severity, prints.take(*identity), where))
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# --- GitHub workflow commands -----------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's rules: %, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: object) -> str:
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + given if given else ''}::{escape_data(message)}"


#: GitHub shows at most this many annotations of each level per step and drops the rest.
ANNOTATIONS_PER_LEVEL = 10


def _verdict_command(outcomes: Sequence[PairOutcome]) -> tuple[str, str]:
    """The gate's verdict as one workflow command: (level, command)."""
    failed = [o for o in outcomes if o.result is not None and not o.result.passed]
    errors = [o for o in outcomes if o.error is not None]
    n = len(outcomes)
    if not failed and not errors:
        return "notice", _command("notice", f"diag check passed: {n} of {n} pairs", title="diag gate")
    reasons = "; ".join(c.message for c in failed[0].result.failures()) if failed and failed[0].result else ""
    parts = []
    if failed:
        parts.append(f"{len(failed)} of {n} pairs failed the gate")
    if errors:
        parts.append(f"{len(errors)} could not be read")
    first = f" (first: {failed[0].name}: {reasons})" if failed and n > 1 else f" ({reasons})" if failed else ""
    return "error", _command("error", f"diag check failed: {', '.join(parts)}{first}", title="diag gate")


def _github_place(where: Where) -> dict[str, object]:
    """A finding's place as an annotation's properties: its file and span (none for stdin)."""
    if not where.is_file:
        return {}
    s = where.span
    if s is None:
        return {"file": _display_path(where.path), "line": where.line}
    return {"file": _display_path(where.path), "line": s.start_line, "col": s.start_column, "endLine": s.end_line, "endColumn": s.end_column}


def _annotations(outcomes: Sequence[PairOutcome], source: str | None = None) -> list[tuple[int, str, str]]:
    """Every annotation as (rank, level, command): unreadable pairs first, then findings by severity."""
    order = {s: k for k, s in enumerate(SEVERITIES)}
    out: list[tuple[int, str, str]] = []
    for o in outcomes:
        label = f"[{o.name}] "
        if o.error is not None:
            out.append((-1, "error", _command("error", f"{label}diag check: {o.error}", title="diag input error")))
            continue
        d = o.diagnosis
        if d is None:
            continue
        prefix = "" if _has_file(d.candidate.path) else label  # a record of inline texts is named
        new = None if o.comparison is None else o.comparison.findings.new  # with a baseline: only what is new
        if new is not None:
            prefix += "new: "
        for g in ReportView.build(d).groups:
            for place in g.places:
                if new is not None and not any(x is d.findings[place.number - 1] for x in new):
                    continue
                f = place.finding
                props = _github_place(locate(d, d.findings[place.number - 1], source, o.line))
                props["title"] = f"diag {f.severity}: {rule_id(f)}"
                level = GITHUB_COMMAND[f.severity]
                out.append((order[f.severity], level, _command(level, prefix + f.message, **props)))
    out.sort(key=lambda a: a[0])  # stable: input order within a severity
    return out


def github(outcomes: Sequence[PairOutcome], source: str | None = None) -> list[str]:
    """GitHub Actions workflow commands: the gate's verdict first, then at most
    ``ANNOTATIONS_PER_LEVEL`` annotations per level (the verdict counts), most severe first,
    and one notice counting the rest.

    Critical and major findings are ``::error``, minor ones ``::warning``; an unreadable
    pair is an ``::error`` ranked before every finding.
    """
    level, verdict = _verdict_command(outcomes)
    lines = [verdict]
    used = {"error": 0, "warning": 0, "notice": 0}
    used[level] += 1
    left: dict[str, int] = {"error": 0, "warning": 0}
    for _, lvl, command in _annotations(outcomes, source):
        if used[lvl] < ANNOTATIONS_PER_LEVEL:
            lines.append(command)
            used[lvl] += 1
        else:
            left[lvl] += 1
    if any(left.values()):
        total = sum(left.values())
        lines.append(
            _command(
                "notice",
                f"{total} more findings not annotated ({left['error']} errors, {left['warning']} warnings): "
                "GitHub shows 10 annotations per level; see the SARIF or the report for all of them",
                title="diag",
            )
        )
    return lines


# --- Markdown job summary ---------------------------------------------------------------------

#: Kinds of findings listed for one pair; failed or unreadable pairs listed in a batch; failed
#: pairs of a batch whose worst findings are listed, and how many kinds for each.
SUMMARY_FINDINGS = 10
SUMMARY_PAIRS = 50
SUMMARY_DETAILED = 5
SUMMARY_DETAILED_FINDINGS = 5
RESULT_MARK: Mapping[bool, str] = {True: "✅ pass", False: "❌ fail"}
VERDICT_MARK: Mapping[str, str] = {"passed": "✅ passed", "failed": "❌ failed", "incomplete": "⚠️ incomplete"}


def gate_verdict(outcomes: Sequence[PairOutcome]) -> str:
    """``passed``, ``failed`` (a threshold not met) or ``incomplete`` (only unreadable pairs kept it from passing)."""
    failed = any(o.result is not None and not o.result.passed for o in outcomes)
    errors = any(o.error is not None for o in outcomes)
    return "failed" if failed else "incomplete" if errors else "passed"


def _summary_title(outcomes: Sequence[PairOutcome], report_only: bool) -> str:
    verdict = gate_verdict(outcomes)
    note = " (report only: not failing)" if report_only and verdict == "failed" else ""
    return f"## diag check: {VERDICT_MARK[verdict]}{note}"


def _threshold_table(checks: Sequence[Any]) -> list[str]:
    from diag.gate import format_value
    from diag.render.markdown import code, escape

    lines = ["| threshold | limit | measured | result |", "| --- | ---: | ---: | --- |"]
    for c in checks:
        lines.append(
            f"| {code(c.name)} | {escape(format_value(c.threshold))} | {escape(format_value(c.value))} | {RESULT_MARK[c.passed]} |"
        )
    return lines


def _measured_range(values: Sequence[Any]) -> str:
    """The values a threshold measured over a batch: ``min – max`` for numbers, else the distinct values."""
    from diag.gate import format_value

    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    others = sorted({format_value(v) for v in values if v not in numbers})
    parts = []
    if numbers:
        lo, hi = format_value(min(numbers)), format_value(max(numbers))
        parts.append(lo if lo == hi else f"{lo} – {hi}")
    return ", ".join(parts + others) or "-"


def _batch_threshold_table(results: Sequence[GateResult]) -> list[str]:
    from diag.gate import format_value
    from diag.render.markdown import code, escape

    lines = ["| threshold | limit | measured (range) | pairs failed |", "| --- | ---: | ---: | ---: |"]
    for k, first in enumerate(results[0].checks):
        checks = [r.checks[k] for r in results]
        failed = sum(1 for c in checks if not c.passed)
        lines.append(
            f"| {code(first.name)} | {escape(format_value(first.threshold))} | "
            f"{escape(_measured_range([c.value for c in checks]))} | {'❌ ' if failed else ''}{failed} of {len(checks)} |"
        )
    return lines


def _worst(d: Diagnosis, show: int, heading: str) -> list[str]:
    from diag.render.markdown import escape, findings_section

    v = ReportView.build(d)
    return ["", f"{escape(v.verdict_line, None)} · {v.counts_line}", *findings_section(v, show, heading)]


def _pair_summary(o: PairOutcome) -> list[str]:
    from diag.render.markdown import escape, signature_line

    if o.error is not None:
        return ["", f"**Could not read the pair:** {escape(o.error, 500)}"]
    assert o.result is not None
    lines = ["", *_threshold_table(o.result.checks)]
    failed = o.result.failures()
    if failed:
        lines += ["", "**Not met:**", ""] + [f"- {escape(c.message, 500)}" for c in failed]
    if o.diagnosis is not None:
        lines += _worst(o.diagnosis, SUMMARY_FINDINGS, "###")
        lines += ["", signature_line(o.diagnosis.signature)]
    return lines


def _batch_summary(outcomes: Sequence[PairOutcome]) -> list[str]:
    from diag.render.markdown import escape

    results = [o.result for o in outcomes if o.result is not None]
    failed = [o for o in outcomes if o.result is not None and not o.result.passed]
    errors = [o for o in outcomes if o.error is not None]
    lines: list[str] = []
    if results:
        lines += ["", *_batch_threshold_table(results)]
    for title, rows, column in (
        ("Failed pairs", [(o.name, "; ".join(c.message for c in o.result.failures())) for o in failed if o.result], "thresholds not met"),
        ("Unreadable pairs", [(o.name, o.error or "") for o in errors], "error"),
    ):
        if not rows:
            continue
        lines += ["", f"### {title} ({len(rows)})", "", f"| pair | {column} |", "| --- | --- |"]
        lines += [f"| {escape(name, 80)} | {escape(text, 500)} |" for name, text in rows[:SUMMARY_PAIRS]]
        if len(rows) > SUMMARY_PAIRS:
            lines += ["", f"*{len(rows) - SUMMARY_PAIRS} more left out; see the JUnit report.*"]
    detailed = [o for o in failed if o.diagnosis is not None][:SUMMARY_DETAILED]
    if detailed:
        first = f" (the first {len(detailed)} of {len(failed)})" if len(detailed) < len(failed) else ""
        lines += ["", f"### Worst findings of the failed pairs{first}"]
        for o in detailed:
            assert o.diagnosis is not None
            lines += ["", f"#### {escape(o.name, 80)}", *_worst(o.diagnosis, SUMMARY_DETAILED_FINDINGS, "#####")]
    return lines


def summary(outcomes: Sequence[PairOutcome], thresholds_from: str, *, batch: bool = False, report_only: bool = False) -> str:
    """The gate's result as GitHub-flavoured Markdown, for ``$GITHUB_STEP_SUMMARY`` or a CI artifact.

    For one pair: each threshold, its limit, what was measured and whether it was met, the
    messages of those not met, the verdict and the worst findings (the Markdown report's
    findings table). For a batch: each threshold's limit, the range measured and how many
    pairs failed it, the failed and unreadable pairs (at most ``SUMMARY_PAIRS`` each), and the
    worst findings of the first ``SUMMARY_DETAILED`` failed pairs. Input text is escaped.
    """
    from diag.render.markdown import code, escape

    n = len(outcomes)
    passed = sum(1 for o in outcomes if o.result is not None and o.result.passed)
    failed = sum(1 for o in outcomes if o.result is not None and not o.result.passed)
    errors = n - passed - failed
    lines = [_summary_title(outcomes, report_only), ""]
    if not batch and n == 1:
        lines.append(f"Candidate {code(outcomes[0].name)} · thresholds from {escape(thresholds_from, None)}")
        lines += _pair_summary(outcomes[0])
    else:
        lines.append(
            f"{n} pairs: {passed} passed, {failed} failed, {errors} unreadable · thresholds from {escape(thresholds_from, None)}"
        )
        lines += _batch_summary(outcomes)
    return "\n".join(lines) + "\n"
