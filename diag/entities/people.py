"""Persons' names: the shape of a person's name, and a dropped name paired with a new one across pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

from diag import lexdata
from diag.entities import messages
from diag.entities.context import Found
from diag.entities.decide import Evidence, decide
from diag.entities.lexicon import Lexicon
from diag.entities.mentions import Mention, Side, apposed_title
from diag.entities.tokens import Token
from diag.entities.messages import finding
from diag.entities.pairing import PAIRING
from diag.entities.words import same_word, similarity, sound_similarity, spelling_variant


@dataclass
class People:
    """Persons' names left over by the pair checks, for pairing across the pairs of one document:
    names dropped from their pair (``(pair, reference side, mention)``) and candidate names without
    a counterpart."""

    dropped: list[tuple[int, Side, Mention]] = field(default_factory=list)
    orphans: list[tuple[int, Side, Mention]] = field(default_factory=list)


def _sentence_word(t: Token, lex: Lexicon) -> bool:
    """A function word first in its sentence: no name word, except a pronoun that is also a family name
    and starts a longer name (mention finding keeps "He" of "He Lifeng said" only when a name follows)."""
    return t.norm in lex.function and t.initial and t.norm not in lex.pronoun_surname


def person_like(side: Side, m: Mention, lex: Lexicon) -> bool:
    """A mention shaped like a person's name: one to three capitalised words, no organisation or place word.

    A lone word counts only right after a title ("Mr. Ho", "Prime Minister Ban") or as a speaker ("Liu said").
    """
    if m.weak or m.acronym:
        return False
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    bare = [t for t in toks if t.norm not in lex.title]
    if not 1 <= len(bare) <= 3 or any(
        not t.capitalised or t.acronym or (_sentence_word(t, lex) and not (k == 0 and len(bare) > 1))
        or t.norm in lex.connector or t.norm in lex.organisation or t.norm in lex.month or len(t.norm) < 2
        for k, t in enumerate(bare)
    ):
        return False
    if len(bare) > 1 or len(toks) > len(bare):
        return True
    k = m.first - 1
    while k >= 0 and side.tokens[k].text == ".":
        k -= 1
    return (k >= 0 and side.tokens[k].norm in lex.title) or speaker(side, m, lex)


def speaker(side: Side, m: Mention, lex: Lexicon) -> bool:
    """A lone name that is no English word nor a place, right before a reporting verb ("Liu said"): a person."""
    word = side.tokens[m.last].norm
    after = side.tokens[m.last + 1] if m.last + 1 < len(side.tokens) else None
    return (m.first == m.last and after is not None and after.norm in lex.attribution and after.norm != "according"
            and word not in lexdata.case_prior() and not lexdata.place_keys(side.tokens[m.last].text))


def person_words(side: Side, m: Mention, lex: Lexicon) -> tuple[list[str], set[str]]:
    """A person mention's name words (titles left out) and its titles, with one title word right before it."""
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
    bare = [t.norm for t in toks[last_title + 1 :]]  # "Vietnamese Prime Minister Van Minh": the name after the title
    titles = {t.norm for t in toks if t.norm in lex.title}
    k = m.first - 1
    while k >= 0 and side.tokens[k].text == ".":
        k -= 1
    if k >= 0 and side.tokens[k].norm in lex.title:
        titles.add(side.tokens[k].norm)
    return bare, titles - {"mr", "mrs", "ms"}


def titled_person(side: Side, m: Mention, lex: Lexicon) -> bool:
    """Shaped like a person's name: one to three capitalised words right after a title in the mention, or
    two or three without one; capitalised particles count as name words here ("Van Minh", "Xia Bin")."""
    if person_like(side, m, lex):
        return True
    if m.weak or m.acronym:
        return False
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
    name = toks[last_title + 1 :]
    least = 1 if last_title >= 0 or apposed_title(side.tokens, m.last, len(side.tokens), lex) else 2
    return least <= len(name) <= 3 and all(
        t.capitalised and not t.acronym and t.norm not in lex.organisation and t.norm not in lex.month
        and not (_sentence_word(t, lex) and not (k == 0 and len(name) > 1)) and t.norm not in lex.title
        and len(t.norm) >= 2
        for k, t in enumerate(name))


