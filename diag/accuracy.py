"""Accuracy: did each aligned pair keep its meaning?

``assess`` gives every aligned pair an ``accuracy_risk`` - the probability that the pair
holds a major accuracy error (a mistranslation, an addition or an omission in MQM's
sense) - and turns strong evidence into findings of category ``accuracy`` located at the
smallest stretch the evidence supports.

The evidence, per pair (``pair_features``; all of it offline, pure Python):

- how little of the pair's characters survive (chrF), and how far the pair falls below
  the document's own pairs: a machine round trip rewords every sentence about evenly, a
  hallucinated sentence stands out from its neighbours;
- content words of the reference with no counterpart in the candidate (something was
  lost or changed) and content words of the candidate from nowhere (something was added
  or changed). Counterparts are found by stem (NLTK's Snowball stemmer), number value and
  shared prefix, so a reworded inflection is no loss;
- the length ratio, the order of the matched words (word-order damage) and a negation
  present on one side only;
- a sentence the alignment leaves unpaired inside a well-aligned stretch.

Names and numbers are the entity check's: a word that starts upper-case inside a
sentence or holds a digit counts as matched evidence when it has a counterpart but is
never what an accuracy finding points at.

Findings: a negation on one side only of a close pair; in a pair at ``major_risk`` that
stands out, each separate unmatched stretch of the candidate (raters mark the candidate's
words); otherwise the pair's longest runs as ``classify`` judges them; an unpaired sentence
inside a well-aligned stretch. Every span is widened to whole written words.

The risk is a logistic model fitted on the dev split by ``tools/fit_accuracy.py`` and
shipped as ``diag/data/accuracy_model.json``; the severity thresholds are read from
the same file.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import or_
from typing import Any, NamedTuple

from diag.align import SUMMARY_COVERAGE
from diag.model import Alignment, AlignedPair, Document, Finding, Location, Severity
from diag.recent import Recent

#: The shipped parameters (written by ``tools/fit_accuracy.py``).
PARAMETERS_FILE = "accuracy_model.json"

#: The features of the risk model, in the order of the shipped coefficients.
FEATURES: tuple[str, ...] = (
    "chrf_loss",
    "candidate_unmatched",
    "content_words",
    "negation_flip",
)

DESCRIPTIONS: Mapping[str, str] = {
    "chrf_loss": "1 - the pair's chrF / 100",
    "reference_unmatched": "share of the reference side's content words with no counterpart in the candidate side",
    "candidate_unmatched": "share of the candidate side's content words with no counterpart in the reference side",
    "content_words": "log(1 + content words of the longer side): the more a pair says, the more it can get wrong",
    "negation_flip": "1 when one side holds a negation and the other none",
}

#: Pairs in a document below which the document's own distribution says nothing.
DOCUMENT_PAIRS = 3
#: chrF points (/100) below the document's median from which a pair stands out of its document: a
#: round trip rewords every sentence about evenly, a hallucinated clause does not. Hand-set (the dev
#: split's real-MT records are single segments, so it cannot be fitted there): it raises a minor
#: finding to major.
OUTLIER_GAP = 0.3
#: chrF from which a pair is close enough that a negation on one side only reverses what it says
#: (in looser pairs a negation often moves into another word: "few" / "not many").
NEGATION_CLOSE = 70.0
#: Share of an unmatched run by which the other side must be shorter for an omission or addition.
ONE_SIDED = 0.5
#: Neighbouring pairs at least this similar make a "well-aligned stretch" around an unpaired sentence.
WELL_ALIGNED = 0.35
#: Content words an unpaired sentence needs for a major finding (shorter ones are notes).
UNPAIRED_MAJOR_WORDS = 6
#: Unmatched content words (all the candidate's stretches together) a pair at ``major_risk`` needs before
#: its stretches are named: one reworded word in a long, close pair is more often a synonym than an error
#: (hand-set; on the dev split it costs no span the raters marked).
STRETCH_WORDS = 2
#: Pair similarity from which a pair of a summary still restates one reference sentence closely.
SUMMARY_CLOSE = 0.6

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor nowhere without cannot n't".split()
)
# Function words carry grammar, not content: a translation may use others freely.
_FUNCTION_WORDS = frozenset(
    """a an the and or but so yet of to in on at by for from with into onto upon over under
    about above below after before between among through during since until as than then
    that this these those there here it its it's he him his she her hers they them their
    theirs we us our you your i me my mine be is are was were been being am do does did done
    have has had having will would shall should can could may might must also very just only
    even more most much many some any such all each both either which who whom whose what
    when where why how if while because though although whether said says say s one its
    per via upon within against across around up down out off again further once own same
    other another every""".split()
)
_PREFIX = 5


class _Word(NamedTuple):
    """One token of a pair side: its place in the document text, its matching key and what it is."""

    start: int
    end: int
    key: str
    content: bool
    entity: bool
    negation: bool


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of one side where no content word has a counterpart: ``words`` content words."""

    start: int
    end: int
    words: int


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What ``assess`` measured on one aligned pair: the model's features and the evidence
    findings rest on (every unmatched run of each side in text order, the longest of each,
    the document gap)."""

    features: Mapping[str, float]
    reference_run: Run | None
    candidate_run: Run | None
    reference_content: int
    candidate_content: int
    document_gap: float
    reference_negations: tuple[tuple[int, int], ...] = ()
    candidate_negations: tuple[tuple[int, int], ...] = ()
    reference_runs: tuple[Run, ...] = ()
    candidate_runs: tuple[Run, ...] = ()


@lru_cache(maxsize=1)
def load_parameters() -> Mapping[str, Any]:
    """The fitted parameters shipped in ``diag/data/accuracy_model.json`` (read once)."""
    text = resources.files("diag").joinpath("data", PARAMETERS_FILE).read_text(encoding="utf-8")
    params: Mapping[str, Any] = json.loads(text)
    names = tuple(params["features"])
    if names != FEATURES:
        raise ValueError(f"{PARAMETERS_FILE}: features {names} do not match diag.accuracy.FEATURES {FEATURES}")
    return params


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    from nltk.stem.snowball import SnowballStemmer

    stem: Callable[[str], str] = SnowballStemmer("english").stem
    return lru_cache(maxsize=20000)(stem)


def _number_key(text: str) -> str:
    return text.replace(",", "").rstrip("0").rstrip(".") if "." in text else text.replace(",", "")


@lru_cache(maxsize=1 << 16)
def _token_facts(raw: str) -> tuple[str, bool, bool, bool, bool]:
    """What a token's text alone decides: ``(key, content, number, upper, negation)``.

    Looked up once per distinct token (a document repeats most of its words), not per use.
    """
    low = raw.lower().replace("’", "'")
    negation = low in _NEGATIONS or low.endswith("n't")
    if low.endswith("'s"):
        low = low[:-2]
    digit = any(ch.isdigit() for ch in raw)
    key = _number_key(raw) if digit else _stemmer()(low)
    content = low not in _FUNCTION_WORDS and low not in _NEGATIONS and (digit or len(low) > 1)
    return key, content, digit, raw[:1].isupper(), negation


#: Distinct sentences whose token columns ``assess`` keeps for their next use (the most recently used).
RECENT_SENTENCES = 2048

#: A sentence's tokens by column, offsets within the sentence: (starts, ends, keys, content, entity, negation).
_Columns = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[bool, ...], tuple[bool, ...], tuple[bool, ...]]


def _columns(text: str) -> _Columns | None:
    """The sentence's tokens by column (None: it has none), each distinct token's facts looked up once."""
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return None
    keys, content, digit, upper, negation = zip(*map(_token_facts, map(re.Match.group, matches)), strict=True)
    # a name or number: a digit anywhere, or a capital on any word but the sentence's first
    entity = (digit[0], *map(or_, digit[1:], upper[1:]))
    return tuple(map(re.Match.start, matches)), tuple(map(re.Match.end, matches)), keys, content, entity, negation


def _sentence_columns(text: str, recent: Recent[str, _Columns | None] | None) -> _Columns | None:
    """``_columns(text)``, read once while the text is recent (``recent``: None keeps none): a sentence a
    document repeats, or the other side copies, is not read again."""
    return _columns(text) if recent is None else recent(text)


def _words(doc: Document, indices: Sequence[int], recent: Recent[str, _Columns | None] | None = None) -> list[_Word]:
    """The tokens of sentences ``indices`` of ``doc``, built column by column (C-level maps)."""
    out: list[_Word] = []
    for i in indices:
        s = doc.sentences[i]
        columns = _sentence_columns(s.text, recent)
        if columns is None:
            continue
        starts, ends, keys, content, entity, negation = columns
        out.extend(map(tuple.__new__, repeat(_Word), zip(map(s.start.__add__, starts), map(s.start.__add__, ends),
                                                         keys, content, entity, negation)))
    return out


def _content_and_negations(doc: Document, indices: Sequence[int],
                           recent: Recent[str, _Columns | None] | None) -> tuple[int, tuple[tuple[int, int], ...]]:
    """``sum(w.content for w in words)`` and ``_negations(words)`` of ``words = _words(doc, indices)``,
    without building the words."""
    content = 0
    negations: list[tuple[int, int]] = []
    for i in indices:
        s = doc.sentences[i]
        columns = _sentence_columns(s.text, recent)
        if columns is None:
            continue
        starts, ends, _keys, flags, _entity, negation = columns
        content += sum(flags)
        negations += [(s.start + a, s.start + b) for a, b, neg in zip(starts, ends, negation, strict=True) if neg]
    return content, tuple(negations)


def _counterpart(key: str, keys: set[str], prefixes: set[str]) -> bool:
    if key in keys:
        return True
    return len(key) >= _PREFIX and key[:_PREFIX] in prefixes


def _unmatched(side: Sequence[_Word], other: Sequence[_Word]) -> list[int]:
    keys = {w.key for w in other if w.content}
    prefixes = {w.key[:_PREFIX] for w in other if w.content and len(w.key) >= _PREFIX}
    return [k for k, w in enumerate(side) if w.content and not _counterpart(w.key, keys, prefixes)]


def _runs(side: Sequence[_Word], unmatched: Sequence[int]) -> tuple[Run, ...]:
    """Every run of consecutive unmatched content words, in text order.

    Function words inside a run do not break it; a matched content word does. Names and
    numbers are the entity check's: they neither count toward a run nor break it.
    """
    lost = set(unmatched)
    runs: list[Run] = []
    current: list[int] = []
    for k, w in enumerate(side):
        if not w.content or w.entity:
            continue
        if k in lost:
            current.append(k)
            continue
        if current:
            runs.append(Run(side[current[0]].start, side[current[-1]].end, len(current)))
        current = []
    if current:
        runs.append(Run(side[current[0]].start, side[current[-1]].end, len(current)))
    return tuple(runs)


def _longest_run(runs: Sequence[Run]) -> Run | None:
    """The run holding the most unmatched content words (the first of equals)."""
    return max(runs, key=lambda run: run.words, default=None)


def _negations(words: Sequence[_Word]) -> tuple[tuple[int, int], ...]:
    """Where the side's negations are ("not", "never", "don't", "without" ...)."""
    return tuple((w.start, w.end) for w in words if w.negation)


