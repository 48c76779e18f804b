"""The corpus runner: many reference/candidate pairs from JSONL, streamed through an engine.

``iter_results`` is the one runner behind ``diag batch`` and ``diag check --batch`` (and,
through the same engines, ``diag scan``): results in input order, a bounded window of work
in flight, the same bytes on every engine (``diag.engines``: local pool or Dask).

Each input line is ``{"id", "reference", "candidate"}`` (texts) or
``{"id", "reference_path", "candidate_path"}`` (files, relative to the JSONL's folder).
Each output line is the full JSON report with the record's id, in input order; a bad
record gives ``{"id", "error", "line"}`` and the run goes on. Records are read lazily and
at most a few per worker are in flight, so memory stays bounded on large inputs.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from diag.engines import Engine, LocalEngine
from diag.errors import DiagError, InputError
from diag.ingest import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from diag.model import Diagnosis, Document

log = logging.getLogger("diag")

#: Formats ``--save DIR`` writes for every record, as DIR/ID.SUFFIX.
SAVE_FORMATS = ("json", "html")
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True)
class BatchSettings:
    """What every record of a batch is diagnosed with."""

    keep_all: bool = False
    glossary_path: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    base_dir: str = "."


@dataclass(frozen=True)
class BatchSummary:
    total: int
    failed: int
    output: str


@dataclass(frozen=True)
class Record:
    """One input line: its number, the parsed object (if any), and why it is unusable (if it is)."""

    line: int
    data: dict[str, Any] | None
    error: str | None

    @property
    def id(self) -> Any:
        return None if self.data is None else self.data.get("id")

    @property
    def name(self) -> str:
        """The id, or "line N" for a record without one (JUnit, messages)."""
        return str(self.id) if self.id is not None else f"line {self.line}"


def read_records(path: Path, max_bytes: int) -> Iterator[Record]:
    """The records of a JSONL file, lazily; unusable lines come with their error.

    Raises:
        InputError: if the file itself cannot be opened.
    """
    seen: set[str] = set()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; pass a JSONL file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    with handle:
        for number, raw, size in _lines(handle, max_bytes):
            if size > max_bytes:
                yield Record(
                    number,
                    None,
                    f"line {number} is {size} bytes, over --max-bytes ({max_bytes}); "
                    "raise --max-bytes or give the texts as reference_path/candidate_path",
                )
                continue
            if not raw.strip():
                continue
            try:
                data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield Record(number, None, f"line {number} is not valid JSON ({e}); write one JSON object per line")
                continue
            except RecursionError:
                yield Record(number, None, f"line {number} nests JSON too deeply; write one flat JSON object per line")
                continue
            if not isinstance(data, dict):
                yield Record(number, None, f"line {number} is not a JSON object; write one object per line")
                continue
            rid = data.get("id")
            if rid is None:
                yield Record(number, data, f'line {number} has no "id"; give every record a unique id')
                continue
            key = str(rid)
            if key in seen:
                yield Record(number, data, f'line {number} repeats id "{key}"; ids must be unique')
                continue
            seen.add(key)
            yield Record(number, data, None)


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, int]]:
    """(number, bytes, size) per line; a line over ``max_bytes`` is skipped, not held in memory.

    An over-long line comes back as ``b""`` with its full size, read in pieces.
    """
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield number, raw, len(raw)
            continue
        size = len(raw)
        del raw
        while True:  # skip the rest of the line
            piece = handle.readline(_SKIP_CHUNK)
            size += len(piece)
            if not piece or piece.endswith(b"\n"):
                break
        yield number, b"", size


@lru_cache(maxsize=4)
def _glossary(path: str) -> Any:
    from diag.entities import load_glossary

    return load_glossary(path)


def _documents(data: dict[str, Any], settings: BatchSettings) -> tuple[Document, Document]:
    return _document(data, "reference", settings), _document(data, "candidate", settings)


def _document(data: dict[str, Any], role: str, settings: BatchSettings) -> Document:
    """The record's ``role`` text (``reference``, ``candidate``, ``baseline``): given inline or as ``ROLE_path``."""
    from diag.ingest import read_input
    from diag.language import require_readable
    from diag.pipeline import build_document

    if isinstance(data.get(role), str):
        text = data[role]
        if len(text.encode("utf-8", "surrogatepass")) > settings.max_bytes:
            raise InputError(f'record "{data["id"]}": {role} is over --max-bytes ({settings.max_bytes})')
        name = f'record "{data["id"]}": {role}'
        require_readable(text, name)
        # a text with no words (a lone quote mark) is data, as in diagnose(); an empty one is refused above
        return build_document(text, path=None, keep_all=settings.keep_all, allow_empty=True, name=name)
    if isinstance(data.get(f"{role}_path"), str):
        path = Path(settings.base_dir) / data[f"{role}_path"]
        decoded = read_input(str(path), max_bytes=settings.max_bytes)
        require_readable(decoded.text, str(path))
        return build_document(
            decoded.text,
            path=str(path),
            encoding=decoded.encoding,
            encoding_note=decoded.note,
            keep_all=settings.keep_all,
        )
    if role in data or f"{role}_path" in data:
        key = role if role in data else f"{role}_path"
        found = type(data[key]).__name__ if data[key] is not None else "null"
        raise InputError(f'record "{data["id"]}": "{key}" is {found}, not a string; give text or a path')
    raise InputError(f'record "{data["id"]}" has no "{role}" text or "{role}_path"; give one of them')


