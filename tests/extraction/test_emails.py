"""E-mails: obfuscated spellings, prose and URL look-alikes, and the corpora.

Also home of the dev-corpus page reader the wallet and handle tests share (one reading of the
WARC per test session).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.identifiers.emails import find_emails
from tests.corpus_pages import load_dev_pages

MIN_PRECISION = 0.97
MIN_RECALL = 0.97


def precision_recall(found: list[set[str]], expected: list[set[str]]) -> tuple[float, float, list[str]]:
    """Micro-averaged precision and recall over pages, and the misses spelled out for the report."""
    hits = extras = missed = 0
    misses = []
    for got, want in zip(found, expected, strict=True):
        hits += len(got & want)
        extras += len(got - want)
        missed += len(want - got)
        misses += [f"extra {value}" for value in sorted(got - want)]
        misses += [f"missed {value}" for value in sorted(want - got)]
    precision = hits / (hits + extras) if hits + extras else 1.0
    recall = hits / (hits + missed) if hits + missed else 1.0
    return precision, recall, misses


CASES = [
    # (text, expected values) — plain and mailto
    ("write to anna@mail.com today", ["anna@mail.com"]),
    ("Anna.Smith@Example.CO.UK.", ["anna.smith@example.co.uk"]),
    ("mailto:Anna%40Mail.com?subject=hi", ["anna@mail.com"]),
    ("mailto:jobs@firma.de", ["jobs@firma.de"]),
    # obfuscations
    ("anna.travels.14 (at) gmail (dot) com", ["anna.travels.14@gmail.com"]),
    ("jobs (at) smithdigitalassets (dot) co (dot) uk", ["jobs@smithdigitalassets.co.uk"]),
    ("name [at] host [dot] com", ["name@host.com"]),
    ("name{at}host{dot}com", ["name@host.com"]),
    ("name (@) host (.) com", ["name@host.com"]),
    ("tina79 @ outlook . com", ["tina79@outlook.com"]),
    ("hr @ nowakdigitalassets . pl · Tel: 88", ["hr@nowakdigitalassets.pl"]),
    ("anna at gmail dot com", ["anna@gmail.com"]),
    ("anna_v at company dot com", ["anna_v@company.com"]),
    ("anna AT company DOT com", ["anna@company.com"]),
    ("Contact me at anna.v at gmail dot com", ["anna.v@gmail.com"]),
    ("a@b.com and A@B.COM again", ["a@b.com"]),
    # the words other languages use for "at" and "dot"
    ("escríbeme: lucia22 arroba gmail punto com", ["lucia22@gmail.com"]),
    ("contato: bia.rj (arroba) hotmail (ponto) com", ["bia.rj@hotmail.com"]),
    ("Mail: lena (klammeraffe) web (punkt) de", ["lena@web.de"]),
    ("mail sanne88 apenstaartje hotmail punt nl", ["sanne88@hotmail.nl"]),
    ("écris à julie.b (arobase) orange (point) fr", ["julie.b@orange.fr"]),
    ("scrivimi giulia chiocciola libero punto it", ["giulia@libero.it"]),
    ("kasia92 małpa wp kropka pl", ["kasia92@wp.pl"]),
    # prose and look-alikes that are not addresses
    ("meet at home dot com", []),
    ("nos vemos en casa punto com", []),
    ("el precio arroba 20 punto 5", []),
    ("CALL ME AT SOME POINT TO BOOK", []),  # English "at" with a French "point": prose
    ("AVAILABLE AT THIS POINT IN TIME", []),
    ("anna_22 at this point is busy", []),
    ("meet at home dot", []),
    ("more info at www.site.com", []),
    ("I'll be there at 8.30 tomorrow", []),
    ("IG @ anna.vip", []),
    ("Telegram: @royal_angels_vip", []),
    ("https://x.com/@user", []),
    ("https://www.tiktok.com/@anna.travels", []),
    ("logo@2x.png", []),
    ('<img src="/img/logo@2x.png">', []),
    ("http://admin:hunter2@www.emploidirect.fr/vacancy/1", []),
    ("user@192.168.1.1", []),
    ("anna..b@mail.com", []),
    # issue #19: spaced "@", mail labels in several languages, prices, sentences, glued words
    ("Sprechstunde Di 10-12, mkeller @ uni-freiburg.de", ["mkeller@uni-freiburg.de"]),
    ("jdoe @ math.example.edu", ["jdoe@math.example.edu"]),
    ("Follow me @ anna.vip", []),
    ("E-mail: jsmith at physics dot example dot edu", ["jsmith@physics.example.edu"]),
    ("E-Mail: mueller ät informatik punkt tu-berlin punkt de", ["mueller@informatik.tu-berlin.de"]),
    ("Почта: ivanov собака mail точка ru", ["ivanov@mail.ru"]),
    ("пошта: petrenko равлик ukr крапка net", ["petrenko@ukr.net"]),
    ("wir sehen uns ät home punkt de", []),
    ("look at google dot com", []),
    ("Deals at Target dot com", []),
    ("weber at cs dot uni-bonn dot de", ["weber@cs.uni-bonn.de"]),
    ("Courriel : dupont arobase lirmm point fr", ["dupont@lirmm.fr"]),
    ("Correo electrónico: garcia arroba ugr punto es", ["garcia@ugr.es"]),
    ("Poczta: nowak małpa agh kropka edu kropka pl", ["nowak@agh.edu.pl"]),
    ("email rossi chiocciola unimi punto it", ["rossi@unimi.it"]),
    ("Mail: jansen apenstaartje tudelft punt nl", ["jansen@tudelft.nl"]),
    ("mail me at home dot com", []),
    ("I paid $700 at Amazon . You'll see", []),
    ("Es kostet 700 at Amazon . De", []),
    ("schreiben Sie an info@firma.de . Danach rufen wir an", ["info@firma.de"]),
    ("Kontakt: x@gmail.comYes, ich antworte", ["x@gmail.com"]),
    ("contact: anna.kowalska@wp.plDziękuję", ["anna.kowalska@wp.pl"]),
    ("Schreib an ma\u00adrie.du\u00adpont@orange.fr", ["marie.dupont@orange.fr"]),
    ("pisz: jan\u200bkowalski@onet.pl", ["jankowalski@onet.pl"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_emails(text: str, expected: list[str]) -> None:
    assert [identifier.value for identifier in find_emails(text)] == expected


@pytest.mark.parametrize(
    ("text", "obscured"),
    [("anna@mail.com", False), ("anna (at) mail (dot) com", True), ("anna @ mail . com", True)],
)
def test_obscured_flag_marks_hidden_spellings(text: str, obscured: bool) -> None:
    (identifier,) = find_emails(text)
    assert identifier.obscured is obscured


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        # the page's own site vouches for a bare-word spelling with no label
        ("weber at cs dot uni-bonn dot de", {"uni-bonn.de"}, ["weber@cs.uni-bonn.de"]),
        ("weber at cs.uni-bonn.de", {"uni-bonn.de"}, ["weber@cs.uni-bonn.de"]),
        ("weber at cs.uni-bonn.de", {"example.org"}, []),
        ("lefebvre at ens dot fr", {"ens.fr"}, ["lefebvre@ens.fr"]),
        # words as dots: only after a mail label on a known site
        ("email: pal at cs stanford edu, please", {"stanford.edu"}, ["pal@cs.stanford.edu"]),
        ("e-mail: kowal at ii uwr edu pl", {"uwr.edu.pl"}, ["kowal@ii.uwr.edu.pl"]),
        ("we met at cs stanford edu events", {"stanford.edu"}, []),
        ("email: pal at cs stanford edu", set(), []),
    ],
)
def test_known_domains_vouch_for_weak_spellings(text: str, known: set[str], expected: list[str]) -> None:
    assert [identifier.value for identifier in find_emails(text, known_domains=known)] == expected


def test_source_is_passed_through() -> None:
    (identifier,) = find_emails("anna@mail.com", source="message")
    assert identifier.source == "message"
    assert identifier.kind == "email"


def test_corpus_emails(corpus: Path) -> None:
    pages = load_dev_pages(corpus)
    found, expected = [], []
    for page in pages:
        boilerplate = set(page.truth["site_boilerplate"]["email"])
        # The site's own support address is allowed here: the page module separates furniture.
        found.append({identifier.value for identifier in find_emails(page.text)} - boilerplate)
        expected.append(set(page.truth["identifiers"]["email"]))
    precision, recall, misses = precision_recall(found, expected)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall, misses)


def test_corpus_typed_emails_in_messages(corpus: Path) -> None:
    """Chat messages hold no typed e-mail; a URL with user:password@host must not make one."""
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    messages = (corpus / "messages.jsonl").read_text("utf-8").splitlines()
    typed = {row["msg_index"]: set(row["identifiers"]["email"]) for row in truth["text_identifiers"]}
    for index, line in enumerate(messages):
        found = {identifier.value for identifier in find_emails(json.loads(line)["text"], source="message")}
        assert found == typed.get(index, set()), (index, found)
