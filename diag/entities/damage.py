"""Entity damage of one document pair: the name rules, the pairing of what they leave, and the merge of findings.

For every aligned pair with sentences on both sides, each reference name goes through the name
rules (``diag.entities.variants``); a name no rule recognises is paired with what took its place,
by these strategies in order: a similar candidate name, the stretch a token alignment put in its
place, a candidate name between the same neighbours, a person's name at about its place. The
evidence each gathers is turned into a type and severity by ``decide``; a name nothing took the
place of is dropped. Numbers are checked by ``diag.entities.numbers``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from diag.entities import messages
from diag.entities.context import Found, PairContext
from diag.entities.decide import Evidence, decide, name_kind
from diag.entities.definitions import Definitions, defined_acronyms
from diag.entities.glossary import Glossary, check_glossary
from diag.entities.lexicon import fold, lexicon
from diag import lexdata
from diag.entities.mentions import (PRIOR_NAME, Mention, SentenceParses, Side, SideBuilder, build_side, case_evidence,
                                    lower_words)
from diag.entities.messages import finding, loc
from diag.entities.numbers import check_numbers, unpaired_date_notes
from diag.entities.pairing import (
    PAIRING,
    Opcodes,
    anchored_removal,
    attribution,
    closeness,
    context_score,
    local_replacement,
    relpos,
    token_opcodes,
)
from diag.entities.people import People, pair_people, person_like, person_words, titled_person
from diag.entities.tokens import document_words
from diag.entities.variants import apply_rules, expansion_present
from diag.entities.words import (
    acronym_read_as_word,
    compound_of,
    generic_word,
    names_own_country,
    same_place,
    alias_or_inflection,
    common_words,
    contains_all,
    same_sound_key,
    same_word,
    similarity,
    sound_similarity,
    spelling_variant,
    swapped_letters,
)
from diag.model import Alignment, Document, Finding

__all__ = ["find_damage"]

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


@dataclass
class _Pairing:
    """The unmatched reference names of one pair and the candidate names still free to pair with them."""

    unmatched: list[Mention]
    free: list[int]
    handled: set[int]


#: A pairing strategy: ``(context, pairing state, index of the name in unmatched) -> findings | None``.
Strategy = Callable[[PairContext, _Pairing, int], "list[Found] | None"]


def differing_words(ctx: PairContext, r: Mention, ckeys: list[str]) -> tuple[list[str], list[str]]:
    """The words in which a name and a candidate name that shares a word with it differ: the name's words the
    candidate sentence lacks, and the candidate name's words the reference sentence lacks (titles and
    function words left out). "Dagestan Vladimir Vasiliev" / "Vladimir Vasilyev" beside "the head of
    Dagestan" differ in "vasiliev" / "vasilyev"."""
    lex = ctx.lex

    def content(k: str) -> bool:
        return k not in lex.title and k not in lex.function

    r_rest = [k for k in r.keys if content(k) and not any(same_word(k, w) for w in ctx.cand_words)]
    c_rest = [k for k in ckeys if content(k) and not any(same_word(k, w) for w in ctx.ref_words)]
    return r_rest, c_rest


#: Most words by which the two sides of a generic change may differ in number ("Health Bureau" / "Health
#: Commission" 1 for 1; "Maritime Design Bureau" / "Bank" 3 for 1 is more than a wording).
GENERIC_SPREAD = 1


def generic_change(ctx: PairContext, r: Mention, r_rest: list[str], c_rest: list[str]) -> bool:
    """A name kept but for generic words (``words.generic_word``: "Health Bureau" / "Health Commission",
    "Strange Stories" / "Odd Stories"), and no person's name: a name shaped like a person's counts only when
    every word of it is generic ("Yun Sun" / "Yun Sang" keeps "Yun", a given name: a changed name). The words
    that differ are about as many on each side (``GENERIC_SPREAD``): a wording, not a name losing what it was
    ("Tarvik Maritime Design Bureau" / "Tarvik Bank")."""
    lex = ctx.lex
    if (not (r_rest or c_rest) or not all(generic_word(k, lex) for k in r_rest + c_rest)
            or abs(len(r_rest) - len(c_rest)) > GENERIC_SPREAD):
        return False
    words = [k for k in r.keys if k not in lex.title and k not in lex.function]
    return not person_like(ctx.ref, r, lex) or all(generic_word(k, lex) for k in words)


