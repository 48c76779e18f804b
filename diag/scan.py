"""``diag scan``: which of our articles (references) does each page (candidate) come from?

Two stages, as source-retrieval systems do it (PAN: source retrieval, then text alignment):

1. Retrieval. The references are indexed once, streamed from disk into an SQLite FTS5 index
   (a file; nothing of a reference stays in memory): its content words in one column and the
   character 5-grams of those words in another. A translation or rewrite keeps few word
   5-grams of its source (near-duplicate hashing misses it) but most content words and
   character 5-grams, including those of transliterated names. Each candidate queries the
   index with its most distinctive terms (tf-idf, at most ``QUERY_WORDS`` and ``QUERY_GRAMS``)
   and FTS5 ranks the references by BM25; the top k are re-ranked by how many of the
   candidate's names and numbers each contains.
2. Diagnosis. The full diagnosis (``diag.batch.iter_results``, on the local pool or a Dask
   cluster) runs on the best reference; ``source`` is that reference when the verdict says the
   candidate is a copy, translation or rewrite of it, else null.

Output: one JSON line per candidate, in input order (see ``scan_line``). Lines are appended
whole, one ``write`` each, so a killed run leaves complete lines (and at most one partial
last line, which ``--resume`` removes before going on).
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diag.align import _STOPWORDS as FUNCTION_WORDS  # one list of function words for the project
from diag.batch import BatchSettings, Record, Result, iter_results, read_records
from diag.engines import Engine
from diag.errors import ConfigError, InputError

log = logging.getLogger("diag")

#: References retrieved and re-ranked per candidate.
DEFAULT_TOP_K = 5
#: Character n-gram order of the index's second column.
GRAM = 5
#: Query terms per column: the candidate's most distinctive (tf-idf) content words and 5-grams.
QUERY_WORDS = 30
QUERY_GRAMS = 60
#: Share of the re-ranking score given to names and numbers (the rest: BM25 relative to the best).
#: Chosen, not fitted: agreement decides between references that retrieval scores alike.
AGREEMENT_WEIGHT = 0.5
#: Relations that make a reference a candidate's source.
DERIVED = frozenset({"copy", "translation", "rewrite"})
#: Bumped when the index's layout or terms change: an older index file is rebuilt.
INDEX_VERSION = "2"
#: References written to the index per transaction.
_INSERT_BATCH = 256

_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


# --- the texts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One text of a corpus: its id and text, or why it cannot be read (``number``: line or position)."""

    number: int
    id: str
    text: str | None
    error: str | None = None


def iter_corpus(path: str | Path, max_bytes: int, role: str) -> Iterator[Entry]:
    """The texts of a corpus, lazily: a folder of text files (id: file name, in name order) or a
    JSONL file of ``{"id", "text"}`` (in line order). An unreadable text comes with its error.

    Raises:
        InputError: if ``path`` is neither a folder nor a readable file.
    """
    p = Path(path)
    if p.is_dir():
        yield from _folder_texts(p, max_bytes)
    elif p.is_file():
        yield from _jsonl_texts(p, max_bytes)
    elif not p.exists():
        raise InputError(f"--{role} {path}: no such file or folder; give a folder of text files or a JSONL file")
    else:
        raise InputError(f"--{role} {path}: not a regular file or folder; give a folder of text files or a JSONL file")


def _folder_texts(folder: Path, max_bytes: int) -> Iterator[Entry]:
    from diag.ingest import read_input

    files = sorted(f.name for f in os.scandir(folder) if not f.name.startswith(".") and f.is_file())
    for number, name in enumerate(files, start=1):
        try:
            text = read_input(str(folder / name), max_bytes=max_bytes).text
        except InputError as e:
            yield Entry(number, name, None, str(e))
            continue
        yield Entry(number, name, text)


def _jsonl_texts(path: Path, max_bytes: int) -> Iterator[Entry]:
    for record in read_records(path, max_bytes):
        data = record.data or {}
        name = record.name
        if record.error is not None:
            yield Entry(record.line, name, None, f"{path}: {record.error}")
        elif not isinstance(data.get("text"), str) or not data["text"].strip():
            found = "missing" if "text" not in data else "empty" if isinstance(data["text"], str) else "not a string"
            yield Entry(record.line, name, None, f'{path}: line {record.line}: "text" is {found}; give each record its text')
        else:
            yield Entry(record.line, name, data["text"])


