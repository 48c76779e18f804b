"""Number checks: values, magnitudes, units and currencies, dates and their writing conventions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from diag.entities.lexicon import Lexicon, fold
from diag.entities.mentions import CLOCK, MONTH_KEYS, MONTH_NAMES, Mention, Side
from diag.entities.messages import finding, loc
from diag.entities.pairing import Opcodes, anchored_removal, context_score, local_replacement, relpos
from diag.entities.tokens import HYPHENS, Token
from diag.model import Finding, Severity


def short_year(r: Mention, c: Mention) -> bool:
    """``c`` is the year ``r`` written with two digits ("1992" / "92")."""
    return (r.value is not None and c.value is not None and 1900 <= r.value < 2100 and r.value == int(r.value)
            and c.value == r.value % 100 and r.unit is None and c.unit is None)


def same_value(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def year_of(date: Mention, plain: Mention) -> bool:
    """``plain`` is the year of the all-numeric ``date`` ("2023" in "February 11, 2023" / "2023-02-11")."""
    return (date.numeric_date and not plain.numeric_date and plain.month is None and plain.unit is None
            and plain.value is not None and plain.value == int(date.keys[0]))


def same_time(r: Mention, c: Mention) -> bool:
    """Two clock times that can be the same time of day ("13:25" / "1:25 PM", "03:49" / "3:49 AM")."""
    return r.keys[:1] == c.keys[:1] == (CLOCK,) and bool(set(r.keys[1:]) & set(c.keys[1:]))


#: A time of day written with a period ("12.00 GMT", "9.30"): hours and two digits of minutes.
_DOTTED_CLOCK = re.compile(r"(\d{1,2})\.(\d\d)(?![\d.,])")
#: A number with one period before three digits: a thousands separator in much of Europe ("272.000").
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}(?![\d.,])")


def dotted_clock(plain: Mention, clock: Mention) -> bool:
    """``plain`` is ``clock``'s time of day written with a period ("12.00 GMT" / "12:00 GMT", "9.30" / "9:30 a.m.")."""
    m = _DOTTED_CLOCK.match(plain.text)
    if m is None or plain.unit is not None or plain.scale or clock.keys[:1] != (CLOCK,):
        return False
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 24 or minute > 59:
        return False
    readings = {hour % 24 * 60 + minute} | ({hour % 12 * 60 + minute + 720} if 1 <= hour <= 12 else set())
    return bool(readings & {int(k) for k in clock.keys[1:]})


#: A time of day in military and newswire style: four digits, hours then minutes, with "hours" after ("0123 hours").
_MILITARY_CLOCK = re.compile(r"([01]\d|2[0-3])([0-5]\d)\b")
#: The units "hours" is read as (``[unit]`` and ``units.tsv``).
_HOUR_UNITS = frozenset({"hour", "h"})


def military_clock(plain: Mention, clock: Mention) -> bool:
    """``plain`` is ``clock``'s time of day written as four digits and "hours" ("0123 hours" / "1:23 a.m.",
    "1830 hours" / "6:30 p.m.")."""
    m = _MILITARY_CLOCK.match(plain.text)
    if m is None or plain.unit not in _HOUR_UNITS or plain.scale or clock.keys[:1] != (CLOCK,):
        return False
    return str(int(m.group(1)) * 60 + int(m.group(2))) in clock.keys[1:]


def dotted_thousands(a: Mention, b: Mention) -> bool:
    """``a`` writes ``b``'s value with a period as its thousands separator ("272.000" / "272,000")."""
    return (_DOTTED_THOUSANDS.match(a.text) is not None and a.value is not None and b.value is not None
            and not a.scale and a.unit == b.unit and same_value(a.value * 1000, b.value))