def _copied(reference: Document, ref_indices: Sequence[int], candidate: Document, cand_indices: Sequence[int]) -> bool:
    """Whether the candidate side's sentences are the reference side's, text for text (a copied pair:
    ``pair_features`` then reads one side; tests/test_accuracy_cost.py compares with reading both)."""
    return len(ref_indices) == len(cand_indices) and all(
        reference.sentences[i].text == candidate.sentences[j].text for i, j in zip(ref_indices, cand_indices)
    )


def pair_features(
    reference: Document,
    candidate: Document,
    pair: AlignedPair,
    document_median: float | None,
    *,
    recent: Recent[str, _Columns | None] | None = None,
) -> PairEvidence:
    """The risk model's features of one pair, and where its unmatched content words are.

    Args:
        document_median: the median chrF of the document's matched pairs, or None when the
            document has fewer than ``DOCUMENT_PAIRS`` of them.
        recent: sentences' token columns kept between the pairs of one document (``assess`` passes
            one), or None.
    """
    if _copied(reference, pair.reference, candidate, pair.candidate):
        # The candidate side is the reference side's sentences over again: the same tokens (at other
        # offsets), so every content word has its counterpart and no run is unmatched.
        ref_content, ref_neg = _content_and_negations(reference, pair.reference, recent)
        cand_content = ref_content
        ref_lost = cand_new = []
        cand_neg = _content_and_negations(candidate, pair.candidate, recent)[1] if ref_neg else ()
        ref_runs: tuple[Run, ...] = ()
        cand_runs: tuple[Run, ...] = ()
    else:
        ref = _words(reference, pair.reference, recent)
        cand = _words(candidate, pair.candidate, recent)
        ref_content = sum(w.content for w in ref)
        cand_content = sum(w.content for w in cand)
        ref_lost = _unmatched(ref, cand)
        cand_new = _unmatched(cand, ref)
        ref_neg = _negations(ref)
        cand_neg = _negations(cand)
        ref_runs, cand_runs = _runs(ref, ref_lost), _runs(cand, cand_new)
    chrf = pair.scores.chrf if pair.scores is not None else 0.0
    gap = 0.0 if document_median is None else max(0.0, document_median - chrf) / 100.0
    features: dict[str, float] = {
        "chrf_loss": 1.0 - chrf / 100.0,
        "content_words": math.log1p(max(ref_content, cand_content)),
        "reference_unmatched": len(ref_lost) / ref_content if ref_content else float(bool(cand_content)),
        "candidate_unmatched": len(cand_new) / cand_content if cand_content else float(bool(ref_content)),
        "negation_flip": float(bool(ref_neg) != bool(cand_neg)),
    }
    return PairEvidence(
        features=features,
        reference_run=_longest_run(ref_runs),
        candidate_run=_longest_run(cand_runs),
        reference_content=ref_content,
        candidate_content=cand_content,
        document_gap=gap,
        reference_negations=ref_neg,
        candidate_negations=cand_neg,
        reference_runs=ref_runs,
        candidate_runs=cand_runs,
    )