def _designated_variant(ctx: PairContext, r_keys: Sequence[str], c_keys: Sequence[str]) -> bool:
    """One name with two neighbouring letters swapped and a generic word ("Street", "District") written on
    one side only: "Gortsaranain" / "Gortsaranian Street" (not "Shaanxi Province" / "Shanxi": another
    province a letter away)."""
    lex = ctx.lex
    r_gen = {k for k in r_keys if generic_word(k, lex)}
    c_gen = {k for k in c_keys if generic_word(k, lex)}
    r_own = [k for k in r_keys if k not in r_gen and k not in lex.title and k not in lex.function and k not in c_keys]
    c_own = [k for k in c_keys if k not in c_gen and k not in lex.title and k not in lex.function and k not in r_keys]
    return (bool(r_own) and bool(c_own) and (r_gen <= c_gen or c_gen <= r_gen)
            and swapped_letters("".join(r_own), "".join(c_own)))


def _untitled(text: str, ctx: PairContext) -> str:
    """A name without the titles around it ("Minister Aleksandr Dvornik" -> "Aleksandr Dvornik")."""
    words = text.split()
    return " ".join(w for w in words if fold(w) not in ctx.lex.title) or text


def _similar_name(ctx: PairContext, st: _Pairing, ri: int) -> list[Found] | None:
    """The free candidate name that best reads as a rendering of the name (its letters, sound or a shared word)."""
    ref, cand = ctx.ref, ctx.cand
    r = st.unmatched[ri]
    rtext = ref.doc.text[r.start : r.end]
    best: tuple[float, int, Evidence] | None = None
    for ci in st.free:
        c = cand.names[ci]
        ckeys = ctx.cand_keyseqs[ci]
        novel = [k for k in ckeys if not any(same_word(k, w) for w in ctx.ref_words)]
        if not novel:
            continue
        # a word kept, or kept as the start of a compound ("Xinhua News" / "Xinhuanet")
        shared = [k for k in r.keys if k not in ctx.lex.title and any(same_word(k, w) or compound_of(k, w)
                                                                        for w in ckeys)]
        around = context_score(ref, r, cand, c)
        # compare the names without their titles; with a word in common, the words that differ
        r_name = " ".join(k for k in r.keys if k not in ctx.lex.title) or rtext
        c_name = " ".join(k for k in ckeys if k not in ctx.lex.title) or cand.doc.text[c.start : c.end]
        if shared:
            r_name = " ".join(k for k in r.keys if k not in shared and k not in ctx.lex.title) or r_name
            c_name = " ".join(k for k in novel if k not in ctx.lex.title) or c_name
        sim = similarity(r_name, c_name)
        sound = sound_similarity(r_name, c_name)
        prefix = fold(rtext)[: min(4, len(rtext))]
        # read as a word: an acronym rendered by another acronym ("DSLM" / "DSLR") is no reading
        read = r.acronym and len(rtext) >= 3 and not c.acronym and (
            any(k.startswith(prefix) for k in novel) or any(acronym_read_as_word(rtext, k) for k in novel))
        evidence = Evidence("similar", named=not r.weak, acronym=r.acronym, acronym_read=read, shared_word=bool(shared),
                            similarity=sim, sound=sound, alias=alias_or_inflection(r_name, c_name),
                            common=common_words(r_name, c_name), context=around,
                            close=ctx.close)
        kind = name_kind(evidence)
        if kind is None:
            continue
        base = {"acronym_expanded": PAIRING.score_acronym, "name_changed": PAIRING.score_shared_word + sim,
                "transliterated": PAIRING.score_sound + sim}[kind]
        score = base + around
        if best is None or score > best[0]:
            best = (score, ci, evidence)
    if best is None:
        return None
    _, ci, evidence = best
    st.free.remove(ci)
    c = cand.names[ci]
    cs, ce = c.start, c.end
    if evidence.acronym_read:
        # keep only the candidate words the acronym became ("Magazine" of "Magazine Movement Core")
        toks = [t for t in cand.tokens[c.first : c.last + 1] if t.is_word]
        kept = [t for t in toks if not any(same_word(t.norm, w) for w in ctx.ref_words)]
        if kept:
            cs, ce = kept[0].start, kept[-1].end
    else:  # the name, not a title before it ("Reporter Tanpin" for "Tang Bin")
        toks = [t for t in cand.tokens[c.first : c.last + 1] if t.is_word]
        bare = [t for t in toks if t.norm not in ctx.lex.title]
        ref_titled = any(t.norm in ctx.lex.title for t in ref.tokens[r.first : r.last + 1])
        if bare and toks[0].norm in ctx.lex.title and not ref_titled:
            cs = next(t for t in toks if t.norm not in ctx.lex.title).start
    ctext = cand.doc.text[cs:ce]
    r_rest, c_rest = differing_words(ctx, r, ctx.cand_keyseqs[ci]) if evidence.shared_word else ([], [])
    if r_rest and c_rest and same_place(" ".join(r_rest), " ".join(c_rest)):
        return []  # "Secretary of Great Britain Dominic Raab" / "British Foreign Secretary Dominic Raab"
    variant = spelling_variant(_untitled(rtext, ctx), _untitled(ctext, ctx)) or (
        bool(r_rest) and bool(c_rest) and (spelling_variant(" ".join(r_rest), " ".join(c_rest))
                                           or alias_or_inflection(" ".join(r_rest), " ".join(c_rest)))) or (
        _designated_variant(ctx, r.keys, ctx.cand_keyseqs[ci]))
    generic = generic_change(ctx, r, r_rest, c_rest) if evidence.shared_word else False
    decision = decide(Evidence("similar", named=not r.weak, acronym=r.acronym, acronym_read=evidence.acronym_read,
                               shared_word=evidence.shared_word, similarity=evidence.similarity,
                               sound=evidence.sound, alias=evidence.alias, common=evidence.common,
                               context=evidence.context, close=ctx.close, spelling_variant=variant,
                               generic=generic))
    assert decision is not None
    return [Found(finding(decision.category, decision.type, decision.severity,
                          messages.rendered_as(rtext, ctext, decision.type), ref, r, cand, (cs, ce), ctx.pair, rtext))]


