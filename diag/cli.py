"""The ``diag`` command: argument parsing, reading and writing files, exit codes.

The only module that prints, exits or turns errors into messages. Exit codes:
0 success, 1 a quality gate failed, 2 usage or configuration error, 3 input error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diag import __version__
from diag.errors import ConfigError, DiagError, InputError

if TYPE_CHECKING:
    from diag.model import Diagnosis

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
#: A bug in diag, not in the input: one line on stderr, the trace under --verbose.
EXIT_INTERNAL = 4

DEFAULT_REPORTS_DIR = "reports"
#: ``-o -`` means standard output.
STDOUT = "-"

log = logging.getLogger("diag")


class _Parser(argparse.ArgumentParser):
    """argparse, with the usage line and one error line (exit 2)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _byte_size(text: str) -> int:
    units = {"": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
    raw = text.strip().lower()
    number = raw.rstrip("kmgb")
    unit = raw[len(number) :]
    try:
        value = int(float(number) * units[unit])
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"expected a size such as 50000000, 200MB or 1GB, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive size, got {text!r}")
    return value


def _add_input_options(p: argparse.ArgumentParser) -> None:
    from diag.ingest import DEFAULT_MAX_BYTES

    p.add_argument(
        "--keep-all",
        action="store_true",
        help="compare every line: do not set page furniture (captions, counters, related-article tails) aside",
    )
    p.add_argument(
        "--glossary",
        metavar="FILE",
        help="protected terms, one per line, or 'reference form<TAB>required form'; "
        "a term the candidate does not render as required is a finding",
    )
    p.add_argument(
        "--max-bytes",
        type=_byte_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help=f"refuse inputs larger than this (default {DEFAULT_MAX_BYTES // 1024**2}MB)",
    )


def _add_engine_options(p: argparse.ArgumentParser, what: str = "") -> None:
    from diag.engines import SCHEDULER_ENV

    p.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N", help=f"local worker processes {what}(default: all cores)"
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help=f"run {what}on the Dask cluster of this scheduler instead of locally (needs diag[dask]; "
        f"default: ${SCHEDULER_ENV} when set); the output is the same",
    )


def _engine(args: argparse.Namespace) -> Any:
    from diag.batch import warm_up
    from diag.engines import engine_from

    return engine_from(args.jobs, args.scheduler, warm_up=warm_up)


