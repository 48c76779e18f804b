"""CI outputs of ``diag check``: JUnit XML, SARIF 2.1.0 and GitHub workflow commands. No I/O.

Each function takes finished values (``Diagnosis``, ``GateResult``) and returns text;
the CLI writes it. Positions in the candidate file are computed from ``str`` offsets
into its decoded text: lines and columns are 1-based and columns count characters
(Unicode code points), not bytes or UTF-16 units.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def _region(text: str, start: int, end: int, snippet: str) -> dict[str, object]:
    start_line, start_col = position(text, start)
    end_line, end_col = position(text, end)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": start,
        "charLength": end - start,
        "snippet": {"text": snippet},
    }


def _has_file(path: str | None) -> bool:
    return path is not None and path != "<stdin>"


def sarif_location(d: Diagnosis, f: Finding, source: str | None = None, line: int | None = None) -> dict[str, object]:
    """Where a finding is, as a SARIF location with a physical location and a region (GitHub's rule).

    In the candidate file where it has a span there; a finding missing from the candidate (an
    omission) at its place in the reference file, or else at the point where it is missing in
    the candidate; a pair of inline texts (a batch record) at the record's line of ``source``,
    the JSONL input. Only text on stdin, with no record line, is named ``stdin``.
    """
    ref, cand = d.reference, d.candidate
    if f.candidate is not None and _has_file(cand.path):
        uri, region = cand.path, _region(cand.text, f.candidate.start, f.candidate.end, f.candidate.text)
    elif f.reference is not None and _has_file(ref.path):
        uri, region = ref.path, _region(ref.text, f.reference.start, f.reference.end, f.reference.text)
    elif _has_file(cand.path):
        at = missing_at(d, f)
        uri, region = cand.path, _region(cand.text, at, at, "")
    elif source is not None and line is not None:
        uri, region = source, {"startLine": line}
    else:
        loc = f.candidate or f.reference
        text = cand.text if f.candidate is not None else ref.text
        uri = "stdin"
        region = _region(text, loc.start, loc.end, loc.text) if loc else {"startLine": 1}
    assert uri is not None
    return {"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(uri)}, "region": region}}


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


def _annotations(outcomes: Sequence[PairOutcome]) -> list[tuple[int, str, str]]:
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
        path = _display_path(d.candidate.path) if d.candidate.path not in (None, "<stdin>") else None
        prefix = "" if path else label
        new = None if o.comparison is None else o.comparison.findings.new  # with a baseline: only what is new
        if new is not None:
            prefix += "new: "
        for g in ReportView.build(d).groups:
            for place in g.places:
                if new is not None and not any(x is d.findings[place.number - 1] for x in new):
                    continue
                f = place.finding
                props: dict[str, object] = {"file": path, "title": f"diag {f.severity}: {rule_id(f)}"}
                if path and f.candidate is not None:
                    line, col = position(d.candidate.text, f.candidate.start)
                    end_line, end_col = position(d.candidate.text, f.candidate.end)
                    props = {"file": path, "line": line, "col": col, "endLine": end_line, "endColumn": end_col, **props}
                level = GITHUB_COMMAND[f.severity]
                out.append((order[f.severity], level, _command(level, prefix + f.message, **props)))
    out.sort(key=lambda a: a[0])  # stable: input order within a severity
    return out


def github(outcomes: Sequence[PairOutcome]) -> list[str]:
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
    for _, lvl, command in _annotations(outcomes):
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
