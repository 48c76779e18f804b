"""The named features the verdict is decided on (``extract_features``), each in words in ``FEATURE_DESCRIPTIONS``.

Alignment shape and similarity (coverage, trigram similarity, chrF, word and character
overlap), order-free restatement, length, entity findings per 100 words, and the
wording and typography traces the machine model reads. Pure Python; the word ranks
are read once from ``diag/data/verdict_words.json``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise, repeat
from typing import TYPE_CHECKING, Any

from diag.model import Alignment, Document, Finding, Score
from diag.recent import Recent
from diag.verdict import roundtrip

if TYPE_CHECKING:
    from difflib import SequenceMatcher

WORDS_FILE = "verdict_words.json"
#: Sliding window (words) of the moving-average type/token ratio.
MATTR_WINDOW = 50
#: Candidate sentences compared order-free with every reference sentence (evenly sampled beyond).
ORDER_SAMPLE = 200
#: Similarity from which a candidate sentence is taken to restate some reference sentence.
RESTATE_FLOOR = 0.40

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_STRAIGHT_QUOTES = "'\""
_CURLY_QUOTES = "‘’“”"
_ARTICLES = frozenset(("the", "a", "an"))
#: Ranks below this are function words: they say nothing about word choice.
_FUNCTION_RANKS = 100
#: The rank given to a word outside the shipped list.
_UNLISTED_RANK = 5000
#: Content words are compared by their first letters (a light stemmer: "election", "elections" and
#: "electoral" meet; "state" and "statement" do too, rarely enough to matter for a document's share).
_STEM_LETTERS = 5

#: What each feature measures, in words (the README and the report's evidence use these).
FEATURE_DESCRIPTIONS: Mapping[str, str] = {
    "reference_coverage": "share of the reference's characters in aligned sentence pairs",
    "candidate_coverage": "share of the candidate's characters in aligned sentence pairs",
    "similarity": "mean character-trigram similarity of aligned pairs (length-weighted)",
    "similarity_spread": "standard deviation of the pair similarities",
    "text_similarity": "character-trigram similarity of the whole texts, order ignored",
    "chrf": "document chrF / 100",
    "pair_chrf": "mean sentence chrF / 100 of aligned pairs",
    "word_overlap": "share of each pair's word sequence kept in order (difflib ratio on words)",
    "char_overlap": "share of each pair's characters kept in order, case, punctuation and spacing folded",
    "one_to_one": "share of aligned pairs that are one sentence to one sentence",
    "length_ratio": "log of candidate words / reference words",
    "length_spread": "standard deviation of the pairs' log length ratios",
    "restated": "share of candidate sentences that restate some reference sentence, order ignored",
    "order": "share of consecutive restating sentences that keep the reference's order",
    "damage_rate": "entity, number and casing findings per 100 candidate words",
    "omission_rate": "omission findings per 100 candidate words",
    "common_words": "mean log frequency rank of the candidate's content words minus the reference's",
    "quote_style": "share of straight quotes among the candidate's quotes minus the reference's",
    "comma_rate": "commas per word, candidate minus reference",
    "article_rate": "articles per word, candidate minus reference",
    "word_length": "mean word length in letters, candidate minus reference",
    "variety_ratio": "log ratio of moving-average type/token ratios, candidate to reference",
    "rendering_consistency": "how consistently the candidate renders a content word the reference repeats "
                             "across aligned pairs, minus the same from the candidate to the reference",
    "ascii_quotes": "share of straight (ASCII) marks among the candidate's quotes and apostrophes (0 if none)",
    "ascii_dashes": "share of spaced hyphens among the candidate's dashes (0 if none)",
    "candidate_words": "words in the candidate (the machine model's evidence is shrunk below EVIDENCE_WORDS)",
    "round_trip_density": "round-trip damage points per 100 candidate words (diag.verdict.roundtrip)",
    "round_trip_probability": "P(machine round trip) from the round-trip channel alone (diag.verdict.roundtrip)",
    "sentence_independence": "for inputs of one or two sentences a side, P(independent) from the sentence model "
                             "(0.5 at its threshold); 0 otherwise",
    "withheld_findings": "findings the independent-text policy withholds (counted in damage_rate, not reported)",
}


@lru_cache(maxsize=1)
def _word_ranks() -> Mapping[str, int]:
    text = resources.files("diag").joinpath("data", WORDS_FILE).read_text(encoding="utf-8")
    words = json.loads(text)["words"]
    return {w: k for k, w in enumerate(words)}


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    return word.lower().replace("’", "'")


def _words(text: str) -> list[str]:
    """The text's words, lower-cased, curly apostrophes straightened (each distinct word folded once)."""
    return list(map(_fold, _WORD.findall(text)))