def number_matches(r: Mention, c: Mention) -> bool:
    if year_of(r, c) or year_of(c, r):
        return True
    if dotted_clock(r, c) or dotted_clock(c, r) or military_clock(r, c) or military_clock(c, r):
        return True
    if r.keys[:1] == (CLOCK,) or c.keys[:1] == (CLOCK,):
        return same_time(r, c)
    if r.value is None or c.value is None:
        return r.keys == c.keys and bool(r.keys)
    if dotted_thousands(r, c) or dotted_thousands(c, r):
        return True
    if not same_value(r.value, c.value):
        return False
    if r.numeric_date and c.numeric_date and r.keys != c.keys:
        return False  # another year
    return not (r.month and c.month and r.month != c.month)


def day_change(r: Mention, c: Mention, ref_months: frozenset[str]) -> tuple[str, Severity, str] | None:
    """The same day of the month with and without its month ("on the 9th" / "on February 9").

    A month the candidate supplies is an acceptable rendering when the reference's own dates
    (its dateline) are in that month, a changed date when they are all in other months, and
    a note when the reference dates nothing.

    Returns:
        ``(finding type, severity, what differs)`` or None.
    """
    if r.bare_day and c.month is not None:
        if c.month in ref_months:
            return None
        if ref_months:
            months = ", ".join(MONTH_NAMES.get(m, m) for m in sorted(ref_months, key=MONTH_KEYS.index))
            return ("value_changed", "major",
                    f"month added: the reference gives no month for this day, and its dates are in {months}")
        return "date_format", "minor", "month added that the reference does not give; check it"
    if r.month is not None and c.bare_day:
        return "date_format", "minor", "the month is left out"
    if r.bare_day and c.month is None and not c.bare_day:
        return "date_format", "minor", "no longer reads as a date"
    return None


def date_convention_note(cand: Side, c: Mention, twin: Mention | None, ref: Side | None, pair: int,
                          ref_months: frozenset[str]) -> Finding:
    """A date in the candidate written in a convention English prose avoids, whatever the reference does
    (MQM: locale convention, minor): a day without its month ("on the 9th", a calque of Chinese 9日) or
    an all-numeric date ("2023-02-11"). ``twin`` is the reference's date written the same way, if any."""
    ctext = cand.doc.text[c.start : c.end]
    day = int(c.value or 0)
    if c.numeric_date:
        suggestion: str | None = f"{MONTH_NAMES[c.month or 'jan']} {day}, {c.keys[0]}"
        message = (f'"{ctext}" is an all-numeric date, a data or source-language convention; '
                   f'English prose names the month ("{suggestion}")')
    else:
        suggestion = f"{MONTH_NAMES[next(iter(ref_months))]} {day}" if len(ref_months) == 1 else None
        message = (f'"{ctext}" gives a day of the month without its month, a source-language convention; '
                   f'English dates name the month' + (f' ("{suggestion}")' if suggestion else ""))
    if twin is not None:
        message += "; the reference writes it the same way"
    rloc = loc(ref.doc, twin.start, twin.end) if twin is not None and ref is not None else None
    return Finding("number", "date_format", "minor", message, rloc, loc(cand.doc, c.start, c.end), pair, suggestion)


#: A score or ratio written in one mention ("3:1", "16:32").
_COLON_SCORE = re.compile(r"(\d+):(\d+)")


def scores(side: Side) -> dict[tuple[str, str], list[int]]:
    """The scores and ratios of a side by their two numbers, with the starts of the mentions that write each: one
    mention "3:1", or two numbers joined by a hyphen or dash ("3-1", "16–32")."""
    out: dict[tuple[str, str], list[int]] = {}
    nums = side.numbers
    for k, m in enumerate(nums):
        whole = _COLON_SCORE.fullmatch(m.text)
        if whole is not None:
            out.setdefault((whole.group(1), whole.group(2)), []).append(m.start)
            continue
        if k + 1 < len(nums) and m.first == m.last and nums[k + 1].first == nums[k + 1].last == m.last + 2:
            a, dash, b = side.tokens[m.first], side.tokens[m.last + 1], side.tokens[m.last + 2]
            if (dash.text in HYPHENS and dash.start == a.end and b.start == dash.end and a.text.isdigit()
                    and b.text.isdigit()):
                out.setdefault((a.text, b.text), []).extend((m.start, nums[k + 1].start))
    return out


