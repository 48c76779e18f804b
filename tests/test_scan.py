"""``diag scan``: terms, re-ranking, the on-disk index, the scan loop, resuming and the summary.

The corpora in tests/data/scan are short articles written for these tests: three references
and three candidates (a rewrite of one, a copy of another with a changed number, and an
unrelated text).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from diag import cli
from diag.batch import BatchSettings
from diag.engines import SCHEDULER_ENV, LocalEngine
from diag.errors import ConfigError
from diag.scan import (
    Entry,
    Hit,
    Index,
    Marks,
    ScanReport,
    ScanSettings,
    SummaryRow,
    agreement,
    char_grams,
    content_words,
    iter_corpus,
    marks,
    read_report,
    rerank,
    run_scan,
    summary_html,
    summary_markdown,
)

DATA = Path(__file__).parent / "data" / "scan"
REFS = DATA / "references"
CANDS = DATA / "candidates"
KEYS = ["id", "source", "retrieval_score", "candidates", "verdict", "metrics", "findings", "signature"]


@pytest.fixture(autouse=True)
def _no_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)


def _scan(tmp_path: Path, *extra: str, out: str = "out.jsonl") -> tuple[int, Path]:
    target = tmp_path / out
    code = cli.main(["scan", "--references", str(REFS), "--candidates", str(CANDS), "-o", str(target), "-j", "1", *extra])
    return code, target


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- terms, names and numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("The mayor of Lund said it was 35 days.", ["mayor", "lund", "days"]),
        ("Of the and a", []),
        ("Ilse Varga's boat", ["ilse", "varga", "s", "boat"]),
    ],
)
def test_content_words_leave_out_function_words_and_bare_numbers(text: str, words: list[str]) -> None:
    assert content_words(text) == words


@pytest.mark.parametrize(
    "words, grams",
    [
        (["lund"], ["_lund", "lund_"]),
        (["ab"], []),  # "_ab_" is shorter than a 5-gram: the word column has it
        (["storks"], ["_stor", "stork", "torks", "orks_"]),
    ],
)
def test_char_grams_pad_word_edges(words: list[str], grams: list[str]) -> None:
    assert char_grams(words) == grams


@pytest.mark.parametrize(
    "text, names, numbers",
    [
        ("Harbour master Ilse Varga said 2,300 tonnes.", {"harbour", "ilse", "varga"}, {"2300"}),
        ("The cost was 1.8 million in 2019.", set(), {"18", "2019"}),
        ("no capitals, no digits", set(), set()),
    ],
)
def test_marks_are_names_and_numbers(text: str, names: set[str], numbers: set[str]) -> None:
    m = marks(text)
    assert (set(m.names), set(m.numbers)) == (names, numbers)
    assert Marks.decode(m.encode()) == m


@pytest.mark.parametrize(
    "candidate, reference, expected",
    [
        (Marks(frozenset({"lund", "holm"}), frozenset({"250"})), Marks(frozenset({"lund"}), frozenset({"250", "35"})), 0.75),
        (Marks(frozenset(), frozenset({"1", "2"})), Marks(frozenset({"x"}), frozenset({"2"})), 0.5),
        (Marks(frozenset(), frozenset()), Marks(frozenset({"x"}), frozenset({"2"})), None),
    ],
)
def test_agreement_is_the_share_of_the_candidates_names_and_numbers_found(
    candidate: Marks, reference: Marks, expected: float | None
) -> None:
    assert agreement(candidate, reference) == expected


def test_rerank_lets_names_and_numbers_decide_between_close_scores() -> None:
    hits = [Hit("a", 10.0, 10.0), Hit("b", 9.0, 9.0)]
    table = {"a": Marks(frozenset({"x"}), frozenset()), "b": Marks(frozenset({"varga"}), frozenset({"110"}))}
    cand = Marks(frozenset({"varga"}), frozenset({"110"}))
    ranked = rerank(hits, cand, table.__getitem__)
    assert [h.id for h in ranked] == ["b", "a"]
    assert [h.retrieval for h in ranked] == [9.0, 10.0]
    assert ranked[0].score == pytest.approx(0.5 * 0.9 + 0.5 * 1.0)
    # no names or numbers in the candidate: the BM25 order stands
    assert [h.id for h in rerank(hits, Marks(frozenset(), frozenset()), table.__getitem__)] == ["a", "b"]


# --- the index --------------------------------------------------------------------------------


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    built = Index.build(tmp_path / "refs.db", iter_corpus(REFS, 10**6, "references"), REFS)
    yield built
    built.close()


def test_the_index_finds_each_derived_candidate_first(index: Index) -> None:
    assert index.size == 3
    for name, source in (("a-rewrite.txt", "harbour.txt"), ("b-copy.txt", "storks.txt")):
        hits = index.search((CANDS / name).read_text(encoding="utf-8"), k=2)
        assert [h.id for h in hits][0] == source
        assert hits[0].retrieval > 5 * hits[1].retrieval
    assert index.text("library.txt") == (REFS / "library.txt").read_text(encoding="utf-8")
    assert index.search("zzzz qqqq") == []


def test_an_index_is_reused_only_while_its_references_are_unchanged(tmp_path: Path) -> None:
    refs = tmp_path / "refs"
    shutil.copytree(REFS, refs)
    Index.build(tmp_path / "i.db", iter_corpus(refs, 10**6, "references"), refs).close()
    reused = Index.open(tmp_path / "i.db", refs)
    assert reused is not None and reused.size == 3
    reused.close()
    (refs / "new.txt").write_text("Another article about the weather.", encoding="utf-8")
    assert Index.open(tmp_path / "i.db", refs) is None
    assert Index.open(tmp_path / "missing.db", refs) is None
    (tmp_path / "junk.db").write_text("not a database", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"is not a diag scan index; choose another file \(it is left as it is\)$"):
        Index.open(tmp_path / "junk.db", refs)
    assert (tmp_path / "junk.db").read_text(encoding="utf-8") == "not a database"


def test_a_duplicate_reference_id_stops_the_build_and_leaves_no_index(tmp_path: Path) -> None:
    entries = [Entry(1, "x", "Some text about boats."), Entry(2, "x", "Other text about birds.")]
    with pytest.raises(Exception, match="^reference x: two references have this id; ids must be unique$"):
        Index.build(tmp_path / "i.db", entries, tmp_path)
    assert list(tmp_path.iterdir()) == []


# --- the scan ---------------------------------------------------------------------------------


def test_scan_over_two_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _scan(tmp_path)
    assert code == 0
    lines = _lines(out)
    assert [(d["id"], d["source"]) for d in lines] == [
        ("a-rewrite.txt", "harbour.txt"),
        ("b-copy.txt", "storks.txt"),
        ("c-other.txt", None),
    ]
    assert all(list(d) == KEYS for d in lines)
    assert [d["verdict"]["relation"] for d in lines] == ["translation", "copy", "independent"]  # type: ignore[index]
    assert lines[1]["findings"] == {"critical": 0, "major": 1, "minor": 0}  # 35 -> 53 platforms
    assert [c["id"] for c in lines[0]["candidates"]][0] == "harbour.txt"  # type: ignore[index]
    assert capsys.readouterr().err == (
        f"diag scan: 3 candidates against 3 references: 2 derived from a reference, 0 failed; results in {out}\n"
    )


def test_scan_reads_jsonl_corpora_with_the_same_results(tmp_path: Path) -> None:
    for name, folder in (("refs.jsonl", REFS), ("cands.jsonl", CANDS)):
        with (tmp_path / name).open("w", encoding="utf-8") as f:
            for p in sorted(folder.iterdir()):
                f.write(json.dumps({"id": p.name, "text": p.read_text(encoding="utf-8")}) + "\n")
    assert cli.main(["scan", "-r", str(tmp_path / "refs.jsonl"), "-c", str(tmp_path / "cands.jsonl"),
                     "-o", str(tmp_path / "a.jsonl"), "-j", "1"]) == 0
    _, folders = _scan(tmp_path, out="b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == folders.read_bytes()


def test_unreadable_candidates_get_an_error_line_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cands = tmp_path / "cands.jsonl"
    cands.write_text(
        json.dumps({"id": "ok", "text": (CANDS / "b-copy.txt").read_text(encoding="utf-8")}) + "\n"
        + json.dumps({"id": "empty", "text": ""}) + "\nnot json\n",
        encoding="utf-8",
    )
    code = cli.main(["scan", "-r", str(REFS), "-c", str(cands), "-o", str(tmp_path / "o.jsonl"), "-j", "1"])
    assert code == 3
    lines = _lines(tmp_path / "o.jsonl")
    assert [d["id"] for d in lines] == ["ok", "empty", "line 3"]
    assert lines[1] == {"id": "empty", "error": f'{cands}: line 2: "text" is empty; give each record its text'}
    assert str(lines[2]["error"]).startswith(f"{cands}: line 3 is not valid JSON (")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f'diag scan: empty: {cands}: line 2: "text" is empty; give each record its text'
    assert err[1].startswith(f"diag scan: line 3: {cands}: line 3 is not valid JSON (")
    assert err[2] == f"diag scan: 3 candidates against 3 references: 1 derived from a reference, 2 failed; results in {tmp_path / 'o.jsonl'}"


def test_the_candidates_are_read_lazily(index: Index) -> None:
    """With one job the second candidate is read only after the first one's line is written."""
    read: list[str] = []

    def entries() -> Iterator[Entry]:
        for p in sorted(CANDS.iterdir()):
            read.append(p.name)
            yield Entry(len(read), p.name, p.read_text(encoding="utf-8"))

    seen: list[int] = []
    run_scan(index, entries(), index.path.parent / "o.jsonl", settings=ScanSettings(), engine=LocalEngine(1),
             on_candidate=lambda _: seen.append(len(read)))
    assert seen == [1, 2, 3]


