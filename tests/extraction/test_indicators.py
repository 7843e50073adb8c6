"""Indicators per code and language, the emoji codes, the THB-suspect score, and the corpora."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from extraction.indicators import (
    BENIGN_CODE,
    ORGAN_CODE,
    PAGE_LANGUAGE_BOOST,
    find_indicators,
    lexicon,
    multiple_cities_indicator,
    obscured_contact_indicator,
)
from extraction.suspect import THB_SUSPECT_THRESHOLD, is_thb_suspect, thb_score
from extraction.types import Indicator
from tests import corpora
from tests.corpus_pages import html_responses

LANGUAGES = ("en", "nl", "de", "fr", "es", "it", "ro", "pl", "pt", "el")
LEXICON_CODES = (
    "third_party", "new_in_town", "youth_emphasis", "crypto_only", "restricted",
    "ai_generated", "job_lure", "debt",
)  # fmt: skip

# (language, text as an ad would write it, code it must yield). Texts vary case, accents and
# punctuation on purpose.
POSITIVES = [
    ("en", "Bookings only through my MANAGER, he answers fast", "third_party"),
    ("en", "Call my agent to book", "third_party"),
    ("en", "Just arrived — new in Leeds for a few days only!", "new_in_town"),
    ("en", "Young & fresh, new to this!", "youth_emphasis"),
    ("en", "Payment only in crypto: bc1q…", "crypto_only"),
    ("en", "USDT only, no cash", "crypto_only"),
    ("en", "Incall only,   no outcall.", "restricted"),
    ("en", "Pictures created with AI, reality is even better", "ai_generated"),
    ("en", "Registration fee 400 GBP before departure", "job_lure"),
    ("en", "Your passport is kept safe by the company", "job_lure"),
    ("en", "Travel costs are deducted from your first salaries", "debt"),
    ("nl", "Afspraken alleen via mijn manager!", "third_party"),
    ("nl", "Net aangekomen, maar een paar dagen in Utrecht", "new_in_town"),
    ("nl", "Jong en fris, nieuw in het vak", "youth_emphasis"),
    ("nl", "Betaling alleen in crypto", "crypto_only"),
    ("nl", "Geen outcall, alleen privé-ontvangst", "restricted"),
    ("nl", "Foto's zijn AI-gegenereerd", "ai_generated"),
    ("nl", "Geen ervaring en geen taal nodig", "job_lure"),
    ("nl", "Reiskosten worden ingehouden op je loon", "debt"),
    ("de", "Termine nur über meinen Manager", "third_party"),
    ("de", "Neu in München, nur wenige Tage!", "new_in_town"),
    ("de", "Jung und frisch", "youth_emphasis"),
    ("de", "Zahlung nur in Kryptowährung", "crypto_only"),
    ("de", "Nur Empfang, keine Haus- oder Hotelbesuche", "restricted"),
    ("de", "Die Fotos sind KI-generiert", "ai_generated"),
    ("de", "Ohne Erfahrung, ohne Sprachkenntnisse", "job_lure"),
    ("de", "Die Reisekosten werden vom Lohn abgezogen", "debt"),
    ("fr", "Rendez-vous uniquement via mon manager", "third_party"),
    ("fr", "Nouvelle à Lyon, seulement quelques jours !", "new_in_town"),
    ("fr", "Jeune et fraîche", "youth_emphasis"),
    ("fr", "Paiement uniquement en crypto", "crypto_only"),
    ("fr", "Uniquement en privé chez moi, pas de déplacement", "restricted"),
    ("fr", "Photos générées par IA", "ai_generated"),
    ("fr", "Frais d'inscription 300 € avant le départ", "job_lure"),
    ("fr", "Le billet est déduit du salaire", "debt"),
    ("es", "Citas solo a través de mi representante", "third_party"),
    ("es", "¡Recién llegada a Sevilla, solo por pocos días!", "new_in_town"),
    ("es", "Joven y fresca, nueva en esto", "youth_emphasis"),
    ("es", "Pago solo en cripto", "crypto_only"),
    ("es", "No hago salidas", "restricted"),
    ("es", "Fotos generadas con IA", "ai_generated"),
    ("es", "Sin experiencia y sin idiomas, alojamiento gratis", "job_lure"),
    ("es", "El viaje se descuenta del salario", "debt"),
    ("it", "Appuntamenti solo tramite il mio manager", "third_party"),
    ("it", "Appena arrivata, solo per pochi giorni", "new_in_town"),
    ("it", "Giovane e fresca, nuova nell'ambiente", "youth_emphasis"),
    ("it", "Pagamento solo in cripto", "crypto_only"),
    ("it", "Niente uscite, solo in casa mia", "restricted"),
    ("it", "Foto generate con l'IA", "ai_generated"),
    ("it", "Senza esperienza, alloggio gratuito", "job_lure"),
    ("it", "Il viaggio viene detratto dal primo stipendio", "debt"),
    ("ro", "Programări doar prin managerul meu", "third_party"),
    ("ro", "Nouă în oraș, doar câteva zile", "new_in_town"),
    ("ro", "Tânără și proaspătă", "youth_emphasis"),
    ("ro", "Plata doar în cripto", "crypto_only"),
    ("ro", "Fără deplasări", "restricted"),
    ("ro", "Poze generate cu AI", "ai_generated"),
    ("ro", "Taxă de înscriere 200 € înainte de plecare", "job_lure"),
    ("ro", "Costul drumului se reține din primele salarii", "debt"),
    ("pl", "Nasze dziewczyny czekają", "third_party"),
    ("pl", "Nowa w mieście, tylko kilka dni", "new_in_town"),
    ("pl", "Młoda i świeża", "youth_emphasis"),
    ("pl", "Opłata tylko w kryptowalucie", "crypto_only"),
    ("pl", "Bez wyjazdów", "restricted"),
    ("pl", "Zdjęcia wygenerowane przez AI", "ai_generated"),
    ("pl", "Bez doświadczenia i bez języka, darmowe zakwaterowanie", "job_lure"),
    ("pl", "Bilet potrącamy z pierwszej wypłaty", "debt"),
    ("pt", "As nossas meninas esperam por si", "third_party"),
    ("pt", "Recém-chegada, só por poucos dias", "new_in_town"),
    ("pt", "Jovem e fresca", "youth_emphasis"),
    ("pt", "Pagamento só em cripto", "crypto_only"),
    ("pt", "Não faço deslocações", "restricted"),
    ("pt", "Fotos geradas por IA", "ai_generated"),
    ("pt", "Sem experiência e sem línguas, alojamento e viagem grátis", "job_lure"),
    ("pt", "As despesas de viagem são descontadas dos primeiros salários", "debt"),
    ("el", "Ραντεβού μόνο μέσω του μάνατζέρ μου", "third_party"),
    ("el", "Νέα στην πόλη, μόνο για λίγες μέρες", "new_in_town"),
    ("el", "Νέα και φρέσκια", "youth_emphasis"),
    ("el", "Πληρωμή μόνο σε κρυπτονομίσματα", "crypto_only"),
    ("el", "Δεν κάνω εξόδους", "restricted"),
    ("el", "Οι φωτογραφίες δημιουργήθηκαν με AI", "ai_generated"),
    ("el", "Χωρίς εμπειρία, δωρεάν διαμονή", "job_lure"),
    ("el", "Τα έξοδα αφαιρούνται από τον πρώτο μισθό", "debt"),
]

# (text, code it must NOT yield): the innocent overlaps benign pages contain on purpose.
NEGATIVES = [
    ("Join our young and fresh team in Lisbon", "youth_emphasis"),
    ("Young at heart, old soul.", "youth_emphasis"),
    ("Fresh bread and pastries every day since 1998", "youth_emphasis"),
    ("Teen bike, 24 inch, barely used", "youth_emphasis"),
    ("We are a crypto exchange hiring engineers", "crypto_only"),
    ("Into crypto memes and board games.", "crypto_only"),
    ("BTC: bc1qnu2pmumddrjyn5j3e4e2qs5mjn7yfpz2yq42xx", "crypto_only"),
    ("Rule of thumb: never pay an upfront fee for a job.", "job_lure"),
    ("Free legal advice for refugees. No fees, ever.", "job_lure"),
    ("I kept my own passport, rent was deducted legally.", "job_lure"),
    ("I kept my own passport, rent was deducted legally.", "debt"),
    ("A valid work permit is required; relocation support for candidates from abroad.", "job_lure"),
    ("Me and my girls night out", "third_party"),
    ("Volunteers Marseille, agency partners welcome", "third_party"),
    ("Euro Work Solutions recrutează lucrători pentru partenerii noștri din Rotterdam", "third_party"),
    ("Weekly group runs on Sunday mornings, all levels welcome.", "new_in_town"),
    ("AI engineer wanted for our machine-learning team", "ai_generated"),
    ("Mit Option auf Übernahme, 2600 € brutto", "debt"),
    ("+ 3 9 🌹 3 2 0 🌹 8 1 1 🌹 3 2 8 7", "commercial_sex"),
    ("Kidney for sale", ORGAN_CODE),  # organ hits are safety.organ_trafficking's, never doubled
]


def codes_of(found: list[Indicator]) -> set[str]:
    return {indicator.code for indicator in found}


def test_lexicon_covers_every_code_in_every_language() -> None:
    present = Counter((phrase.language, phrase.code) for phrase in lexicon())
    missing = [(lang, code) for lang in LANGUAGES for code in LEXICON_CODES if not present[(lang, code)]]
    missing += [(lang, ORGAN_CODE) for lang in LANGUAGES if not present[(lang, ORGAN_CODE)]]
    assert not missing


def test_lexicon_weights_are_sensible() -> None:
    # No single phrase may weigh more than 1.5 thresholds; benign rows weigh nothing.
    for phrase in lexicon():
        if phrase.code == BENIGN_CODE:
            assert phrase.weight == 0
        else:
            assert 0 < phrase.weight <= 1.5, phrase


@pytest.mark.parametrize(("language", "text", "code"), POSITIVES)
def test_positive(language: str, text: str, code: str) -> None:
    assert code in codes_of(find_indicators(text, language))
    # Every lexicon is searched, whatever the page language: ads mix languages.
    assert code in codes_of(find_indicators(text, None))


@pytest.mark.parametrize(("text", "code"), NEGATIVES)
def test_negative(text: str, code: str) -> None:
    assert code not in codes_of(find_indicators(text, "en"))


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Hi! Just   arrived,\nnew in Liège for a few days only!", "new in Liège for a few days"),
        ("Payment ONLY in crypto: 1J7c", "ONLY in crypto"),
        ("Costul drumului se reține din primele salarii.", "se reține din primele salarii"),
    ],
)
def test_evidence_quotes_the_original_span(text: str, evidence: str) -> None:
    assert evidence in [indicator.evidence for indicator in find_indicators(text)]


def test_page_language_weighs_a_bit_more() -> None:
    text = "Termine nur über meinen Manager"
    own = max(i.weight for i in find_indicators(text, "de"))
    other = max(i.weight for i in find_indicators(text, "en"))
    assert own == pytest.approx(other * PAGE_LANGUAGE_BOOST)


@pytest.mark.parametrize(
    ("text", "code", "found"),
    [
        ("Sweet 💗 and new", "youth_emphasis", True),
        ("🍒 only for you", "youth_emphasis", True),
        ("Travelling ✈️ next week", "new_in_town", True),
        ("Travelling ✈ next week", "new_in_town", True),  # without the variation selector
        ("👑 booking", "third_party", True),
        ("1h = 150🌹", "commercial_sex", True),
        ("🌹🌹🌹 for one hour", "commercial_sex", True),
        ("Kisses, Julia 🌹", "commercial_sex", False),  # one rose is decoration
        ("£2900 🌹", "commercial_sex", False),
        ("+ 4 9 🌸 1 7 0 🌸 4 8 6 1", "youth_emphasis", False),  # a digit separator
    ],
)
def test_emoji_codes(text: str, code: str, found: bool) -> None:
    hits = [i for i in find_indicators(text) if i.code == code]
    assert bool(hits) is found
    assert all(i.source == "emoji" and i.weight < 0.5 for i in hits)


def test_obscured_contact_indicator_keeps_the_raw_spelling() -> None:
    indicator = obscured_contact_indicator("+ 3 1 🔥 6 🔥 6 0 7 7")
    assert (indicator.code, indicator.evidence) == ("obscured_contact", "+ 3 1 🔥 6 🔥 6 0 7 7")


@pytest.mark.parametrize(
    ("cities", "flagged"),
    [
        (["Utrecht", "Gent"], True),
        (["Utrecht", "utrecht ", "UTRECHT"], False),
        ([], False),
        (["Köln", "Koln"], False),
    ],
)
def test_multiple_cities_hook(cities: list[str], flagged: bool) -> None:
    indicator = multiple_cities_indicator(cities)
    assert (indicator is not None) is flagged
    if indicator is not None:
        assert indicator.code == "multiple_cities"


def _ind(code: str, weight: float) -> Indicator:
    return Indicator(code, weight, code)


@pytest.mark.parametrize(
    ("indicators", "obscured", "kind", "suspect"),
    [
        ([_ind("third_party", 1.0)], False, "other", True),
        ([_ind("new_in_town", 0.5)], False, "escort", False),  # movement language alone is weak
        (
            [_ind("new_in_town", 0.5), _ind("new_in_town", 0.5), _ind("new_in_town", 0.5)],
            False,
            "escort",
            False,
        ),
        ([_ind("new_in_town", 0.5)], True, "other", True),  # … but not with an obscured phone
        ([_ind("ai_generated", 0.7)], False, "escort", True),
        ([_ind("ai_generated", 0.7)], False, "job", False),
        ([], False, "escort", False),  # the platform alone never makes a page suspect
        ([], True, "escort", True),  # an obscured phone is the page's own evidence (JRSA/NIJ)
        ([], True, "job", False),
        ([_ind("job_lure", 0.6), _ind("job_lure", 0.5), _ind("job_lure", 0.5)], False, "job", False),
        ([_ind("job_lure", 0.6), _ind("debt", 1.0)], False, "job", True),
    ],
)
def test_thb_score(indicators: list[Indicator], obscured: bool, kind: str, suspect: bool) -> None:
    assert is_thb_suspect(thb_score(indicators, obscured_contact=obscured, platform_kind=kind)) is suspect


def test_obscured_contact_counts_once() -> None:
    flag_only = thb_score([_ind("new_in_town", 0.5)], obscured_contact=True, platform_kind="other")
    both = thb_score(
        [_ind("new_in_town", 0.5), obscured_contact_indicator("06-l2345678")],
        obscured_contact=True,
        platform_kind="other",
    )
    assert flag_only == both
    assert flag_only >= THB_SUSPECT_THRESHOLD


# --- the corpora ------------------------------------------------------------------------------

MIN_F1 = 0.90
MIN_CODE_PRECISION = 0.90
MIN_CODE_RECALL = 0.90
# Rough obscured-phone detector for the measurement only (the real one is the phone extractor):
# digits split by emoji/keycaps, the letters O/l inside digits, or a number spelled in words.
_OBSCURED_PHONE = re.compile(
    r"\d\s*[^\w\s+.\-()/·:]+\s*\d|\d[Ol]\d|[Ol]\d\d|\d\d[Ol]"
    r"|\bplus (?:one|two|three|four|five|six|seven|eight|nine)\b"
)


def _dev_pages(corpus: Path) -> list[tuple[str, str, dict[str, Any]]]:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))["pages"]
    pages = []
    for url, _, raw in html_responses(corpus):
        tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
        text = tree.body.text(separator="\n") if tree.body is not None else ""
        pages.append((url, text, truth[url]))
    return pages


def _contact_block(text: str) -> str:
    # The ad's contact line(s): after the last "Contact"/"Apply"-like label, before "Report".
    body = text.split("\nReport\n")[0]
    labels = [body.rfind(label) for label in ("ontact", "Apply", "Bewerbung", "Candidature", "Solliciteren")]
    return body[max(labels) :] if max(labels) >= 0 else ""


# Wording of the generated week the lexicons do not read yet (issue #22: indicators that
# generalise). The per-code recall test is expected to fail on the week until they do.
WEEK_GAPS = (
    "lexicons miss the week's wording: crypto_only ('Payment only in USDT or bitcoin' in 7 of 8 "
    "languages), restricted ('I cannot go out alone' in 7 of 8), some third_party, debt and job_lure "
    "phrasings (#22)"
)


def _scored(corpus: Path, with_obscured: bool) -> tuple[float, dict[str, Counter[str]], str]:
    """THB-suspect F1, per-code counts on suspect pages, and a report for failure messages."""
    tp = fp = fn = 0
    per_code: dict[str, Counter[str]] = {}
    misses = []
    for url, text, truth in _dev_pages(corpus):
        found = find_indicators(text, str(truth["language"]))
        obscured = with_obscured and bool(_OBSCURED_PHONE.search(_contact_block(text)))
        suspect = is_thb_suspect(
            thb_score(found, obscured_contact=obscured, platform_kind=str(truth["platform_kind"]))
        )
        expected = bool(truth["thb_suspect"])
        tp += suspect and expected
        fp += suspect and not expected
        fn += expected and not suspect
        if suspect != expected:
            misses.append(f"{'FP' if suspect else 'FN'} {url} {sorted(codes_of(found))}")
        if expected:  # truth lists indicators on suspect pages only
            want = set(truth["indicators"]) - {"multiple_cities"}  # needs history
            got = codes_of(found) & set(LEXICON_CODES)
            for code in got | want:
                outcome = "tp" if code in want and code in got else "fp" if code in got else "fn"
                per_code.setdefault(code, Counter())[outcome] += 1
    f1 = 2 * tp / (2 * tp + fp + fn)
    report = "\n".join([f"F1={f1:.3f} tp={tp} fp={fp} fn={fn}", *misses, *_code_table(per_code)])
    return f1, per_code, report


@pytest.mark.parametrize("with_obscured", [True, False], ids=["obscured-detected", "lexicon-only"])
def test_corpus_thb_suspect_and_code_precision(corpus: Path, with_obscured: bool) -> None:
    f1, per_code, report = _scored(corpus, with_obscured)
    print(report)
    assert f1 >= MIN_F1, report
    for code, counts in per_code.items():
        if counts["tp"] + counts["fp"]:  # a code never said has no precision to judge
            assert counts["tp"] / (counts["tp"] + counts["fp"]) >= MIN_CODE_PRECISION, (code, report)


def test_corpus_code_recall(corpus: Path, request: pytest.FixtureRequest) -> None:
    if corpus == corpora.week():
        request.applymarker(pytest.mark.xfail(strict=True, reason=WEEK_GAPS))
    _, per_code, report = _scored(corpus, with_obscured=True)
    print(report)
    for code, counts in per_code.items():
        assert counts["tp"] / max(1, counts["tp"] + counts["fn"]) >= MIN_CODE_RECALL, (code, report)


def _code_table(per_code: dict[str, Counter[str]]) -> list[str]:
    rows = []
    for code, c in sorted(per_code.items()):
        precision = c["tp"] / max(1, c["tp"] + c["fp"])
        recall = c["tp"] / max(1, c["tp"] + c["fn"])
        rows.append(f"{code:16} P={precision:.2f} R={recall:.2f} ({c['tp']}/{c['fp']}/{c['fn']})")
    return rows