def document_median(alignment: Alignment) -> float | None:
    """The median chrF of the matched pairs, or None below ``DOCUMENT_PAIRS`` of them."""
    chrfs = [p.scores.chrf for p in alignment.matched() if p.scores is not None]
    return statistics.median(chrfs) if len(chrfs) >= DOCUMENT_PAIRS else None


def risk(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> float:
    """The calibrated probability of a major accuracy error, from a pair's features."""
    params = params or load_parameters()
    z = float(params["intercept"])
    for name, mean, scale, coef in zip(
        params["features"], params["mean"], params["scale"], params["coefficients"], strict=True
    ):
        z += coef * (features[name] - mean) / scale
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


# --- findings -------------------------------------------------------------------------------------


def _location(doc: Document, start: int, end: int) -> Location:
    return Location(doc.text[start:end], start, end)


#: Characters that join the tokens of one written word ("high-tech", "e-mail", "state's").
_JOINERS = frozenset("-‐‑'’")


def _whole_words(doc: Document, start: int, end: int) -> Location:
    """The stretch ``[start, end)`` widened to the whole written words it touches: a token of
    "long-term" is reported as "long-term" (letters, digits and joiners count; no space or
    other punctuation is taken in, so the stretch stays inside its sentence)."""
    text = doc.text

    def inside(k: int) -> bool:
        return text[k].isalnum() or (text[k] in _JOINERS and 0 < k < len(text) - 1
                                     and text[k - 1].isalnum() and text[k + 1].isalnum())

    while start > 0 and inside(start - 1):
        start -= 1
    while end < len(text) and inside(end):
        end += 1
    return _location(doc, start, end)


def _side_location(doc: Document, indices: Sequence[int]) -> Location:
    return _location(doc, doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1]}…"'