def fingerprint(path: str | Path) -> str:
    """What an index was built from: names, sizes and times of a folder's files, or of the JSONL file."""
    p = Path(path).resolve()
    digest = hashlib.sha256(f"{INDEX_VERSION}|{GRAM}|{p}".encode())
    if p.is_dir():
        for entry in sorted(os.scandir(p), key=lambda e: e.name):
            if not entry.name.startswith(".") and entry.is_file():
                st = entry.stat()
                digest.update(f"|{entry.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    else:
        st = p.stat()
        digest.update(f"|{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


# --- terms, names and numbers -----------------------------------------------------------------


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not function words, lower-cased, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS and not w.isdigit()]


def char_grams(words: Iterable[str], n: int = GRAM) -> list[str]:
    """Character n-grams of each word padded with ``_`` (word edges count), in order."""
    grams: list[str] = []
    for w in words:
        padded = f"_{w}_"
        grams.extend(padded[k : k + n] for k in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class Marks:
    """The names (capitalised words, lower-cased) and numbers (digits only) of a text."""

    names: frozenset[str]
    numbers: frozenset[str]

    def encode(self) -> str:
        return " ".join(sorted(self.names)) + "\t" + " ".join(sorted(self.numbers))

    @classmethod
    def decode(cls, text: str) -> Marks:
        names, _, numbers = text.partition("\t")
        return cls(frozenset(names.split()), frozenset(numbers.split()))


def marks(text: str) -> Marks:
    """Names and numbers: what a copy, translation or rewrite keeps of its source."""
    names = {m.group().lower() for m in _NAME.finditer(text) if m.group()[0].isupper()}
    numbers = {re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text)}
    return Marks(frozenset(n for n in names if n not in FUNCTION_WORDS), frozenset(numbers))


def agreement(candidate: Marks, reference: Marks) -> float | None:
    """The share of the candidate's names and of its numbers found in the reference (their mean),
    or None when the candidate has neither."""
    shares = [
        len(mine & theirs) / len(mine)
        for mine, theirs in ((candidate.names, reference.names), (candidate.numbers, reference.numbers))
        if mine
    ]
    return sum(shares) / len(shares) if shares else None


# --- the index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A retrieved reference: BM25 score (higher is better) and, after re-ranking, the combined score."""

    id: str
    retrieval: float
    score: float


_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE refs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text BLOB NOT NULL, marks TEXT NOT NULL);
CREATE VIRTUAL TABLE terms USING fts5(words, grams, content='', tokenize="unicode61 remove_diacritics 0 tokenchars '_'");
CREATE VIRTUAL TABLE vocab USING fts5vocab(terms, 'col');
CREATE TABLE df(col TEXT NOT NULL, term TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(col, term)) WITHOUT ROWID;
"""


class Index:
    """References in an SQLite FTS5 index on disk: BM25 over content words and their 5-grams.

    Memory does not grow with the references: they are written in batches, and a search
    reads only the posting lists of its query terms.
    """

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self.db = db
        self.size = int(self._meta("count") or 0)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @classmethod
    def open(cls, path: str | Path, source: str | Path | None = None) -> Index | None:
        """The index at ``path`` if it exists and was built from ``source`` as it is now, else None
        (then ``build`` replaces it).

        Raises:
            ConfigError: if ``path`` is a file but not a diag index (it is never replaced).
        """
        p = Path(path)
        if not p.exists():
            return None
        not_index = ConfigError(f"--index {path}: is not a diag scan index; choose another file (it is left as it is)")
        if not p.is_file():
            raise not_index
        db = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            index = cls(p, db)
        except sqlite3.DatabaseError:
            db.close()
            raise not_index from None
        stale = index._meta("version") != INDEX_VERSION or (
            source is not None and index._meta("fingerprint") != fingerprint(source)
        )
        if stale:
            db.close()
            return None
        return index

    @classmethod
    def build(
        cls,
        path: str | Path,
        entries: Iterable[Entry],
        source: str | Path,
        on_entry: Callable[[int], None] | None = None,
    ) -> Index:
        """Index ``entries`` into a new file that takes ``path``'s name only when complete.

        Raises:
            InputError: if a reference cannot be read, or two share an id.
        """
        target = Path(path)
        fd, tmp_name = tempfile.mkstemp(prefix=".diag-index-", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            db = sqlite3.connect(tmp)
            db.executescript(_SCHEMA)
            count = 0
            for batch in _batches(entries, _INSERT_BATCH):
                rows = []
                for entry in batch:
                    if entry.error is not None or entry.text is None:
                        raise InputError(f"reference {entry.id}: {entry.error}")
                    words = content_words(entry.text)
                    rows.append((entry, words))
                try:
                    with db:
                        for entry, words in rows:
                            text = entry.text or ""
                            cur = db.execute(
                                "INSERT INTO refs(id, text, marks) VALUES (?, ?, ?)",
                                (entry.id, zlib.compress(text.encode("utf-8", "surrogatepass")), marks(text).encode()),
                            )
                            db.execute(
                                "INSERT INTO terms(rowid, words, grams) VALUES (?, ?, ?)",
                                (cur.lastrowid, " ".join(words), " ".join(char_grams(words))),
                            )
                except sqlite3.IntegrityError:
                    raise InputError(f"reference {entry.id}: two references have this id; ids must be unique") from None
                count += len(rows)
                if on_entry:
                    on_entry(count)
            with db:
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("version", INDEX_VERSION), ("count", str(count)), ("fingerprint", fingerprint(source))],
                )
                db.execute("INSERT INTO terms(terms) VALUES ('optimize')")
                # document frequencies as a plain B-tree: a query looks up hundreds of terms
                db.execute("INSERT INTO df SELECT col, term, doc FROM vocab")
            db.close()
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        index = cls.open(target)
        assert index is not None
        return index

    def close(self) -> None:
        self.db.close()

    def _document_frequencies(self, column: str, terms: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(terms))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks_ = ",".join("?" * len(chunk))
            for term, doc in self.db.execute(
                f"SELECT term, doc FROM df WHERE col = ? AND term IN ({marks_})", (column, *chunk)
            ):
                found[term] = doc
        return found

    def _query_terms(self, column: str, tokens: list[str], limit: int) -> list[str]:
        """The ``limit`` most distinctive of ``tokens`` by tf-idf; terms no reference has are left out."""
        counts = Counter(tokens)
        df = self._document_frequencies(column, counts)
        n = max(1, self.size)
        weighted = ((counts[t] * math.log(1 + n / d), t) for t, d in df.items() if d)
        return [t for _, t in heapq.nlargest(limit, weighted)]

    def search(self, text: str, k: int = DEFAULT_TOP_K) -> list[Hit]:
        """The ``k`` references that score highest by BM25 against ``text``, best first (ties: by id)."""
        if self.size == 0:
            return []
        words = content_words(text)
        chosen_words = self._query_terms("words", words, QUERY_WORDS)
        chosen_grams = self._query_terms("grams", char_grams(words), QUERY_GRAMS)
        parts = [
            f"{column} : ({' OR '.join(_quote(t) for t in terms)})"
            for column, terms in (("words", chosen_words), ("grams", chosen_grams))
            if terms
        ]
        if not parts:
            return []
        rows = self.db.execute(
            "SELECT refs.id, -bm25(terms) AS s FROM terms JOIN refs ON refs.rowid = terms.rowid "
            "WHERE terms MATCH ? ORDER BY s DESC, refs.id LIMIT ?",
            (" OR ".join(parts), k),
        ).fetchall()
        return [Hit(str(i), float(s), float(s)) for i, s in rows]

    def text(self, ref_id: str) -> str:
        row = self.db.execute("SELECT text FROM refs WHERE id = ?", (ref_id,)).fetchone()
        return zlib.decompress(row[0]).decode("utf-8", "surrogatepass")

    def marks(self, ref_id: str) -> Marks:
        row = self.db.execute("SELECT marks FROM refs WHERE id = ?", (ref_id,)).fetchone()
        return Marks.decode(row[0])


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def rerank(hits: list[Hit], candidate: Marks, reference_marks: Callable[[str], Marks]) -> list[Hit]:
    """``hits`` ordered by BM25 relative to the best, mixed with the agreement of names and numbers.

    Without names or numbers in the candidate the BM25 order stands.
    """
    if not hits:
        return []
    top = max(h.retrieval for h in hits) or 1.0
    scored = []
    for rank, h in enumerate(hits):
        share = agreement(candidate, reference_marks(h.id))
        relative = h.retrieval / top
        score = relative if share is None else (1 - AGREEMENT_WEIGHT) * relative + AGREEMENT_WEIGHT * share
        scored.append((-round(score, 9), rank, Hit(h.id, h.retrieval, score)))
    return [h for *_, h in sorted(scored, key=lambda t: (t[0], t[1]))]


# --- the scan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanSettings:
    """How every candidate is scanned."""

    top_k: int = DEFAULT_TOP_K
    batch: BatchSettings = field(default_factory=BatchSettings)


@dataclass(frozen=True)
class Match:
    """What retrieval found for one candidate (before its diagnosis)."""

    id: str
    hits: tuple[Hit, ...]
    error: str | None = None


@dataclass(frozen=True)
class ScanSummary:
    candidates: int
    skipped: int
    derived: int
    failed: int
    references: int
    output: str


def scan_line(match: Match, result: Result | None) -> dict[str, Any]:
    """The output line of one candidate (``json.dumps`` it).

    ``{"id", "source", "retrieval_score", "candidates": [{"id", "score"}], "verdict", "metrics",
    "findings": {"critical", "major", "minor"}, "signature"}``; ``source`` is the best reference when
    the verdict calls the candidate a copy, translation or rewrite of it, else null. A candidate
    that could not be read or diagnosed is ``{"id", "error"}``.
    """
    if match.error is not None:
        return {"id": match.id, "error": match.error}
    line: dict[str, Any] = {
        "id": match.id,
        "source": None,
        "retrieval_score": round(match.hits[0].retrieval, 6) if match.hits else None,
        "candidates": [{"id": h.id, "score": round(h.score, 6)} for h in match.hits],
        "verdict": None,
        "metrics": None,
        "findings": {"critical": 0, "major": 0, "minor": 0},
    }
    if result is not None:
        if not result.ok:
            return {"id": match.id, "error": result.error}
        report = json.loads(result.output)
        relation = report["verdict"]["relation"]
        line["source"] = match.hits[0].id if relation in DERIVED else None
        line["verdict"] = report["verdict"]
        line["metrics"] = {name: m["score"] for name, m in report["metrics"].items()}
        line["findings"] = {s: report["mqm"]["counts"].get(s, 0) for s in ("critical", "major", "minor")}
        line["signature"] = report["signature"]
    return line


def _matches(
    entries: Iterable[Entry], index: Index, settings: ScanSettings, pending: deque[Match]
) -> Iterator[Record]:
    """Retrieve and re-rank for each candidate; yield the records to diagnose (candidate and best
    reference), leaving each candidate's ``Match`` in ``pending`` in input order."""
    for entry in entries:
        if entry.error is not None or entry.text is None:
            pending.append(Match(entry.id, (), entry.error))
            yield Record(entry.number, {"id": entry.id}, "unreadable")
            continue
        hits = rerank(index.search(entry.text, settings.top_k), marks(entry.text), index.marks)
        pending.append(Match(entry.id, tuple(hits)))
        if not hits:
            yield Record(entry.number, {"id": entry.id}, "no reference shares a content word with it")
            continue
        data = {"id": entry.id, "reference": index.text(hits[0].id), "candidate": entry.text}
        yield Record(entry.number, data, None)


