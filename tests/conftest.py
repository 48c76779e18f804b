"""Shared fixtures: the seed documents and evaluation data in ../shared (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
EVAL_DEV = SHARED / "eval" / "dev"


def seed_path(number: str) -> Path:
    """The seed file whose name starts with ``number`` (e.g. "001"); skips the test if absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not found in {SEEDS}")
    return found[0]


def eval_path(name: str) -> Path:
    """An evaluation set in ../shared/eval/dev; skips the test if absent."""
    path = EVAL_DEV / name
    if not path.is_file():
        pytest.skip(f"evaluation set {name} not found at {EVAL_DEV}")
    return path


@pytest.fixture
def seed() -> object:
    """``seed("001")`` -> the seed's text."""

    def read(number: str) -> str:
        return seed_path(number).read_text(encoding="utf-8")

    return read


def make_diagnosis(
    reference: str,
    candidate: str,
    findings: tuple[tuple[str, str, str, str], ...] = (),
    paths: tuple[str | None, str | None] = ("ref.txt", "cand.txt"),
    id: str | None = None,
) -> object:
    """A ``Diagnosis`` built by hand (no pipeline), so renderer tests do not move with the analysis.

    Sentences are the non-empty lines; line k of the reference is paired with line k of
    the candidate (the longer side's extra lines are omitted/added). ``findings`` are
    (severity, type, reference words, candidate words), located by ``str.find``.
    """
    import re

    from diag.model import (
        NOT_ASSESSED,
        AlignedPair,
        Alignment,
        Diagnosis,
        Document,
        Finding,
        Location,
        PairScores,
        Score,
        Sentence,
    )

    def doc(text: str, path: str | None) -> Document:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
        return Document(text, path=path, sentences=tuple(Sentence(k, s, e, text[s:e]) for k, (s, e) in enumerate(spans)))

    ref, cand = doc(reference, paths[0]), doc(candidate, paths[1])
    pairs = []
    for k in range(max(len(ref.sentences), len(cand.sentences))):
        r = (k,) if k < len(ref.sentences) else ()
        c = (k,) if k < len(cand.sentences) else ()
        scores = PairScores(50.0 + k, 60.0 + k, 58.0 + k, 40.0 - k) if r and c else None
        pairs.append(AlignedPair(r, c, 0.5 if r and c else 0.0, scores))
    located = []
    for severity, type_, ref_words, cand_words in findings:
        rs, cs = reference.find(ref_words), candidate.find(cand_words) if cand_words else -1
        located.append(
            Finding(
                category="number" if any(ch.isdigit() for ch in ref_words) else "named_entity",
                type=type_,
                severity=severity,  # type: ignore[arg-type]
                message=f'"{ref_words}" rendered as "{cand_words}"',
                reference=Location(ref_words, rs, rs + len(ref_words)) if rs >= 0 else None,
                candidate=Location(cand_words, cs, cs + len(cand_words)) if cs >= 0 else None,
                suggestion=ref_words,
            )
        )
    metrics = {
        "bleu": Score("bleu", 45.37, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"),
        "chrf": Score("chrf", 73.13, "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"),
        "ter": Score("ter", 31.5, "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0"),
    }
    n = len(ref.sentences) + len(cand.sentences)
    cover = min(len(ref.sentences), len(cand.sentences)) * 2 / max(1, n)
    return Diagnosis(
        reference=ref,
        candidate=cand,
        alignment=Alignment(tuple(pairs), cover, cover),
        metrics=metrics,
        verdict=NOT_ASSESSED,
        findings=tuple(located),
        signature="diag:test|hand-built",
        mqm_per_1000=12.5,
        id=id,
    )


#: Findings of the built-in demo texts (diag/data/demo_*.txt), for hand-built diagnoses.
DEMO_FINDINGS = (
    ("critical", "magnitude_changed", "$2.4 billion", "$2.4 million"),
    ("major", "acronym_expanded", "PACE alliance", "Peace alliance"),
    ("major", "name_changed", "Kestrel Insights", "Kesteler Insight"),
    ("major", "value_changed", "35%", "53%"),
    ("minor", "omitted", "Related Article", ""),
)


@pytest.fixture(scope="session")
def demo_diagnosis() -> object:
    """A hand-built ``Diagnosis`` of the demo texts (stable: no pipeline involved)."""
    from importlib.resources import files

    data = files("diag") / "data"
    ref = (data / "demo_reference.txt").read_text(encoding="utf-8")
    cand = (data / "demo_candidate.txt").read_text(encoding="utf-8")
    return make_diagnosis(ref, cand, DEMO_FINDINGS)