def _run_severity(words: int, params: Mapping[str, Any]) -> Severity | None:
    if words >= int(params["major_run"]):
        return "major"
    if words >= int(params["minor_run"]):
        return "minor"
    return None


def classify(reference_run: int, candidate_run: int, reference_content: int, candidate_content: int,
             params: Mapping[str, Any]) -> tuple[str, Severity] | None:
    """The finding two unmatched runs (content words of each side) make, if any.

    Both sides hold a run of at least ``minor_run`` content words: a mistranslation
    (something said in place of something else), as severe as the longer run; one side
    only: an omission (reference) or an addition (candidate), as severe as that run, and
    only when the other side is shorter by at least ``ONE_SIDED`` of the run (otherwise the
    words are there, reworded beyond what stems match).
    """
    floor = int(params["minor_run"])
    if reference_run >= floor and candidate_run >= floor:
        kind, words = "mistranslation", max(reference_run, candidate_run)
    elif reference_run >= floor and reference_content - candidate_content >= ONE_SIDED * reference_run:
        kind, words = "omission", reference_run
    elif candidate_run >= floor and candidate_content - reference_content >= ONE_SIDED * candidate_run:
        kind, words = "addition", candidate_run
    else:
        return None
    severity = _run_severity(words, params)
    return None if severity is None else (kind, severity)


