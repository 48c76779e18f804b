"""Tests for diag.verdict: relations on examples written for these tests, invariants, seeds."""

from __future__ import annotations

import glob
import json
import math
import re
from pathlib import Path

import pytest

import diag
from diag.model import RELATIONS, Verdict
from diag.verdict import FEATURE_DESCRIPTIONS, load_parameters, relation_probabilities

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"

REFERENCE = (
    "The harbour authority in Valdmoor approved a new ferry terminal on Tuesday. "
    "The terminal will cost 48 million euros and should open in the spring of 2027. "
    "Mayor Ingrid Halvorsen said the project would bring hundreds of jobs to the town. "
    "Fishermen have complained that the construction will disturb the cod spawning grounds. "
    "The authority promised to pause the work during the spawning season each year. "
    "Critics argue that the old terminal could have been repaired for a fraction of the price. "
    "A public hearing on the environmental report is planned for next month."
)

COPY_WITH_TYPOS = (
    "The harbour authority in Valdmoor approved a new ferry terminal on Tuesday. "
    "The terminal will cost 48 milion euros and should open in the spring of 2027. "
    "Mayor Ingrid Halvorsen said the project would bring hundreds of jobs to the town "
    "Fishermen have complained that the construction will disturb the cod spawning grounds. "
    "The authority promised to pause the work during the spawning season each year. "
    "Critics argue that the old terminal could have been repaired for a fraction of the price. "
    "A public hearing on the environmental report is planned for next month."
)

SENTENCE_BY_SENTENCE = (
    "On Tuesday the Valdmoor port authority gave its approval to a new ferry terminal. "
    "The terminal is going to cost 48 million euros and is expected to open in spring 2027. "
    "According to Mayor Ingrid Halvorsen, the project will create hundreds of jobs in the town. "
    "Fishermen complained that the building works will disturb the spawning areas of the cod. "
    "The authority has promised to stop the works every year during the spawning season. "
    "Critics say that the old terminal could have been repaired for a fraction of the cost. "
    "A public hearing about the environmental report is scheduled for next month."
)

CONDENSED_RESTATEMENT = (
    "Critics argue that the old terminal could have been repaired for a fraction of the price. "
    "Still, Valdmoor's harbour authority approved a new ferry terminal on Tuesday, at a cost of 48 million euros."
)

UNRELATED_SAME_TOPIC = (
    "Ferry traffic across the northern strait fell sharply last winter as storms cancelled many crossings. "
    "Shipping companies are now ordering larger vessels that can sail in rougher weather. "
    "Several ports along the coast are competing for government funding to modernise their quays. "
    "Environmental groups want any new construction to be assessed for its effect on marine life. "
    "The ministry of transport will publish its decision on the funding before the summer."
)

SINGLE_REFERENCE = (
    "The finance committee postponed its vote on the regional transport budget until the end of the month, "
    "citing missing figures from two districts."
)
SINGLE_COPY = (
    "The finance committee postponed its vote on the regional transport budjet until the end of the month, "
    "citing missing figures from two districts."
)
SINGLE_TRANSLATION = (
    "Citing figures that two districts had not supplied, the finance commission delayed the vote on the "
    "regional transport budget to the end of this month."
)
SINGLE_INDEPENDENT = "Several ministers travelled to the summit to discuss energy prices with their neighbours."

INDEPENDENT_WITH_CHANCE_PAIR = (
    "The harbour authority in Brekkvik rejected a plan for a new ferry terminal on Monday. "
    "Ferry traffic across the northern strait fell sharply last winter as storms cancelled 300 crossings. "
    "Shipping companies are now ordering larger vessels that can sail in rougher weather. "
    "Mayor Anders Lunde said the town would rather repair its quays for 12 million euros. "
    "The ministry of transport will publish its decision on the funding before the summer."
)


def test_independent_text_has_its_entity_differences_withheld() -> None:
    """A chance pair of an independent text (Valdmoor/Brekkvik, Tuesday/Monday) is no rendering: no findings,
    and the evidence says how many differences were withheld."""
    from diag.entities import find_damage

    d = diag.diagnose(REFERENCE, INDEPENDENT_WITH_CHANCE_PAIR)
    assert d.verdict.relation == "independent"
    withheld = len(find_damage(d.reference, d.candidate, d.alignment))
    assert withheld > 0
    assert d.findings == ()
    assert d.mqm_per_1000 == 0
    assert d.verdict.features["withheld_findings"] == withheld  # the damage rate beside zero findings, explained
    assert (f"Entity findings withheld: an independent text renders none of the reference's names and numbers, "
            f"so the {withheld} difference(s) found in its chance pairs are not damage.") in d.verdict.evidence