def run_scan(
    index: Index,
    candidates: Iterable[Entry],
    output: str | Path,
    *,
    settings: ScanSettings,
    engine: Engine | None = None,
    resume: bool = False,
    on_candidate: Callable[[dict[str, Any]], None] | None = None,
) -> ScanSummary:
    """Scan every candidate against ``index`` and append its line to ``output``.

    Args:
        index: the references (``Index.build`` / ``Index.open``).
        candidates: the pages (``iter_corpus``).
        output: the JSONL results; with ``resume`` it may hold lines of an earlier run, whose ids
            are skipped (a partial last line is removed first), else it must not exist or be empty.
        settings: retrieval depth and how each pair is diagnosed.
        engine: where the diagnoses run (default: this process).
        on_candidate: called with each candidate's result as it is written (progress).

    Raises:
        ConfigError: if ``output`` holds results and ``resume`` is not set.
        InputError: if ``output`` cannot be read or written.
    """
    out = Path(output)
    done = resume_point(out) if resume else set()
    if not resume and out.exists() and out.stat().st_size > 0:
        raise ConfigError(f"{out}: holds results of an earlier scan; add --resume to go on with it, or remove it")
    todo = (e for e in candidates if e.id not in done)
    skipped = len(done)
    pending: deque[Match] = deque()
    total = derived = failed = 0
    with _Appender(out) as sink:
        for result in iter_results(_matches(todo, index, settings, pending), settings.batch, engine):
            match = pending.popleft()
            diagnosed = result if match.error is None and match.hits else None
            line = scan_line(match, diagnosed)
            sink.write_line(json.dumps(line, ensure_ascii=False))
            total += 1
            failed += "error" in line
            derived += line.get("source") is not None
            if on_candidate:
                on_candidate(line)
    return ScanSummary(total, skipped, derived, failed, index.size, str(out))