def _negation_finding(index: int, pair: AlignedPair, ev: PairEvidence, reference: Document,
                      candidate: Document) -> Finding | None:
    """A close pair (chrF ``NEGATION_CLOSE`` or more) with a negation on one side only: it says the opposite."""
    if pair.scores is None or pair.scores.chrf < NEGATION_CLOSE:
        return None
    if bool(ev.reference_negations) == bool(ev.candidate_negations):
        return None
    ref_side = _side_location(reference, pair.reference)
    cand_side = _side_location(candidate, pair.candidate)
    if ev.candidate_negations:
        s, e = ev.candidate_negations[0]
        loc = _location(candidate, s, e)
        message = f'negation added: "{loc.text}" makes the candidate say the opposite of the reference (mistranslation)'
        return Finding("accuracy", "mistranslation", "major", message, ref_side, loc, index)
    s, e = ev.reference_negations[0]
    loc = _location(reference, s, e)
    message = f'negation dropped: the reference\'s "{loc.text}" is missing, the candidate says the opposite (mistranslation)'
    return Finding("accuracy", "mistranslation", "major", message, loc, cand_side, index)


def stretch_locations(doc: Document, runs: Sequence[Run]) -> list[Location]:
    """The runs widened to whole words (``_whole_words``), two of them joined when no word stands
    between them (a matched part of a compound, "long-term", does not split "long-term grant")."""
    out: list[Location] = []
    for run in runs:
        loc = _whole_words(doc, run.start, run.end)
        if out and not any(ch.isalnum() for ch in doc.text[out[-1].end:loc.start]):
            loc = _location(doc, out[-1].start, max(loc.end, out[-1].end))
            out.pop()
        out.append(loc)
    return out


def stands_out(ev: PairEvidence, median: float | None) -> bool:
    """Whether a pair's risk is its own: a pair of a document too short for a median (a segment), or
    one at least ``OUTLIER_GAP`` below its document's median chrF. In a document that rewords every
    sentence (a round trip, a free translation) a long pair's high risk is the document's style."""
    return median is None or ev.document_gap >= OUTLIER_GAP


def _stretch_findings(index: int, pair: AlignedPair, ev: PairEvidence, p: float, reference: Document,
                      candidate: Document, params: Mapping[str, Any], median: float | None) -> tuple[Finding, ...]:
    """A pair of ``stretch_content`` content words or more whose risk reaches ``major_risk`` and that
    ``stands_out``: one major finding at each
    separate stretch of the candidate whose content words have no counterpart in the reference (the
    raters of such a pair mark the candidate's words; which stretch carries the error the evidence
    cannot tell, so each is named). A mistranslation of what the reference lost at the same place
    (``_counterparts``), or an addition where it lost nothing.
    """
    if p < float(params["major_risk"]) or sum(run.words for run in ev.candidate_runs) < STRETCH_WORDS:
        return ()
    if max(ev.reference_content, ev.candidate_content) < int(params["stretch_content"]):
        return ()
    if not stands_out(ev, median):
        return ()
    pct = f"{round(100 * p)}%"
    counterparts = _counterparts(_words(reference, pair.reference), _words(candidate, pair.candidate))
    out = []
    for cand_loc in stretch_locations(candidate, ev.candidate_runs):
        lost = counterparts(cand_loc.start, cand_loc.end)
        if lost is None:
            message = f"{_quote(cand_loc.text)} has no counterpart in the reference (addition; accuracy risk {pct})"
            out.append(Finding("accuracy", "addition", "major", message,
                               _side_location(reference, pair.reference), cand_loc, index))
            continue
        ref_loc = _whole_words(reference, *lost)
        message = (f"{_quote(ref_loc.text)} rendered as {_quote(cand_loc.text)}, which says something else "
                   f"(mistranslation; accuracy risk {pct})")
        out.append(Finding("accuracy", "mistranslation", "major", message, ref_loc, cand_loc, index))
    return tuple(out)


