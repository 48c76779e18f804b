"""The fitted and hand-set models: relation probabilities, the rewrite rule and the machine probability.

Parameters are written by ``tools/fit_verdict.py`` to ``diag/data/verdict_model.json`` and
read once; ``load_parameters`` checks that every model's names and numbers agree, so a
changed feature list fails loudly instead of silently dropping coefficients.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from diag.verdict.features import FEATURE_DESCRIPTIONS
from diag.verdict.sentence import SENTENCE_FEATURES

#: The shipped parameters (written by ``tools/fit_verdict.py``).
PARAMETERS_FILE = "verdict_model.json"
#: Relations the fitted relation model scores; ``rewrite`` comes from the hand-set rule.
FITTED_RELATIONS: tuple[str, ...] = ("copy", "translation", "independent")
#: Below this many candidate words the machine model's evidence (its logit beyond the intercept)
#: is shrunk in proportion: word-rate and typography features of one sentence are noisy, and the
#: model was fitted on documents (37-700 words), so a sentence gets a hedged probability.
EVIDENCE_WORDS = 60
@lru_cache(maxsize=1)
def load_parameters() -> Mapping[str, Any]:
    """The fitted parameters shipped in ``diag/data/verdict_model.json`` (read once, checked).

    Raises:
        ValueError: if a model's feature names are unknown or its numbers do not match them in count
            (see ``check_parameters``).
    """
    text = resources.files("diag").joinpath("data", PARAMETERS_FILE).read_text(encoding="utf-8")
    params: Mapping[str, Any] = json.loads(text)
    check_parameters(params)
    return params


def _check_lengths(where: str, names: Sequence[str], **arrays: Sequence[Any]) -> None:
    for key, values in arrays.items():
        if len(values) != len(names):
            raise ValueError(f"{PARAMETERS_FILE}: {where}.{key} has {len(values)} values for {len(names)} features "
                             f"{list(names)}; refit with tools/fit_verdict.py")


def check_parameters(params: Mapping[str, Any]) -> None:
    """Fail loudly when the parameters do not fit the code: unknown feature names, counts that differ.

    Raises:
        ValueError: naming the model, the field, the counts found and the fix.
    """
    for where in ("relation", "machine"):
        model = params[where]
        names = model["features"]
        unknown = [n for n in names if n not in FEATURE_DESCRIPTIONS]
        if unknown:
            raise ValueError(f"{PARAMETERS_FILE}: {where} model names unknown features {unknown}; "
                             "refit with tools/fit_verdict.py")
        _check_lengths(where, names, mean=model["mean"], scale=model["scale"])
    relation = params["relation"]
    if sorted(relation["classes"]) != sorted(FITTED_RELATIONS):
        raise ValueError(f"{PARAMETERS_FILE}: relation classes {relation['classes']} are not {list(FITTED_RELATIONS)}")
    if len(relation["coef"]) != len(relation["classes"]) or len(relation["intercept"]) != len(relation["classes"]):
        raise ValueError(f"{PARAMETERS_FILE}: relation model has {len(relation['coef'])} coefficient rows and "
                         f"{len(relation['intercept'])} intercepts for {len(relation['classes'])} classes")
    for k, row in enumerate(relation["coef"]):
        _check_lengths(f"relation.coef[{k}]", relation["features"], values=row)
    sentence = params["sentence"]
    unknown = [n for n in sentence["features"] if n not in SENTENCE_FEATURES]
    if unknown:
        raise ValueError(f"{PARAMETERS_FILE}: sentence model names unknown features {unknown}; "
                         "refit with tools/fit_verdict.py")
    _check_lengths("sentence", sentence["features"], mean=sentence["mean"], scale=sentence["scale"],
                   coef=sentence["coef"])
    machine = params["machine"]
    _check_lengths("machine", machine["features"], coef=machine["coef"], directions=machine["directions"])
    against = [n for n, w, d in zip(machine["features"], machine["coef"], machine["directions"], strict=True)
               if w * d < 0]
    if against:
        raise ValueError(f"{PARAMETERS_FILE}: machine model pushes {against} against their stated direction")
    clip = machine.get("clip")
    if clip is not None and not (isinstance(clip, (int, float)) and clip > 0):
        raise ValueError(f"{PARAMETERS_FILE}: machine model clip {clip!r} is not a positive number or null; "
                         "refit with tools/fit_verdict.py")
    if machine.get("weights") == "unit" and len({abs(w) for w in machine["coef"]}) > 1:
        raise ValueError(f"{PARAMETERS_FILE}: machine model is unit-weighted but its coefficients differ in size "
                         f"{machine['coef']}; refit with tools/fit_verdict.py")


def _linear(model: Mapping[str, Any], features: Mapping[str, float], row: Sequence[float]) -> float:
    """``row . standardised(features) + intercept`` for one class row of a fitted model."""
    z = 0.0
    for name, w, mu, sd in zip(model["features"], row, model["mean"], model["scale"], strict=True):
        z += w * (features[name] - mu) / sd
    return z


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def relation_probabilities(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Probabilities of the four relations (they sum to 1).

    The fitted multinomial model scores copy, translation and independent; the hand-set
    rewrite rule ``r = content * restructured`` then takes share ``r`` of the
    non-copy mass: a rewrite is a text whose sentences restate the reference's
    (``restated``) while its shape does not follow it (reordered, merged, condensed).
    """
    params = params or load_parameters()
    return combine(fitted_relations(features, params), rewrite_score(features, params))