def _local_stretch(ctx: PairContext, st: _Pairing, ri: int) -> list[Found] | None:
    """The stretch of candidate words a token alignment of a close pair put in the name's place; every
    unmatched name the same stretch replaced is one place."""
    if not ctx.close:
        return None
    ref, cand = ctx.ref, ctx.cand
    r = st.unmatched[ri]
    local = local_replacement(ref, r, cand, ctx.opcodes, ctx.lex)
    if not local or local[0] != "replace":
        return None
    group = [k for k, o in enumerate(st.unmatched)
             if k >= ri and k not in st.handled and local[3] <= o.first and o.last < local[4]]
    st.handled.update(group)
    tail = st.unmatched[group[-1]] if group else r
    got = cand.tokens[local[1] : local[2] + 1]
    cs, ce = got[0].start, got[-1].end
    rspan = Mention("name", r.first, tail.last, r.start, tail.end, "", keys=r.keys, acronym=r.acronym)
    rtext = ref.doc.text[rspan.start : rspan.end]
    ctext = cand.doc.text[cs:ce]
    read = r.acronym and any(fold(t.text).startswith(fold(rtext)[:3]) or acronym_read_as_word(rtext, t.text)
                             for t in got if t.is_word and not t.acronym)
    namelike = any((t.capitalised and t.norm not in ctx.lex.month) or t.is_number for t in got
                   if t.is_word or t.is_number)
    # another form of the name among the stretch's capitalised words ("Thüringen" / "Thuringian homeland"),
    # or a word of it kept, maybe as the start of a compound ("Xinhua News" / "Xinhuanet")
    capitals = " ".join(t.text for t in got if t.is_word and t.capitalised)
    alias = alias_or_inflection(rtext, ctext) or (bool(capitals) and alias_or_inflection(rtext, capitals))
    shared = any(same_word(k, t.norm) or compound_of(k, t.norm) for k in r.keys if k not in ctx.lex.title
                 for t in got if t.is_word)
    # the words the alignment replaced, spelt another way ("Volodymyr" of "Volodymyr Zelensky" / "Vladimir")
    replaced = " ".join(t.text for t in ref.tokens[local[3] : local[4]] if t.is_word)
    variant = bool(replaced) and namelike and not r.acronym and spelling_variant(replaced, ctext)
    decision = decide(Evidence("local", named=not r.weak, acronym=r.acronym, acronym_read=read,
                               similarity=similarity(rtext, ctext), sound=sound_similarity(rtext, ctext),
                               alias=alias, shared_word=shared, common=common_words(rtext, ctext),
                               namelike=namelike, close=ctx.close, spelling_variant=variant))
    assert decision is not None
    st.free[:] = [ci for ci in st.free if not (cand.names[ci].start < ce and cs < cand.names[ci].end)]
    return [Found(finding(decision.category, decision.type, decision.severity,
                          messages.rendered_as(rtext, ctext, decision.type), ref, rspan, cand, (cs, ce), ctx.pair,
                          rtext))]


