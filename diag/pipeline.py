"""``diagnose()``: the whole pipeline on two texts, with no I/O.

read (ingest) -> split (segment) -> align -> measure (metrics) -> inspect (entities)
-> judge (verdict), returning one frozen ``Diagnosis`` that every renderer and the
gate consume.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from diag import __version__
from diag.align import DEFAULT_FLOOR, align
from diag.errors import InputError
from diag.ingest import body_regions, find_furniture
from diag.model import (
    SEVERITIES,
    AlignedPair,
    Alignment,
    Diagnosis,
    Document,
    Finding,
    Sentence,
    Verdict,
    mqm_per_1000,
)
from diag.segment import PSEUDO_SENTENCE_CHARS, segment

if TYPE_CHECKING:
    from diag.entities import Glossary
    from diag.metrics import MetricResult

#: A candidate of at least this many words with at most ``NOT_TEXT_MAX_DISTINCT`` distinct
#: words (one word repeated, a few tokens of spam) is plainly not text: it is judged
#: independent at once, without aligning, inspecting entities or fitting a verdict.
NOT_TEXT_MIN_WORDS = 50
NOT_TEXT_MAX_DISTINCT = 5

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Options:
    """Settings of one diagnosis; all of them appear in the report's signature."""

    keep_all: bool = False
    floor: float = DEFAULT_FLOOR
    glossary_path: str | None = None

    def signature(self) -> str:
        """Everything that decides the results, sacrebleu's signature style: ``key:value|...``."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            nltk_version = version("nltk")
        except PackageNotFoundError:  # pragma: no cover - nltk is a dependency
            nltk_version = "unknown"
        parts = [
            f"diag:{__version__}",
            f"seg:punkt-nltk{nltk_version}+diag-abbrev",
            f"align:trigram-dice|floor:{self.floor:.2f}",
            f"furniture:{'kept' if self.keep_all else 'set-aside'}",
        ]
        if self.glossary_path:
            parts.append(f"glossary:{self.glossary_path}")
        return "|".join(parts)


def build_document(
    text: str,
    *,
    path: str | None = None,
    encoding: str = "utf-8",
    encoding_note: str | None = None,
    keep_all: bool = False,
    allow_empty: bool = False,
    name: str | None = None,
) -> Document:
    """Set furniture aside (unless ``keep_all``) and split the body into sentences.

    Args:
        allow_empty: accept a text with no words (a document with no sentences), such as
            punctuation alone or page furniture alone in a batch record or a ``diagnose`` text; an
            empty text never gets here (``diag.language.require_readable`` refuses it everywhere).
        name: what messages call the text (default: ``path``, else ``<text>``).

    Raises:
        InputError: if nothing but furniture or white space is left to compare and
            ``allow_empty`` is false.
    """
    set_aside = () if keep_all else find_furniture(text)
    regions = body_regions(text, set_aside)
    spans, cut = segment(text, regions)
    if not spans and allow_empty:
        spans = _wordless_segments(text, regions)
    if not spans and not allow_empty:
        name = name or path or "<text>"
        if set_aside:
            raise InputError(
                f"{name}: every line was set aside as page furniture; pass --keep-all to compare it anyway"
            )
        raise InputError(f"{name}: has no words to compare; pass a file with text in it")
    sentences = tuple(Sentence(k, s, e, text[s:e]) for k, (s, e) in enumerate(spans))
    return Document(
        text=text,
        path=path,
        encoding=encoding,
        encoding_note=encoding_note,
        sentences=sentences,
        set_aside=tuple(set_aside),
        notes=(_pseudo_sentence_note(cut),) if cut else (),
    )


def same_text(built: Document, text: str, *, path: str | None, encoding: str, encoding_note: str | None) -> Document:
    """What ``build_document(text, path=..., ...)`` gives for ``text`` equal to ``built.text``, with the
    settings ``built`` was built with (its body, sentences and notes depend on the text and ``keep_all``
    alone): ``built`` with this file's name and encoding, its text not checked or split again."""
    if text != built.text:
        raise ValueError("same_text: the text differs from the built document's")
    return replace(built, text=text, path=path, encoding=encoding, encoding_note=encoding_note)