def person_rendering(ref: Side, r: Mention, cand: Side, c: Mention, lex: Lexicon) -> tuple[float, str] | None:
    """How strongly a candidate person's name reads as a mangled rendering of a reference one, and as what.

    Strong evidence is one of: the names sound alike; they share a name word other than a leading
    family name both start with ("Tran Van Long" / "Duong Van Lam"); or the same title stands
    before both and they share a word or sound close.
    """
    rb, rt = person_words(ref, r, lex)
    cb, ct = person_words(cand, c, lex)
    if not rb or not cb or any(w in rb for w in cb) and all(w in rb for w in cb):
        return None
    shared = [(i, j) for i, a in enumerate(rb) for j, b in enumerate(cb) if same_word(a, b)]
    sim = similarity(" ".join(rb), " ".join(cb))
    inner = any(i or j for i, j in shared)
    titled = bool(rt & ct)
    if not (sim >= PAIRING.transliteration_similarity or inner or (titled and (shared or sim >= 0.5))):
        # the same role: both stand before a title in apposition ("Xia Bin, a reporter" / "Sharpin, a journalist")
        if not (apposed_title(ref.tokens, r.last, len(ref.tokens), lex)
                and apposed_title(cand.tokens, c.last, len(cand.tokens), lex)):
            return None
        return sim, "replaced"
    if shared:
        return len(shared) + sim + titled, "name_changed"
    sounds = sound_similarity(" ".join(rb), " ".join(cb)) >= PAIRING.sound_alike
    return len(shared) + sim + titled, "transliterated" if sounds else "replaced"


def pair_people(findings: list[Found], people: People, ref_doc_words: frozenset[str], lex: Lexicon) -> list[Found]:
    """A person's name dropped from its pair while a person's name the reference lacks appears in the same or
    a neighbouring pair, alike in words or sound: the MT mangled the name. Report it as a changed name,
    in place of the dropped name and of the added one."""
    gone: set[tuple[object, ...]] = set()
    taken: list[tuple[int, int, int]] = []  # (pair, start, end) of the candidate names now paired
    new: list[Found] = []
    used: set[int] = set()
    for pair, ref, r in people.dropped:
        best: tuple[float, str, int] | None = None
        for k, (cpair, cand, c) in enumerate(people.orphans):
            if k in used or abs(cpair - pair) > PAIRING.person_pairs:
                continue
            words = [t.norm for t in cand.tokens[c.first : c.last + 1] if t.is_word and t.norm not in lex.title]
            if all(w in ref_doc_words for w in words):
                continue  # a name the reference has: someone else
            got = person_rendering(ref, r, cand, c, lex)
            if got is not None and (best is None or got[0] > best[0]):
                best = (got[0], got[1], k)
        if best is None:
            continue
        _, kind, k = best
        used.add(k)
        _, cand, c = people.orphans[k]
        toks = [t for t in cand.tokens[c.first : c.last + 1] if t.is_word]
        last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
        cs = toks[last_title + 1].start if last_title + 1 < len(toks) else c.start  # the name, not its title
        rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[cs : c.end]
        decision = decide(Evidence("people", kind=kind, spelling_variant=spelling_variant(rtext, ctext)))
        assert decision is not None
        gone.add((pair, "dropped", (r.start, r.end), None))
        taken.append((pair, c.start, c.end))
        new.append(Found(finding(decision.category, decision.type, decision.severity,
                                 messages.stands_at_place(rtext, ctext, decision.type, exact=True),
                                 ref, r, cand, (cs, c.end), pair, rtext)))

    def replaced(f: Found) -> bool:
        if f.key in gone:
            return True
        cloc = f.finding.candidate
        return (f.finding.type == "added" and f.finding.reference is None and cloc is not None
                and any(cloc.start < end and start < cloc.end for _p, start, end in taken))

    return [f for f in findings if not replaced(f)] + new