CASES = [
    ("copy with typos", REFERENCE, COPY_WITH_TYPOS, "copy"),
    ("sentence-by-sentence rewording", REFERENCE, SENTENCE_BY_SENTENCE, "translation"),
    ("reordered, condensed restatement", REFERENCE, CONDENSED_RESTATEMENT, "rewrite"),
    ("unrelated text on the same topic", REFERENCE, UNRELATED_SAME_TOPIC, "independent"),
    ("single sentence, typo", SINGLE_REFERENCE, SINGLE_COPY, "copy"),
    ("single sentence, reworded", SINGLE_REFERENCE, SINGLE_TRANSLATION, "translation"),
    ("single sentence, unrelated", SINGLE_REFERENCE, SINGLE_INDEPENDENT, "independent"),
]


def _verdict(reference: str, candidate: str) -> Verdict:
    return diag.diagnose(reference, candidate).verdict


@pytest.mark.parametrize("name,reference,candidate,expected", CASES, ids=[c[0] for c in CASES])
def test_relation(name: str, reference: str, candidate: str, expected: str) -> None:
    v = _verdict(reference, candidate)
    assert v.relation == expected, (name, v.probabilities, v.evidence)


@pytest.mark.parametrize("name,reference,candidate,expected", CASES, ids=[c[0] for c in CASES])
def test_invariants(name: str, reference: str, candidate: str, expected: str) -> None:
    v = _verdict(reference, candidate)
    assert set(v.probabilities) == set(RELATIONS)
    assert math.isclose(sum(v.probabilities.values()), 1.0, abs_tol=1e-3)
    assert all(0.0 <= p <= 1.0 for p in v.probabilities.values())
    assert v.confidence == pytest.approx(v.probabilities[v.relation], abs=1e-4)
    assert v.relation == max(v.probabilities, key=lambda k: v.probabilities[k])
    if v.relation == "translation":
        assert v.machine_probability is not None and 0.0 <= v.machine_probability <= 1.0
    else:
        assert v.machine_probability is None
    assert v.evidence and all(isinstance(line, str) and line for line in v.evidence)
    assert v.label and v.label != "not assessed"
    assert set(v.features) == set(FEATURE_DESCRIPTIONS)
    assert all(math.isfinite(x) for x in v.features.values())


def test_parameters_name_known_features() -> None:
    params = load_parameters()
    for model in ("relation", "machine"):
        names = params[model]["features"]
        assert names and set(names) <= set(FEATURE_DESCRIPTIONS)
        assert len(params[model]["mean"]) == len(params[model]["scale"]) == len(names)
    assert load_parameters() is params  # read once


def test_word_list_states_its_licence() -> None:
    data = json.loads((Path(diag.__file__).parent / "data" / "verdict_words.json").read_text(encoding="utf-8"))
    assert "CC BY-SA" in data["license"] and data["source"]
    assert len(data["words"]) == len(set(data["words"])) == 5000


