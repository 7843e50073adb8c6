# ruff: noqa: E501  (page tables read better one per line)
"""Platform kind from weighted evidence: site name, page shape, content — never one menu word.

Every page here is written for this test (no real page text): ordinary articles whose menus carry
words of other kinds of site, and short ads whose hosts say nothing, in several languages.
"""

from __future__ import annotations

import pytest

from extraction.page import parse_page
from extraction.platforms import platform_kind

# Menus of ordinary sites: each holds one or two words that name another kind of site.
MENUS = {
    "de": ["Politik", "Sport", "Sex & Erotik", "Partnersuche", "Jobs", "Kleinanzeigen", "Wetter"],
    "en": ["World", "Business", "Dating", "Jobs", "Classifieds", "Escorts guide", "Weather"],
    "es": ["Política", "Deportes", "Citas", "Empleo", "Anuncios", "Clima"],
    "fr": ["Monde", "Sport", "Rencontres", "Emploi", "Petites annonces", "Météo"],
    "pl": ["Kraj", "Sport", "Randki", "Praca", "Ogłoszenia", "Pogoda"],
    "nl": ["Binnenland", "Sport", "Dating", "Vacatures", "Te koop", "Weer"],
}

# One sentence of an ordinary article per language (≥ 20 words), repeated into paragraphs.
PROSE = {
    "de": "Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, die Brücke über den "
    "Fluss im kommenden Frühjahr zu sanieren und den Verkehr so lange über die Umgehung zu leiten.",
    "en": "The city council decided on Tuesday evening, after a long debate, to repair the old bridge "
    "over the river next spring and to send traffic along the bypass until the work is finished.",
    "es": "El ayuntamiento decidió el martes por la noche, tras un largo debate, reparar el viejo puente "
    "sobre el río la próxima primavera y desviar el tráfico por la circunvalación mientras tanto.",
    "fr": "Le conseil municipal a décidé mardi soir, après un long débat, de rénover le vieux pont sur "
    "la rivière au printemps prochain et de dévier la circulation par la rocade pendant les travaux.",
    "pl": "Rada miasta postanowiła we wtorek wieczorem, po długiej debacie, wyremontować stary most na "
    "rzece wiosną przyszłego roku i skierować ruch na obwodnicę do czasu zakończenia wszystkich prac.",
    "nl": "De gemeenteraad heeft dinsdagavond na een lang debat besloten de oude brug over de rivier "
    "komend voorjaar te herstellen en het verkeer tot het einde van de werken om te leiden.",
}


def article_page(language: str, title: str, *, extra: str = "", paragraphs: int = 5) -> str:
    """An ordinary news page: a menu with other kinds' words, then an article of prose."""
    menu = "".join(f"<li><a href='/{i}'>{item}</a></li>" for i, item in enumerate(MENUS[language]))
    body = "".join(f"<p>{PROSE[language]}</p>" for _ in range(paragraphs))
    return (
        f"<html lang='{language}'><head><title>{title}</title></head><body>"
        f"<header><nav><ul>{menu}</ul></nav></header>"
        f"<main><article><h1>{title}</h1>{body}{extra}</article></main>"
        f"<footer><a href='/jobs'>Jobs</a> <a href='/impressum'>Impressum</a></footer></body></html>"
    )


ORDINARY = [
    ("https://www.stadtblatt-nord.de/lokales/bruecke-wird-saniert-123", article_page("de", "Brücke wird saniert")),
    ("https://www.rivertown-news.com/local/2024/05/bridge-repairs", article_page("en", "Bridge repairs next spring")),
    # a slug with a lone `u`/`a` is no profile or listing segment
    ("https://www.rivertown-news.com/2020/01/why-u-s-bridges-fail/a-5531", article_page("en", "Why bridges fail")),
    ("https://www.diario-del-valle.es/local/puente-123", article_page("es", "El puente se reparará")),
    ("https://www.lejournal-du-lac.fr/actu/pont-renove", article_page("fr", "Le pont sera rénové")),
    ("https://www.gazeta-rzeczna.pl/kraj/most-remont", article_page("pl", "Most do remontu")),
    ("https://www.rivierbode.nl/nieuws/brug-hersteld", article_page("nl", "Brug wordt hersteld")),
    # an article about dating or jobs is still an article, even on a host with "date"/"love" in it
    ("https://www.updatesdaily.com/post/the-dating-dilemma", article_page("en", "The dating dilemma: singles and apps")),
    ("https://www.lovelyrecipes.com/2023/soup", article_page("en", "A warming soup", extra="<p>Jobs | Shop</p>")),
    ("https://www.karriere-ratgeber.de/bewerbung-tipps", article_page("de", "Zehn Tipps für die Bewerbung")),
]  # fmt: skip