@pytest.mark.parametrize(
    "args, message",
    [
        (["-r", "nowhere", "-c", str(CANDS)], "diag: --references nowhere: no such file or folder; give a folder of text files or a JSONL file\n"),
        (["-r", str(REFS), "-c", str(CANDS), "--summary", "s.pdf"], "diag: --summary s.pdf: unknown suffix '.pdf'; use .md or .html\n"),
        (["-r", str(REFS), "-c", str(CANDS), "-o", "-"], "diag: scan appends its results to a file (so that --resume can go on with it); give -o FILE\n"),
    ],
)
def test_scan_usage_and_input_errors(args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["scan", "-o", str(tmp_path / "o.jsonl"), *args, "-j", "1"])
    assert capsys.readouterr().err == message
    assert code == (3 if "no such" in message else 2)


def test_an_output_inside_a_corpus_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cands = tmp_path / "cands"
    shutil.copytree(CANDS, cands)
    code = cli.main(["scan", "-r", str(REFS), "-c", str(cands), "-o", str(cands / "o.jsonl")])
    assert code == 2
    assert capsys.readouterr().err == f"diag: {cands / 'o.jsonl'}: is inside the corpus folder {cands}; write it somewhere else\n"


# --- resuming -------------------------------------------------------------------------------


def test_an_earlier_output_is_never_overwritten_without_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _scan(tmp_path)
    before = (tmp_path / "out.jsonl").read_bytes()
    capsys.readouterr()
    code, out = _scan(tmp_path)
    assert code == 2
    assert capsys.readouterr().err == f"diag: {out}: holds results of an earlier scan; add --resume to go on with it, or remove it\n"
    assert out.read_bytes() == before