def _progress(label: str, total: int | None) -> Any:
    """A rich progress bar on stderr when it is a terminal (else None): (progress, task)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        redirect_stdout=False,  # stdout is the command's output, not the bar's
    )
    return progress, progress.add_task("records", total=total)


def _format_name(text: str) -> str:
    from diag.render import format_names, get_renderer

    try:
        return get_renderer(text.lower()).name
    except ConfigError:
        raise argparse.ArgumentTypeError(f"unknown format {text!r}; use one of {', '.join(format_names())}") from None


def _add_format_option(p: argparse.ArgumentParser, where: str) -> None:
    from diag.render import RENDERERS

    suffixes = ", ".join(f"{r.suffix} {r.name}" for r in RENDERERS)
    p.add_argument(
        "--format",
        type=_format_name,
        metavar="FORMAT",
        help=f"report format ({', '.join(r.name for r in RENDERERS)}; md for markdown) {where}; "
        f"default: from the suffix of -o ({suffixes}), else terminal",
    )


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE (atomically) instead of stdout; - is stdout"
    )
    _add_format_option(p, "on stdout or in -o FILE")
    p.add_argument(
        "--save",
        nargs="?",
        const=DEFAULT_REPORTS_DIR,
        metavar="DIR",
        help=f"also write every format (txt, json, md, html) into DIR (default: {DEFAULT_REPORTS_DIR}/)",
    )
    p.add_argument("--width", type=_positive_int, metavar="N", help="terminal report width in columns")


def _common_options() -> _Parser:
    """Options every subcommand takes as well, so that they work before or after it."""
    common = _Parser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log progress and details to stderr"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The ``diag`` argument parser (every option has help; a test checks it)."""
    parser = _Parser(
        prog="diag",
        description="Compare a candidate text with a reference: sacrebleu metrics per document and per "
        "aligned sentence, what the candidate is (copy, translation, rewrite, independent), and damaged "
        "names, numbers and casing, located in both texts. diag reads English: a text in another language "
        "is refused (exit 3).",
        epilog="Exit codes: 0 success, 1 quality gate failed, 2 usage or configuration error, 3 input error, "
        "4 internal error (a bug in diag).",
    )
    parser.add_argument("--version", action="version", version=f"diag {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and details to stderr")
    common = _common_options()
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, help="run 'diag COMMAND --help' for its options"
    )

    report = sub.add_parser(
        "report",
        parents=[common],
        help="diagnose one candidate against one reference",
        description="Diagnose CANDIDATE against REFERENCE and print a report. Either may be '-' (stdin).",
    )
    report.add_argument("reference", metavar="REFERENCE", help="the reference text file, or - for stdin")
    report.add_argument("candidate", metavar="CANDIDATE", help="the candidate text file, or - for stdin")
    _add_input_options(report)
    _add_output_options(report)
    _add_confidence_option(report)
    report.set_defaults(func=cmd_report)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="run a report on a built-in example (an article and a machine round trip of it)",
        description="Diagnose the built-in example: a short article and a machine round-trip copy of it "
        "with a mangled name, a wrongly expanded acronym and changed numbers.",
    )
    _add_output_options(demo)
    demo.set_defaults(func=cmd_demo)

    batch = sub.add_parser(
        "batch",
        parents=[common],
        help="diagnose every record of a JSONL file in parallel",
        description="Each input line is {id, reference, candidate} (texts) or {id, reference_path, "
        "candidate_path} (files relative to the input's folder). Each output line is the full JSON report "
        "with the record's id; a bad record gives {id, error, line} in its place, is named on stderr, and the "
        "run goes on (exit 0 once every record has its line; --strict: exit 3 if any record failed). stderr ends with a corpus summary: relations, median metrics, findings by severity.",
    )
    batch.add_argument("input", metavar="INPUT.jsonl", help="the records, one JSON object per line")
    batch.add_argument(
        "-o", "--output", required=True, metavar="OUT.jsonl", help="where the reports go; - is stdout"
    )
    _add_engine_options(batch)
    batch.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when any record failed (by default a failed record is an error line in the output, "
        "named on stderr, and the run exits 0)",
    )
    batch.add_argument(
        "--save",
        metavar="DIR",
        help="also write every record's report as DIR/ID.json and DIR/ID.html (ids made safe, unique file names)",
    )
    _add_input_options(batch)
    batch.set_defaults(func=cmd_batch)

    _add_check_parser(sub, common)
    _add_scan_parser(sub, common)
    _add_compare_parser(sub, common)

    return parser


# --- commands -----------------------------------------------------------------------------


def _read_document(path: str, args: argparse.Namespace, same_as: Any = None) -> Any:
    """The Document of the file at ``path``; ``same_as``: a Document read before with the same settings,
    whose sentences serve again if this file holds the same text (a copy is checked and split once)."""
    from diag.ingest import read_input
    from diag.pipeline import build_document, same_text

    from diag.language import require_readable

    decoded = read_input(path, max_bytes=args.max_bytes)
    name = "<stdin>" if path == "-" else path
    if same_as is not None and decoded.text == same_as.text:
        return same_text(same_as, decoded.text, path=name, encoding=decoded.encoding, encoding_note=decoded.note)
    require_readable(decoded.text, name)
    return build_document(
        decoded.text,
        path=name,
        encoding=decoded.encoding,
        encoding_note=decoded.note,
        keep_all=args.keep_all,
    )


