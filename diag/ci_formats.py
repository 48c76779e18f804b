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
from xml.etree import ElementTree as ET

from diag import __version__
from diag.gate import GateResult
from diag.model import Diagnosis, Finding

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


def _sarif_result(f: Finding, d: Diagnosis, rule_index: int) -> dict[str, object]:
    text = f.message
    if f.suggestion:
        text += f" Suggestion: {f.suggestion}"
    result: dict[str, object] = {
        "ruleId": rule_id(f),
        "ruleIndex": rule_index,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": text},
        "properties": {"severity": f.severity, "category": f.category},
    }
    props = result["properties"]
    assert isinstance(props, dict)
    if d.id is not None:
        props["record"] = d.id
    if f.reference is not None:
        props["reference"] = {"text": f.reference.text, "charOffset": f.reference.start}
    loc = f.candidate
    if loc is None:
        props["candidate"] = None  # missing from the candidate: nothing to point at
        return result
    start_line, start_col = position(d.candidate.text, loc.start)
    end_line, end_col = position(d.candidate.text, loc.end)
    region = {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": loc.start,
        "charLength": loc.end - loc.start,
        "snippet": {"text": loc.text},
    }
    if d.candidate.path and d.candidate.path != "<stdin>":
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _artifact_uri(d.candidate.path)},
                    "region": region,
                }
            }
        ]
    else:
        props["region"] = region  # inline text (batch record): no file to point at
    return result


def sarif(diagnoses: Sequence[Diagnosis]) -> str:
    """A SARIF 2.1.0 log: one run, one result per finding with its region in the candidate file.

    ``ruleId`` is ``category/type``; critical and major findings are ``error``, minor ones
    ``warning``. Columns are characters, stated in ``run.columnKind`` and a run property.
    """
    rules: dict[str, int] = {}
    rule_objs: list[dict[str, object]] = []
    results: list[dict[str, object]] = []
    for d in diagnoses:
        for f in d.findings:
            rid = rule_id(f)
            if rid not in rules:
                rules[rid] = len(rule_objs)
                rule_objs.append(
                    {
                        "id": rid,
                        "name": "".join(part.title() for part in rid.replace("/", "_").split("_")),
                        "shortDescription": {
                            "text": f"{f.category.replace('_', ' ')}: {f.type.replace('_', ' ')}"
                        },
                        "properties": {"category": f.category},
                    }
                )
            results.append(_sarif_result(f, d, rules[rid]))
    signatures = sorted({d.signature for d in diagnoses})
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "diag",
                        "version": __version__,
                        "rules": rule_objs,
                    }
                },
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


def github(outcomes: Sequence[PairOutcome]) -> list[str]:
    """GitHub Actions workflow commands: an annotation per finding and per failed threshold.

    Critical and major findings are ``::error``, minor ones ``::warning``; a failed
    threshold or an unreadable pair is an ``::error``.
    """
    lines: list[str] = []
    for o in outcomes:
        label = f"[{o.name}] "
        if o.error is not None:
            lines.append(_command("error", f"{label}diag check: {o.error}", title="diag input error"))
            continue
        d = o.diagnosis
        assert d is not None and o.result is not None
        path = _display_path(d.candidate.path) if d.candidate.path not in (None, "<stdin>") else None
        prefix = "" if path else label
        for f in d.findings:
            props: dict[str, object] = {"file": path, "title": f"diag {f.severity}: {rule_id(f)}"}
            if path and f.candidate is not None:
                line, col = position(d.candidate.text, f.candidate.start)
                end_line, end_col = position(d.candidate.text, f.candidate.end)
                props = {
                    "file": path,
                    "line": line,
                    "col": col,
                    "endLine": end_line,
                    "endColumn": end_col,
                    **props,
                }
            lines.append(_command(GITHUB_COMMAND[f.severity], prefix + f.message, **props))
        for c in o.result.failures():
            lines.append(
                _command(
                    "error", f"{prefix}diag gate failed: {c.message}", file=path, title=f"diag gate: {c.name}"
                )
            )
    return lines