@pytest.mark.parametrize(("url", "html"), ORDINARY, ids=[url for url, _ in ORDINARY])
def test_an_ordinary_article_is_other_whatever_its_menu_says(url: str, html: str) -> None:
    assert platform_kind(url, parse_page(html, url)) == "other"


def ad_page(title: str, body: str, *, menu: str = "Home · Contact") -> str:
    """A short ad page: a title, a few lines of ad text, a tiny menu."""
    lines = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (
        f"<html><head><title>{title}</title></head><body><nav>{menu}</nav>"
        f"<main><h1>{title}</h1>{lines}</main><footer>© site</footer></body></html>"
    )


ESCORT_ADS = [
    ("https://www.night-city.example/ad/1", ad_page("Anna 23 · Utrecht", "Hi, I am Anna.\n150€ per hour, 250€ two hours.")),
    ("https://www.bluemoon.example/anzeige/77", ad_page("Lena (24) in Köln", "Diskret und gepflegt.\n200 € pro Stunde, Hotelbesuche.")),
    ("https://www.lanuit.example/annonce/5", ad_page("Chloé, 22 ans", "Douce et discrète.\n180 € l'heure.")),
    ("https://www.lunaroja.example/anuncio/9", ad_page("Carla", "Soy Carla, 25 años.\n120€ la hora, hotel o domicilio.")),
    ("https://www.nocne.example/ogl/3", ad_page("Ola 26 - Kraków", "Spokojna i miła.\n300 zł za godzinę.")),
    ("https://www.serata.example/annuncio/4", ad_page("Giulia, 27 anni", "Elegante e discreta.\n200 € all'ora.")),
    ("https://www.noapte.example/anunt/8", ad_page("Ioana 24", "Discretă.\n400 lei pe oră.")),
    ("https://www.shadows.example/FemaleEscorts/sweet-redhead/1", ad_page("Sweet redhead", "Call me.")),
    ("https://escort-amsterdam.nl/", None),
    ("https://www.escort-berlin.de/profil/1", None),
    ("https://vip-escort.co.uk/", None),
]  # fmt: skip


@pytest.mark.parametrize(("url", "html"), ESCORT_ADS, ids=[url for url, _ in ESCORT_ADS])
def test_an_escort_ad_is_escort_by_its_shape_or_its_host(url: str, html: str | None) -> None:
    assert platform_kind(url, parse_page(html, url) if html else None) == "escort"


def test_a_wage_per_hour_is_not_an_escort_rate() -> None:
    url = "https://www.helpers.example/offer/12"
    html = ad_page("Summer job", "Students from 18 years old, 12 EUR per hour, apply now.\nSalary weekly.")
    assert platform_kind(url, parse_page(html, url)) != "escort"


def test_a_site_wrapper_with_navigation_in_its_class_keeps_the_article_as_content() -> None:
    html = (
        "<html><body class='site-navigation-wide menu-left'><header><nav>Home | Jobs</nav></header>"
        f"<main><article class='post category-legal tag-cookies'><p>{PROSE['en']}</p></article></main>"
        "</body></html>"
    )
    page = parse_page(html, "https://www.rivertown-news.com/x")
    assert "old bridge" in page.body and "old bridge" not in page.furniture
    assert "Jobs" in page.furniture


def test_the_page_says_what_it_is() -> None:
    html = (
        "<html><head><meta property='og:type' content='article'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person"}}</script>'
        "</head><body><p>x</p></body></html>"
    )
    assert parse_page(html, "https://x.example/").declared_type.split() == [
        "article",
        "newsarticle",
        "person",
    ]
