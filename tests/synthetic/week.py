# ruff: noqa: E501  (site and network tables read better one per line)
"""A synthetic action week: participants, chat, pages (WARC) and truth, all from one seed.

`generate(seed)` builds it in memory; `write(week, folder)` writes the three files the dev corpus
also has (`messages.jsonl`, `pages.warc.gz`, `truth.json`, same fields) so the replay, export,
digest and extraction tests run on either. The sites, page layouts, templates, obfuscations and
wording are this generator's own (see `wording.py`), in eight languages, and a second seed gives
other sites' ids, numbers, names and spellings: a rule tuned to one seed shows up on the next.

What a week holds (the figures `describe()` prints):
- networks: two sexual-exploitation and two labour-exploitation groups, each 5-7 pages over
  two or three sites and languages, joined by controller phones, e-mails, handles and wallets
  shown in a chain (page i shows contact i and i+1), plus one page that shares only the
  group's template text; one benign cluster (two vacancies of one company, same phone + e-mail);
- benign pages: dating profiles, vacancies, classifieds and a news article, with innocent
  overlaps (a young team, crypto accepted, new in town, a passport for the contract);
- site furniture: every site's footer has its support address (and some a hotline) that must
  never link pages;
- pastes: every page once, a quarter of them again later by someone else in another spelling
  (http, www, m., upper case, :443, slash, fragment, tracking, query order, defanged), short
  links and redirects, two 404s, one image, must-not-fetch targets (loopback, metadata,
  credentials, javascript:, data:, file:, look-alike host, onion), typed identifiers, noise.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import phonenumbers
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.synthetic import codecs, wording

SEED = 20260309
TZ = timezone(timedelta(hours=1))  # a March week: CET
FIRST_DAY = datetime(2026, 3, 9, tzinfo=TZ)  # a Monday
CHAT = "aw-hub-test"

Response = tuple[int, str, bytes, str | None]  # status, content type, body, location


@dataclass(frozen=True, slots=True)
class Site:
    """A web site of the week: its host, what it is, its language and its furniture."""

    host: str  # as served (with www. where the site uses it)
    kind: str  # escort | dating | job | marketplace | other
    language: str
    country: str
    path: str  # a format with {slug} and {id}
    hotline: bool = False

    @property
    def bare(self) -> str:
        return self.host.removeprefix("www.")

    @property
    def support(self) -> str:
        return f"support@{self.bare}"


SITES = [
    Site("www.nachtbegleitung.de", "escort", "de", "DE", "/anzeige/{slug}-{id}"),
    Site("velours-nuit.fr", "escort", "fr", "FR", "/annonce/{id}/{slug}"),
    Site("www.rosasera.it", "escort", "it", "IT", "/annunci/{slug}?id={id}"),
    Site("noaptebuna.ro", "escort", "ro", "RO", "/escorte/{slug}-{id}"),
    Site("www.herzfinder.de", "dating", "de", "DE", "/profil/{slug}-{id}", hotline=True),
    Site("liefdeklik.nl", "dating", "nl", "NL", "/leden/{id}/{slug}"),
    Site("www.randkaonline.pl", "dating", "pl", "PL", "/profil?id={id}&ref=lista"),
    Site("amorecerca.it", "dating", "it", "IT", "/utente/{slug}-{id}"),
    Site("www.pracadzis.pl", "job", "pl", "PL", "/oferta/{slug}-{id}"),
    Site("locuri-munca.ro", "job", "ro", "RO", "/anunt?id={id}&cat=munca"),
    Site("www.empleohoy.es", "job", "es", "ES", "/empleo/{id}-{slug}", hotline=True),
    Site("talentjobs.co.uk", "job", "en", "GB", "/jobs/{id}/{slug}"),
    Site("www.werkpunt.nl", "job", "nl", "NL", "/vacature/{slug}-{id}"),
    Site("www.kaufmarkt.de", "marketplace", "de", "DE", "/kleinanzeige/{slug}/{id}"),
    Site("ogloszenia-lokalne.pl", "marketplace", "pl", "PL", "/o/{slug}-{id}"),
    Site("www.vendealacasa.es", "marketplace", "es", "ES", "/anuncio/{slug}-{id}"),
    Site("www.nordkurier-stadt.de", "other", "de", "DE", "/lokales/{slug}-{id}.html"),
    Site("lecourrier-lille.fr", "other", "fr", "FR", "/actualites/{id}-{slug}"),
]

# Criminal networks: (code, exploitation, languages, site hosts, controller regions, pages)
NETWORKS = [
    ("N1", "sexual", ("de", "it"), ("www.nachtbegleitung.de", "www.rosasera.it", "www.herzfinder.de"), ("DE", "IT"), 6),
    ("N2", "sexual", ("fr", "ro"), ("velours-nuit.fr", "noaptebuna.ro", "liefdeklik.nl"), ("FR", "RO"), 6),
    ("N3", "labour", ("pl", "en"), ("www.pracadzis.pl", "talentjobs.co.uk", "ogloszenia-lokalne.pl"), ("PL", "GB"), 6),
    ("N4", "labour", ("es", "ro"), ("www.empleohoy.es", "locuri-munca.ro"), ("ES", "RO"), 5),
]  # fmt: skip
SEXUAL_CODES = ("third_party", "new_in_town", "youth_emphasis", "restricted", "crypto_only")
LABOUR_CODES = ("job_lure", "debt", "third_party", "crypto_only")
WEBMAIL = ("gmail.com", "outlook.com", "proton.me", "gmx.de", "wp.pl", "yahoo.fr")
PEOPLE = {
    "DE": ["Jonas Weber", "Lea Hoffmann"], "NL": ["Sanne de Vries", "Bram Jansen"], "PL": ["Kasia Nowak", "Piotr Wójcik"],
    "RO": ["Andrei Popa", "Ioana Stan"], "ES": ["Lucía Gómez", "Javier Ruiz"], "FR": ["Camille Martin", "Hugo Bernard"],
    "IT": ["Giulia Romano", "Marco Greco"], "BE": ["Elise Peeters"], "AT": ["Florian Gruber"], "PT": ["Inês Costa"],
    "SE": ["Ebba Lindqvist"], "FI": ["Aino Virtanen"], "IE": ["Aoife Byrne"], "CZ": ["Tomáš Dvořák"], "HU": ["Réka Szabó"],
    "BG": ["Dimitar Petrov"], "GR": ["Eleni Pappa"], "LT": ["Rūta Kazlauskaitė"], "SI": ["Nina Kovač"], "HR": ["Ivan Horvat"],
}  # fmt: skip
SPELLINGS = ("http", "www", "mobile_host", "upper", "port", "slash", "fragment", "track", "reorder", "defang")


@dataclass(slots=True)
class Page:
    """One 200 HTML page with its truth row."""

    url: str
    site: Site
    language: str
    city: str
    country: str
    network: str | None = None
    template: str | None = None
    suspect: bool = False
    codes: list[str] = field(default_factory=list)
    identifiers: dict[str, list[str]] = field(
        default_factory=lambda: {"phone": [], "email": [], "wallet": [], "handle": []}
    )
    body: list[str] = field(default_factory=list)  # HTML fragments of the article
    contact: list[str] = field(default_factory=list)  # HTML fragments of the contact block
    title: str = ""


@dataclass(slots=True)
class Week:
    """The generated week: chat lines, WARC responses by URL, and the truth."""

    messages: list[dict[str, Any]]
    responses: dict[str, Response]
    truth: dict[str, Any]


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.pages: dict[str, Page] = {}
        self.responses: dict[str, Response] = {}
        self.used_ids: set[int] = set()
        self.styles: dict[str, int] = defaultdict(int)
        self.decoys: list[dict[str, str]] = []
        self.template_only: dict[str, list[str]] = defaultdict(list)
        self.hotlines: dict[str, phonenumbers.PhoneNumber] = {}

    # --- small pieces ------------------------------------------------------------------------

    def _id(self) -> int:
        while True:
            value = self.rng.randrange(1_000_000, 99_999_999)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def _url(self, site: Site, slug: str) -> str:
        return f"https://{site.host}" + site.path.format(slug=slug, id=self._id())

    def _city(self, country: str) -> str:
        return self.rng.choice(wording.CITIES[country])

    def _handle_name(self, brand: str) -> str:
        return f"{brand}_{self.rng.choice(['vip', 'booking', 'team', 'eu', 'official'])}{self.rng.randrange(10, 99)}"

    # --- identifier renderings ----------------------------------------------------------------

    def render_phone(self, number: phonenumbers.PhoneNumber, page: Page) -> str:
        """The number as the page writes it; national formats only on a site of its country."""
        region = phonenumbers.region_code_for_number(number)
        international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        styles = ["international", "dashes", "dots", "nosep", "words", "whatsapp", "tel_link"]
        if region == page.site.country:
            styles += ["national", "national"]
        style = self.rng.choice(styles)
        self.styles[f"phone:{style}"] += 1
        groups = international.split(" ")
        e164 = codecs.e164(number)
        if style == "international":
            return international
        if style == "national":
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if style == "dashes":
            return groups[0] + " " + "-".join(groups[1:])
        if style == "dots":
            return ".".join(groups)
        if style == "nosep":
            return e164
        if style == "words":
            words = wording.DIGIT_WORDS[page.language]
            spelled = " ".join(words[int(d)] for d in e164[1:])
            return f"{wording.PLUS_WORD[page.language]} {spelled}"
        if style == "whatsapp":
            page.identifiers["handle"].append(f"whatsapp:{e164}")
            return f'<a href="https://wa.me/{e164[1:]}">WhatsApp</a>'
        return f'<a href="tel:{e164}">{international}</a>'

    def render_email(self, address: str, page: Page) -> str:
        local, domain = address.split("@")
        at, dot = wording.AT_DOT[page.language]
        style = self.rng.choice(["plain", "mailto", "bracket", "paren", "words"])
        self.styles[f"email:{style}"] += 1
        if style == "plain":
            return address
        if style == "mailto":
            return f'<a href="mailto:{address}">{address}</a>'
        if style == "bracket":
            return f"{local} [at] {domain.replace('.', ' [dot] ')}"
        if style == "paren":
            return f"{local}(at){domain.replace('.', '(dot)')}"
        return f"{local} [{at}] {domain.replace('.', f' [{dot}] ')}"

    def render_telegram(self, name: str) -> str:
        style = self.rng.choice(["at", "label", "tme_link", "tme_text"])
        self.styles[f"telegram:{style}"] += 1
        if style == "at":
            return f"Telegram @{name}"
        if style == "label":
            return f"Telegram: {name}"
        if style == "tme_link":
            return f'<a href="https://t.me/{name}">Telegram</a>'
        return f"t.me/{name}"

    def render_wallet(self, chain: str, address: str) -> str:
        label = {
            "btc_legacy": "BTC",
            "btc_bech32": "Bitcoin",
            "eth": "ETH / USDT (ERC-20)",
            "trx": "USDT TRC-20",
        }
        self.styles[f"wallet:{chain}"] += 1
        return f"{label.get(chain, chain.upper())}: <code>{address}</code>"

    # --- pages -------------------------------------------------------------------------------

    def _page(self, site: Site, slug: str, language: str | None = None, country: str | None = None) -> Page:
        country = country or site.country
        page = Page(
            url=self._url(site, slug),
            site=site,
            language=language or site.language,
            city=self._city(country if country in wording.CITIES else site.country),
            country=country,
        )
        self.pages[page.url] = page
        return page

    def _slots(self, page: Page) -> dict[str, Any]:
        lang = page.language
        hobbies = self.rng.sample(wording.HOBBIES[lang], 2)
        return {
            "name": self.rng.choice(wording.NAMES),
            "age": self.rng.randrange(21, 34),
            "city": page.city,
            "price": self.rng.randrange(12, 30) * 10,
            "price2": self.rng.randrange(30, 50) * 10,
            "fee": self.rng.randrange(15, 60) * 10,
            "salary": self.rng.randrange(18, 36) * 100,
            "job": self.rng.choice(wording.JOBS[lang]),
            "company": "",
            "item": self.rng.choice(wording.ITEMS[lang]),
            "hobby": hobbies[0],
            "hobby2": hobbies[1],
        }

    def network(self, code: str, exploitation: str, languages: tuple[str, ...], hosts: tuple[str, ...],
                regions: tuple[str, ...], count: int) -> None:  # fmt: skip
        """A criminal group: controller contacts shown in a chain, two templates, one text-only page."""
        rng = self.rng
        brand = rng.choice(["golden", "velvet", "rose", "star", "euro", "prime", "nova"]) + "_" + code.lower()
        contacts: list[tuple[str, str]] = []
        for region in regions:
            contacts.append(("phone", codecs.e164(codecs.mobile(region, rng))))
        contacts.append(("handle", f"telegram:{self._handle_name(brand)}"))
        contacts.append(("email", f"{brand.replace('_', '.')}{rng.randrange(10, 99)}@{rng.choice(WEBMAIL)}"))
        chain = rng.choice(["btc_legacy", "btc_bech32", "eth", "trx"])
        contacts.append(("wallet", codecs.wallet(chain, rng)))
        rng.shuffle(contacts)
        sites = [s for s in SITES if s.host in hosts]
        if exploitation == "sexual":
            templates = [rng.choice(wording.ESCORT[lang]) for lang in languages]
            codes = rng.sample(SEXUAL_CODES, 3)
        else:
            templates = [wording.LABOUR[lang] for lang in languages]
            codes = rng.sample(LABOUR_CODES, 3)
        signature = {
            lang: " ".join(
                rng.choice(wording.INDICATORS[c][lang]) for c in codes if lang in wording.INDICATORS[c]
            )
            for lang in languages
        }
        text_only = count - 1  # the last page shares the template and nothing else
        for n in range(count):
            site = sites[n % len(sites)]
            t = n % len(languages)
            lang = languages[t]
            country = rng.choice(regions) if rng.random() < 0.5 else site.country
            page = self._page(site, f"{brand.split('_')[0]}-{n}", language=lang, country=country)
            page.network, page.template, page.suspect = code, f"{code}-T{t + 1}", True
            page.codes = [c for c in codes if lang in wording.INDICATORS[c]]
            slots = self._slots(page)
            opening, closing = templates[t]
            page.title = opening.format(**slots).split(",")[0][:60]
            page.body = [opening.format(**slots), signature[lang].format(**slots), closing.format(**slots)]
            if n == text_only:
                self.template_only[code].append(page.url)
                own = codecs.e164(codecs.mobile(page.site.country, rng))
                self._show(page, "phone", own)
                continue
            shown = [contacts[n % len(contacts)], contacts[(n + 1) % len(contacts)]]
            for kind, value in shown:
                self._show(page, kind, value, chain=chain)

    def _show(self, page: Page, kind: str, value: str, *, chain: str = "") -> None:
        label = wording.CONTACT[page.language]
        if kind == "phone":
            rendered = self.render_phone(phonenumbers.parse(value), page)
            page.identifiers["phone"].append(value)
        elif kind == "email":
            rendered = self.render_email(value, page)
            page.identifiers["email"].append(value)
        elif kind == "handle":
            rendered = self.render_telegram(value.split(":", 1)[1])
            page.identifiers["handle"].append(value)
        else:
            rendered = self.render_wallet(chain, value)
            page.identifiers["wallet"].append(value)
            if (
                "crypto_only" not in page.codes
                and page.suspect
                and page.language in wording.INDICATORS["crypto_only"]
            ):
                page.codes.append("crypto_only")
                page.body.append(self.rng.choice(wording.INDICATORS["crypto_only"][page.language]))
        page.contact.append(f"<p>{label}: {rendered}</p>")

    def benign(self) -> None:
        """Dating profiles, vacancies, classifieds and news, with innocent overlaps."""
        rng = self.rng
        for site in SITES:
            for _ in range({"dating": 2, "job": 2, "marketplace": 2, "other": 1, "escort": 0}[site.kind]):
                self._benign_page(site)
        company_site = next(s for s in SITES if s.host == "www.werkpunt.nl")
        phone = codecs.e164(codecs.mobile("NL", rng))
        email = f"vacatures@{rng.choice(['bakkerij-smit', 'groenteveiling-west'])}.nl"
        company = rng.choice(["Smit Bakkerij B.V.", "Groenteveiling West B.V."])
        for _ in range(2):
            page = self._benign_page(company_site, company=company)
            page.network, page.template = "B1", "B1-T1"
            self._show(page, "phone", phone)
            self._show(page, "email", email)

    def _benign_page(self, site: Site, company: str = "") -> Page:
        rng = self.rng
        lang = site.language
        page = self._page(site, site.kind)
        slots = self._slots(page)
        slots["company"] = company or rng.choice(["Logistik Meyer GmbH", "Nordfrucht", "CleanPro", "Vitalis"])
        if site.kind == "dating":
            sentences = rng.sample(wording.DATING[lang], 4)
        elif site.kind == "job":
            sentences = [wording.JOB[lang][0], rng.choice(wording.JOB[lang][1:])]
            sentences += rng.sample(wording.JOB_EXTRA[lang], 2)
        elif site.kind == "marketplace":
            sentences = wording.MARKET[lang][:]
        else:
            sentences = wording.NEWS[lang][:]
        page.body = [s.format(**slots) for s in sentences]
        if rng.random() < 0.5 and site.kind != "other":
            page.body.append(rng.choice(wording.BENIGN_OVERLAPS[lang]))
        page.title = page.body[0][:60]
        if site.kind in ("dating", "marketplace") and not company and rng.random() < 0.7:
            self._show(page, "phone", codecs.e164(codecs.mobile(site.country, rng)))
        if site.kind == "marketplace" and not self.decoys:
            address = codecs.wallet("btc_legacy", rng)
            fake = codecs.decoy(address, rng)
            page.body.append(f"BTC: {fake}")
            self.decoys.append({"page": page.url, "value": fake, "kind": "btc_legacy",
                                "why": "one character changed; checksum does not verify"})  # fmt: skip
        return page

    # --- HTML and WARC -----------------------------------------------------------------------

    def html(self, page: Page) -> bytes:
        site = page.site
        menu = {
            "escort": "Escort",
            "dating": "Dating",
            "job": "Jobs",
            "marketplace": "Markt",
            "other": "News",
        }
        crumbs = f"<nav class='crumbs'><a href='/'>{site.bare}</a> › {menu[site.kind]} › {page.city}</nav>"
        hotline = ""
        if site.hotline:
            hotline = " · " + phonenumbers.format_number(
                self.hotlines[site.host], phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
        paragraphs = "".join(f"<p>{p}</p>" for p in page.body)
        contact = "".join(page.contact)
        return (
            f"<!doctype html><html lang='{page.language}'><head><meta charset='utf-8'>"
            f"<title>{page.title} | {site.bare}</title></head><body>"
            f"<header><a href='/'>{site.bare}</a><nav><a href='/'>Home</a> <a href='/help'>?</a></nav></header>"
            f"<main>{crumbs}<article><h1>{page.title}</h1>{paragraphs}"
            f"<section class='contact'>{contact}</section></article></main>"
            f"<footer>© 2026 {site.bare} · <a href='mailto:{site.support}'>{site.support}</a>{hotline}</footer>"
            "</body></html>"
        ).encode()

    def serve(self) -> None:
        self.hotlines = {s.host: codecs.mobile(s.country, self.rng) for s in SITES if s.hotline}
        for url, page in self.pages.items():
            self.responses[url] = (200, "text/html; charset=utf-8", self.html(page), None)

    def boilerplate(self, page: Page) -> dict[str, list[str]]:
        phones = [codecs.e164(self.hotlines[page.site.host])] if page.site.hotline else []
        return {"phone": phones, "email": [page.site.support]}


# --- spelling a pasted URL -------------------------------------------------------------------


def _spellings(url: str) -> tuple[str, ...]:
    """The spellings that apply to a URL (query order only where there are two parameters)."""
    return tuple(s for s in SPELLINGS if s != "reorder" or url.count("=") >= 2)


def _spell(url: str, how: str, rng: random.Random) -> str:
    """`url` as a participant might paste it, spelled the `how` way."""
    if how == "plain":
        return url
    _, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    path = "/" + path
    if how == "http":
        return f"http://{host}{path}"
    if how == "www":
        return f"https://{host[4:] if host.startswith('www.') else 'www.' + host}{path}"
    if how == "upper":
        return f"https://{host.upper()}{path}"
    if how == "port":
        return f"https://{host}:443{path}"
    if how == "slash":
        return url + "/" if "?" not in url else url.replace("?", "/?", 1)
    if how == "fragment":
        return url + rng.choice(["#contact", "#top", "#gallery"])
    if how == "track":
        joiner = "&" if "?" in url else "?"
        return (
            url
            + joiner
            + rng.choice(["utm_source=telegram&utm_medium=social", "fbclid=IwAR0x9", "gclid=Cj0KCQ"])
        )
    if how == "reorder":
        base, query = url.split("?", 1)
        return base + "?" + "&".join(reversed(query.split("&")))
    if how == "defang":
        dots = 1 if rng.random() < 0.5 else host.count(".")
        return "hxxps://" + host.replace(".", rng.choice(["[.]", "(.)"]), dots) + path
    raise ValueError(how)


def _pasted(b: _Builder, url: str, how: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A page's URL spelled the `how` way, its truth row, and the redirect the spelling needs."""
    if how == "mobile_host":
        host = url.split("/")[2]
        raw = url.replace(host, "m." + host.removeprefix("www."), 1)
        b.responses[raw] = (301, "text/html; charset=utf-8", b"", url)
        return raw, {
            "raw": raw,
            "canonical": url,
            "kind": "mobile_redirect",
            "fetch": "redirect_then_html",
            "variants": [],
        }
    raw = _spell(url, how, rng)
    if how == "http":
        b.responses.setdefault(raw, (301, "text/html; charset=utf-8", b"", url))
    variants = [] if how == "plain" else [how]
    return raw, {"raw": raw, "canonical": url, "kind": "page", "fetch": "html", "variants": variants}