def _document_words(text: str) -> list[str]:
    """``_words`` of a whole document, each recurring word one shared string (a 10 MB
    document's two million words then cost a pointer each, not a string each). Read match by
    match: the list of every word's own string (some 120 MB for 10 MB of text) is never made."""
    shared: dict[str, str] = {}
    return [shared.setdefault(w, w) for w in map(_fold, map(re.Match.group, _WORD.finditer(text)))]


def _mattr(words: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type/token ratio: lexical variety, independent of text length.

    The sum of the windows' distinct-word counts is read word by word: the word at ``k`` is new
    in every window that holds it but not its previous occurrence, so it adds the number of such
    windows (the same integer a sliding count of every window reaches, without the dictionary
    updates per step).
    """
    n = len(words)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(words)) / n
    last_start = n - window
    previous: dict[str, int] = {}
    total = 0
    for k, w in enumerate(words):
        first = previous.get(w, -1) + 1  # the windows from this start on lack the previous occurrence
        previous[w] = k
        if first < k - window + 1:
            first = k - window + 1
        end = k if k < last_start else last_start
        if end >= first:
            total += end - first + 1
    return total / (n - window + 1) / window


@lru_cache(maxsize=1)
def _sequence_matcher() -> type[SequenceMatcher[Any]]:
    """difflib's ``SequenceMatcher``, with its matching loop in C where cdifflib is installed (the extra
    ``diag[fast]``: the same blocks, so the same ratios, at about twice the speed; tests/test_verdict_costs.py
    compares); difflib's own otherwise."""
    try:
        from cdifflib import CSequenceMatcher
    except ImportError:  # the optional extra is absent: difflib's own gives the same values
        from difflib import SequenceMatcher as CSequenceMatcher
    return CSequenceMatcher  # type: ignore[no-any-return]


def _word_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of the two word sequences kept in order (difflib ratio on words)."""
    if a == b:  # what difflib's ratio gives a sequence and its copy, without matching them
        return 1.0
    return _sequence_matcher()(None, a, b, autojunk=False).ratio()


def _char_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of two texts' characters kept in order, after folding case, punctuation and spacing.

    Args:
        a, b: the two texts' ``_words`` (computed once per pair for this and ``_word_overlap``).

    A copy's edits (typos, punctuation, casing, tokenisation) barely move it; a reworded
    sentence loses whole words.
    """
    fa, fb = " ".join(a), " ".join(b)
    if fa == fb:  # what difflib's ratio gives a text and its copy, without matching them
        return 1.0
    return _sequence_matcher()(None, fa, fb, autojunk=False).ratio()


def _common_words(words: Sequence[str]) -> float:
    """Mean log frequency rank of content words (function words left out); 0 if none."""
    ranks = _word_ranks()
    kept = [r for r in map(ranks.get, words, repeat(_UNLISTED_RANK)) if r >= _FUNCTION_RANKS]  # shared ints
    return sum(math.log(r + 1) for r in kept) / len(kept) if kept else 0.0


def _content_stems(words: Sequence[str]) -> frozenset[str]:
    """The stems (first ``_STEM_LETTERS`` letters) of the alphabetic content words (function words left out)."""
    ranks = _word_ranks()
    return frozenset([w[:_STEM_LETTERS] for w, r in zip(words, map(ranks.get, words, repeat(_UNLISTED_RANK)))
                      if r >= _FUNCTION_RANKS and w.isalpha()])


def _stem_row(words: Sequence[str]) -> tuple[str, ...]:
    """``_content_stems`` as a tuple of shared strings: one is kept per aligned pair and side, and
    frozensets of fresh strings for every pair of a 10 MB document took 140 MB."""
    return tuple(map(sys.intern, _content_stems(words)))


