"""The ``diag`` command: argument parsing, reading and writing files, exit codes.

The only module that prints, exits or turns errors into messages. Exit codes:
0 success, 1 a quality gate failed, 2 usage or configuration error, 3 input error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
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

FORMATS = ("terminal", "json", "markdown", "html")
DEFAULT_REPORTS_DIR = "reports"

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


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="terminal",
        help="report format on stdout or in --output (default: terminal)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    p.add_argument(
        "--save",
        nargs="?",
        const=DEFAULT_REPORTS_DIR,
        metavar="DIR",
        help=f"also write every format (txt, json, md, html) into DIR (default: {DEFAULT_REPORTS_DIR}/)",
    )
    p.add_argument("--width", type=_positive_int, metavar="N", help="terminal report width in columns")


def build_parser() -> argparse.ArgumentParser:
    """The ``diag`` argument parser (every option has help; a test checks it)."""
    parser = _Parser(
        prog="diag",
        description="Compare a candidate text with a reference: sacrebleu metrics per document and per "
        "aligned sentence, what the candidate is (copy, translation, rewrite, independent), and damaged "
        "names, numbers and casing, located in both texts.",
        epilog="Exit codes: 0 success, 1 quality gate failed, 2 usage or configuration error, 3 input error.",
    )
    parser.add_argument("--version", action="version", version=f"diag {__version__}")
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress and details to stderr")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, help="run 'diag COMMAND --help' for its options"
    )

    report = sub.add_parser(
        "report",
        help="diagnose one candidate against one reference",
        description="Diagnose CANDIDATE against REFERENCE and print a report. Either may be '-' (stdin).",
    )
    report.add_argument("reference", metavar="REFERENCE", help="the reference text file, or - for stdin")
    report.add_argument("candidate", metavar="CANDIDATE", help="the candidate text file, or - for stdin")
    _add_input_options(report)
    _add_output_options(report)
    report.set_defaults(func=cmd_report)

    demo = sub.add_parser(
        "demo",
        help="run a report on a built-in example (an article and a machine round trip of it)",
        description="Diagnose the built-in example: a short article and a machine round-trip copy of it "
        "with a mangled name, a wrongly expanded acronym and changed numbers.",
    )
    _add_output_options(demo)
    demo.set_defaults(func=cmd_demo)

    batch = sub.add_parser(
        "batch",
        help="diagnose every record of a JSONL file in parallel",
        description="Each input line is {id, reference, candidate} (texts) or {id, reference_path, "
        "candidate_path} (files relative to the input's folder). Each output line is the full JSON report "
        "with the record's id; a bad record gives {id, error, line} and the run goes on (exit 3 at the end).",
    )
    batch.add_argument("input", metavar="INPUT.jsonl", help="the records, one JSON object per line")
    batch.add_argument("--output", "-o", required=True, metavar="OUT.jsonl", help="where the reports go")
    batch.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N", help="worker processes (default: all cores)"
    )
    _add_input_options(batch)
    batch.set_defaults(func=cmd_batch)

    return parser


# --- commands -----------------------------------------------------------------------------


def _read_document(path: str, args: argparse.Namespace) -> Any:
    from diag.ingest import read_input
    from diag.pipeline import build_document

    decoded = read_input(path, max_bytes=args.max_bytes)
    return build_document(
        decoded.text,
        path="<stdin>" if path == "-" else path,
        encoding=decoded.encoding,
        encoding_note=decoded.note,
        keep_all=args.keep_all,
    )


def load_pair(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Reference and candidate Documents and the glossary named by the arguments."""
    if args.reference == "-" and args.candidate == "-":
        raise ConfigError("only one of REFERENCE and CANDIDATE can be '-' (stdin)")
    ref = _read_document(args.reference, args)
    cand = _read_document(args.candidate, args)
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


def emit_report(d: Diagnosis, args: argparse.Namespace, inputs: Sequence[str | None]) -> None:
    """Print or write the report in ``args.format``; ``--save`` writes every format."""
    from diag.files import atomic_write, check_not_input, safe_name
    from diag.render import SUFFIXES, renderer

    if args.output:
        check_not_input(args.output, inputs)
        text = renderer(args.format)(d)
        atomic_write(args.output, text)
        log.info("wrote %s", args.output)
    elif args.format == "terminal":
        _print_terminal(d, args.width)
    else:
        sys.stdout.write(renderer(args.format)(d))
    if args.save:
        folder = Path(args.save)
        if not folder.is_dir():
            try:
                folder.mkdir(parents=True)
            except OSError as e:
                raise InputError(f"{folder}: cannot create the folder ({e.strerror}); choose another --save DIR") from None
        cand = d.candidate.path or "candidate"
        stem = safe_name(Path(cand).stem if cand != "<stdin>" else "stdin")
        for fmt, suffix in SUFFIXES.items():
            target = folder / f"{stem}{suffix}"
            check_not_input(target, inputs)
            atomic_write(target, renderer(fmt)(d))
        print(f"saved {stem}.{{txt,json,md,html}} in {folder}/", file=sys.stderr)


def _print_terminal(d: Diagnosis, width: int | None) -> None:
    from rich.console import Console

    from diag.render.terminal import renderables

    console = Console(width=width) if width else Console()
    for item in renderables(d):
        console.print(item)


def cmd_report(args: argparse.Namespace) -> int:
    d = run_diagnosis(args)
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
    show = sys.stderr.isatty()
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("diag batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        ) as progress:
            task = progress.add_task("records", total=_count_lines(args.input))
            summary = run_batch(
                args.input,
                args.output,
                jobs=args.jobs,
                settings=settings,
                on_record=lambda done: progress.update(task, completed=done),
            )
    else:
        summary = run_batch(args.input, args.output, jobs=args.jobs, settings=settings)
    print(
        f"diag batch: {summary.total} records, {summary.failed} failed; reports in {summary.output}",
        file=sys.stderr,
    )
    return EXIT_INPUT if summary.failed else EXIT_OK


def _count_lines(path: str) -> int | None:
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``diag`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="diag: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        return code
    except DiagError as e:
        print(f"diag: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("diag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