class _Appender:
    """Appends whole lines to a file, one ``write`` call each, so a crash leaves only whole lines
    (or one partial last line, which ``resume_point`` removes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Appender:
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            raise InputError(f"{self.path}: cannot write the results ({e.strerror}); choose another -o") from None
        return self

    def write_line(self, line: str) -> None:
        data = memoryview((line + "\n").encode("utf-8"))
        while data:
            written = os.write(self.fd, data)
            data = data[written:]

    def __exit__(self, *exc: object) -> None:
        os.fsync(self.fd)
        os.close(self.fd)


def resume_point(path: Path) -> set[str]:
    """The ids already in the results ``path``; a partial last line (a killed run) is cut off first.

    Raises:
        InputError: if ``path`` cannot be read or a complete line is not a result.
    """
    if not path.exists():
        return set()
    done: set[str] = set()
    try:
        with path.open("rb+") as f:
            end = 0
            for number, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    log.warning("%s: removing a partial last line (%d bytes) left by an interrupted run", path, len(raw))
                    f.truncate(end)
                    break
                end += len(raw)
                try:
                    done.add(str(json.loads(raw)["id"]))
                except (ValueError, KeyError, TypeError):
                    raise InputError(
                        f"{path}: line {number} is not a scan result; give --resume the output of an earlier 'diag scan'"
                    ) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the earlier results ({e.strerror}); check the file") from None
    return done


# --- the summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    id: str
    source: str
    relation: str
    label: str
    chrf: float | None
    critical: int
    major: int
    minor: int


@dataclass(frozen=True)
class ScanReport:
    """What the summary shows: the derived pages and the counts of the whole scan."""

    rows: tuple[SummaryRow, ...]
    candidates: int
    independent: int
    errors: int


def read_report(path: str | Path) -> ScanReport:
    """The summary's facts from a results file, read line by line (only derived pages are kept)."""
    rows: list[SummaryRow] = []
    total = independent = errors = 0
    with Path(path).open(encoding="utf-8") as f:
        for raw in f:
            if not raw.strip():
                continue
            line = json.loads(raw)
            total += 1
            if "error" in line:
                errors += 1
            elif line.get("source") is None:
                independent += 1
            else:
                verdict = line.get("verdict") or {}
                counts = line.get("findings") or {}
                rows.append(
                    SummaryRow(
                        id=str(line["id"]),
                        source=str(line["source"]),
                        relation=str(verdict.get("relation")),
                        label=str(verdict.get("label", verdict.get("relation"))),
                        chrf=(line.get("metrics") or {}).get("chrf"),
                        critical=int(counts.get("critical", 0)),
                        major=int(counts.get("major", 0)),
                        minor=int(counts.get("minor", 0)),
                    )
                )
    return ScanReport(tuple(rows), total, independent, errors)


