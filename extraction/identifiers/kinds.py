"""The one table of identifier kinds: everything the hub does with a kind is in its row.

A row says how the kind is found in text and in links, how a value typed into /lookup is read,
which icon chat shows, how the LLM sees it masked, and how STIX and MISP write it. The paste
pipeline, deconfliction, /lookup, the LLM redaction and every export read this table and
nothing else, so adding a kind (say IBAN) is one module that finds it plus one row here
(docs/contributing.md). A kind that is not in the table, or has no STIX or MISP form, is an
error where it is exported (`UnknownKind`, `UnmappedKind`) — never a silent fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from extraction.identifiers import emails, handles, phones, wallets
from extraction.types import Identifier, Source

Finder = Callable[[str, Sequence[str], Source], list[Identifier]]  # text, phone regions, source
LinkReader = Callable[[str, Sequence[str], Source], list[Identifier]]  # an href beside the text
Reader = Callable[[str], str | None]  # a whole query in a spelling only this kind has


@dataclass(frozen=True, slots=True)
class StixForm:
    """How a STIX 2.1 bundle writes a value: an observable `type` and its properties. A type
    STIX does not define (`x-…`) is declared by the exporter as a custom observable whose
    string properties are `fields`, all of which make its deterministic id."""

    type: str
    fields: tuple[str, ...]
    properties: Callable[[str], dict[str, str]]


@dataclass(frozen=True, slots=True)
class MispForm:
    """How a MISP object writes a value: (object relation, attribute type, attribute value)."""

    attribute: Callable[[str], tuple[str, str, str]]


@dataclass(frozen=True, slots=True)
class IdentifierKind:
    name: str  # the contract's `kind`, e.g. "phone"
    icon: str  # shown before a value in chat
    find: Finder
    from_link: LinkReader | None = None
    read: Reader | None = None  # /lookup: "telegram:anna", "btc:…" typed back
    lookup_order: int = 50  # /lookup tries finders in this order (an e-mail before the digits in it)
    stix: StixForm | None = None
    misp: MispForm | None = None

    def mask(self, n: int) -> str:
        """The token the LLM sees instead of the n-th value of this kind: "[phone 1]"."""
        return f"[{self.name} {n}]"


class UnknownKind(KeyError):
    """An identifier kind the table does not know."""


class UnmappedKind(LookupError):
    """A kind the table knows, without the form an exporter needs."""


class KindTable:
    """The kinds in the order the hub looks for them."""

    def __init__(self, kinds: Iterable[IdentifierKind]) -> None:
        self._kinds: dict[str, IdentifierKind] = {}
        for kind in kinds:
            self.add(kind)

    def add(self, kind: IdentifierKind) -> None:
        if kind.name in self._kinds:
            raise ValueError(f"identifier kind {kind.name} is in the table twice")
        self._kinds[kind.name] = kind

    def remove(self, name: str) -> None:
        self._kinds.pop(name, None)

    def get(self, name: str) -> IdentifierKind:
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownKind(f"no identifier kind {name!r} in extraction/identifiers/kinds.py") from None

    def all(self) -> list[IdentifierKind]:
        return list(self._kinds.values())

    def names(self) -> list[str]:
        return list(self._kinds)

    def for_lookup(self) -> list[IdentifierKind]:
        return sorted(self._kinds.values(), key=lambda kind: kind.lookup_order)


def icon(kind: str) -> str:
    """The chat icon of an identifier kind ("" for one the table does not know)."""
    try:
        return KINDS.get(kind).icon
    except UnknownKind:
        return ""


def stix_form(kind: str) -> StixForm:
    form = KINDS.get(kind).stix
    if form is None:
        raise UnmappedKind(f"identifier kind {kind!r} has no STIX form")
    return form


def misp_form(kind: str) -> MispForm:
    form = KINDS.get(kind).misp
    if form is None:
        raise UnmappedKind(f"identifier kind {kind!r} has no MISP form")
    return form


def identifiers_in(
    text: str, hrefs: Iterable[str], regions: Sequence[str], *, source: Source = "page"
) -> list[Identifier]:
    """Every identifier of every kind in `text` and the links beside it, deduplicated."""
    found: list[Identifier] = []
    kinds = KINDS.all()
    for kind in kinds:
        found += kind.find(text, regions, source)
    for href in hrefs:
        for kind in kinds:
            if kind.from_link is not None:
                found += kind.from_link(href, regions, source)
    return dedupe(found)


def dedupe(found: Iterable[Identifier]) -> list[Identifier]:
    """One identifier per (kind, value): the plainly written spelling wins over an obscured one."""
    seen: dict[tuple[str, str], Identifier] = {}
    for ident in found:
        key = (ident.kind, ident.value)
        if key not in seen or (seen[key].obscured and not ident.obscured):
            seen[key] = ident
    return list(seen.values())


def _one(found: Identifier | None) -> list[Identifier]:
    return [found] if found is not None else []


def _phone_link(href: str, regions: Sequence[str], source: Source) -> list[Identifier]:
    return _one(phones.phone_from_href(href, regions, source=source))


def _mailto(href: str, regions: Sequence[str], source: Source) -> list[Identifier]:
    if not href.lower().startswith("mailto:"):
        return []
    return emails.find_emails(href[7:].split("?")[0], source=source)


def _wallet_typed(text: str) -> str | None:
    chain, colon, address = text.partition(":")
    return wallets.wallet_value(address if colon and chain.lower() in WALLET_CHAINS else text)


def _user_account(value: str) -> dict[str, str]:
    platform, _, name = value.partition(":")
    return {"account_type": platform, "account_login": name, "user_id": name}


def _wallet_properties(value: str) -> dict[str, str]:
    chain, _, address = value.partition(":")
    return {"value": address, "chain": chain}


def _wallet_attribute(value: str) -> tuple[str, str, str]:
    chain, _, address = value.partition(":")
    if chain in MISP_WALLET_TYPES:  # MISP has attribute types for these chains' addresses
        return f"wallet-{chain}", MISP_WALLET_TYPES[chain], address
    return f"wallet-{chain}", "text", value


WALLET_CHAINS = ("btc", "eth", "trx", "xmr", "ltc")
MISP_WALLET_TYPES = {"btc": "btc", "xmr": "xmr"}

KINDS = KindTable(
    [
        IdentifierKind(
            name="phone",
            icon="☎",
            find=lambda text, regions, source: phones.find_phones(text, regions, source=source),
            from_link=lambda href, regions, source: _one(
                phones.phone_from_href(href, regions, source=source)
            ),
            # STIX 2.1 has no phone observable, and a phone is not an account: a custom one.
            lookup_order=40,
            stix=StixForm("x-phone-number", ("value",), lambda value: {"value": value}),
            misp=MispForm(lambda value: ("phone-number", "phone-number", value)),
        ),
        IdentifierKind(
            name="email",
            icon="✉",
            find=lambda text, regions, source: emails.find_emails(text, source=source),
            from_link=_mailto,
            lookup_order=10,
            stix=StixForm("email-addr", ("value",), lambda value: {"value": value}),
            misp=MispForm(lambda value: ("email", "email", value)),
        ),
        IdentifierKind(
            name="wallet",
            icon="₿",
            find=lambda text, regions, source: wallets.find_wallets(text, source=source),
            read=_wallet_typed,
            lookup_order=30,
            stix=StixForm("x-cryptocurrency-wallet", ("chain", "value"), _wallet_properties),
            misp=MispForm(_wallet_attribute),
        ),
        IdentifierKind(
            name="handle",
            icon="@",
            find=lambda text, regions, source: handles.find_handles(text, source=source),
            from_link=lambda href, regions, source: _one(handles.handle_from_url(href, source=source)),
            read=handles.qualified_handle,
            lookup_order=20,
            stix=StixForm("user-account", ("account_type", "account_login", "user_id"), _user_account),
            misp=MispForm(lambda value: ("handle", "text", value)),
        ),
    ]
)
