#!/usr/bin/env python3
"""Build ``diag/data/lower_words.txt``: less frequent English words that English writes in lower case.

    pip install spacy-lookups-data==1.0.5      # build time only, never a run-time dependency
    python3 tools/build_lower_words.py         # write diag/data/lower_words.txt
    python3 tools/build_lower_words.py --check # exit 1 if the shipped file is stale

Source: the English ``lexeme_prob`` table of spaCy's lookups data package (spacy-lookups-data,
MIT, Explosion), read as ``tools/build_case_prior.py`` reads it (forms of letters, grouped by
``diag.lexdata.fold``, lower-case and capitalised probabilities added up).

Selection rule: the folded words ranked after the case prior's ``build_case_prior.KEEP`` most
frequent, up to rank ``LAST_RANK``, of at least ``SHORTEST`` letters, whose capitalised share is at
most ``MOST_CAPITALISED`` ("maritime", "garment", "remembrance"). The case prior answers for the
frequent words; this list only says that a rarer word is an ordinary English word, for the entity
check's question whether two translations of one name differ in generic words ("Year of Remembrance"
/ "Year of Memory"). It is never evidence that a word is not a name: the share is kept low, and the
rank bounded, because rarer forms' counts are noisy (romanised family names among them).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_case_prior import KEEP, LICENCE, PACKAGE, case_totals, run_build  # noqa: E402
from build_common import DATA, header  # noqa: E402

from diag.lexdata import LOWER_WORDS_FILE  # noqa: E402 - the repository first on sys.path

LAST_RANK = 60_000
SHORTEST = 4
MOST_CAPITALISED = 0.35


def build(table: dict[str, float], version: str) -> str:
    """The text of ``lower_words.txt`` from the source table."""
    total, capitalised = case_totals(table)
    ranked = sorted(total, key=lambda word: (-total[word], word))[KEEP:LAST_RANK]
    kept = sorted(w for w in ranked if len(w) >= SHORTEST and w.isalpha()
                  and capitalised.get(w, 0.0) / total[w] <= MOST_CAPITALISED)
    lines = [
        header(DATA / LOWER_WORDS_FILE, f"English words of frequency rank {KEEP + 1:,} to {LAST_RANK:,} written "
               f"capitalised at most {MOST_CAPITALISED:.0%} of the time", PACKAGE, version + " (table en lexeme_prob)",
               LICENCE, "build_lower_words.py"),
        "# one folded word a line (diag.lexdata.fold), sorted\n",
    ]
    lines += [f"{word}\n" for word in kept]
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    return run_build(__doc__, build, LOWER_WORDS_FILE, "build_lower_words.py", argv)


if __name__ == "__main__":
    sys.exit(main())