def _same_neighbours(ctx: PairContext, st: _Pairing, ri: int) -> list[Found] | None:
    """A free candidate name next to one or both of the name's neighbours."""
    ref, cand = ctx.ref, ctx.cand
    r = st.unmatched[ri]
    best: tuple[int, int] | None = None
    for ci in st.free:
        around = context_score(ref, r, cand, cand.names[ci])
        if around and (best is None or around > best[0]):
            best = (around, ci)
    if best is None:
        return None
    around, ci = best
    st.free.remove(ci)
    c = cand.names[ci]
    rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[c.start : c.end]
    swap = (len([k for k in r.keys if k not in ctx.lex.title]) >= 2 and titled_person(ref, r, ctx.lex)
            and titled_person(cand, c, ctx.lex)
            and not contains_all([k for k in ctx.cand_keyseqs[ci] if k not in ctx.lex.title], ctx.ref_doc_words))
    decision = decide(Evidence("context", named=not r.weak, context=around, close=ctx.close, person_swap=swap,
                               similarity=similarity(rtext, ctext), alias=alias_or_inflection(rtext, ctext)))
    assert decision is not None
    return [Found(finding(decision.category, decision.type, decision.severity,
                          messages.rendered_as(rtext, ctext, decision.type), ref, r, cand, (c.start, c.end),
                          ctx.pair, rtext))]


def _person_at_place(ctx: PairContext, st: _Pairing, ri: int) -> list[Found] | None:
    """A person's name gone and another person's name, one the reference lacks, come at about its place."""
    ref, cand, lex = ctx.ref, ctx.cand, ctx.lex
    r = st.unmatched[ri]
    if contains_all(r.keys, ctx.cand_doc_words) or not person_like(ref, r, lex):
        return None
    near = [ci for ci in st.free if person_like(cand, cand.names[ci], lex)
            and not contains_all(ctx.cand_keyseqs[ci], ctx.ref_doc_words)
            and abs(relpos(ref, r) - relpos(cand, cand.names[ci])) <= PAIRING.person_drift]
    if not near:
        return None
    ci = min(near, key=lambda k: abs(relpos(ref, r) - relpos(cand, cand.names[k])))
    st.free.remove(ci)
    c = cand.names[ci]
    rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[c.start : c.end]
    read = r.acronym and any(acronym_read_as_word(rtext, w) for w in ctext.split())
    decision = decide(Evidence("person", named=not r.weak, acronym=r.acronym, acronym_read=read,
                               similarity=similarity(rtext, ctext), sound=sound_similarity(rtext, ctext),
                               alias=alias_or_inflection(rtext, ctext), common=common_words(rtext, ctext)))
    assert decision is not None
    return [Found(finding(decision.category, decision.type, decision.severity,
                          messages.stands_at_place(rtext, ctext, decision.type, exact=False), ref, r, cand,
                          (c.start, c.end), ctx.pair, rtext))]