def diagnose_record(record: Record, settings: BatchSettings) -> tuple[Diagnosis | None, str | None]:
    """The diagnosis of one record, or why there is none. Never raises for bad input.

    An unexpected exception (a bug) does not sink the other records either: it is
    logged in one line (with its trace under ``--verbose``) and reported as the error.
    """
    if record.error is not None or record.data is None:
        return None, record.error or "not a record"
    try:
        from diag.pipeline import Options, diagnose

        glossary = _glossary(settings.glossary_path) if settings.glossary_path else None
        ref, cand = _documents(record.data, settings)
        options = Options(keep_all=settings.keep_all, glossary_path=settings.glossary_path)
        return diagnose(ref, cand, options=options, glossary=glossary, id=str(record.id)), None
    except DiagError as e:
        return None, str(e)
    except Exception as e:
        log.error("record %s: internal error %s: %s", record.name, type(e).__name__, e)
        log.debug("traceback of record %s", record.name, exc_info=True)
        return None, f"internal error ({type(e).__name__}: {e}); please report it"


def compare_record(record: Record, settings: BatchSettings, d: Diagnosis) -> tuple[Any, str | None]:
    """The record's comparison with its ``baseline`` text or ``baseline_path`` (None without one), or the error.

    ``d`` is the record's diagnosis; the baseline is diagnosed against the same reference.
    """
    data = record.data or {}
    if "baseline" not in data and "baseline_path" not in data:
        return None, None
    try:
        from diag.compare import compare_diagnoses
        from diag.pipeline import Options, diagnose

        baseline = _document(data, "baseline", settings)
        glossary = _glossary(settings.glossary_path) if settings.glossary_path else None
        options = Options(keep_all=settings.keep_all, glossary_path=settings.glossary_path)
        base = diagnose(d.reference, baseline, options=options, glossary=glossary, id=d.id)
        return compare_diagnoses(base, d), None
    except DiagError as e:
        return None, str(e)
    except ValueError as e:
        return None, f'record "{record.name}": {e}'


def _save(d: Diagnosis, record: Record, settings: BatchSettings, save_as: Path, protected: tuple[str, ...]) -> None:
    from diag.files import atomic_write, check_not_input
    from diag.render import get_renderer

    data = record.data or {}
    inputs = [*protected]
    inputs += [str(Path(settings.base_dir) / data[k]) for k in ("reference_path", "candidate_path") if isinstance(data.get(k), str)]
    for fmt in SAVE_FORMATS:
        r = get_renderer(fmt)
        target = save_as.with_name(save_as.name + r.suffix)
        check_not_input(target, inputs)
        atomic_write(target, r.render(d))


@dataclass(frozen=True)
class Result:
    """One record's outcome, in input order: its output line and, when asked for, its diagnosis."""

    line: int
    name: str
    output: str
    error: str | None = None
    diagnosis: Diagnosis | None = None
    seconds: float = 0.0
    #: with ``keep_diagnosis``, the comparison with the record's ``baseline``/``baseline_path`` (a
    #: ``diag.compare.Comparison``), or None when the record has none
    comparison: Any = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class _Task:
    """What a worker gets for one record (picklable: it may cross to another machine)."""

    record: Record
    save_as: Path | None
    settings: BatchSettings
    protected: tuple[str, ...]
    keep_diagnosis: bool


def process_record(
    record: Record,
    settings: BatchSettings,
    save_as: Path | None = None,
    protected: tuple[str, ...] = (),
    keep_diagnosis: bool = False,
) -> Result:
    """The result of one input record: its JSON output line (no newline), never an exception for input.

    With ``save_as`` (a folder and a safe file stem) the record's report is also written
    as ``save_as`` + ``.json`` and ``.html``, atomically and never over one of the record's
    input files or the ``protected`` paths (the batch input).
    """
    from diag.render.json import render_line

    start = time.perf_counter()
    d, error = diagnose_record(record, settings)
    comparison = None
    if d is not None and keep_diagnosis:
        comparison, error = compare_record(record, settings, d)
        if error is not None:
            d = None
    if d is not None and save_as is not None:
        try:
            _save(d, record, settings, save_as, protected)
        except DiagError as e:
            d, error = None, str(e)
    seconds = time.perf_counter() - start
    if d is None:
        output = json.dumps({"id": record.id, "error": error, "line": record.line}, ensure_ascii=False)
        return Result(record.line, record.name, output, error=error or "not a record", seconds=seconds)
    return Result(
        record.line,
        record.name,
        render_line(d),
        diagnosis=d if keep_diagnosis else None,
        seconds=seconds,
        comparison=comparison,
    )