def same_scores(ref: Side, cand: Side) -> tuple[set[int], set[int]]:
    """The starts of the reference's and the candidate's mentions that write one score or ratio two ways ("16-32" /
    "16:32", "3:1" / "3-1"): the same numbers, so no number changed or dropped."""
    r_scores, c_scores = scores(ref), scores(cand)
    both = r_scores.keys() & c_scores.keys()
    return ({s for key in both for s in r_scores[key]}, {s for key in both for s in c_scores[key]})


def check_numbers(ref: Side, cand: Side, pair: int, opcodes: Opcodes, close: bool,
                   lex: Lexicon, ref_months: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    unmatched: list[Mention] = []
    ref_scored, cand_scored = same_scores(ref, cand)
    noted: set[int] = set()  # candidate numbers already compared for their writing convention
    twins: dict[int, Mention] = {}  # a candidate date -> the reference's date written the same way
    for r in ref.numbers:
        if r.start in ref_scored:
            continue
        same = [c for c in cand.numbers if number_matches(r, c)]
        if not same:
            unmatched.append(r)
            continue
        twin = next((c for c in same if c.start not in noted), None)
        if twin is not None:
            noted.add(twin.start)
            change = day_change(r, twin, ref_months)
            if change is not None:
                type_, how_bad, what = change
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[twin.start : twin.end]
                findings.append(finding("number", type_, how_bad, f'"{rtext}" rendered as "{ctext}" ({what})',
                                         ref, r, cand, (twin.start, twin.end), pair, rtext))
                continue
            if (r.bare_day and twin.bare_day) or (r.numeric_date and twin.numeric_date):
                twins[twin.start] = r
            # a day the candidate gives its month ("the 10th" / "10 February") is written like the
            # reference's own date of that day, if the pair has one ("February 10th")
            model = dated_twin(ref, r, twin) if r.bare_day and twin.month is not None else r
            note = convention_note(ref, model, cand, twin, lex)
            if note is not None:
                type_, what = note
                rtext, ctext = ref.doc.text[model.start : model.end], cand.doc.text[twin.start : twin.end]
                findings.append(finding("number", type_, "minor",
                                         f'"{rtext}" written as "{ctext}": the same value, {what}',
                                         ref, model, cand, (twin.start, twin.end), pair, rtext))
        if r.unit and all(c.unit and c.unit != r.unit for c in same):
            c = same[0]
            assert c.unit is not None
            if {r.unit, c.unit} <= set(lex.currency.values()) or {r.unit, c.unit} & {"percent"}:
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[c.start : c.end]
                findings.append(finding("number", "unit_changed", "major",
                                         f'"{rtext}" rendered as "{ctext}" (unit changed: {r.unit} -> {c.unit})',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
    # a date the candidate repeats ("Beijing, 11 Feb ... on 11 February") is noted at each place
    for c in cand.numbers:
        if c.start in noted or c.month is None:
            continue
        r2 = next((r for r in ref.numbers if r.month is not None and number_matches(r, c)), None)
        note = convention_note(ref, r2, cand, c, lex) if r2 is not None else None
        if r2 is not None and note is not None:
            rtext, ctext = ref.doc.text[r2.start : r2.end], cand.doc.text[c.start : c.end]
            findings.append(finding("number", note[0], "minor", f'"{rtext}" written as "{ctext}": the same value, {note[1]}',
                                     ref, r2, cand, (c.start, c.end), pair, rtext))
    free = [c for c in cand.numbers if c.start not in cand_scored and not any(number_matches(r, c) for r in ref.numbers)]
    for r in unmatched:
        rtext = ref.doc.text[r.start : r.end]
        best: tuple[float, Mention, bool] | None = None
        for c in free:
            ctx = context_score(ref, r, cand, c)
            magnitude = (r.mantissa is not None and same_value(r.mantissa, c.mantissa) and r.scale != c.scale)
            score = ctx + (1.0 if magnitude else 0.0) + (0.5 if r.unit and r.unit == c.unit else 0.0)
            score += 0.5 if r.month and r.month == c.month else 0.0
            score += 0.5 * (1.0 - min(1.0, abs(relpos(ref, r) - relpos(cand, c)) * 3))
            single = len(unmatched) == 1 and len(free) == 1
            # the only unmatched amount in this unit and scale on each side: "7,000 yuan" / "167,000 yuan"
            sole = sole_kind(r, unmatched, c, free)
            score += 0.5 if sole else 0.0
            if (score >= 1.0 or (single and score >= 0.5)) and (best is None or score > best[0]):
                best = (score, c, magnitude)
        if best is not None:
            score, c, magnitude = best
            # the only number left on each side of the pair changed: strong evidence, unless it is the year
            # written short ("1992" / "92")
            only = len(unmatched) == 1 and len(free) == 1 and not short_year(r, c)
            free.remove(c)
            ctext = cand.doc.text[c.start : c.end]
            confident = (score >= 1.5 or magnitude or (close and score >= 1.0) or sole_kind(r, unmatched, c, free + [c])
                         or only)
            if magnitude:
                rs = scale_word(r.scale, lex)
                cs = scale_word(c.scale, lex)
                findings.append(finding("number", "magnitude_changed", "critical" if confident else "minor",
                                         f'"{rtext}" rendered as "{ctext}" (magnitude changed: {rs} -> {cs})',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
            else:
                findings.append(finding("number", "value_changed", "major" if confident else "minor",
                                         f'"{rtext}" rendered as "{ctext}" (value changed)',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
            continue
        local = local_replacement(ref, r, cand, opcodes, lex)
        anchored = anchored_removal(ref, r, cand) or (local is not None and local[0] == "delete")
        severity: Severity = "major" if anchored and close else "minor"
        findings.append(finding("omission", "dropped", severity,
                                 f'"{rtext}" missing from the aligned candidate sentence', ref, r, cand, None, pair,
                                 rtext))
    for c in free:
        ctext = cand.doc.text[c.start : c.end]
        findings.append(Finding("number", "added", "minor",
                                f'"{ctext}" has no counterpart in the aligned reference sentence',
                                None, loc(cand.doc, c.start, c.end), pair, None))
    # dates written in a source-language or data convention, where no other finding sits
    located = {f.candidate.start for f in findings if f.candidate is not None}
    for c in cand.numbers:
        if (c.bare_day or c.numeric_date) and c.start not in located:
            findings.append(date_convention_note(cand, c, twins.get(c.start), ref, pair, ref_months))
    return findings


def dated_twin(ref: Side, r: Mention, c: Mention) -> Mention:
    """The reference's date with the month and day of candidate date ``c``, else ``r`` itself."""
    return next((x for x in ref.numbers if x.month == c.month and x.value == c.value and x.value is not None), r)


def unpaired_date_notes(cand: Side, pair: int, ref_months: frozenset[str]) -> list[Finding]:
    """The date conventions of candidate sentences with no reference counterpart: a day without its month
    or an all-numeric date is a convention English prose avoids whatever the reference does."""
    return [date_convention_note(cand, c, None, None, pair, ref_months)
            for c in cand.numbers if c.bare_day or c.numeric_date]


FULL_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december"})
ORDINAL = re.compile(r"\d(st|nd|rd|th)$")


def date_form(side: Side, m: Mention, lex: Lexicon) -> tuple[str, str, str] | None:
    """How a date mention is written: (month before or after the day, full or abbreviated month, ordinal or not)."""
    toks = side.tokens[m.first : m.last + 1]
    month = next((k for k, t in enumerate(toks) if t.is_word and t.norm in lex.month), None)
    day = next((k for k, t in enumerate(toks) if t.is_number), None)
    if month is None or day is None:
        return None
    order = "month before day" if month < day else "day before month"
    form = "full month name" if toks[month].norm in FULL_MONTHS else "abbreviated month"
    ordinal = "ordinal day" if ORDINAL.search(toks[day].text) else "plain day"
    return order, form, ordinal


def currency_form(side: Side, m: Mention, lex: Lexicon) -> tuple[str, str] | None:
    """How an amount names its currency: (the symbol or word, before or after the number)."""
    toks = side.tokens[m.first : m.last + 1]
    digits = next((k for k, t in enumerate(toks) if t.is_number or t.norm in lex.number), None)
    for k, t in enumerate(toks):
        if t.norm in lex.currency or t.text in lex.currency:
            # "S$" is two tokens, "S" and "$": name the pair
            word = t.text if k == 0 or toks[k - 1].end != t.start else toks[k - 1].text + t.text
            if t.text == "$" and k + 1 < len(toks) and toks[k + 1].norm in lex.currency:
                continue
            return fold(word).rstrip("s") or word, ("before" if digits is not None and k < digits else "after")
    return None


def convention_note(ref: Side, r: Mention, cand: Side, c: Mention, lex: Lexicon) -> tuple[str, str] | None:
    """A date or amount written in another convention than the reference's (MQM: a minor locale-convention error).

    Digit grouping and scale words ("1,500"/"1500", "640,000"/"640 thousand") are not conventions worth a note.

    Returns:
        ``(finding type, what differs)`` or None when both are written alike.
    """
    rd, cd = date_form(ref, r, lex), date_form(cand, c, lex)
    if rd is not None and cd is not None and rd != cd:
        diffs = [f"{a} instead of {b}" for a, b in zip(cd, rd, strict=True) if a != b]
        return "date_format", "only the date convention differs (" + "; ".join(diffs) + ")"
    if rd is None and cd is None and r.month is None and c.month is None and r.unit is None and c.unit is None:
        # "(Comprehensive, 11th)" / "(Consolidated 11)": digits with and without an ordinal suffix
        rt, ct = ref.tokens[r.first], cand.tokens[c.first]
        ro, co = bool(ORDINAL.search(rt.text)), bool(ORDINAL.search(ct.text))
        if r.first == r.last and c.first == c.last and rt.is_number and ct.is_number and ro != co:
            return "ordinal_format", ("only the convention differs (an ordinal instead of a plain number)" if co
                                      else "only the convention differs (a plain number instead of an ordinal)")
    if r.unit is not None and r.unit == c.unit:
        rc, cc = currency_form(ref, r, lex), currency_form(cand, c, lex)
        if rc is not None and cc is not None and rc != cc:
            diffs = []
            if rc[0] != cc[0]:
                diffs.append(f'currency written "{cc[0].upper() if len(cc[0]) <= 3 else cc[0]}" '
                             f'instead of "{rc[0].upper() if len(rc[0]) <= 3 else rc[0]}"')
            if rc[1] != cc[1]:
                diffs.append(f"currency {cc[1]} the amount instead of {rc[1]}")
            return "currency_format", "only the currency convention differs (" + "; ".join(diffs) + ")"
    return None


def sole_kind(r: Mention, unmatched: Sequence[Mention], c: Mention, free: Sequence[Mention]) -> bool:
    """``r`` and ``c`` share a unit or scale that no other unmatched number on either side has."""
    if r.value is None or c.value is None or (r.unit is None and not r.scale) or (r.unit, r.scale) != (c.unit, c.scale):
        return False
    kind = (r.unit, r.scale)
    return (sum((m.unit, m.scale) == kind for m in unmatched if m.value is not None) == 1
            and sum((m.unit, m.scale) == kind for m in free if m.value is not None) == 1)


def scale_word(scale: int, lex: Lexicon) -> str:
    names = {2: "hundred", 3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
    return names.get(scale, "units" if scale == 0 else f"10^{scale}")




def dated_months(tokens: Sequence[Token], lex: Lexicon) -> frozenset[str]:
    """The months a text's dates are in ("February 10", "10 Feb", "Feb. 10"), as three-letter keys."""
    months: set[str] = set()
    for k, t in enumerate(tokens):
        if t.norm not in lex.month:
            continue
        after = k + 2 if k + 2 < len(tokens) and tokens[k + 1].text == "." else k + 1
        if (after < len(tokens) and tokens[after].is_number) or (k > 0 and tokens[k - 1].is_number):
            months.add(t.norm[:3])
    return frozenset(months)