def test_resume_skips_done_ids_and_repairs_a_partial_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    _, full = _scan(tmp_path, out="full.jsonl")
    whole = full.read_bytes()
    first = whole.split(b"\n")[0] + b"\n"
    partial = tmp_path / "partial.jsonl"
    partial.write_bytes(first + whole.split(b"\n")[1][:40])  # a run killed in the middle of a line
    capsys.readouterr()
    code, out = _scan(tmp_path, "--resume", out="partial.jsonl")
    assert code == 0
    assert out.read_bytes() == whole
    err = capsys.readouterr().err
    assert caplog.messages == [f"{out}: removing a partial last line (40 bytes) left by an interrupted run"]
    assert err == (f"diag scan: 2 candidates against 3 references (1 already in {out}): 1 derived from a reference, 0 failed; results in {out}\n")
    # nothing left to do: a second resume diagnoses nothing and changes nothing
    assert _scan(tmp_path, "--resume", out="partial.jsonl")[0] == 0
    assert out.read_bytes() == whole


def test_resume_refuses_a_file_that_is_not_scan_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out.jsonl").write_text("hello\n", encoding="utf-8")
    code, out = _scan(tmp_path, "--resume")
    assert code == 3
    assert capsys.readouterr().err == (
        f"diag: {out}: line 1 is not a scan result; give --resume the output of an earlier 'diag scan'\n"
    )