def _consistency(source: Sequence[Collection[str]], target: Sequence[Collection[str]]) -> float:
    """How consistently ``target`` renders what ``source`` repeats: for each stem found in two or more of
    ``source``'s pairs, the largest share of those pairs whose ``target`` side shares one stem; the mean
    (1.0 when nothing repeats: no evidence either way). Each side holds distinct stems."""
    where: dict[str, list[int]] = {}
    for k, stems in enumerate(source):
        for stem in stems:
            where.setdefault(stem, []).append(k)
    # Where a pair's target row is its source row (a copied sentence), the stem is in the target side
    # of that pair; a stem whose every pair is so is counted len(positions) times, the most any
    # stem can be (a row holds distinct stems): its share is 1.0 without counting.
    differs = [s is not t and s != t for s, t in zip(source, target)]
    shares = []
    for positions in where.values():
        if len(positions) < 2:
            continue
        if not any(map(differs.__getitem__, positions)):
            shares.append(1.0)
            continue
        # the target stems of those pairs, counted in C (a common stem recurs in thousands of pairs)
        counts = Counter(chain.from_iterable(map(target.__getitem__, positions)))
        shares.append(max(counts.values(), default=0) / len(positions))
    # fsum: the stems come in hash order, which differs between processes; the mean must not
    return math.fsum(shares) / len(shares) if shares else 1.0


def _rendering_consistency(reference: Sequence[Collection[str]], candidate: Sequence[Collection[str]]) -> float:
    """Consistency from the reference to the candidate minus the reverse, over aligned pairs' content stems.

    Two human translators each keep a document's terms (the second renders the first's repeated
    term one way, and vice versa); an engine that translates sentence by sentence has no memory of
    its last choice, so it varies the rendering of a term the human keeps (negative values).
    """
    return _consistency(reference, candidate) - _consistency(candidate, reference)


def _straight_share(text: str) -> float:
    straight = sum(text.count(q) for q in _STRAIGHT_QUOTES)
    curly = sum(text.count(q) for q in _CURLY_QUOTES)
    return straight / (straight + curly) if straight + curly else 0.5


def _ascii_share(ascii_marks: int, typeset_marks: int) -> float:
    """Share of ASCII marks among all; 0 when there are none.

    One-sided evidence: ASCII typography is a machine trace (WMT-style engines normalise
    their text to straight quotes and hyphens), but typeset marks prove nothing (current
    engines and LLMs typeset them too), so typeset-only and mark-free texts score alike.
    """
    total = ascii_marks + typeset_marks
    return ascii_marks / total if total else 0.0


def _ascii_quotes(text: str) -> float:
    """Share of straight quotes and apostrophes among all quote marks (see ``_ascii_share``)."""
    return _ascii_share(sum(text.count(q) for q in _STRAIGHT_QUOTES), sum(text.count(q) for q in _CURLY_QUOTES))


def _ascii_dashes(text: str) -> float:
    """Share of spaced hyphens (`` - ``) among dashes, en and em dashes included (see ``_ascii_share``)."""
    return _ascii_share(text.count(" - "), text.count("\u2014") + text.count("\u2013"))


#: Distinct pair sides whose words and stems ``extract_features`` keeps for their next use (the most recent).
RECENT_SIDES = 2048


def _side(text: str) -> tuple[list[str], tuple[str, ...]]:
    """``_words(text)`` and its ``_stem_row`` (``extract_features`` keeps them while the text is recent:
    a sentence a document repeats, or the other side copies, is not read again)."""
    words = _words(text)
    return words, _stem_row(words)


def _same(reference_text: str, candidate_text: str) -> bool:
    """Whether two texts are one: what is read from a text alone (words, stems, ranks) is then read once
    and shared by both sides (tests/test_verdict_costs.py compares with every side read on its own)."""
    return reference_text == candidate_text


def _text_similarity(reference_text: str, candidate_text: str, same: bool) -> float:
    """``diag.align.similarity`` of the two texts (one text's trigrams read once when they are one)."""
    from diag.align import _dice, document_similarity, text_grams

    if not same:
        return document_similarity(reference_text, candidate_text)
    grams = text_grams(reference_text)
    return _dice(grams, grams)


