"""Type and severity of a damaged name, decided in one place from the evidence gathered for it.

The pairing steps collect ``Evidence`` (how the rendering was found, what explains it); ``decide``
turns it into a ``Decision``. Major and critical are kept for strong local evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diag.entities.pairing import PAIRING
from diag.model import Severity

#: How a reference name's rendering was found.
Route = Literal["similar", "local", "context", "person", "people", "family", "cut", "dropped"]


@dataclass(frozen=True)
class Evidence:
    """What is known about how one reference name was rendered.

    Attributes:
        route: how the rendering was found: a similar candidate name (``similar``), the stretch a
            token alignment put in its place (``local``), a candidate name between the same
            neighbours (``context``), a person's name at about its place (``person``) or in a
            neighbouring pair (``people``), a lone name that sounds like one of the person's name
            words (``family``); ``cut`` and ``dropped`` when nothing took its place.
        acronym: the reference name is an acronym.
        acronym_read: the rendering's letters explain it as the acronym read as a word.
        shared_word: the rendering keeps a word of the name.
        similarity: character or rough-sound similarity of the two names (0..1).
        sound: how alike the two names sound by a phonetic measure (``words.sound_similarity``, 0..1).
        alias: the two are forms of one word or place (an inflection, a demonym), not two names.
        common: both forms are ordinary English words, so not a name rendered by its sound.
        spelling_variant: the two are one or two letters apart.
        namelike: the rendering has a capital (not a month's) or a digit.
        context: neighbouring words kept on each side (0..2).
        close: the pair is a close rendering of the reference sentence.
        anchored: the name's neighbours survive next to each other: it was cut out there.
        elsewhere: the candidate document has the name's words elsewhere.
        attribution: the name is a speaker after a reporting verb that the candidate lacks.
        moved: every cut word is in the candidate sentence elsewhere.
        kind: a type already established by the person pairing (route ``people``).
        person_swap: a person's name of two or more words replaced by a person's name the reference lacks.
        short_form: the cut words open or close a person's name whose other words stay (``variants.cut_out``):
            the person named by part of the name ("Ana Ruiz" / "Ruiz"), a minor omission.
        generic: the name keeps a word and differs only in generic words, or only generic words are cut (organisation or common English
            words: "Health Bureau" / "Health Commission"), and is no person's name: a ``wording_changed``
            finding, minor here; ``diag.verdict.policy`` makes it major where the candidate was made from
            the reference's own words (a copy, a machine round trip).
        named: the reference mention is a name by evidence (``diag.entities.mentions.NameEvidence``);
            without it a finding is never major or critical.
    """

    route: Route
    acronym: bool = False
    acronym_read: bool = False
    shared_word: bool = False
    similarity: float = 0.0
    sound: float = 1.0
    alias: bool = False
    common: bool = False
    spelling_variant: bool = False
    namelike: bool = True
    context: int = 0
    close: bool = False
    anchored: bool = False
    elsewhere: bool = False
    attribution: bool = False
    moved: bool = False
    kind: str | None = None
    named: bool = True
    person_swap: bool = False
    generic: bool = False
    short_form: bool = False


@dataclass(frozen=True)
class Decision:
    """A finding's category, type and severity."""

    category: str
    type: str
    severity: Severity


def name_kind(e: Evidence) -> str | None:
    """The finding type the evidence supports for a changed name, or None when nothing explains a pairing."""
    # transliterated: alike in letters and in sound, and not another form of the same word or place
    # a transliteration is written as a name; an acronym is spelt letter by letter, not transliterated
    sounds_alike = (e.similarity >= PAIRING.transliteration_similarity and e.sound >= PAIRING.sound_alike
                    and not e.alias and not e.common and e.namelike and not e.acronym)
    if e.route == "similar":
        if e.acronym_read:
            return "acronym_expanded"
        if e.shared_word:
            return "name_changed"
        if sounds_alike and not e.acronym:
            return "transliterated"
        return None
    if e.route == "people":
        return e.kind
    if e.route == "family":
        return "name_changed"  # one word still sounds like the name's, the rest is gone or changed
    if e.route == "context":
        return "replaced"
    if e.acronym_read:
        return "acronym_expanded"
    if e.shared_word:
        return "name_changed"
    return "transliterated" if sounds_alike else "replaced"


def _severity(e: Evidence, kind: str) -> Severity:
    if e.route == "local":
        return "major" if e.namelike else "minor"
    if e.route == "context":
        letters = e.similarity >= PAIRING.transliteration_similarity and not e.alias  # alike in letters, not in sound
        return "major" if (e.context == 2 and e.close) or e.person_swap or letters else "minor"
    return "major"


def decide(e: Evidence) -> Decision | None:
    """The category, type and severity of a damaged name, or None when the evidence supports no finding.

    A mention without evidence of being a name (a capitalised word first in its sentence that
    English writes in lower case) is at most a minor finding.
    """
    decision = _decide(e)
    if decision is not None and not e.named and decision.severity != "minor":
        return Decision(decision.category, decision.type, "minor")
    return decision


def _decide(e: Evidence) -> Decision | None:
    if e.route == "cut":
        if e.generic:
            return Decision("named_entity", "wording_changed", "minor")  # a translator's wording, see the policy
        return Decision("omission", "dropped", "minor" if e.moved or e.short_form else "major")
    if e.route == "dropped":
        major = (e.anchored and not e.elsewhere and e.close) or e.attribution
        return Decision("omission", "dropped", "major" if major else "minor")
    kind = name_kind(e)
    if kind is None:
        return None
    if e.spelling_variant and e.route in {"similar", "people", "local"} and kind != "acronym_expanded":
        return Decision("named_entity", "spelling_variant", "minor")  # a romanisation choice, not damage
    if e.route == "local" and e.alias and e.namelike and not e.acronym_read:
        return Decision("named_entity", "spelling_variant", "minor")  # another form of it: "Thüringen" / "Thuringian"
    if kind == "name_changed" and e.generic:
        return Decision("named_entity", "wording_changed", "minor")  # a translator's wording, see the policy
    return Decision("named_entity", kind, _severity(e, kind))
