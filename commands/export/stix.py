"""`hub export --format stix`: a STIX 2.1 bundle.

* Each finding is an `indicator` (pattern `[url:value = '…']`, valid from its first report;
  labels: indicator codes, human tags, `thb-suspect`), with `url` and `domain-name`
  observables.
* Identifiers are observables, shared across findings (STIX derives their ids from their
  values, so the same phone is one object however many ads carry it):
  e-mail → `email-addr`; handle → `user-account` (`account_type` = platform, `account_login`
  = name); phone → custom observable `x-phone-number` (`value`, E.164): STIX 2.1 has no phone
  observable, and a phone is not an account, so we did not bend `user-account`;
  wallet → custom observable `x-cryptocurrency-wallet` (`value` = address, `chain`).
  A finding is tied to each of its identifiers by a `related-to` relationship.
* Networks: a `grouping` per network (its findings' indicators and the identifiers that join
  them), and a `related-to` relationship between two findings for every link ("shared phone
  +31…", "copied ad text 0.93").
* Custom properties start with `x_action_week_`; read the bundle with
  `stix2.parse(text, allow_custom=True)`.
* Ids are UUIDv5 of what they describe, so a re-export names the same things the same way.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import stix2
from stix2.properties import StringProperty

from commands.export.details import ExportDetails
from extraction.identifiers.kinds import stix_form

NAMESPACE = uuid.UUID("0b5a2d6e-93c4-4c5e-8d4e-4b9c5f1f2a37")  # the hub's own UUIDv5 namespace

Progress = Callable[[int, int], None]


# Observable types STIX 2.1 defines; any other type in the kinds table is declared below.
BUILT_IN = {"email-addr": stix2.EmailAddress, "user-account": stix2.UserAccount}


@functools.cache
def _custom_observable(type_: str, fields: tuple[str, ...]) -> Any:
    """A custom observable class for a kind STIX does not define, declared on first use (stix2
    keeps a registry of them: declaring one at import time would be a side effect of importing)."""
    cls = type(type_.replace("-", "_"), (), {"__doc__": f"The hub's {type_} observable."})
    return stix2.CustomObservable(type_, [(f, StringProperty(required=True)) for f in fields], list(fields))(
        cls
    )


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def pattern_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def identifier_observable(kind: str, value: str) -> Any:
    """The STIX observable of an identifier in the contract spelling, as its kind's row says
    (extraction/identifiers/kinds.py); a kind without a STIX form raises `UnmappedKind`."""
    form = stix_form(kind)
    cls = BUILT_IN.get(form.type) or _custom_observable(form.type, form.fields)
    return cls(**form.properties(value))


def stix_bundle(
    document: dict[str, Any], details: ExportDetails, *, progress: Progress | None = None
) -> stix2.Bundle:
    """The STIX bundle of the JSON export `document`."""
    generated = datetime.fromisoformat(document["generated_at"])
    hub = stix2.Identity(
        id=stix_id("identity", "action-week-hub"), name="Action week hub", identity_class="system"
    )
    objects: dict[str, Any] = {hub.id: hub}
    indicators: dict[int, str] = {}
    observables: dict[tuple[str, str], str] = {}

    def add(obj: Any) -> str:
        objects.setdefault(obj.id, obj)
        return str(obj.id)

    total = len(document["findings"])
    for done, finding in enumerate(document["findings"], 1):
        indicator = _indicator(finding, details, hub.id, generated)
        indicators[finding["id"]] = add(indicator)
        page = add(stix2.URL(value=finding["canonical_url"]))
        _relate(add, indicator.id, page, "the page", hub.id, generated)
        if finding["platform"]:
            site = add(stix2.DomainName(value=finding["platform"]))
            _relate(add, indicator.id, site, "the site", hub.id, generated)
        for ident in finding["identifiers"]:
            key = (ident["kind"], ident["value"])
            if key not in observables:
                observables[key] = add(identifier_observable(*key))
            _relate(add, indicator.id, observables[key], f"{key[0]} on the page", hub.id, generated)
        if progress:
            progress(done, total)
    for link in details.links:
        a, b = indicators.get(link.finding_a), indicators.get(link.finding_b)
        if a and b:
            what = "copied ad text" if link.kind == "text" else f"shared {link.kind}"
            _relate(add, a, b, f"{what} {link.value}", hub.id, generated)
    for network in document["networks"]:
        refs = [indicators[f] for f in network["findings"] if f in indicators]
        refs += [
            observables[(v["kind"], v["value"])]
            for v in network["via"]
            if (v["kind"], v["value"]) in observables
        ]
        if refs:
            add(
                stix2.Grouping(
                    id=stix_id("grouping", network["id"]),
                    name=f"Network {network['id']}",
                    description="Findings linked by shared identifiers or copied ad text",
                    context="suspicious-activity" if network.get("thb") else "unspecified",
                    object_refs=refs,
                    created_by_ref=hub.id,
                    created=generated,
                    modified=generated,
                    allow_custom=True,
                )
            )
    return stix2.Bundle(objects=list(objects.values()), allow_custom=True)


def stix_json(bundle: stix2.Bundle) -> bytes:
    # pretty=True orders keys STIX-style but takes seconds per thousand objects; indent is enough.
    return bundle.serialize(indent=1).encode("utf-8")


def _indicator(finding: dict[str, Any], details: ExportDetails, hub: str, generated: datetime) -> Any:
    fid = finding["id"]
    reported = datetime.fromisoformat(finding["reported_at"])
    suppressed = bool(finding.get("suppressed"))
    labels = list(finding["indicators"]) + list(finding["tags"])
    labels += ["thb-suspect"] if finding["thb_suspect"] else []
    labels += ["suppressed"] if suppressed else []
    title = None if suppressed else details.titles.get(fid)
    quotes = [] if suppressed else details.evidence.get(fid, [])
    description = "; ".join(f"{code}: {quote}" for code, quote in quotes if quote) or None
    return stix2.Indicator(
        id=stix_id("indicator", finding["canonical_url"]),
        name=f"Finding #{fid} on {finding['platform'] or 'unknown site'}" + (f" — {title}" if title else ""),
        description=description,
        indicator_types=["anomalous-activity" if finding["thb_suspect"] else "unknown"],
        pattern=f"[url:value = {pattern_literal(finding['canonical_url'])}]",
        pattern_type="stix",
        valid_from=reported,
        created=min(reported, generated),
        modified=generated,
        created_by_ref=hub,
        labels=labels or None,
        allow_custom=True,
        **_custom_properties(finding, details),
    )


def _custom_properties(finding: dict[str, Any], details: ExportDetails) -> dict[str, Any]:
    values = {
        "x_action_week_finding_id": finding["id"],
        "x_action_week_platform_kind": finding["platform_kind"],
        "x_action_week_reporter": finding["reporter"],
        "x_action_week_reporter_country": details.countries.get(finding["reporter"]),
        "x_action_week_network": finding["network"],
        "x_action_week_page_sha256": finding["fetch"]["sha256"],
    }
    return {k: v for k, v in values.items() if v is not None}


def _relate(add: Callable[[Any], str], source: str, target: str, why: str, hub: str, at: datetime) -> None:
    add(
        stix2.Relationship(
            id=stix_id("relationship", f"{source}|{target}|{why}"),
            source_ref=source,
            target_ref=target,
            relationship_type="related-to",
            description=why,
            created_by_ref=hub,
            created=at,
            modified=at,
            allow_custom=True,  # targets may be our x- observables
        )
    )