def _segment(doc: Document, indices: Sequence[int]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def _by_size(masks: Iterable[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Non-empty trigram masks grouped by their number of trigrams: size -> (indices, masks), in order."""
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i, mask in enumerate(masks):
        size = mask.bit_count()
        if size:
            indices, members = groups.setdefault(size, ([], []))
            indices.append(i)
            members.append(mask)
    return groups


def _best_match(mask: int, groups: Mapping[int, tuple[list[int], list[int]]]) -> tuple[float, int]:
    """The best Dice of ``mask`` against the grouped masks, and the first index that reaches it (0.0, -1
    when nothing is shared): what a loop over every mask in order finds, keeping a strictly better one.

    Dice is ``2.0 * shared / (n + size)``, at most ``2.0 * min(n, size) / (n + size)`` for a group of
    masks of one size: groups are read by that bound, highest first, and reading stops at a bound below
    the best found (a copied sentence meets its own size first and stops there). Within a group the
    shared counts come from C-level maps.
    """
    n = mask.bit_count()
    best, where = 0.0, -1
    if not n:
        return best, where
    bounds = sorted(((2.0 * min(n, size) / (n + size), size) for size in groups), reverse=True)
    for bound, size in bounds:
        if bound < best:
            break
        indices, members = groups[size]
        shared = list(map(int.bit_count, map(mask.__and__, members)))
        top = max(shared)
        dice = 2.0 * top / (n + size)
        if dice > best or (dice == best and dice > 0.0 and indices[shared.index(top)] < where):
            best, where = dice, indices[shared.index(top)]
    return best, where


def _order_free(reference: Document, candidate: Document) -> tuple[float, float]:
    """(restated share, kept order) of candidate sentences matched order-free to reference ones.

    ``restated``: length-weighted share of candidate sentences whose best match among all
    reference sentences reaches ``RESTATE_FLOOR``; ``order``: among those, the share of
    consecutive ones whose best matches do not go backwards. Beyond ``ORDER_SAMPLE``
    candidate sentences an even sample is compared, so the cost stays linear.
    """
    from diag.align import _content_words, trigram_mask

    # Trigram sets as bit masks over one index (each word's mask built once): the same
    # intersection sizes as set operations, so the same Dice values.
    index: dict[str, int] = {}
    word_masks: dict[str, int] = {}
    # each text's mask read once while it is recent (repeated and copied sentences)
    mask: Recent[str, int] = Recent(lambda text: trigram_mask(set(_content_words(text)), index, word_masks),
                                    RECENT_SIDES)
    groups = _by_size(mask(s.text) for s in reference.sentences)
    cand_all = list(candidate.sentences)
    step = max(1, math.ceil(len(cand_all) / ORDER_SAMPLE))
    restated_len = total_len = 0
    best_idx: list[int] = []
    for s in cand_all[::step]:
        cm = mask(s.text)
        best, where = _best_match(cm, groups)
        total_len += len(s.text)
        if best >= RESTATE_FLOOR:
            restated_len += len(s.text)
            best_idx.append(where)
    restated = restated_len / total_len if total_len else 0.0
    if len(best_idx) < 2:
        return restated, 1.0
    forward = sum(1 for a, b in pairwise(best_idx) if b >= a)
    return restated, forward / (len(best_idx) - 1)


def extract_features(
    reference: Document,
    candidate: Document,
    alignment: Alignment,
    metrics: Mapping[str, Score],
    findings: Sequence[Finding],
) -> dict[str, float]:
    """The named features the verdict is decided on (finite floats, rounded to 6 places).

    Args:
        reference: the reference document.
        candidate: the candidate document.
        alignment: their sentence alignment, with per-pair scores.
        metrics: document-level scores by name (``chrf`` ...), 0-100.
        findings: entity and number damage found in the candidate.

    Returns:
        Feature name -> value, in the order of ``FEATURE_DESCRIPTIONS``.
    """
    ref_text = " ".join(s.text for s in reference.sentences)
    cand_text = " ".join(s.text for s in candidate.sentences)
    same_text = _same(ref_text, cand_text)  # a whole copy: what depends on the text alone is read once
    ref_words = _document_words(ref_text)
    cand_words = ref_words if same_text else _document_words(cand_text)
    n_ref, n_cand = max(1, len(ref_words)), max(1, len(cand_words))

    matched = alignment.matched()
    weights: list[float] = []
    sims: list[float] = []
    chrfs: list[float] = []
    overlaps: list[float] = []
    char_overlaps: list[float] = []
    len_logs: list[float] = []
    ref_stems: list[tuple[str, ...]] = []
    cand_stems: list[tuple[str, ...]] = []
    one_to_one = 0
    side: Recent[str, tuple[list[str], tuple[str, ...]]] = Recent(_side, RECENT_SIDES)
    for p in matched:
        r_text, c_text = _segment(reference, p.reference), _segment(candidate, p.candidate)
        rw, r_row = side(r_text)
        # a copied sentence: its words and stems are the reference side's
        cw, c_row = (rw, r_row) if _same(r_text, c_text) else side(c_text)
        weights.append(float(len(rw) + len(cw)) or 1.0)
        sims.append(p.similarity)
        chrfs.append((p.scores.chrf if p.scores is not None else 0.0) / 100.0)
        overlaps.append(_word_overlap(rw, cw))
        char_overlaps.append(_char_overlap(rw, cw))
        len_logs.append(math.log((len(cw) + 1) / (len(rw) + 1)))
        ref_stems.append(r_row)
        cand_stems.append(c_row)
        one_to_one += p.kind == "1-1"
    wsum = sum(weights) or 1.0

    def wmean(values: Sequence[float]) -> float:
        return sum(w * v for w, v in zip(weights, values, strict=True)) / wsum if values else 0.0

    def wstd(values: Sequence[float]) -> float:
        if len(values) < 2:
            return 0.0
        m = wmean(values)
        return math.sqrt(sum(w * (v - m) ** 2 for w, v in zip(weights, values, strict=True)) / wsum)

    restated, order = _order_free(reference, candidate)
    damage = sum(1 for f in findings if f.category in ("named_entity", "number", "casing"))
    omissions = sum(1 for f in findings if f.category == "omission")
    chrf = metrics["chrf"].score / 100.0 if "chrf" in metrics else wmean(chrfs)

    trip = roundtrip.read(findings, alignment, len(cand_words))
    cand_common, cand_mattr = _common_words(cand_words), _mattr(cand_words)
    ref_common, ref_mattr = (cand_common, cand_mattr) if same_text else (_common_words(ref_words), _mattr(ref_words))
    cand_articles = sum(map(_ARTICLES.__contains__, cand_words))
    ref_articles = cand_articles if same_text else sum(map(_ARTICLES.__contains__, ref_words))
    values = {
        "reference_coverage": alignment.reference_coverage,
        "candidate_coverage": alignment.candidate_coverage,
        "similarity": wmean(sims),
        "similarity_spread": wstd(sims),
        "text_similarity": _text_similarity(ref_text, cand_text, same_text),
        "chrf": chrf,
        "pair_chrf": wmean(chrfs),
        "word_overlap": wmean(overlaps),
        "char_overlap": wmean(char_overlaps),
        "one_to_one": one_to_one / len(matched) if matched else 0.0,
        "length_ratio": math.log(n_cand / n_ref),
        "length_spread": wstd(len_logs),
        "restated": restated,
        "order": order,
        "damage_rate": 100.0 * damage / n_cand,
        "omission_rate": 100.0 * omissions / n_cand,
        "common_words": cand_common - ref_common,
        "quote_style": _straight_share(cand_text) - _straight_share(ref_text),
        "comma_rate": cand_text.count(",") / n_cand - ref_text.count(",") / n_ref,
        "article_rate": cand_articles / n_cand - ref_articles / n_ref,
        "word_length": sum(map(len, cand_words)) / n_cand - sum(map(len, ref_words)) / n_ref,
        "variety_ratio": math.log((cand_mattr + 1e-3) / (ref_mattr + 1e-3)),
        "rendering_consistency": _rendering_consistency(ref_stems, cand_stems),
        "ascii_quotes": _ascii_quotes(cand_text),
        "ascii_dashes": _ascii_dashes(cand_text),
        "candidate_words": float(len(cand_words)),
        "round_trip_density": trip.density,
        "round_trip_probability": trip.probability,
        "sentence_independence": 0.0,  # set by the verdict for sentence-level inputs
        "withheld_findings": 0.0,  # set by the verdict once the relation is known (diag.verdict.policy)
    }
    return {k: round(float(v), 6) for k, v in values.items()}