def test_probabilities_sum_to_one_on_extremes() -> None:
    base = dict.fromkeys(FEATURE_DESCRIPTIONS, 0.0)
    for value in (0.0, 1.0, 10.0):
        feats = {k: value for k in base} | {"order": 1.0}
        probs = relation_probabilities(feats)
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-9)


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, diag.verdict; print(sorted(m for m in ('sacrebleu', 'nltk', 'rich', 'numpy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _seed(prefix: str) -> str:
    paths = glob.glob(str(SEEDS / f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return Path(paths[0]).read_text(encoding="utf-8")


SEED_CASES = [("000", "translation"), ("002", "rewrite"), ("003", "independent"), ("004", "independent")]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent (seed texts are not shipped)")
@pytest.mark.parametrize("candidate,expected", SEED_CASES)
def test_seeds(candidate: str, expected: str) -> None:
    v = _verdict(_seed("001"), _seed(candidate))
    assert v.relation == expected, (v.probabilities, v.evidence)
    if candidate == "000":
        assert v.machine_probability is not None and v.machine_probability >= 0.7
        assert v.label.endswith("machine round-trip translation") and not v.label.startswith("possibly")
        assert any(line.startswith("Machine round trip:") and "lost an inner capital" in line for line in v.evidence)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent (seed texts are not shipped)")
def test_round_trip_is_not_decided_by_typography() -> None:
    """The round trip with every quote and apostrophe straightened reads the same: typography is no channel."""
    typeset = _seed("000")
    straight = typeset.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    assert straight != typeset
    a, b = _verdict(_seed("001"), typeset), _verdict(_seed("001"), straight)
    assert a.label == b.label
    assert a.features["round_trip_density"] == b.features["round_trip_density"]
    assert a.machine_probability is not None and b.machine_probability is not None
    assert abs(a.machine_probability - b.machine_probability) < 0.1


def test_demo_reads_as_a_machine_round_trip() -> None:
    from importlib import resources

    data = resources.files("diag").joinpath("data")
    v = _verdict(data.joinpath("demo_reference.txt").read_text(encoding="utf-8"),
                 data.joinpath("demo_candidate.txt").read_text(encoding="utf-8"))
    assert v.relation == "translation"
    assert v.label.endswith("machine round-trip translation")


@pytest.mark.parametrize("field,value,message", [
    ("mean", [0.0], "machine.mean has 1 values for"),
    ("coef", [1.0, 2.0], "machine.coef has 2 values for"),
    ("features", ["comma_rate", "no_such_feature"], "machine model names unknown features ['no_such_feature']"),
])
def test_parameters_fail_loudly_on_mismatch(field: str, value: list[object], message: str) -> None:
    import copy

    from diag.verdict.models import check_parameters

    params = copy.deepcopy(dict(load_parameters()))
    params["machine"][field] = value
    with pytest.raises(ValueError, match=re.escape(message)):
        check_parameters(params)


def test_machine_model_keeps_its_stated_directions() -> None:
    import copy

    from diag.verdict.models import check_parameters

    params = copy.deepcopy(dict(load_parameters()))
    machine = params["machine"]
    assert all(w * d >= 0 for w, d in zip(machine["coef"], machine["directions"], strict=True))
    assert "damage_rate" not in machine["features"]
    machine["coef"] = [-abs(w) * d - 1.0 * d for w, d in zip(machine["coef"], machine["directions"], strict=True)]
    with pytest.raises(ValueError, match="against their stated direction"):
        check_parameters(params)


def test_unit_weighted_machine_model_fails_loudly_on_unequal_weights() -> None:
    import copy

    from diag.verdict.models import check_parameters

    params = copy.deepcopy(dict(load_parameters()))
    machine = params["machine"]
    assert machine["weights"] == "unit" and len({abs(w) for w in machine["coef"]}) == 1
    machine["coef"] = [w * (1.0 + 0.1 * k) for k, w in enumerate(machine["coef"])]
    with pytest.raises(ValueError, match="unit-weighted but its coefficients differ in size"):
        check_parameters(params)



# --------------------------------------------------------------------------- document-level wording traces

_S = frozenset


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # "harbo" in pairs 0 and 2: the target keeps one rendering ("port") in both
        ([_S({"harbo", "ferry"}), _S({"cod"}), _S({"harbo"})], [_S({"port"}), _S({"fish"}), _S({"port"})], 1.0),
        # ... or varies it ("port", then "dock"): no stem is shared by both pairs' targets
        ([_S({"harbo"}), _S({"harbo"})], [_S({"port"}), _S({"dock"})], 0.5),
        # two repeated stems, one kept (1.0) and one varied over three pairs (2 of 3 share "quay")
        ([_S({"harbo", "termi"}), _S({"harbo", "termi"}), _S({"termi"})],
         [_S({"port", "quay"}), _S({"port", "quay"}), _S({"wharf"})], (1.0 + 2 / 3) / 2),
        ([_S({"harbo"}), _S({"cod"})], [_S({"port"}), _S({"fish"})], 1.0),  # nothing repeats: no evidence
        ([], [], 1.0),
    ],
)
def test_consistency(source: list[frozenset[str]], target: list[frozenset[str]], expected: float) -> None:
    from diag.verdict.features import _consistency

    assert _consistency(source, target) == pytest.approx(expected)


def test_rendering_consistency_is_negative_when_the_candidate_varies_a_kept_term() -> None:
    from diag.verdict.features import _content_stems, _rendering_consistency, _words

    reference = ["The harbour will close.", "The harbour reopens in May.", "Boats use the harbour."]
    varied = ["The port will close.", "The dock reopens in May.", "Boats use the marina."]
    kept = ["The port will close.", "The port reopens in May.", "Boats use the port."]
    ref = [_content_stems(_words(s)) for s in reference]
    assert _rendering_consistency(ref, [_content_stems(_words(s)) for s in varied]) < 0
    assert _rendering_consistency(ref, [_content_stems(_words(s)) for s in kept]) == 0.0


def test_machine_contributions_are_held_within_the_clip() -> None:
    from diag.verdict.models import machine_contributions

    params = load_parameters()
    machine = params["machine"]
    assert machine["clip"] == 3.0
    far = {name: mu + 100.0 * sd for name, mu, sd in zip(machine["features"], machine["mean"], machine["scale"],
                                                         strict=True)}
    pushes = machine_contributions(far, params)
    assert pushes == pytest.approx({n: 3.0 * w for n, w in zip(machine["features"], machine["coef"], strict=True)})


@pytest.mark.parametrize("clip", [0, -1.0, "3"])
def test_machine_clip_fails_loudly_when_not_a_positive_number(clip: object) -> None:
    import copy

    from diag.verdict.models import check_parameters

    params = copy.deepcopy(dict(load_parameters()))
    params["machine"]["clip"] = clip
    with pytest.raises(ValueError, match="is not a positive number or null"):
        check_parameters(params)