def _run_task(task: _Task) -> Result:
    return process_record(task.record, task.settings, task.save_as, task.protected, task.keep_diagnosis)


#: The texts of a record, inline (characters) or as a path (bytes of the file).
_TEXT_ROLES = ("reference", "candidate", "baseline")


def task_weight(task: _Task) -> int:
    """Roughly what diagnosing the task's record costs: the size of its texts (engines use it
    to group small records into one task and send large ones alone)."""
    data = task.record.data or {}
    weight = 0
    for role in _TEXT_ROLES:
        if isinstance(data.get(role), str):
            weight += len(data[role])
        elif isinstance(data.get(f"{role}_path"), str):
            try:
                weight += (Path(task.settings.base_dir) / data[f"{role}_path"]).stat().st_size
            except (OSError, ValueError):
                pass  # the worker reports it
    return weight


def iter_results(
    records: Iterable[Record],
    settings: BatchSettings,
    engine: Engine | None = None,
    *,
    save_dir: Path | None = None,
    protected: tuple[str, ...] = (),
    keep_diagnosis: bool = False,
) -> Iterator[Result]:
    """Diagnose ``records`` on ``engine`` and yield their results in input order, as they finish.

    Records are read lazily and only the engine's window is in flight, so memory stays
    bounded however long the input; the results are the same on every engine.

    Args:
        records: the input records (``read_records``).
        settings: how each record is diagnosed.
        engine: where (default: this process).
        save_dir: also write each record's report as SAVE_DIR/ID.json and .html (names given in
            input order, so they are the same on every run and engine).
        protected: paths a saved report must never overwrite (the batch input and output).
        keep_diagnosis: also return each ``Diagnosis`` (``check --batch`` gates on it).
    """
    engine = engine or LocalEngine(1)
    tasks = (
        _Task(record, save_as, settings, protected, keep_diagnosis) for record, save_as in _named(iter(records), save_dir)
    )
    yield from engine.map(_run_task, tasks, task_weight)


def _named(records: Iterator[Record], save_dir: Path | None) -> Iterator[tuple[Record, Path | None]]:
    """Each record with where its reports go (None: nowhere, or the record is unusable).

    Names are given here, in input order, so they are unique and the same on every run.
    """
    from diag.files import UniqueNames

    names = UniqueNames()
    for record in records:
        if save_dir is None or record.error is not None:
            yield record, None
        else:
            yield record, save_dir / names.take(str(record.id), default=f"line-{record.line}")


def run_batch(
    input_path: str,
    output_path: str | TextIO,
    *,
    engine: Engine | None = None,
    settings: BatchSettings | None = None,
    on_record: Callable[[Result], None] | None = None,
    save_dir: str | None = None,
) -> BatchSummary:
    """Diagnose every record of ``input_path`` and write the reports to ``output_path``.

    The output is written to a file that gets its name only when complete (see
    ``diag.files.atomic_writer``): a run that fails or is killed leaves no output.

    Args:
        input_path: the JSONL input.
        output_path: where the JSONL reports go: a file name, or an open stream (stdout).
        engine: where the records are diagnosed (default: this process; see ``diag.engines``).
        settings: how each record is diagnosed.
        on_record: called with each result as it is written (progress, failed records).
        save_dir: also write each record's report as SAVE_DIR/ID.json and .html, the id
            made a safe and unique file name (``diag.files.UniqueNames``); created if missing.

    Returns:
        How many records there were and how many failed.

    Raises:
        InputError: if the input cannot be read or the output cannot be written.
    """
    from diag.files import atomic_writer, check_not_input

    src = Path(input_path)
    settings = settings or BatchSettings(base_dir=str(src.parent))
    if isinstance(output_path, str):
        check_not_input(output_path, [input_path])
    folder = Path(save_dir) if save_dir is not None else None
    if folder is not None and not folder.is_dir():
        try:
            folder.mkdir(parents=True)
        except OSError as e:
            raise InputError(f"{folder}: cannot create the folder ({e.strerror}); choose another --save DIR") from None
    protected = (str(src), str(output_path)) if isinstance(output_path, str) else (str(src),)
    total = failed = 0
    with atomic_writer(output_path) if isinstance(output_path, str) else nullcontext(output_path) as sink:
        records = read_records(src, settings.max_bytes)
        for result in iter_results(records, settings, engine, save_dir=folder, protected=protected):
            sink.write(result.output + "\n")
            total += 1
            failed += not result.ok
            if on_record:
                on_record(result)
    return BatchSummary(total=total, failed=failed, output=str(Path(output_path)) if isinstance(output_path, str) else "<stdout>")


def warm_up() -> None:
    """Load the heavy modules and data once, in the parent, before a local pool forks."""
    from diag.pipeline import diagnose

    diagnose("Warm-up sentence one. And 2 more words.", "Warm-up sentence one. And two more words.")