def _family_name(ctx: PairContext, st: _Pairing, ri: int) -> list[Found] | None:
    """A person's full name gone and a lone name come that sounds like one of its words ("He Lifeng" / "Hu",
    "Mr. Ho"): the person is named by a mangled family name."""
    ref, cand, lex = ctx.ref, ctx.cand, ctx.lex
    r = st.unmatched[ri]
    if r.weak or contains_all(r.keys, ctx.cand_doc_words) or not titled_person(ref, r, lex):
        return None
    words, _titles = person_words(ref, r, lex)
    if len(words) < 2:
        return None
    near: list[tuple[float, int, str]] = []
    for ci in st.free:
        c = cand.names[ci]
        bare = [k for k in ctx.cand_keyseqs[ci] if k not in lex.title]
        if c.weak or c.acronym or len(bare) != 1 or lexdata.case_prior().get(bare[0], 1.0) < PRIOR_NAME:
            continue
        heard = [w for w in words if same_sound_key(w, bare[0]) and not same_word(w, bare[0])]
        if heard and not contains_all(bare, ctx.ref_doc_words):
            near.append((abs(relpos(ref, r) - relpos(cand, c)), ci, heard[0]))
    if not near:
        return None
    _, ci, family = min(near)
    st.free.remove(ci)
    c = cand.names[ci]
    cs = next(t.start for t in cand.tokens[c.first : c.last + 1] if t.is_word and t.norm not in lex.title)
    rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[cs : c.end]
    decision = decide(Evidence("family", named=not r.weak, similarity=similarity(family, ctext),
                               sound=sound_similarity(family, ctext), alias=alias_or_inflection(family, ctext),
                               common=common_words(family, ctext)))
    assert decision is not None
    return [Found(finding(decision.category, decision.type, decision.severity,
                          messages.stands_at_place(rtext, ctext, decision.type, exact=False), ref, r, cand,
                          (cs, c.end), ctx.pair, rtext))]


#: The pairing strategies, in the order they are tried for a name no rule recognises.
STRATEGIES: tuple[tuple[str, Strategy], ...] = (
    ("similar_name", _similar_name),
    ("local_stretch", _local_stretch),
    ("same_neighbours", _same_neighbours),
    ("person_at_place", _person_at_place),
    ("family_name", _family_name),
)


def _dropped(ctx: PairContext, r: Mention, people: People | None) -> list[Found]:
    """Nothing took the name's place: dropped (major only when it was cut out between surviving neighbours
    of a close rendering and is not elsewhere in the candidate, or is a speaker whose reporting verb went too)."""
    ref, cand, lex = ctx.ref, ctx.cand, ctx.lex
    local = local_replacement(ref, r, cand, ctx.opcodes, lex) if ctx.close else None
    anchored = anchored_removal(ref, r, cand) or (local is not None and local[0] == "delete")
    if r.weak and not anchored:
        return []
    elsewhere = contains_all(r.keys, ctx.cand_doc_words)
    verb = attribution(ref, r, lex)
    speaker = bool(verb and verb not in ctx.cand_words and not r.weak and len(r.keys) > 1)
    decision = decide(Evidence("dropped", named=not r.weak, anchored=anchored, elsewhere=elsewhere, close=ctx.close,
                               attribution=speaker))
    assert decision is not None
    rtext = ref.doc.text[r.start : r.end]
    said = verb if speaker else None
    if people is not None and not elsewhere and titled_person(ref, r, lex):
        people.dropped.append((ctx.pair, ref, r))
    return [Found(finding(decision.category, decision.type, decision.severity, messages.missing(rtext, verb=said),
                          ref, r, cand, None, ctx.pair, rtext), verb=said)]


