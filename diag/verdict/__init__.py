"""The provenance verdict: what the candidate is, relative to the reference.

``judge`` turns the finished stages (documents, alignment, metrics, entity findings)
into a ``Verdict``: a relation - copy, translation, rewrite or independent - with a
probability for each, and for a translation how likely a machine produced its wording.

Every decision rests on a handful of named, explainable features (``extract_features``):

- how much of each text the monotone alignment pairs up (coverage), how alike the
  paired sentences are (trigram similarity, chrF) and how much of each pair's word
  sequence survives (word overlap): a copy keeps its words in place, a translation
  rewords every sentence but keeps the content, an independent text shares little;
- the shape of the correspondence (kept order, one-to-one sentence boundaries,
  length ratio): a rewrite restates the content reordered, merged or condensed;
- for a translation, the traces a machine leaves (measured on the dev documents, see
  ``tools/fit_verdict.py``): ASCII typography - straight quotes and apostrophes, a
  spaced hyphen for a dash - where human translators typeset curly quotes and en/em
  dashes (counted one-sided: typeset marks are no evidence of a human, current engines
  use them too); commoner and shorter words, more articles and commas than the
  reference; fewer one-to-one sentence pairs; a term the reference repeats rendered
  in varying words (an engine translating sentence by sentence does not remember its
  last choice); entity damage and omissions.

Two models are fitted on the dev sets only by ``tools/fit_verdict.py`` (logistic
regressions on standardised features; the machine model's features all weigh alike,
only its scale and intercept are fitted) and shipped as JSON in ``diag/data/``; a third,
the rewrite score, is a hand-set logistic rule on structural features (the dev sets
have no rewrites). At run time this module is pure Python: the parameters are read
from JSON once (a cached loader) and applied with ``math``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from diag.model import RELATIONS, Alignment, Document, Finding, Score, Verdict
from diag.verdict import policy, roundtrip
from diag.verdict.features import FEATURE_DESCRIPTIONS, WORDS_FILE, extract_features
from diag.verdict.models import (
    EVIDENCE_WORDS,
    FITTED_RELATIONS,
    PARAMETERS_FILE,
    combine,
    fitted_relations,
    load_parameters,
    machine_contributions,
    machine_probability,
    relation_probabilities,
    rewrite_score,
    sentence_independence,
    sentence_relation,
)
from diag.verdict.sentence import sentence_features


def _pct(x: float) -> str:
    return f"{100.0 * x:.0f}%"


def _hedge(p: float) -> str:
    if p >= 0.9:
        return "almost certainly"
    if p >= 0.7:
        return "likely"
    return "possibly"


def _label(relation: str, confidence: float, machine: float | None, round_trip: bool) -> str:
    """The headline: a hedged noun; for a translation, machine round trip (the channel fired), or machine or
    human translation by the machine probability."""
    hedge = _hedge(confidence)
    if relation == "translation" and machine is not None:
        if round_trip:
            return f"{_hedge(confidence * machine)} machine round-trip translation"
        if machine >= 0.5:
            return f"{_hedge(confidence * machine)} machine translation"
        return f"{_hedge(confidence * (1.0 - machine))} human translation"
    noun = {
        "copy": "copy of the reference (light edits)",
        "rewrite": "rewrite of the reference (restated, reordered or condensed)",
        "independent": "independent text",
    }[relation]
    return f"{hedge} {noun}"


def _machine_reasons(features: Mapping[str, float], params: Mapping[str, Any], machine: float) -> list[str]:
    """The (at most two) features that pushed hardest towards the side decided, in words."""
    sign = 1.0 if machine >= 0.5 else -1.0
    pushes = []
    for name, contribution in machine_contributions(features, params).items():
        push = sign * contribution
        if push > 0:
            pushes.append((push, name))
    pushes.sort(key=lambda t: (-t[0], t[1]))
    return [f"{FEATURE_DESCRIPTIONS[name]} = {features[name]:.3g}" for _, name in pushes[:2]]


def _evidence(features: Mapping[str, float], probs: Mapping[str, float], relation: str,
              machine: tuple[float, float, roundtrip.RoundTrip] | None, findings: Sequence[Finding],
              params: Mapping[str, Any]) -> tuple[str, ...]:
    f = features
    kept = f["word_overlap"]
    wording = "nearly verbatim" if kept >= 0.85 else "reworded" if kept >= 0.3 else "little shared"
    lines = [
        (
            f"The alignment pairs {_pct(f['reference_coverage'])} of the reference and "
            f"{_pct(f['candidate_coverage'])} of the candidate in order; "
            f"{_pct(f['one_to_one'])} of the pairs are one sentence to one."
        ),
        (
            f"Paired sentences are {_pct(f['similarity'])} alike in character trigrams "
            f"(spread {f['similarity_spread']:.2f}), chrF {100 * f['pair_chrf']:.1f}, and keep "
            f"{_pct(kept)} of their word sequence ({wording})."
        ),
        (
            f"Ignoring order, {_pct(f['restated'])} of the candidate restates reference sentences, "
            f"{_pct(f['order'])} of it in the reference's order; the candidate has "
            f"{math.exp(f['length_ratio']):.2f} times the reference's words."
        ),
    ]
    withheld = policy.explanation(relation, findings, probs[relation])
    if withheld:
        lines.append(withheld)
    else:
        damage = [x for x in findings if x.category in ("named_entity", "number", "casing")]
        omitted = [x for x in findings if x.category == "omission"]
        if damage or omitted:
            lines.append(
                f"Entity damage: {len(damage)} name, number or casing change(s) "
                f"({f['damage_rate']:.1f} per 100 words) and {len(omitted)} omission(s)."
            )
    ranked = sorted(probs.items(), key=lambda kv: -kv[1])
    lines.append("Relation probabilities: " + ", ".join(f"{k} {v:.2f}" for k, v in ranked) + ".")
    if relation == "translation" and machine is not None:
        combined, model_p, rt = machine
        if rt.fires:
            lines.append(
                f"Machine round trip: the reference reads as the original and the candidate carries mechanical "
                f"damage a human translator does not produce: {roundtrip.describe(rt)} "
                f"({rt.density:.2f} points per 100 words; round-trip probability {rt.probability:.2f})."
            )
        elif rt.points:
            lines.append(f"Round-trip damage too thin to decide ({rt.points:g} point(s)): {roundtrip.describe(rt)}.")
        reasons = _machine_reasons(features, params, model_p)
        side = "machine" if model_p >= 0.5 else "human"
        lines.append(
            f"Machine rather than human wording: probability {model_p:.2f}"
            + (f"; pointing to {side} most: " + "; ".join(reasons) if reasons else "")
            + (f"; with the round-trip evidence {combined:.2f}" if rt.probability > 0 else "") + "."
        )
    return tuple(lines)


#: Inputs with at most this many sentences on each side are judged by the sentence model (``diag.verdict.sentence``).
SENTENCE_LEVEL = 2


def is_sentence_level(reference: Document, candidate: Document) -> bool:
    """Whether both texts are short enough for the sentence model (at most ``SENTENCE_LEVEL`` sentences each)."""
    return 0 < len(reference.sentences) <= SENTENCE_LEVEL and 0 < len(candidate.sentences) <= SENTENCE_LEVEL


def _text(doc: Document) -> str:
    return " ".join(s.text for s in doc.sentences)


def _sentence_evidence(f: Mapping[str, float]) -> str:
    return (f"Sentence level: {_pct(f['ref_unmatched'])} of the reference's content words and "
            f"{_pct(f['cand_unmatched'])} of the candidate's have no counterpart (longest unrendered run "
            f"{_pct(f['longest_gap'])}); names agree {_pct(f['name_agreement'])}, numbers "
            f"{_pct(f['number_agreement'])}; {_pct(f['order'])} of the matched words keep their order.")


def judge(
    reference: Document,
    candidate: Document,
    alignment: Alignment,
    metrics: Mapping[str, Score],
    findings: Sequence[Finding],
) -> Verdict:
    """Decide what the candidate is relative to the reference.

    Args:
        reference: the reference document.
        candidate: the candidate document.
        alignment: the sentence alignment of the two, with per-pair scores.
        metrics: document-level scores by name.
        findings: entity and number damage (``diag.entities``), used as evidence.

    Returns:
        A ``Verdict`` with the most probable relation, its probability as confidence,
        probabilities for all four relations, ``machine_probability`` (only for a
        translation: the machine model and the round-trip channel combined as a noisy-OR,
        so round-trip evidence only ever raises it), a headline label, evidence in words
        and the named features (``withheld_findings`` counts what ``policy`` withholds).
    """
    params = load_parameters()
    features = extract_features(reference, candidate, alignment, metrics, findings)
    probs = relation_probabilities(features, params)
    sentence: dict[str, float] | None = None
    if is_sentence_level(reference, candidate):
        sentence = sentence_features(_text(reference), _text(candidate))
        probs = sentence_relation(fitted_relations(features, params), sentence, params)
        features["sentence_independence"] = round(sentence_independence(sentence, params), 6)
    relation = max(RELATIONS, key=lambda k: probs[k])
    confidence = probs[relation]
    features["withheld_findings"] = float(len(policy.withheld(relation, findings, confidence)))
    machine: tuple[float, float, roundtrip.RoundTrip] | None = None
    if relation == "translation":
        model_p = machine_probability(features, params)
        rt = roundtrip.read(findings, alignment, int(features["candidate_words"]))
        machine = (round(1.0 - (1.0 - model_p) * (1.0 - rt.probability), 4), model_p, rt)
    return Verdict(
        relation=relation,
        machine_probability=machine[0] if machine else None,
        label=_label(relation, confidence, machine[0] if machine else None, bool(machine and machine[2].fires)),
        confidence=round(confidence, 4),
        probabilities={k: round(v, 4) for k, v in probs.items()},
        evidence=_evidence(features, probs, relation, machine, findings, params)
        + ((_sentence_evidence(sentence),) if sentence is not None else ()),
        features=features,
    )


__all__ = [
    "EVIDENCE_WORDS",
    "FEATURE_DESCRIPTIONS",
    "FITTED_RELATIONS",
    "PARAMETERS_FILE",
    "WORDS_FILE",
    "combine",
    "extract_features",
    "is_sentence_level",
    "judge",
    "load_parameters",
    "machine_probability",
    "policy",
    "relation_probabilities",
    "rewrite_score",
    "roundtrip",
    "sentence_features",
]
