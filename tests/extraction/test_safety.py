"""CSAM stop and organ-trafficking flag: positives and negatives in several languages, the corpora."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from extraction.indicators import ORGAN_CODE
from extraction.safety import (
    AGE_UNDER_18_IN_SEXUAL_CONTEXT,
    BLOOD_PRICE_EVIDENCE,
    CSAM_TERM,
    MINOR_IN_SEXUAL_CONTEXT,
    csam_suspected,
    organ_trafficking,
)

# Texts are sober stand-ins for ad wording: an age or minor term next to sex-ad vocabulary.
CSAM_POSITIVES = [
    ("Hi gentlemen, I am Olivia, 16 years old. 100 EUR per hour.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Escort Anna, 15yo, incall only", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Sexy girl, age: 15, discreet", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Hey, Irina here, 16 and full of energy. Escort", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Sexy escort. I am 16 looking for generous gentlemen", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Escort girl, ich bin 15 suche großzügige Männer", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Escort, I'm 14 new in town", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    # words that only begin like a measure ("euro…", "min…", "sec…", "stop…") are not one
    ("Sexy escort. I am 16 european girl", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Sexy escort. I am 16 mini and petite", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Sexy escort. I am 15 secretly working", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Sexy escort. I'm 16 stopping in Utrecht", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Escorts\nAnna 16 · Utrecht", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Hoi heren, ik ben Anna, 16 jaar.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Hallo Gentlemen, ich bin Rita, 15 Jahre alt.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Bonjour messieurs, je suis Eva, 16 ans.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Hola caballeros, soy Nora, tengo 15 años.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Ciao signori, sono Carla, ho 16 anni.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Anunturi erotice: Ana, 16 ani", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Anonse towarzyskie, Ola 15 lat", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Acompanhante, 16 anos", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Συνοδός, 15 ετών", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Underage girls, erotic massage", MINOR_IN_SEXUAL_CONTEXT),
    ("Escort mineure disponible", MINOR_IN_SEXUAL_CONTEXT),
    ("Minderjährige Escort", MINOR_IN_SEXUAL_CONTEXT),
    ("Acompanhante menor de idade", MINOR_IN_SEXUAL_CONTEXT),
    ("Σεξ με ανήλικη", MINOR_IN_SEXUAL_CONTEXT),
    ("links to child porn", CSAM_TERM),
    ("pedopornografia", CSAM_TERM),
]

CSAM_NEGATIVES = [
    "Hi gentlemen, I am Olivia, 19 years old.",
    "Escorts 18+ only",
    "19+ escort service",
    "Adults only, erotic massage",
    "No minors! Escort service",
    "Minors are not allowed. Sexy ladies only",
    "Strictly no underage, erotic club",
    "Nobody under 18 years old, escort",
    "Escort: nur ab 18 Jahre",
    "Sugar daddy wanted, my son is 5 years old",
    "7 jaar ervaring in erotische massage",
    "Escort since 12 years, discreet",
    "Escort. I am 5 minutes from the station",
    "Escort. I am 15 min from the airport",
    "Escort. I am 10 out of 10, sexy and discreet",
    "Escort. I'm 12 streets from the centre",
    "Escort. I am 2 girls in one apartment",
    "Sexy escort, incall here 10am till late",  # after "here", a number followed by words is a time
    "Sexy escort, incall here 17 Rue Lepic Paris",
    "Sexy escort, available here 11 pm to 4 am",
    "Sexy escort, here 14 photos of me",
    "Summer job for students from 16 years old, 12 EUR per hour",  # no sexual context
    "Football club for kids aged 10",
    "Minor scratches, iPhone 13, 128 GB",
    "Escorts\nAnna 19 · Utrecht",
    "Hey, Irina here, 21 and full of energy. Escort",
]


@pytest.mark.parametrize(("text", "reason"), CSAM_POSITIVES)
def test_csam_positive(text: str, reason: str) -> None:
    assert csam_suspected(text) == reason


@pytest.mark.parametrize("text", CSAM_NEGATIVES)
def test_csam_negative(text: str) -> None:
    assert csam_suspected(text) is None


@pytest.mark.parametrize("text", [text for text, _ in CSAM_POSITIVES] + CSAM_NEGATIVES)
def test_csam_answer_is_a_fixed_code_never_the_text(text: str) -> None:
    assert csam_suspected(text) in {None, CSAM_TERM, MINOR_IN_SEXUAL_CONTEXT, AGE_UNDER_18_IN_SEXUAL_CONTEXT}


ORGAN_POSITIVES = [
    "Kidney for sale, serious buyers only",
    "Donor wanted, good compensation",
    "Transplant abroad arranged within a month",
    "Blood group O+ , 5000 € negotiable",
    "Bloedgroep AB-, prijs 300 euro",
    "Nier te koop",
    "Niere zu verkaufen",
    "Rein à vendre",
    "Riñón en venta",
    "Rene in vendita",
    "Vând rinichi",
    "Sprzedam nerkę",
    "Rim à venda",
    "Νεφρό προς πώληση",
]

ORGAN_NEGATIVES = [
    "Blood type A+ needed urgently for my son",  # an appeal, no price
    "Phone in A+ condition, 200 €",  # a grade, not a blood group
    "Give blood: donation centres open on Sunday",
    "Vendo llantas rim 17",
    "Kidney beans, 2 EUR per kilo",
]


@pytest.mark.parametrize("text", ORGAN_POSITIVES)
def test_organ_positive(text: str) -> None:
    found = organ_trafficking(text)
    assert found
    assert all(indicator.code == ORGAN_CODE and indicator.weight >= 0.8 for indicator in found)


@pytest.mark.parametrize("text", ORGAN_NEGATIVES)
def test_organ_negative(text: str) -> None:
    assert organ_trafficking(text) == []


def test_blood_group_evidence_stores_no_medical_data() -> None:
    (found,) = organ_trafficking("Blood group O+ , 5000 €")
    assert found.evidence == BLOOD_PRICE_EVIDENCE
    assert "O+" not in found.evidence


def test_corpus_never_triggers_the_csam_stop(corpus: Path) -> None:
    # The corpus is 19+ throughout: any stop here is a false alarm.
    stopped = []
    with gzip.open(corpus / "pages.warc.gz", "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers.get_statuscode() != "200":
                continue
            if "html" not in (record.http_headers.get_header("Content-Type") or ""):
                continue
            tree = LexborHTMLParser(record.content_stream().read().decode("utf-8", "replace"))
            text = tree.body.text(separator="\n") if tree.body is not None else ""
            if csam_suspected(text) or organ_trafficking(text):
                stopped.append(record.rec_headers.get_header("WARC-Target-URI"))
    for line in (corpus / "messages.jsonl").read_text("utf-8").splitlines():
        message = json.loads(line)
        if csam_suspected(message["text"]):
            stopped.append(message["text"][:60])
    assert stopped == []


# Page furniture and ordinary prose next to a menu's "Sex & Erotik": none of it is a person's age.
FILLER = "Die Stadt plant neue Radwege und eine Brücke. " * 8
CSAM_FURNITURE_NEGATIVES = [
    f"Sex & Erotik | Politik | Sport\n{FILLER}\nSeite 17",
    f"Erotik\n{FILLER}\nDie Mission Apollo 11 landete 1969 auf dem Mond.",
    f"Escort guide | Dating\n{FILLER}\nPosted Nov 17",
    f"Sexo y pareja | Deportes\n{FILLER}\nCanal 13 | En vivo",
    "Sex education: children aged 6 to 16 learn about their bodies at school.",  # a range of ages
    "Erotik-Messe: Kinder von 6-16 Jahre haben keinen Zutritt.",
    f"Sexy fashion week | Sport\n{FILLER}\nMinor repairs to the hall were finished on Monday.",
    "Italienische Nudeln mit Tomaten, 15 Minuten, für 4 Personen.",  # "Nudeln" is not "nude"
    # a news report about an abuse case names the crime in prose: no ad
    "\n".join(
        [
            "The court in the capital sentenced a man to eight years in prison on Tuesday for the "
            "possession and distribution of child pornography found on his computers by the police."
        ]
        * 5
    ),
]
CSAM_STILL_POSITIVE = [
    ("Escort Anna, 15yo, incall only. Call +40 721 555 020", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    (f"{FILLER}\nEscorts\nAnna 16 · Utrecht", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Escorte à Lyon: Léa, 16 ans, discrète.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Erotische massage door Eva, 15 jaar, in Utrecht.", AGE_UNDER_18_IN_SEXUAL_CONTEXT),
    ("Selling child porn videos, message me", CSAM_TERM),
]


@pytest.mark.parametrize("text", CSAM_FURNITURE_NEGATIVES)
def test_csam_page_furniture_ranges_and_reports_do_not_stop(text: str) -> None:
    assert csam_suspected(text) is None


@pytest.mark.parametrize(("text", "reason"), CSAM_STILL_POSITIVE)
def test_csam_ads_still_stop(text: str, reason: str) -> None:
    assert csam_suspected(text) == reason