def _check_names(ctx: PairContext, people: People | None) -> list[Found]:
    ref, cand, lex = ctx.ref, ctx.cand, ctx.lex
    found: list[Found] = []
    unmatched: list[Mention] = []
    for r in ref.names:
        outcome = apply_rules(ctx, r)
        if outcome is None:
            unmatched.append(r)
            continue
        ctx.used.update(outcome.used)
        if outcome.casing_at is not None:
            ctx.casing_taken.add(outcome.casing_at)
        found.extend(outcome.found)

    free = [ci for ci in range(len(cand.names)) if ci not in ctx.used
            and not contains_all(ctx.cand_keyseqs[ci], ctx.ref_words)]
    first_free = list(free)
    st = _Pairing(unmatched, free, set())
    for ri, r in enumerate(unmatched):
        if ri in st.handled:
            continue
        for _name, strategy in STRATEGIES:
            got = strategy(ctx, st, ri)
            if got is not None:
                found.extend(got)
                break
        else:
            found.extend(_dropped(ctx, r, people))

    if people is not None:
        taken = set(first_free) - set(st.free)
        people.orphans.extend((ctx.pair, cand, cand.names[ci]) for ci in range(len(cand.names))
                              if ci not in ctx.used and ci not in taken and titled_person(cand, cand.names[ci], lex))
    for ci in st.free:
        c = cand.names[ci]
        bare = [k for k in ctx.cand_keyseqs[ci] if k not in lex.title] or ctx.cand_keyseqs[ci]
        if c.weak or contains_all(bare, ctx.ref_doc_words):
            continue  # a name the reference has, maybe with another title ("CEO Ana Ruiz" / "Chief executive Ana Ruiz")
        own = [k for k in bare if k not in lex.organisation]
        if own and len(own) < len(bare) and contains_all(own, ctx.ref_words):
            continue  # the reference sentence's name with a designation added ("Henan" / "Henan Province")
        if c.acronym and expansion_present(ctx, c.text, ctx.ref_words) is not None:
            continue  # the candidate's gloss of a name the reference sentence writes out ("Central News Agency (CNA)")
        ctext = cand.doc.text[c.start : c.end]
        if same_place(ctext, ctext) and names_own_country(ref.norms, lex):
            continue  # the country a text calls its own ("in my country" / "in China")
        if c.acronym and lexdata.common_acronym(ctext):
            continue  # a kind of thing ("SMS" for "text messages", "TV" for "television"), not a name added
        found.append(Found(Finding("named_entity", "added", "minor", messages.added(ctext), None,
                                   loc(cand.doc, c.start, c.end), ctx.pair, None)))
    return found


def check_pair(ctx: PairContext, people: People | None = None, ref_months: frozenset[str] = frozenset()
               ) -> list[Found]:
    """Every finding of one aligned pair: names, then numbers, with mentions cut out together merged."""
    found = _check_names(ctx, people)
    found.extend(Found(f) for f in check_numbers(ctx.ref, ctx.cand, ctx.pair, ctx.opcodes, ctx.close, ctx.lex,
                                                 ref_months))
    return merge_cut_clauses(found, ctx.ref, ctx.opcodes)


def merge_cut_clauses(found: list[Found], ref: Side, opcodes: Opcodes) -> list[Found]:
    """Report mentions dropped with one cut-out stretch of the reference (", said Pieter Janssen, a planner
    at the Delft Institute") as one finding: one cut, one place to fix."""
    cut: set[int] = set()
    for tag, i1, i2, _j1, _j2 in opcodes:
        if tag == "delete":
            cut.update(range(i1, i2))
    starts = {t.start: k for k, t in enumerate(ref.tokens)}
    ends = {t.end: k for k, t in enumerate(ref.tokens)}

    def span(f: Found) -> tuple[int, int]:
        assert f.finding.reference is not None
        return starts[f.finding.reference.start], ends[f.finding.reference.end]

    dropped = sorted((k for k, f in enumerate(found) if f.finding.type == "dropped" and f.finding.reference is not None
                      and f.finding.reference.start in starts and f.finding.reference.end in ends),
                     key=lambda k: span(found[k])[0])
    groups: list[list[int]] = []
    for k in dropped:
        first, last = span(found[k])
        if not all(j in cut for j in range(first, last + 1)):
            groups.append([k])
            continue
        if groups:
            p_first, p_last = span(found[groups[-1][-1]])
            if all(j in cut for j in range(p_first, p_last + 1)) and all(j in cut for j in range(p_last + 1, first)):
                groups[-1].append(k)
                continue
        groups.append([k])
    merged: list[Found] = []
    for g in groups:
        if len(g) == 1:
            continue
        parts = [found[k].finding for k in g]
        first_ref, last_ref = parts[0].reference, parts[-1].reference
        assert first_ref is not None and last_ref is not None
        severity = min((f.severity for f in parts), key=lambda v: SEVERITY_ORDER[v])
        names = [messages.quoted(f.finding.reference.text, verb=f.verb) for f in (found[k] for k in g)
                 if f.finding.reference is not None]
        merged.append(Found(Finding(parts[0].category, "dropped", severity, messages.cut_stretch(names),
                                    loc(ref.doc, first_ref.start, last_ref.end), None, parts[0].pair,
                                    ref.doc.text[first_ref.start : last_ref.end])))
    gone = {k for g in groups if len(g) > 1 for k in g}
    return [f for k, f in enumerate(found) if k not in gone] + merged