def _counterparts(ref: Sequence[_Word], cand: Sequence[_Word]) -> Callable[[int, int], tuple[int, int] | None]:
    """For a stretch of the candidate, the stretch of the reference it stands in for: the reference's
    content words with no counterpart (names and numbers aside) between the counterparts of the matched
    content words either side of it (the content words of both sides matched in order, by stem or
    shared prefix, with ``difflib``), or None when the reference lost nothing there (an addition)."""
    ref_c = [w for w in ref if w.content]
    cand_c = [w for w in cand if w.content]
    lost = {id(ref[k]) for k in _unmatched(ref, cand)}
    matcher = difflib.SequenceMatcher(None, [w.key[:_PREFIX] for w in cand_c], [w.key[:_PREFIX] for w in ref_c],
                                      autojunk=False)
    anchors = [(block.a + k, block.b + k) for block in matcher.get_matching_blocks() for k in range(block.size)]

    def find(start: int, end: int) -> tuple[int, int] | None:
        lo = max((r for c, r in anchors if cand_c[c].end <= start), default=-1)
        hi = min((r for c, r in anchors if cand_c[c].start >= end), default=len(ref_c))
        between = [w for w in ref_c[lo + 1:hi] if id(w) in lost and not w.entity]
        return (between[0].start, between[-1].end) if between else None

    return find


def _pair_finding(index: int, pair: AlignedPair, ev: PairEvidence, p: float, reference: Document,
                  candidate: Document, params: Mapping[str, Any]) -> Finding | None:
    """A finding for a matched pair whose unmatched runs ``classify`` as one.

    A pair whose risk stays below ``minor_risk`` raises nothing (a short, close pair).
    """
    if p < float(params["minor_risk"]):
        return None
    rr, cr = ev.reference_run, ev.candidate_run
    verdict = classify(rr.words if rr else 0, cr.words if cr else 0, ev.reference_content, ev.candidate_content,
                       params)
    if verdict is None:
        return None
    kind, severity = verdict
    if severity == "minor" and ev.document_gap >= OUTLIER_GAP:
        severity = "major"
    pct = f"{round(100 * p)}%"
    ref_side = _side_location(reference, pair.reference)
    cand_side = _side_location(candidate, pair.candidate)
    if kind == "omission" and rr is not None:
        ref_loc = _whole_words(reference, rr.start, rr.end)
        message = f"{_quote(ref_loc.text)} has no counterpart in the candidate (omission; accuracy risk {pct})"
        return Finding("accuracy", kind, severity, message, ref_loc, cand_side, index)
    if kind == "addition" and cr is not None:
        cand_loc = _whole_words(candidate, cr.start, cr.end)
        message = f"{_quote(cand_loc.text)} has no counterpart in the reference (addition; accuracy risk {pct})"
        return Finding("accuracy", kind, severity, message, ref_side, cand_loc, index)
    assert rr is not None and cr is not None  # classify() gives a mistranslation only for two runs
    if rr.words == ev.reference_content and cr.words == ev.candidate_content:
        message = f"the candidate sentence says something else: {_quote(cand_side.text)} (mistranslation; accuracy risk {pct})"
        return Finding("accuracy", kind, severity, message, ref_side, cand_side, index)
    ref_loc = _whole_words(reference, rr.start, rr.end)
    cand_loc = _whole_words(candidate, cr.start, cr.end)
    message = f"{_quote(ref_loc.text)} rendered as {_quote(cand_loc.text)}, which says something else " \
              f"(mistranslation; accuracy risk {pct})"
    return Finding("accuracy", kind, severity, message, ref_loc, cand_loc, index)