def load_pair(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Reference and candidate Documents and the glossary named by the arguments."""
    if args.reference == "-" and args.candidate == "-":
        raise ConfigError("only one of REFERENCE and CANDIDATE can be '-' (stdin)")
    ref = _read_document(args.reference, args)
    cand = _read_document(args.candidate, args, same_as=ref)
    glossary = None
    if getattr(args, "glossary", None):
        from diag.entities import load_glossary

        glossary = load_glossary(args.glossary)
    return ref, cand, glossary


def run_diagnosis(args: argparse.Namespace) -> Diagnosis:
    from diag.pipeline import Options, diagnose

    ref, cand, glossary = load_pair(args)
    options = Options(keep_all=args.keep_all, glossary_path=args.glossary)
    return diagnose(ref, cand, options=options, glossary=glossary)


def chosen_renderer(args: argparse.Namespace) -> Any:
    """The renderer of ``--format``, else of the suffix of ``-o FILE``, else the terminal's.

    Raises:
        ConfigError: if ``-o FILE`` has a suffix no format uses and ``--format`` is not given.
    """
    from diag.render import get_renderer, renderer_for_path

    if args.format:
        return get_renderer(args.format)
    if args.output and args.output != STDOUT:
        return renderer_for_path(args.output)
    return get_renderer("terminal")


def emit_report(d: Diagnosis, args: argparse.Namespace, inputs: Sequence[str | None]) -> None:
    """Print or write the report (see ``chosen_renderer``); ``--save`` writes every format."""
    from diag.files import atomic_writer, check_not_input, safe_name
    from diag.render import RENDERERS

    chosen = chosen_renderer(args)
    if args.output and args.output != STDOUT:
        check_not_input(args.output, inputs)
        with atomic_writer(args.output) as out:
            chosen.write(d, out)
        log.info("wrote %s", args.output)
    elif chosen.name == "terminal":
        _print_terminal(d, args.width)
    else:
        sys.stdout.write(chosen.render(d))
    if args.save:
        folder = Path(args.save)
        if not folder.is_dir():
            try:
                folder.mkdir(parents=True)
            except OSError as e:
                raise InputError(f"{folder}: cannot create the folder ({e.strerror}); choose another --save DIR") from None
        cand = d.candidate.path or "candidate"
        stem = safe_name(Path(cand).stem if cand != "<stdin>" else "stdin", default="candidate")
        targets = [(r, folder / f"{stem}{r.suffix}") for r in RENDERERS]
        for _, target in targets:  # all of them before writing any
            check_not_input(target, inputs)
        for r, target in targets:
            with atomic_writer(target) as out:
                r.write(d, out)
        suffixes = ",".join(r.suffix.lstrip(".") for r in RENDERERS)
        print(f"saved {stem}.{{{suffixes}}} in {folder}/", file=sys.stderr)


def _print_terminal(d: Diagnosis, width: int | None) -> None:
    from rich.console import Console

    from diag.render.terminal import renderables

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1 here; a closed pipe is the reader's choice
            raise BrokenPipeError

    console = _Console(width=width) if width else _Console()
    for item in renderables(d, console.width):
        console.print(item)


def cmd_report(args: argparse.Namespace) -> int:
    d = run_diagnosis(args)
    if args.confidence:
        d = _with_confidence(d, args)
    emit_report(d, args, [args.reference, args.candidate])
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from importlib.resources import files

    from diag.pipeline import build_document, diagnose

    data = files("diag") / "data"
    ref = build_document((data / "demo_reference.txt").read_text(encoding="utf-8"), path="demo/reference.txt")
    cand = build_document((data / "demo_candidate.txt").read_text(encoding="utf-8"), path="demo/candidate.txt")
    emit_report(diagnose(ref, cand), args, [])
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from diag.batch import BatchSettings, run_batch

    settings = BatchSettings(
        keep_all=args.keep_all,
        glossary_path=args.glossary,
        max_bytes=args.max_bytes,
        base_dir=str(Path(args.input).parent),
    )
    if args.glossary:
        from diag.entities import load_glossary

        load_glossary(args.glossary)  # fail before the run, not once per record
    from diag.summary import CorpusSummary

    corpus = CorpusSummary()
    output: Any = sys.stdout if args.output == STDOUT else args.output
    bar = _progress("diag batch", _count_lines(args.input))
    engine = _engine(args)

    def on_record(result: Any) -> None:
        corpus.add_line(result.output)
        if bar is not None:
            bar[0].advance(bar[1])

    try:
        if bar is None:
            summary = run_batch(
                args.input, output, engine=engine, settings=settings, save_dir=args.save, on_record=on_record
            )
        else:
            with bar[0]:
                summary = run_batch(
                    args.input, output, engine=engine, settings=settings, on_record=on_record, save_dir=args.save
                )
    finally:
        engine.close()
    print_corpus_summary("diag batch", corpus, f"reports in {summary.output}" + (f" and {args.save}/" if args.save else ""))
    return EXIT_INPUT if summary.failed and args.strict else EXIT_OK


def print_corpus_summary(command: str, corpus: Any, where: str) -> None:
    """Each failed record (id, line, reason), the counts, and the corpus summary, on stderr."""
    for failed in corpus.failed:
        print(f"{command}: {failed.message()}", file=sys.stderr)
    print(f"{command}: {corpus.total} records, {len(corpus.failed)} failed; {where}", file=sys.stderr)
    for line in corpus.lines():
        print(f"{command}: {line}", file=sys.stderr)


def _count_lines(path: str) -> int | None:
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


# --- scan: which of our articles does each page come from? --------------------------------


def _add_scan_parser(sub: Any, common: _Parser) -> None:
    from diag.scan import DEFAULT_TOP_K

    scan = sub.add_parser(
        "scan",
        parents=[common],
        help="find which reference (if any) each candidate page was copied, translated or rewritten from",
        description="Index the references (content words and their character 5-grams, BM25 in an SQLite "
        "FTS5 index on disk), retrieve the top K for each candidate, re-rank them by the names and numbers "
        "they share, and diagnose the candidate against the best one. One JSON line per candidate, in input "
        'order: {"id", "source" (the reference it derives from, or null), "retrieval_score", "candidates", '
        '"verdict", "metrics", "findings"}. REFERENCES and CANDIDATES are each a folder of text files '
        '(id: the file name) or a JSONL file of {"id", "text"}.',
    )
    scan.add_argument("--references", "-r", required=True, metavar="R", help="our articles: a folder or a JSONL file")
    scan.add_argument("--candidates", "-c", required=True, metavar="C", help="the pages to check: a folder or a JSONL file")
    scan.add_argument("--output", "-o", required=True, metavar="OUT.jsonl", help="where the results go (appended line by line)")
    scan.add_argument(
        "--top-k", "-k", type=_positive_int, default=DEFAULT_TOP_K, metavar="K",
        help=f"references retrieved and re-ranked per candidate (default {DEFAULT_TOP_K})",
    )
    scan.add_argument("--summary", metavar="FILE", help="also write the derived pages with verdict and damage (.md or .html)")
    scan.add_argument("--resume", action="store_true", help="go on with an interrupted scan: skip the ids already in OUT")
    scan.add_argument(
        "--index", metavar="FILE",
        help="keep the reference index in FILE and reuse it while the references are unchanged (default: a temporary one)",
    )
    _add_engine_options(scan)
    _add_input_options(scan)
    scan.set_defaults(func=cmd_scan)


def _scan_index(args: argparse.Namespace, folder: str) -> Any:
    """The reference index: reused from --index when up to date, else built (with a progress bar)."""
    from diag.scan import Index, iter_corpus

    target = Path(args.index) if args.index else Path(folder) / "references.db"
    index = Index.open(target, args.references) if args.index else None
    if index is not None:
        log.info("reusing the index %s (%d references)", target, index.size)
        return index
    entries = iter_corpus(args.references, args.max_bytes, "references")
    bar = _progress("indexing", None)
    if bar is None:
        return Index.build(target, entries, args.references)
    progress, task = bar
    with progress:
        return Index.build(target, entries, args.references, on_entry=lambda n: progress.update(task, completed=n))


def _check_scan_paths(args: argparse.Namespace) -> None:
    from diag.files import check_not_input

    if args.output == STDOUT:
        raise ConfigError("scan appends its results to a file (so that --resume can go on with it); give -o FILE")

    for target in (args.output, args.summary, args.index):
        if target:
            check_not_input(target, [args.references, args.candidates])
            for corpus in (args.references, args.candidates):
                if Path(corpus).is_dir() and Path(target).resolve().parent == Path(corpus).resolve():
                    raise ConfigError(f"{target}: is inside the corpus folder {corpus}; write it somewhere else")


def cmd_scan(args: argparse.Namespace) -> int:
    import tempfile

    from diag.batch import BatchSettings
    from diag.scan import ScanSettings, iter_corpus, read_report, run_scan, summary_renderer

    render_summary = summary_renderer(args.summary) if args.summary else None
    _check_scan_paths(args)
    if args.glossary:
        from diag.entities import load_glossary

        load_glossary(args.glossary)  # fail before the run, not once per record
    settings = ScanSettings(
        top_k=args.top_k,
        batch=BatchSettings(keep_all=args.keep_all, glossary_path=args.glossary, max_bytes=args.max_bytes),
    )
    engine = _engine(args)
    with tempfile.TemporaryDirectory(prefix="diag-scan-") as folder:
        index = _scan_index(args, folder)
        try:
            candidates = iter_corpus(args.candidates, args.max_bytes, "candidates")
            bar = _progress("diag scan", _count_corpus(args.candidates))
            if bar is None:
                summary = run_scan(
                    index, candidates, args.output, settings=settings, engine=engine, resume=args.resume,
                    on_candidate=_name_failed,
                )
            else:
                progress, task = bar

                def advance(line: dict[str, Any]) -> None:
                    _name_failed(line)
                    progress.advance(task)

                with progress:
                    summary = run_scan(
                        index, candidates, args.output, settings=settings, engine=engine, resume=args.resume,
                        on_candidate=advance,
                    )
        finally:
            index.close()
            engine.close()
    if render_summary is not None:
        from diag.files import atomic_write

        atomic_write(args.summary, render_summary(read_report(args.output)))
    print(
        f"diag scan: {summary.candidates} candidates against {summary.references} references"
        + (f" ({summary.skipped} already in {summary.output})" if summary.skipped else "")
        + f": {summary.derived} derived from a reference, {summary.failed} failed; results in {summary.output}"
        + (f", summary in {args.summary}" if args.summary else ""),
        file=sys.stderr,
    )
    return EXIT_INPUT if summary.failed else EXIT_OK


def _name_failed(line: dict[str, Any]) -> None:
    if "error" in line:
        print(f"diag scan: {line['id']}: {line['error']}", file=sys.stderr)


def _count_corpus(path: str) -> int | None:
    p = Path(path)
    if p.is_dir():
        return sum(1 for e in os.scandir(p) if not e.name.startswith(".") and e.is_file())
    return _count_lines(path)


# --- check: the CI gate --------------------------------------------------------------------


def _threshold_flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_check_parser(sub: Any, common: _Parser) -> None:
    from diag.gate import COUNT_THRESHOLDS, DESCRIPTIONS, FORBID_RELATIONS, PYPROJECT_TABLE, THRESHOLDS

    check = sub.add_parser(
        "check",
        parents=[common],
        help="the CI gate: diagnose and fail (exit 1) when a threshold is not met",
        description=f"Diagnose CANDIDATE against REFERENCE (or every record of --batch INPUT.jsonl) and apply "
        f"the thresholds of {PYPROJECT_TABLE} in the nearest pyproject.toml that has one (searched from the "
        "working directory up; an unknown [tool.diag.*] table is an error) or of --config FILE; flags override them. Exit 0 pass, 1 gate failed, 2 usage or "
        "configuration error (also: no thresholds at all), 3 input error.",
    )
    check.add_argument("reference", nargs="?", metavar="REFERENCE", help="the reference text file, or - for stdin")
    check.add_argument("candidate", nargs="?", metavar="CANDIDATE", help="the candidate text file, or - for stdin")
    check.add_argument(
        "--batch",
        metavar="INPUT.jsonl",
        help="check every record of a JSONL file (as for 'diag batch') instead of one pair",
    )
    check.add_argument(
        "--config",
        metavar="FILE",
        help=f"read thresholds from this TOML file (top-level keys or {PYPROJECT_TABLE}) instead of pyproject.toml",
    )
    for name in THRESHOLDS:
        if name == FORBID_RELATIONS:
            check.add_argument(
                _threshold_flag(name),
                dest=name,
                metavar="REL[,REL...]",
                help=DESCRIPTIONS[name] + "; comma-separated",
            )
        else:
            check.add_argument(
                _threshold_flag(name),
                dest=name,
                type=int if name in COUNT_THRESHOLDS else float,
                metavar="N" if name in COUNT_THRESHOLDS else "X",
                help=DESCRIPTIONS[name],
            )
    check.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one testcase per pair)")
    check.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 log (one result per finding)")
    check.add_argument(
        "--codequality",
        metavar="FILE",
        help="write a GitLab Code Quality report (artifacts: reports: codequality: FILE): one issue per finding "
        "and per threshold not met",
    )
    check.add_argument(
        "--summary",
        metavar="FILE",
        help="write the gate's result as Markdown: thresholds, measured values, pass/fail, worst findings "
        "(e.g. --summary \"$GITHUB_STEP_SUMMARY\")",
    )
    check.add_argument(
        "--github",
        action="store_true",
        help="print GitHub Actions workflow commands (::error/::warning annotations) on stdout",
    )
    check.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="also write the report of a single pair to FILE, in the format of its suffix (.txt, .json, .md, .html); "
        "with --baseline, the comparison's report",
    )
    _add_format_option(check, "of -o FILE")
    check.add_argument(
        "--report-only", action="store_true", help="report the gate's result but never fail (exit 0 when it fails)"
    )
    _add_engine_options(check, what="for --batch ")
    _add_input_options(check)
    _add_baseline_options(check)
    check.set_defaults(func=cmd_check)


def load_gate_config(args: argparse.Namespace) -> Any:
    """Thresholds from --config or the nearest pyproject.toml with ``[tool.diag.gate]``, with the flags on top.

    Raises:
        ConfigError: if a file cannot be read, or a key or value is invalid.
    """
    from diag.gate import FORBID_RELATIONS, THRESHOLDS, GateConfig, discover, parse_toml, read_config

    path: Path | None
    if args.config:
        path, table = Path(args.config), False
        if not path.is_file():
            raise ConfigError(f"--config {args.config}: no such file; check the path")
    else:
        path, table = discover(Path.cwd()), True
    config = GateConfig(source="no configuration file")
    if path is not None:
        config = parse_toml(read_config(path), str(path), table=table)
        log.info("gate thresholds from %s: %s", config.source, config.configured())
    overrides: dict[str, Any] = {}
    for name in THRESHOLDS:
        value = getattr(args, name)
        if value is None:
            continue
        if name == FORBID_RELATIONS:
            value = [part.strip() for part in value.split(",") if part.strip()]
        GateConfig(**{name: value}, source=_threshold_flag(name))  # name the flag in a bad-value message
        overrides[name] = value
    return config.with_overrides(overrides, source="flags")


def _check_batch(args: argparse.Namespace, config: Any, keep_diagnoses: bool, keep_failed: bool = False) -> Iterator[Any]:
    """Each record's outcome, streamed in input order from the runner.

    A diagnosis is kept in the outcome only when ``keep_diagnoses`` (SARIF, Code Quality and
    GitHub annotations list the findings of every pair), for a failed pair when ``keep_failed``
    (the summary lists their worst findings) and for the first pair (its signature); otherwise
    only the gate result is, so memory does not grow with the diagnoses.
    """
    from diag.batch import BatchSettings, iter_results, read_records
    from diag.ci_formats import PairOutcome
    from diag.gate import evaluate

    settings = BatchSettings(
        keep_all=args.keep_all,
        glossary_path=args.glossary,
        max_bytes=args.max_bytes,
        base_dir=str(Path(args.batch).parent),
    )
    records = read_records(Path(args.batch), settings.max_bytes)
    bar = _progress("diag check", _count_lines(args.batch))
    engine = _engine(args)
    first = True
    try:
        if bar is not None:
            bar[0].start()
        for r in iter_results(records, settings, engine, keep_diagnosis=True):
            if r.diagnosis is None:
                yield PairOutcome(r.name, error=r.error, seconds=r.seconds, line=r.line)
            else:
                result = evaluate(r.diagnosis, config, r.comparison)
                keep = keep_diagnoses or first or (keep_failed and not result.passed)  # the first: JUnit's signature
                first = False
                comparison = r.comparison if keep else None
                yield PairOutcome(
                    r.name, r.diagnosis if keep else None, result, seconds=r.seconds, line=r.line, comparison=comparison
                )
            if bar is not None:
                bar[0].advance(bar[1])
    finally:
        if bar is not None:
            bar[0].stop()
        engine.close()


def _print_outcome(o: Any, args: argparse.Namespace) -> None:
    if o.error is not None:
        # a pair's error names its file; a record's gets the record's name
        print(f"diag: {o.name}: {o.error}" if args.batch else f"diag: {o.error}", file=sys.stderr)
    elif o.result is not None and (not o.result.passed or not args.batch):
        print(f"{'PASS' if o.result.passed else 'FAIL'} {o.name}")
        for c in o.result.checks:
            print(f"  {'ok  ' if c.passed else 'FAIL'} {c.message}")


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from diag.ci_formats import PairOutcome, codequality, gate_verdict, github, junit, sarif, summary
    from diag.files import atomic_write, check_not_input
    from diag.gate import evaluate

    if args.batch:
        if args.reference or args.candidate:
            raise ConfigError("give either REFERENCE CANDIDATE or --batch INPUT.jsonl, not both")
        if args.output:
            raise ConfigError("-o writes the report of one pair; with --batch use 'diag batch' for reports")
    elif not (args.reference and args.candidate):
        raise ConfigError("give REFERENCE and CANDIDATE, or --batch INPUT.jsonl")
    chosen = chosen_renderer(args) if args.output else None
    config = baseline_gate(load_gate_config(args), args)
    if config.is_empty():
        raise ConfigError(
            f"{config.source}: the gate has no thresholds; set at least one in [tool.diag.gate] of pyproject.toml, "
            "in a --config file, or with a flag such as --min-chrf 50"
        )
    inputs = [args.batch] if args.batch else [args.reference, args.candidate, args.baseline]
    for target in (args.junit, args.sarif, args.codequality, args.summary, args.output):
        if target:
            check_not_input(target, inputs)

    if args.batch:
        outcomes = []
        keep = bool(args.sarif or args.github or args.codequality)
        for o in _check_batch(args, config, keep_diagnoses=keep, keep_failed=bool(args.summary)):
            _print_outcome(o, args)
            outcomes.append(o)
    else:
        start = time.perf_counter()
        name = args.candidate if args.candidate != "-" else "<stdin>"
        try:
            d, comparison = diagnose_for_check(args)
        except InputError as e:
            outcomes = [PairOutcome(name, error=str(e))]
        else:
            outcomes = [
                PairOutcome(
                    name, d, evaluate(d, config, comparison), seconds=time.perf_counter() - start, comparison=comparison
                )
            ]
    diagnoses = [o.diagnosis for o in outcomes if o.diagnosis is not None]

    if args.junit:
        atomic_write(args.junit, junit(outcomes))
    if args.sarif:
        atomic_write(args.sarif, sarif(outcomes, source=args.batch))
    if args.codequality:
        atomic_write(args.codequality, codequality(outcomes, source=args.batch))
    if args.summary:
        text = summary(outcomes, config.source, batch=bool(args.batch), report_only=args.report_only)
        atomic_write(args.summary, text)
    if chosen is not None and diagnoses:
        text = check_report(chosen, diagnoses[0], outcomes[0].comparison)
        if args.output == STDOUT:
            sys.stdout.write(text)
        else:
            atomic_write(args.output, text)
    if args.github:
        for line in github(outcomes, source=args.batch):
            print(line)

    passed = sum(1 for o in outcomes if o.result is not None and o.result.passed)
    failed = sum(1 for o in outcomes if o.result is not None and not o.result.passed)
    errors = sum(1 for o in outcomes if o.error is not None)
    if not args.batch:
        for o in outcomes:
            _print_outcome(o, args)
    verdict = gate_verdict(outcomes)
    note = " (report only: not failing)" if args.report_only and failed else ""
    print(
        f"diag check: {verdict}{note}: {len(outcomes)} pairs, {passed} passed, {failed} failed, {errors} errors; "
        f"thresholds from {config.source}"
    )
    if errors:
        return EXIT_INPUT
    if failed and not args.report_only:
        return EXIT_GATE_FAILED
    return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit after a closed pipe is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it)
        pass


# --- compare: two candidates against one reference -----------------------------------------


def _add_bootstrap_options(p: argparse.ArgumentParser) -> None:
    from diag.compare import DEFAULT_RESAMPLES, DEFAULT_SEED

    p.add_argument(
        "--resamples",
        type=_positive_int,
        default=DEFAULT_RESAMPLES,
        metavar="N",
        help=f"bootstrap resamples (default {DEFAULT_RESAMPLES}, as sacrebleu's paired bootstrap)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of the resampling (default {DEFAULT_SEED}, sacrebleu's); it is in the signature",
    )


def _add_confidence_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confidence",
        action="store_true",
        help="add 95%% bootstrap intervals to the document metrics (aligned pairs resampled, as sacrebleu's "
        "--confidence resamples segments)",
    )
    _add_bootstrap_options(p)


def _with_confidence(d: Diagnosis, args: argparse.Namespace) -> Diagnosis:
    """The diagnosis with bootstrap intervals in its metrics and their settings in its signature."""
    from dataclasses import replace

    from diag.compare import confidence

    intervals = confidence(d, resamples=args.resamples, seed=args.seed)
    metrics = {
        name: replace(s, interval=(intervals[name].lo, intervals[name].hi), bootstrap_mean=intervals[name].mean)
        if name in intervals
        else s
        for name, s in d.metrics.items()
    }
    return replace(d, metrics=metrics, signature=f"{d.signature}|bs:{args.resamples}|seed:{args.seed}")


def _add_compare_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "compare",
        parents=[common],
        help="compare two candidates against one reference: paired bootstrap intervals, new and fixed damage",
        description="Diagnose BASELINE and CANDIDATE against REFERENCE and compare them: per metric both document "
        "scores, the delta, a 95% paired bootstrap interval and a p-value (reference sentences resampled, both "
        "sides' aligned pairs moving together), findings new in CANDIDATE, fixed and unchanged, and every "
        "reference sentence with both renderings. One input may be '-' (stdin).",
    )
    p.add_argument("reference", metavar="REFERENCE", help="the reference text file, or - for stdin")
    p.add_argument("baseline", metavar="BASELINE", help="what is shipped now (the candidate to beat), or -")
    p.add_argument("candidate", metavar="CANDIDATE", help="the new candidate text file, or -")
    _add_input_options(p)
    _add_bootstrap_options(p)
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the comparison to FILE (atomically) instead of stdout; - is stdout"
    )
    _add_format_option(p, "on stdout or in -o FILE")
    p.add_argument("--width", type=_positive_int, metavar="N", help="terminal report width in columns")
    p.set_defaults(func=cmd_compare)


def run_comparison(args: argparse.Namespace, baseline_path: str) -> Any:
    """Read REFERENCE, BASELINE and CANDIDATE and compare them (one of them may be stdin)."""
    from diag.compare import compare_diagnoses
    from diag.pipeline import Options, diagnose

    paths = [args.reference, baseline_path, args.candidate]
    if paths.count("-") > 1:
        raise ConfigError("only one of REFERENCE, BASELINE and CANDIDATE can be '-' (stdin)")
    ref, cand, glossary = load_pair(args)
    base = _read_document(baseline_path, args)
    options = Options(keep_all=args.keep_all, glossary_path=args.glossary)
    return compare_diagnoses(
        diagnose(ref, base, options=options, glossary=glossary),
        diagnose(ref, cand, options=options, glossary=glossary),
        resamples=args.resamples,
        seed=args.seed,
    )


def _add_baseline_options(check: argparse.ArgumentParser) -> None:
    from diag.gate import ALPHA, DESCRIPTIONS

    check.add_argument(
        "--baseline",
        metavar="FILE",
        help="compare CANDIDATE with this baseline (what is shipped now) for the max_regression_* and max_new_* "
        "thresholds; with no threshold configured, fail on any significant drop or new critical or major finding",
    )
    check.add_argument("--alpha", dest=ALPHA, type=float, metavar="X", help=DESCRIPTIONS[ALPHA])
    _add_bootstrap_options(check)


def baseline_gate(config: Any, args: argparse.Namespace) -> Any:
    """``--alpha`` on top of the thresholds; with a baseline and no thresholds at all, the default baseline gate."""
    from diag.gate import ALPHA, DEFAULT_BASELINE_GATE, GateConfig

    if getattr(args, ALPHA) is not None:
        GateConfig(alpha=getattr(args, ALPHA), source="--alpha")  # name the flag in a bad-value message
        config = config.with_overrides({ALPHA: getattr(args, ALPHA)}, source="flags")
    if args.baseline and args.batch:
        raise ConfigError("--baseline compares one pair; with --batch give a baseline or baseline_path field per record")
    if args.baseline and config.is_empty():
        default = GateConfig(**DEFAULT_BASELINE_GATE, source="the default baseline gate")  # type: ignore[arg-type]
        config = default.with_overrides({ALPHA: config.alpha}, source=config.source) if config.alpha else default
    return config


def check_report(chosen: Any, d: Diagnosis, comparison: Any) -> str:
    """``diag check -o FILE``: the pair's report, or with ``--baseline`` the comparison's, in the chosen format."""
    if comparison is None:
        text: str = chosen.render(d)
        return text
    from diag.render.compare import RENDERERS

    return RENDERERS[chosen.name](comparison)


def diagnose_for_check(args: argparse.Namespace) -> tuple[Diagnosis, Any]:
    """The candidate's diagnosis, and its comparison with ``--baseline`` (or None)."""
    if args.baseline:
        c = run_comparison(args, args.baseline)
        return c.candidate, c
    return run_diagnosis(args), None


def cmd_compare(args: argparse.Namespace) -> int:
    from diag.files import atomic_write, check_not_input
    from diag.render.compare import RENDERERS, renderables

    fmt = chosen_renderer(args).name  # the diagnosis formats' names and suffixes; each has a comparison renderer
    to_file = args.output and args.output != STDOUT
    if to_file:
        check_not_input(args.output, [args.reference, args.baseline, args.candidate])
    c = run_comparison(args, args.baseline)
    if to_file:
        atomic_write(args.output, RENDERERS[fmt](c))
    elif fmt == "terminal":
        from rich.console import Console

        console = Console(width=args.width) if args.width else Console()
        for item in renderables(c):
            console.print(item)
    else:
        sys.stdout.write(RENDERERS[fmt](c))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``diag`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="diag: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except DiagError as e:
        print(f"diag: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("diag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as e:
        log.debug("traceback", exc_info=True)
        print(
            f"diag: internal error ({type(e).__name__}: {e}); please report it with the inputs "
            "(run with --verbose for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