def _minor_omissions(found: list[Found]) -> list[Found]:
    """A summary or loose rewrite leaves things out on purpose: its omissions are notes, not errors."""
    out: list[Found] = []
    for f in found:
        x = f.finding
        if x.category == "omission":
            f = Found(Finding(x.category, x.type, "minor", x.message, x.reference, x.candidate, x.pair, x.suggestion),
                      f.verb)
        out.append(f)
    return out


def pair_context(ref: Side, cand: Side, index: int, ref_doc_words: frozenset[str], cand_doc_words: frozenset[str],
                 definitions: Definitions | None = None) -> PairContext:
    """The context the rules of aligned pair ``index`` read: both sides, a token alignment, closeness, the
    acronyms the documents define."""
    opcodes = token_opcodes(ref.norms, cand.norms)
    close = closeness(ref, cand) >= PAIRING.close_pair
    return PairContext(ref, cand, index, close, lexicon(), ref_doc_words, cand_doc_words, opcodes,
                       definitions if definitions is not None else {})


def find_damage(reference: Document, candidate: Document, alignment: Alignment, *,
                glossary: Glossary | None = None) -> tuple[Finding, ...]:
    """Find damaged, dropped and miscased names, acronyms and numbers in the candidate.

    Args:
        reference: the reference document, segmented.
        candidate: the candidate document, segmented.
        alignment: the sentence alignment of the two; ``Finding.pair`` indexes ``alignment.pairs``.
        glossary: protected terms the candidate must render as required (category ``glossary``).

    Returns:
        Findings sorted by severity (critical first), then reference position. Every location's
        ``text`` equals the slice of its document at ``start:end``.
    """
    lex = lexicon()
    ref_lower = lower_words(reference.text)
    cand_lower = lower_words(candidate.text)
    ref_doc_words, ref_months = document_words(reference.text, lex.month)
    # a copy's words are the reference's (a whole-document pass saved)
    cand_doc_words = ref_doc_words if candidate.text == reference.text else document_words(candidate.text, lex.month)[0]
    evidence = case_evidence((reference, candidate), lex, lexdata.case_prior())
    definitions = defined_acronyms((reference.text, candidate.text), lex)
    found: list[Found] = []
    people = People()
    parses = SentenceParses(lex, evidence)  # a sentence both documents write is read once
    ref_sides = SideBuilder(reference, lex, ref_lower, evidence, shared=parses)
    cand_sides = SideBuilder(candidate, lex, cand_lower, evidence, shared=parses)
    for index, pair in enumerate(alignment.pairs):
        if not pair.reference and any(c.isdigit() for k in pair.candidate for c in candidate.sentences[k].text):
            # a candidate sentence with no counterpart still writes its dates in some convention
            dates = build_side(candidate, pair.candidate, lex, cand_lower, names=False)
            found.extend(Found(f) for f in unpaired_date_notes(dates, index, ref_months))
        if not pair.reference or not pair.candidate:
            continue
        ref = ref_sides.side(pair.reference)
        cand = cand_sides.side(pair.candidate)
        ctx = pair_context(ref, cand, index, ref_doc_words, cand_doc_words, definitions)
        pair_found = check_pair(ctx, people, ref_months)
        if glossary is not None:
            terms = check_glossary(glossary, ref, cand, index)
            spans = [(f.reference.start, f.reference.end) for f in terms if f.reference]
            pair_found = [f for f in pair_found if not f.finding.reference or not any(
                f.finding.reference.start < e and s < f.finding.reference.end for s, e in spans)]
            pair_found += [Found(f) for f in terms]
        if alignment.reference_coverage < PAIRING.summary_coverage:
            pair_found = _minor_omissions(pair_found)
        found.extend(pair_found)
    findings = [f.finding for f in pair_people(found, people, ref_doc_words, lex)]

    def order(f: Finding) -> tuple[int, int, int]:
        pos = f.reference.start if f.reference else (f.candidate.start if f.candidate else 0)
        return (SEVERITY_ORDER[f.severity], pos, f.pair if f.pair is not None else -1)

    return tuple(sorted(findings, key=order))
