"""Findings and their English wording: every message text of the entity checks is built here."""

from __future__ import annotations

from collections.abc import Sequence

from diag.entities.mentions import Mention, Side
from diag.model import Document, Finding, Location, Severity


def loc(doc: Document, start: int, end: int) -> Location:
    """The location ``start:end`` of ``doc`` with its text."""
    return Location(doc.text[start:end], start, end)


def finding(category: str, type_: str, severity: Severity, message: str, ref: Side, r: Mention,
             cand: Side, c: tuple[int, int] | None, pair: int, suggestion: str | None) -> Finding:
    """A finding on reference mention ``r``, located at ``c`` in the candidate (None: nothing there)."""
    cloc = loc(cand.doc, c[0], c[1]) if c else None
    return Finding(category, type_, severity, message, loc(ref.doc, r.start, r.end), cloc, pair, suggestion)




LABELS = {"spelling_variant": "spelling variant", "acronym_expanded": "acronym read as a word", "name_changed": "part of the name changed",
           "transliterated": "transliteration", "replaced": "a different name",
           "wording_changed": "a generic word of the name changed",
           "grammatical_form": "the same name in another grammatical form of its source language"}



def rendered_as(rtext: str, ctext: str, type_: str) -> str:
    """``"ByteDance" rendered as "Baitedan" (transliteration)``."""
    return f'"{rtext}" rendered as "{ctext}" ({LABELS.get(type_, type_)})'


def stands_at_place(rtext: str, ctext: str, type_: str, *, exact: bool) -> str:
    """A name gone and another come at (``exact``) or about its place."""
    where = "in its place" if exact else "at about its place"
    return f'"{rtext}" missing; "{ctext}" stands {where} ({LABELS[type_]})'


def casing(rtext: str, ctext: str) -> str:
    return f'"{rtext}" rendered as "{ctext}" (casing)'


def name_order(rtext: str, ctext: str) -> str:
    return f'"{rtext}" written as "{ctext}": the same name, its parts in another order'


def missing(rtext: str, *, verb: str | None = None, whole: str | None = None) -> str:
    """A mention missing from its candidate sentence; ``verb`` for an attribution, ``whole`` when only part of a name."""
    return f"{quoted(rtext, verb=verb, whole=whole)} missing from the aligned candidate sentence"


def quoted(rtext: str, *, verb: str | None = None, whole: str | None = None) -> str:
    if verb is not None:
        return f'attribution "{verb} {rtext}"'
    if whole is not None and whole != rtext:
        return f'"{rtext}" (of "{whole}")'
    return f'"{rtext}"'


def cut_stretch(parts: Sequence[str]) -> str:
    """Several mentions cut out with one stretch, each already quoted."""
    return f"{' and '.join(parts)} missing from the aligned candidate sentence (one cut-out stretch)"


def added(ctext: str) -> str:
    return f'"{ctext}" has no counterpart in the aligned reference sentence'