def fitted_relations(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The fitted multinomial model's probabilities of copy, translation and independent."""
    model = (params or load_parameters())["relation"]
    zs = [_linear(model, features, row) + b for row, b in zip(model["coef"], model["intercept"], strict=True)]
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    total = sum(exps)
    return {name: e / total for name, e in zip(model["classes"], exps, strict=True)}


def combine(fitted: Mapping[str, float], rewrite: float) -> dict[str, float]:
    """Four relation probabilities from the fitted three and the rewrite rule's score.

    A rewrite is never a copy: it takes share ``rewrite`` of the translation and
    independent mass.
    """
    return {
        "copy": fitted["copy"],
        "translation": fitted["translation"] * (1.0 - rewrite),
        "rewrite": (fitted["translation"] + fitted["independent"]) * rewrite,
        "independent": fitted["independent"] * (1.0 - rewrite),
    }


def restructuring(features: Mapping[str, float]) -> float:
    """How far the candidate's shape departs from the reference's (0 = sentence by sentence)."""
    return max(
        1.0 - features["order"],
        -features["length_ratio"],
        features["restated"] - features["candidate_coverage"],
    )


def rewrite_score(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> float:
    """The hand-set rewrite rule: P(rewrite | not a copy), a product of two soft gates."""
    rule = (params or load_parameters())["rewrite_rule"]
    content = _sigmoid(rule["content_slope"] * (features["restated"] - rule["content_threshold"]))
    shape = _sigmoid(rule["shape_slope"] * (restructuring(features) - rule["shape_threshold"]))
    return content * shape


def machine_contributions(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Each machine-model feature's push on the log-odds of machine (positive: towards machine).

    The push is ``coef * z`` with ``z`` the standardised feature, held within ``+-clip`` when the
    model states one: no single feature, however far out, outweighs several others.
    """
    model = (params or load_parameters())["machine"]
    bound = model.get("clip") or math.inf
    return {name: w * min(bound, max(-bound, (features[name] - mu) / sd))
            for name, w, mu, sd in zip(model["features"], model["coef"], model["mean"], model["scale"], strict=True)}


def machine_probability(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> float:
    """P(machine | translation) from the machine-vs-human model (``machine_contributions`` plus the intercept).

    Below ``EVIDENCE_WORDS`` candidate words the features' contribution is scaled down in
    proportion, towards the dev prior (the intercept).
    """
    params = params or load_parameters()
    weight = min(1.0, features.get("candidate_words", EVIDENCE_WORDS) / EVIDENCE_WORDS)
    return _sigmoid(weight * sum(machine_contributions(features, params).values()) + params["machine"]["intercept"])


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


def sentence_independence(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> float:
    """P(independent | two short texts) from the sentence model, re-centred on its threshold.

    The fitted model's probability is shifted (in log-odds) so that its threshold - set at a
    stated false-flag rate on dev translations, see ``tools/fit_verdict.py`` - maps to 0.5.
    """
    model = (params or load_parameters())["sentence"]
    z = _linear(model, features, model["coef"]) + model["intercept"]
    return _sigmoid(z - _logit(model["threshold"]))


def sentence_rewrite(features: Mapping[str, float], params: Mapping[str, Any] | None = None) -> float:
    """The hand-set sentence rewrite rule: all content rendered on both sides, its order not kept."""
    rule = (params or load_parameters())["sentence_rewrite_rule"]
    unmatched = max(features["ref_unmatched"], features["cand_unmatched"])
    content = _sigmoid(rule["content_slope"] * (rule["unmatched_threshold"] - unmatched))
    shape = _sigmoid(rule["order_slope"] * (rule["order_threshold"] - features["order"]))
    return content * shape


def sentence_relation(fitted: Mapping[str, float], features: Mapping[str, float],
                      params: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Four relation probabilities for two short texts.

    The copy probability stays the relation model's (it reads character overlap, which
    decides a copy); the rest is split by the sentence model: ``independent`` takes share
    ``sentence_independence``, and of what is left the rewrite rule takes its share.
    """
    params = params or load_parameters()
    copy = fitted["copy"]
    q = sentence_independence(features, params)
    r = sentence_rewrite(features, params)
    rest = 1.0 - copy
    return {"copy": copy, "translation": rest * (1.0 - q) * (1.0 - r), "rewrite": rest * (1.0 - q) * r,
            "independent": rest * q}