def _wordless_segments(text: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """A text with no words but not blank (a lone quote mark, a row of dashes): each body region's
    non-blank stretch is one segment, so the pair is still aligned, scored and reported like any other."""
    spans = []
    for start, end in regions:
        stripped = text[start:end].strip()
        if stripped:
            first = text.index(stripped, start)
            spans.append((first, first + len(stripped)))
    return spans


def _pseudo_sentence_note(stretches: int) -> str:
    noun = "stretch" if stretches == 1 else "stretches"
    return (
        f"{stretches} {noun} with no sentence end in over {PSEUDO_SENTENCE_CHARS:,} characters "
        f"cut into pseudo-sentences of about {PSEUDO_SENTENCE_CHARS:,} characters at spaces"
    )


def not_text(doc: Document) -> str | None:
    """Why ``doc`` is plainly not text (too few distinct words for its length), or None.

    Stops reading as soon as the text shows more than ``NOT_TEXT_MAX_DISTINCT`` distinct
    words, so ordinary text costs a few dozen words of it.
    """
    distinct: set[str] = set()
    words = 0
    for sentence in doc.sentences:  # sentence by sentence: ordinary text is out after one or two
        found = _WORD.findall(sentence.text)
        words += len(found)
        distinct.update(map(str.lower, found))
        if len(distinct) > NOT_TEXT_MAX_DISTINCT:
            return None
    if words < NOT_TEXT_MIN_WORDS:
        return None
    kinds = "1 distinct word" if len(distinct) == 1 else f"{len(distinct)} distinct words"
    return f"Not text: the candidate's {words:,} words are {kinds} repeated; judged independent without analysis."


def _segment_text(doc: Document, indices: tuple[int, ...]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def _check_given(role: str, given: object) -> None:
    from diag.language import require_readable

    if isinstance(given, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"diagnose(): {role} is {type(given).__name__}, not str; decode it first "
            "(data.decode('utf-8')) or read the file with diag.ingest.read_input"
        )
    if isinstance(given, str):
        require_readable(given, role)
    elif not isinstance(given, Document):
        raise TypeError(f"diagnose(): {role} is {type(given).__name__}; pass a str or a diag Document")


def align_and_score(
    reference: Document, candidate: Document, *, floor: float = DEFAULT_FLOOR
) -> tuple[Alignment, MetricResult]:
    """Align two documents and score every pair and the whole (the stages before inspection).

    Returns:
        The alignment with per-pair scores, and the metrics (document scores, per-segment statistics).
    """
    raw = align([s.text for s in reference.sentences], [s.text for s in candidate.sentences], floor=floor)
    return _scored(reference, candidate, raw)


def _scored(reference: Document, candidate: Document, raw: Alignment) -> tuple[Alignment, MetricResult]:
    """The alignment with each pair's scores; the metrics read each pair's text only as they reach it."""
    from diag.metrics import score_pairs

    segments = (
        (_segment_text(reference, p.reference), _segment_text(candidate, p.candidate)) for p in raw.pairs
    )
    scored = score_pairs(segments)
    pairs = tuple(replace(p, scores=s) for p, s in zip(raw.pairs, scored.pairs, strict=True))
    return Alignment(pairs, raw.reference_coverage, raw.candidate_coverage), scored


def _unaligned(reference: Document, candidate: Document) -> Alignment:
    """Every reference sentence omitted and every candidate sentence added."""
    pairs = [AlignedPair((i,), (), 0.0) for i in range(len(reference.sentences))]
    pairs += [AlignedPair((), (j,), 0.0) for j in range(len(candidate.sentences))]
    return Alignment(tuple(pairs), 0.0, 0.0)


def _not_text_verdict(reason: str) -> Verdict:
    probabilities = {"copy": 0.0, "translation": 0.0, "rewrite": 0.0, "independent": 1.0}
    return Verdict("independent", None, "independent text (not prose: a few words repeated)", 1.0, probabilities, (reason,))


_SEVERITY_RANK = {s: k for k, s in enumerate(SEVERITIES)}


def _by_severity(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings of every check, most severe first (stable: each check's own order within a severity)."""
    return tuple(sorted(findings, key=lambda f: _SEVERITY_RANK[f.severity]))


def diagnose(
    reference: str | Document,
    candidate: str | Document,
    *,
    options: Options | None = None,
    glossary: Glossary | None = None,
    id: str | None = None,
) -> Diagnosis:
    """Compare a candidate text with a reference text.

    Args:
        reference: the reference text, or a ``Document`` built by ``build_document``.
        candidate: the candidate text, or a ``Document``.
        options: settings (furniture handling, alignment floor).
        glossary: a ``diag.entities.Glossary`` of protected terms, or None.
        id: an identifier carried into the report (batch records).

    Returns:
        The ``Diagnosis``: documents, alignment with per-pair scores, document metrics
        with signatures, verdict and findings.

    Raises:
        TypeError: if a text is bytes (decode it first, or read the file with ``diag.ingest.read_input``).
        InputError: if a text is empty or only white space, or not English (the same checks as for files).
    """
    from diag.accuracy import assess
    from diag.entities import find_damage
    from diag.verdict import judge, policy

    options = options or Options()
    for role, given in (("reference", reference), ("candidate", candidate)):
        _check_given(role, given)
    ref_doc = (
        reference
        if isinstance(reference, Document)
        else build_document(reference, keep_all=options.keep_all, allow_empty=True, name="reference")
    )
    cand_doc = (
        candidate
        if isinstance(candidate, Document)
        else build_document(candidate, keep_all=options.keep_all, allow_empty=True, name="candidate")
    )

    reason = not_text(cand_doc)
    if reason:
        # plainly not text: no alignment, accuracy or entity analysis, no fitted verdict
        alignment, scored = _scored(ref_doc, cand_doc, _unaligned(ref_doc, cand_doc))
        verdict = _not_text_verdict(reason)
        damage = find_damage(ref_doc, cand_doc, alignment, glossary=glossary) if glossary else ()
        findings = policy.kept(verdict.relation, _by_severity(damage), verdict.confidence)
    else:
        alignment, scored = align_and_score(ref_doc, cand_doc, floor=options.floor)
        risks, accuracy = assess(ref_doc, cand_doc, alignment)
        pairs = tuple(replace(p, accuracy_risk=round(r, 4)) for p, r in zip(alignment.pairs, risks, strict=True))
        alignment = Alignment(pairs, alignment.reference_coverage, alignment.candidate_coverage)

        damage = find_damage(ref_doc, cand_doc, alignment, glossary=glossary)
        verdict = judge(ref_doc, cand_doc, alignment, scored.document, damage)
        # the independent-text policy (diag.verdict.policy) withholds accuracy findings too: an independent text
        # renders none of the reference's meaning, its chance pairs say nothing about accuracy
        findings = policy.kept(verdict.relation, _by_severity(policy.graded(verdict, damage + accuracy)),
                               verdict.confidence)
    return Diagnosis(
        reference=ref_doc,
        candidate=cand_doc,
        alignment=alignment,
        metrics=scored.document,
        verdict=verdict,
        findings=findings,
        signature=options.signature(),
        mqm_per_1000=round(mqm_per_1000([f.severity for f in findings], cand_doc.word_count), 2),
        id=id,
        statistics=scored.statistics,
        notes=(
            *(f"reference: {n}" for n in ref_doc.notes),
            *(f"candidate: {n}" for n in cand_doc.notes),
            *scored.notes,
            *((reason,) if reason else ()),
        ),
    )


__all__ = ["Options", "align_and_score", "build_document", "diagnose", "same_text"]