def _defanged(raw: str) -> bool:
    return raw.startswith("hxxp") or "[.]" in raw or "(.)" in raw


def generate(seed: int = SEED) -> Week:
    """The whole week from one seed (deterministic)."""
    b = _Builder(seed)
    rng = b.rng
    for spec in NETWORKS:
        b.network(*spec)
    b.benign()
    b.serve()

    participants: dict[str, dict[str, str]] = {}
    for n, (country, names) in enumerate(sorted(PEOPLE.items())):
        for m, name in enumerate(names):
            if (n + m) % 3 == 0:
                uid = "slack:U0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
                participants[uid] = {"name": name, "country": country, "platform": "slack"}
            else:
                participants[f"tg:{3000 + len(participants)}"] = {
                    "name": name,
                    "country": country,
                    "platform": "telegram",
                }
    people = sorted(participants)

    # Each entry: (text parts, pasted rows); text is assembled in time order.
    events: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = []
    page_urls = list(b.pages)
    rng.shuffle(page_urls)
    first_by: dict[str, str] = {}
    pending: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = []
    for url in page_urls:
        who = rng.choice(people)
        how = rng.choice(("plain",) * 5 + tuple(s for s in _spellings(url) if s != "mobile_host"))
        raw, row = _pasted(b, url, how, rng)
        events.append((who, [(raw, row)]))
        if rng.random() < 0.25:
            again = rng.choice([p for p in people if p != who])
            raw2, row2 = _pasted(b, url, rng.choice(_spellings(url)), rng)
            pending.append((again, [(raw2, row2)]))
    # re-reports come later in the week, in a shuffled order
    rng.shuffle(pending)
    for who, rows in pending:
        events.insert(rng.randrange(len(events) // 3, len(events) + 1), (who, rows))
    # two links in one message
    for _ in range(3):
        i = rng.randrange(len(events) - 1)
        if len(events[i][1]) == 1 and len(events[i + 1][1]) == 1:
            events[i] = (events[i][0], events[i][1] + events.pop(i + 1)[1])

    # short links and an http hop
    for n, short in enumerate(("https://bit.ly/", "https://tinyurl.com/")):
        target = rng.choice([u for u in b.pages])
        code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789") for _ in range(7))
        hop = target.replace("https://", "http://", 1) if n == 0 else target
        b.responses[short + code] = (301, "text/html; charset=utf-8", b"", hop)
        if hop != target:
            b.responses[hop] = (301, "text/html; charset=utf-8", b"", target)
        row = {
            "raw": short + code,
            "canonical": target,
            "kind": "shortlink",
            "fetch": "redirect_then_html",
            "variants": [],
        }
        events.insert(rng.randrange(len(events)), (rng.choice(people), [(short + code, row)]))
    # answers that are not pages
    other_sites = [s for s in SITES if s.kind in ("escort", "job")]
    for _ in range(2):
        url = b._url(rng.choice(other_sites), "expired")
        b.responses[url] = (404, "text/html; charset=utf-8", b"<html><body>404</body></html>", None)
        row = {"raw": url, "canonical": url, "kind": "not_found", "fetch": "not_found", "variants": []}
        events.insert(rng.randrange(len(events)), (rng.choice(people), [(url, row)]))
    image = b._url(rng.choice(SITES), "photo")
    b.responses[image] = (200, "image/jpeg", b"\xff\xd8\xff\xe0JFIF-not-really", None)
    events.insert(rng.randrange(len(events)), (rng.choice(people), [(image, {
        "raw": image, "canonical": image, "kind": "non_html", "fetch": "refuse_non_html", "variants": []})]))  # fmt: skip
    # must-not-fetch targets
    a_page = rng.choice(list(b.pages))
    onions = [f"http://{codecs.onion_v3(rng)}/", f"http://{codecs.onion_v3(rng)}/market"]
    forbidden = [
        ("ssrf_loopback", f"http://127.0.0.1:{rng.choice([8000, 8080, 9200])}/admin"),
        ("ssrf_metadata", "http://169.254.169.254/latest/meta-data/iam/"),
        ("credentials_url", a_page.replace("https://", "https://admin:secret@", 1)),
        ("javascript_uri", "javascript:alert(document.cookie)"),
        ("data_uri", "data:text/html;base64,PGgxPmhpPC9oMT4="),
        ("file_uri", "file:///etc/shadow"),
        ("idn_homoglyph", "https://www.faсebook.com/profile.php?id=4"),  # Cyrillic с
        ("onion", onions[0].replace(".onion", "[.]onion")),
        ("onion", onions[1]),
    ]
    adversarial = []
    for kind, raw in forbidden:
        row = {"raw": raw, "canonical": None, "kind": kind, "fetch": "must_not_fetch", "variants": []}
        events.insert(rng.randrange(len(events)), (rng.choice(people), [(raw, row)]))
        if kind != "onion":
            adversarial.append({"kind": kind, "raw": raw})

    # typed identifiers and noise
    typed: list[tuple[str, dict[str, list[str]]]] = []
    network_pages = [p for p in b.pages.values() if p.network and p.network.startswith("N")]
    for kind in ("phone", "wallet", "email", "handle"):
        value = rng.choice(
            [v for p in network_pages for v in p.identifiers[kind] if not v.startswith("whatsapp:")]
        )
        if kind == "phone":
            shown = phonenumbers.format_number(
                phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            text = f"Anyone seen {shown} before? It came up in a national case."
        elif kind == "wallet":
            text = f"{value} – does anyone know this wallet?"
        elif kind == "email":
            text = f"Deconfliction request: {value}"
        else:
            text = f"TG @{value.split(':', 1)[1]} keeps coming up, anyone has it?"
        ids: dict[str, list[str]] = {"phone": [], "email": [], "wallet": [], "handle": []}
        ids[kind].append(value)
        typed.append((text, ids))
    for text, ids in typed:
        events.insert(
            rng.randrange(len(events)), (rng.choice(people), [("\0typed", {"text": text, "ids": ids})])
        )
    for line in rng.sample(wording.CHAT_NOISE, 10):
        events.insert(rng.randrange(len(events)), (rng.choice(people), [("\0noise", {"text": line})]))

    # timestamps over five working days
    messages: list[dict[str, Any]] = []
    pasted: list[dict[str, Any]] = []
    text_identifiers: list[dict[str, Any]] = []
    per_day = -(-len(events) // 5)
    for index, (who, rows) in enumerate(events):
        day, slot = divmod(index, per_day)
        minutes = 8 * 60 + 30 + slot * (600 // per_day) + rng.randrange(0, 600 // per_day)
        ts = FIRST_DAY + timedelta(days=day, minutes=minutes, seconds=rng.randrange(60))
        person = participants[who]
        if rows[0][0] == "\0typed":
            text = rows[0][1]["text"]
            text_identifiers.append({"msg_index": index, "identifiers": rows[0][1]["ids"]})
        elif rows[0][0] == "\0noise":
            text = rows[0][1]["text"]
        else:
            tokens = []
            for raw, row in rows:
                wrap = person["platform"] == "slack" and rng.random() < 0.3
                tokens.append(f"<{raw}>" if wrap else raw)
                canonical = row["canonical"]
                # a canonical pasted in an earlier message is a re-report of its first paster
                is_duplicate = canonical is not None and canonical in first_by
                first = first_by.setdefault(canonical, who) if canonical else None
                pasted.append({
                    "msg_index": index, "raw": raw, "canonical": canonical,
                    "first_reporter": first, "is_duplicate": is_duplicate,
                    "kind": row["kind"], "fetch": row["fetch"], "defanged": _defanged(raw),
                    "variants": row["variants"],
                })  # fmt: skip
            prefix = rng.choice(wording.CHAT_PREFIX)
            text = prefix + "\n".join(tokens) if len(tokens) > 1 else prefix + tokens[0]
        messages.append({
            "ts": ts.isoformat(), "platform": person["platform"], "chat": CHAT,
            "user": {"id": who, "name": person["name"], "country": person["country"]}, "text": text,
        })  # fmt: skip

    # truth
    phone_cities: dict[str, set[str]] = defaultdict(set)
    for page in b.pages.values():
        if page.suspect:
            for phone in page.identifiers["phone"]:
                phone_cities[phone].add(page.city)
    pages_truth: dict[str, Any] = {}
    networks: dict[str, list[str]] = defaultdict(list)
    for url, page in sorted(b.pages.items()):
        codes = list(page.codes)
        if page.suspect and any(len(phone_cities[p]) >= 2 for p in page.identifiers["phone"]):
            codes.append("multiple_cities")
        pages_truth[url] = {
            "platform_kind": page.site.kind,
            "thb_suspect": page.suspect,
            "network": page.network,
            "template": page.template,
            "identifiers": {k: sorted(set(v)) for k, v in page.identifiers.items()},
            "indicators": sorted(set(codes)) if page.suspect else [],
            "site_boilerplate": b.boilerplate(page),
            "site": page.site.bare,
            "language": page.language,
            "country": page.country,
            "city": page.city,
        }
        if page.network:
            networks[page.network].append(url)
    network_info = {
        code: {"suspect": code.startswith("N"), "template_only": sorted(b.template_only.get(code, []))}
        for code in networks
    }
    other_records = {
        url: {"status": status, "content_type": ctype, "location": location}
        for url, (status, ctype, _, location) in b.responses.items()
        if status != 200 or "html" not in ctype
    }
    truth = {
        "variant": "synthetic-week",
        "seed": seed,
        "participants": participants,
        "pasted": pasted,
        "pages": pages_truth,
        "networks": dict(networks),
        "network_info": network_info,
        "text_identifiers": text_identifiers,
        "adversarial": adversarial,
        "darkweb": [{"url": url, "platform_kind": "darkweb", "fetch": "must_not_fetch"} for url in onions],
        "other_records": other_records,
        "decoys": b.decoys,
        "styles": dict(sorted(b.styles.items())),
    }
    return Week(messages=messages, responses=b.responses, truth=truth)


def write(week: Week, folder: Path) -> Path:
    """messages.jsonl, pages.warc.gz and truth.json in `folder` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(message, ensure_ascii=False) for message in week.messages]
    (folder / "messages.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "truth.json").write_text(json.dumps(week.truth, ensure_ascii=False, indent=1), "utf-8")
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = FIRST_DAY.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for url, (status, content_type, body, location) in week.responses.items():
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if location:
            headers.append(("Location", location))
        reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[status]
        http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
        )
        writer.write_record(record)
    (folder / "pages.warc.gz").write_bytes(buffer.getvalue())
    assert gzip.decompress(buffer.getvalue())  # a whole, readable archive
    return folder


def describe(week: Week) -> str:
    """One line of counts, for a test's failure message or a curious reader."""
    truth = week.truth
    suspect = sum(p["thb_suspect"] for p in truth["pages"].values())
    kinds: dict[str, int] = defaultdict(int)
    for row in truth["pasted"]:
        kinds[row["kind"]] += 1
    return (
        f"{len(week.messages)} messages, {len(truth['pages'])} pages ({suspect} suspect), "
        f"{len(truth['networks'])} networks, pasted: {dict(sorted(kinds.items()))}"
    )