def _matched_findings(index: int, pair: AlignedPair, ev: PairEvidence, p: float, reference: Document,
                      candidate: Document, params: Mapping[str, Any], median: float | None) -> tuple[Finding, ...]:
    """A matched pair's findings, the first rule that gives any: a negation flip, the stretches of a
    high-risk pair, the finding its longest runs ``classify`` as."""
    negation = _negation_finding(index, pair, ev, reference, candidate)
    if negation is not None:
        return (negation,)
    stretches = _stretch_findings(index, pair, ev, p, reference, candidate, params, median)
    if stretches:
        return stretches
    found = _pair_finding(index, pair, ev, p, reference, candidate, params)
    return () if found is None else (found,)


def _in_summary(found: Finding, pair: AlignedPair) -> Finding | None:
    """A summary or loose rewrite restates freely and leaves things out on purpose: only its close
    pairs are held to the reference, and what they lack or add is a note (minor)."""
    if found.type == "omission" or pair.similarity < SUMMARY_CLOSE:
        return None
    return replace(found, severity="minor")


def _well_aligned(pairs: Sequence[AlignedPair], index: int) -> bool:
    """Both neighbours of an unpaired sentence (one at an edge) are matched and alike."""
    near = [pairs[k] for k in (index - 1, index + 1) if 0 <= k < len(pairs)]
    return bool(near) and all(p.reference and p.candidate and p.similarity >= WELL_ALIGNED for p in near)


def _unpaired_finding(index: int, pair: AlignedPair, pairs: Sequence[AlignedPair], ev: PairEvidence,
                      reference: Document, candidate: Document, summary: bool) -> Finding | None:
    """An omitted or added sentence inside a well-aligned stretch."""
    if not _well_aligned(pairs, index):
        return None
    if pair.candidate:
        words = ev.candidate_content
        s, e = candidate.sentences[pair.candidate[0]].start, candidate.sentences[pair.candidate[-1]].end
        loc = _location(candidate, s, e)
        severity: Severity = "major" if words >= UNPAIRED_MAJOR_WORDS else "minor"
        message = f"candidate sentence {_quote(loc.text)} renders nothing in the reference (addition)"
        return Finding("accuracy", "addition", severity, message, None, loc, index)
    words = ev.reference_content
    s, e = reference.sentences[pair.reference[0]].start, reference.sentences[pair.reference[-1]].end
    loc = _location(reference, s, e)
    severity = "major" if words >= UNPAIRED_MAJOR_WORDS and not summary else "minor"
    message = f"reference sentence {_quote(loc.text)} is missing from the candidate (omission)"
    return Finding("accuracy", "omission", severity, message, loc, None, index)


def assess(
    reference: Document,
    candidate: Document,
    alignment: Alignment,
    params: Mapping[str, Any] | None = None,
) -> tuple[tuple[float, ...], tuple[Finding, ...]]:
    """Risk per pair (in alignment order) and the accuracy findings of the document.

    Args:
        params: the risk model's parameters (default: the shipped ones).

    Returns:
        ``(risks, findings)``: one risk in [0, 1] per pair of ``alignment.pairs``, and the
        findings of category ``accuracy``.
    """
    params = params or load_parameters()
    median = document_median(alignment)
    summary = alignment.reference_coverage < SUMMARY_COVERAGE  # diag.align: one summary policy for every check
    risks: list[float] = []
    findings: list[Finding] = []
    recent: Recent[str, _Columns | None] = Recent(_columns, RECENT_SENTENCES)
    for index, pair in enumerate(alignment.pairs):
        ev = pair_features(reference, candidate, pair, median, recent=recent)
        p = risk(ev.features, params)
        risks.append(p)
        if pair.reference and pair.candidate:
            found = _matched_findings(index, pair, ev, p, reference, candidate, params, median)
            if summary:
                found = tuple(f for f in map(_in_summary, found, repeat(pair)) if f is not None)
            findings.extend(found)
        elif (unpaired := _unpaired_finding(index, pair, alignment.pairs, ev, reference, candidate, summary)):
            findings.append(unpaired)
    return tuple(risks), tuple(findings)


__all__ = ["DESCRIPTIONS", "FEATURES", "PairEvidence", "assess", "document_median", "load_parameters",
           "pair_features", "risk"]