def test_a_kept_index_is_reused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _scan(tmp_path, "--index", str(tmp_path / "refs.db"), out="a.jsonl")
    with caplog.at_level("INFO", logger="diag"):
        _scan(tmp_path, "--index", str(tmp_path / "refs.db"), out="b.jsonl")
    assert f"reusing the index {tmp_path / 'refs.db'} (3 references)" in caplog.messages
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


# --- the summary ----------------------------------------------------------------------------

REPORT = ScanReport(
    rows=(
        SummaryRow("p1", "a.txt", "translation", "probably machine translation", 61.25, 0, 2, 1),
        SummaryRow("p|2", "b.txt", "copy", "copy", None, 1, 0, 0),
    ),
    candidates=4,
    independent=1,
    errors=1,
)


def test_summary_markdown_lists_derived_pages_most_damaged_first() -> None:
    assert summary_markdown(REPORT) == (
        "# diag scan\n\n4 pages scanned: 2 derived from a reference, 1 with no source found, 1 unreadable.\n\n"
        "| page | source | verdict | chrF | critical | major | minor |\n"
        "|---|---|---|---:|---:|---:|---:|\n"
        "| p\\|2 | b.txt | copy |  | 1 | 0 | 0 |\n"
        "| p1 | a.txt | probably machine translation | 61.2 | 0 | 2 | 1 |\n"
    )


def test_summary_html_escapes_and_orders_the_same() -> None:
    html = summary_html(ScanReport((SummaryRow("<b>", "a&b", "copy", "copy", 1.0, 0, 0, 0),), 1, 0, 0))
    assert "<td>&lt;b&gt;</td><td>a&amp;b</td><td>copy</td><td>1.0</td>" in html
    assert html.startswith("<!doctype html>") and html.endswith("</html>\n")


def test_summary_from_a_scan(tmp_path: Path) -> None:
    _scan(tmp_path, "--summary", str(tmp_path / "s.md"))
    report = read_report(tmp_path / "out.jsonl")
    assert [(r.id, r.source, r.major) for r in report.rows] == [("a-rewrite.txt", "harbour.txt", 0), ("b-copy.txt", "storks.txt", 1)]
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == summary_markdown(report)


# --- the same output on a Dask cluster -------------------------------------------------------


def test_scan_output_is_identical_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    _, local = _scan(tmp_path, out="local.jsonl")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        target = tmp_path / "dask.jsonl"
        assert cli.main(["scan", "-r", str(REFS), "-c", str(CANDS), "-o", str(target), "--scheduler", c.scheduler_address]) == 0
    assert target.read_bytes() == local.read_bytes()


def test_scan_settings_default_to_the_batch_defaults() -> None:
    assert ScanSettings().batch == BatchSettings()
    assert ScanSettings().top_k == 5
