"""``diag batch``: many reference/candidate pairs from JSONL, in a process pool.

Each input line is ``{"id", "reference", "candidate"}`` (texts) or
``{"id", "reference_path", "candidate_path"}`` (files, relative to the JSONL's folder).
Each output line is the full JSON report with the record's id, in input order; a bad
record gives ``{"id", "error", "line"}`` and the run goes on. Records are read lazily and
at most a few per worker are in flight, so memory stays bounded on large inputs.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diag.errors import DiagError, InputError
from diag.ingest import DEFAULT_MAX_BYTES

log = logging.getLogger("diag")

#: Records in flight per worker.
WINDOW_PER_JOB = 4


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
class _Job:
    line: int
    record: dict[str, Any] | None
    error: str | None


def _read_jobs(path: Path, max_bytes: int) -> Iterator[_Job]:
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
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield _Job(number, None, f"line {number} is {len(raw)} bytes, over --max-bytes ({max_bytes})")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield _Job(number, None, f"line {number} is not valid JSON ({e}); write one JSON object per line")
                continue
            if not isinstance(record, dict):
                yield _Job(number, None, f"line {number} is not a JSON object; write one object per line")
                continue
            rid = record.get("id")
            if rid is None:
                yield _Job(number, record, f'line {number} has no "id"; give every record a unique id')
                continue
            key = str(rid)
            if key in seen:
                yield _Job(number, record, f'line {number} repeats id "{key}"; ids must be unique')
                continue
            seen.add(key)
            yield _Job(number, record, None)


def _texts(record: dict[str, Any], settings: BatchSettings) -> tuple[Any, Any]:
    from diag.ingest import read_input
    from diag.pipeline import build_document

    docs = []
    for role in ("reference", "candidate"):
        if isinstance(record.get(role), str):
            text = record[role]
            if len(text.encode("utf-8", "surrogatepass")) > settings.max_bytes:
                raise InputError(f'record "{record["id"]}": {role} is over --max-bytes ({settings.max_bytes})')
            # An empty text is data (an MT system's empty output), not a broken record.
            docs.append(build_document(text, path=None, keep_all=settings.keep_all, allow_empty=True))
        elif isinstance(record.get(f"{role}_path"), str):
            path = Path(settings.base_dir) / record[f"{role}_path"]
            decoded = read_input(str(path), max_bytes=settings.max_bytes)
            docs.append(
                build_document(
                    decoded.text,
                    path=str(path),
                    encoding=decoded.encoding,
                    encoding_note=decoded.note,
                    keep_all=settings.keep_all,
                )
            )
        else:
            raise InputError(
                f'record "{record["id"]}" has no "{role}" text or "{role}_path"; give one of them'
            )
    return docs[0], docs[1]


def process_record(job: _Job, settings: BatchSettings) -> tuple[str, bool]:
    """One output line (JSON, no newline) for one input record, and whether it succeeded.

    Never raises for bad input: the line is then an error object.
    """
    rid = None if job.record is None else job.record.get("id")
    if job.error is not None:
        return json.dumps({"id": rid, "error": job.error, "line": job.line}, ensure_ascii=False), False
    assert job.record is not None
    try:
        from diag.pipeline import Options, diagnose
        from diag.render.json import render_line

        glossary = None
        if settings.glossary_path:
            from diag.entities import load_glossary

            glossary = load_glossary(settings.glossary_path)
        ref, cand = _texts(job.record, settings)
        options = Options(keep_all=settings.keep_all, glossary_path=settings.glossary_path)
        return render_line(diagnose(ref, cand, options=options, glossary=glossary, id=str(rid))), True
    except DiagError as e:
        message = str(e)
    except Exception as e:  # a bug must not sink the other records; it is logged with its trace
        log.exception("record %r failed", rid)
        message = f"internal error ({type(e).__name__}: {e}); please report it"
    return json.dumps({"id": rid, "error": message, "line": job.line}, ensure_ascii=False), False


def _process_chunk(jobs: list[_Job], settings: BatchSettings) -> list[tuple[str, bool]]:
    return [process_record(j, settings) for j in jobs]


def run_batch(
    input_path: str,
    output_path: str,
    *,
    jobs: int | None = None,
    settings: BatchSettings | None = None,
    on_record: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Diagnose every record of ``input_path`` and write the reports to ``output_path``.

    The output is written to a temporary file beside it and renamed when complete.

    Args:
        input_path: the JSONL input.
        output_path: where the JSONL reports go.
        jobs: worker processes (default: all cores; 1 runs in this process).
        settings: how each record is diagnosed.
        on_record: called with the number of records done so far (progress).

    Returns:
        How many records there were and how many failed.

    Raises:
        InputError: if the input cannot be read or the output cannot be written.
    """
    import tempfile

    from diag.files import check_not_input

    src = Path(input_path)
    settings = settings or BatchSettings(base_dir=str(src.parent))
    jobs = max(1, jobs or os.cpu_count() or 1)
    check_not_input(output_path, [input_path])
    out = Path(output_path)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{out}: folder {folder} does not exist; create it or choose another --output")
    total = failed = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as sink:

            def emit(lines: list[tuple[str, bool]]) -> None:
                nonlocal total, failed
                for line, ok in lines:
                    sink.write(line + "\n")
                    total += 1
                    failed += not ok
                if on_record:
                    on_record(total)

            chunks = _chunks(_read_jobs(src, settings.max_bytes), size=1 if jobs > 1 else 8)
            if jobs == 1:
                for chunk in chunks:
                    emit(_process_chunk(chunk, settings))
            else:
                with ProcessPoolExecutor(max_workers=jobs) as pool:
                    pending: deque[Future[list[tuple[str, bool]]]] = deque()
                    for chunk in chunks:
                        pending.append(pool.submit(_process_chunk, chunk, settings))
                        while len(pending) >= jobs * WINDOW_PER_JOB:
                            emit(pending.popleft().result())
                    while pending:
                        emit(pending.popleft().result())
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return BatchSummary(total=total, failed=failed, output=str(out))


def _chunks(items: Iterator[_Job], size: int) -> Iterator[list[_Job]]:
    chunk: list[_Job] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