_COLUMNS = ("page", "source", "verdict", "chrF", "critical", "major", "minor")


def _cells(row: SummaryRow) -> tuple[str, ...]:
    chrf = "" if row.chrf is None else f"{row.chrf:.1f}"
    return (row.id, row.source, row.label, chrf, str(row.critical), str(row.major), str(row.minor))


def _headline(report: ScanReport) -> str:
    return (
        f"{report.candidates} pages scanned: {len(report.rows)} derived from a reference, "
        f"{report.independent} with no source found, {report.errors} unreadable."
    )


def summary_markdown(report: ScanReport) -> str:
    """The derived pages as a Markdown table (most damaged first)."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["# diag scan", "", _headline(report), ""]
    if report.rows:
        lines += ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * 3 + "---:|" * 4]
        lines += ["| " + " | ".join(cell(c) for c in _cells(r)) + " |" for r in _by_damage(report.rows)]
    return "\n".join(lines) + "\n"


def summary_html(report: ScanReport) -> str:
    """The derived pages as a standalone HTML table (most damaged first)."""
    from html import escape

    head = "".join(f"<th>{escape(c)}</th>" for c in _COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _cells(r)) + "</tr>\n" for r in _by_damage(report.rows)
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>diag scan</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style></head><body>\n"
        f"<h1>diag scan</h1>\n<p>{escape(_headline(report))}</p>\n"
        + (f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n" if report.rows else "")
        + "</body></html>\n"
    )


def _by_damage(rows: Iterable[SummaryRow]) -> list[SummaryRow]:
    return sorted(rows, key=lambda r: (-r.critical, -r.major, -r.minor, r.id))


#: Summary formats by file suffix.
SUMMARY_FORMATS: dict[str, Callable[[ScanReport], str]] = {
    ".md": summary_markdown,
    ".markdown": summary_markdown,
    ".html": summary_html,
    ".htm": summary_html,
}


def summary_renderer(path: str) -> Callable[[ScanReport], str]:
    """The summary renderer for ``path``'s suffix.

    Raises:
        ConfigError: for another suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUMMARY_FORMATS:
        raise ConfigError(f"--summary {path}: unknown suffix {suffix or '(none)'!r}; use .md or .html")
    return SUMMARY_FORMATS[suffix]
