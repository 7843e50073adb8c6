"""`hub export --format misp`: one MISP event, one MISP object per finding.

* Object `thb-finding` (not in MISP's template library: no standard template holds a page with
  its phones, e-mails and wallets; MISP stores objects of unknown templates as they come).
  Attributes: `url` (url), `canonical-url` (url), `domain` (domain), `phone-number`
  (phone-number), `email` (email), `wallet-btc` (btc), `wallet-xmr` (xmr), other chains
  (`wallet-eth`, `wallet-trx`, `wallet-ltc`: MISP has no type for them, so text),
  `handle` (text, `platform:name`), `title` (text), `indicator` (text, the quoted evidence
  as comment), `sha256` (sha256 of the fetched page).
* Tags on the object's `url` attribute: `action-week:indicator="<code>"`,
  `action-week:potential-victim` / `potential-perpetrator` (human judgements),
  `action-week:thb-suspect`, `action-week:network="N3"`, `action-week:suppressed` (CSAM policy).
* Correlations: MISP correlates equal attribute values itself; in addition every network
  link becomes an object reference (`related-to`, comment "shared phone +31…") between the
  two findings' objects, so the network survives in tools that do not correlate.
* Nothing is marked for IDS (`to_ids` false) and distribution is "your organisation only":
  these are victims' and suspects' contacts, not blocklist material.
* Object UUIDs are derived from canonical URLs, so re-exports update rather than
  duplicate what an analyst already imported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymisp import MISPEvent, MISPObject

from commands.export.details import ExportDetails
from commands.references import counted
from extraction.identifiers.kinds import misp_form

NAMESPACE = uuid.UUID("6f1d1d1e-5c1a-4f4e-9a51-7d0c1f0b7a11")  # the hub's own UUIDv5 namespace
OBJECT_NAME = "thb-finding"
TAG = "action-week"
HUMAN_TAGS = {"potential_victim": "potential-victim", "potential_perpetrator": "potential-perpetrator"}

Progress = Callable[[int, int], None]


def stable_uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def misp_event(
    document: dict[str, Any], details: ExportDetails, *, progress: Progress | None = None
) -> MISPEvent:
    """The MISP event of the JSON export `document`."""
    event = MISPEvent()
    event.info = f"Action week hub export — {counted(len(document['findings']), 'finding')}"
    event.set_date(datetime.fromisoformat(document["generated_at"]).date())
    event.distribution = 0
    event.threat_level_id = 2
    event.analysis = 1
    event.add_tag("tlp:amber")
    objects: dict[int, MISPObject] = {}
    total = len(document["findings"])
    for done, finding in enumerate(document["findings"], 1):
        objects[finding["id"]] = _finding_object(finding, details)
        if progress:
            progress(done, total)
    for link in details.links:
        a, b = objects.get(link.finding_a), objects.get(link.finding_b)
        if a is None or b is None:
            continue
        what = "copied ad text" if link.kind == "text" else f"shared {link.kind}"
        a.add_reference(b.uuid, "related-to", comment=f"{what} {link.value}")
    for obj in objects.values():
        event.add_object(obj)
    return event


def misp_json(event: MISPEvent) -> bytes:
    return event.to_json(indent=1).encode("utf-8")


def _finding_object(finding: dict[str, Any], details: ExportDetails) -> MISPObject:
    fid = finding["id"]
    obj = MISPObject(OBJECT_NAME, strict=False, standalone=False)
    obj.uuid = stable_uuid("finding", finding["canonical_url"])
    obj.template_uuid = stable_uuid("template", OBJECT_NAME)
    obj.template_version = "1"
    obj["meta-category"] = "misc"
    obj.description = "A page pasted by an investigator during a THB action week"
    country = details.countries.get(finding["reporter"], "")
    obj.comment = (
        f"Finding #{fid} ({finding['platform_kind']}) first reported by {finding['reporter']}"
        f"{f' ({country})' if country else ''} at {finding['reported_at']}; "
        f"{len(finding['duplicate_reports'])} more reports"
    )
    first_seen = finding["reported_at"]
    url = obj.add_attribute("url", value=finding["url"], type="url", to_ids=False, first_seen=first_seen)
    for tag in _tags(finding):
        if url is not None:
            url.add_tag(tag)
    if finding["canonical_url"] != finding["url"]:
        obj.add_attribute("canonical-url", value=finding["canonical_url"], type="url", to_ids=False)
    if finding["platform"]:
        obj.add_attribute("domain", value=finding["platform"], type="domain", to_ids=False)
    if finding.get("suppressed"):
        return obj  # the CSAM policy: the address only, nothing of the page
    for ident in finding["identifiers"]:
        relation, misp_type, value = _identifier_attribute(ident["kind"], ident["value"])
        obj.add_attribute(relation, value=value, type=misp_type, to_ids=False, comment=ident["value"])
    title = details.titles.get(fid)
    if title:
        obj.add_attribute("title", value=title, type="text", to_ids=False, disable_correlation=True)
    for code, quote in details.evidence.get(fid, []):
        obj.add_attribute("indicator", value=code, type="text", to_ids=False, comment=quote[:300])
    if finding["fetch"]["sha256"]:
        obj.add_attribute("sha256", value=finding["fetch"]["sha256"], type="sha256", to_ids=False)
    return obj


def _identifier_attribute(kind: str, value: str) -> tuple[str, str, str]:
    """(object relation, MISP type, value) for one identifier, as its kind's row says
    (extraction/identifiers/kinds.py); a kind without a MISP form raises `UnmappedKind`."""
    return misp_form(kind).attribute(value)


def _tags(finding: dict[str, Any]) -> list[str]:
    tags = [f'{TAG}:indicator="{code}"' for code in finding["indicators"]]
    tags += [f"{TAG}:{HUMAN_TAGS[t]}" for t in finding["tags"] if t in HUMAN_TAGS]
    tags += [f'{TAG}:tag="{t}"' for t in finding["tags"] if t not in HUMAN_TAGS]
    if finding["thb_suspect"]:
        tags.append(f"{TAG}:thb-suspect")
    if finding["network"]:
        tags.append(f'{TAG}:network="{finding["network"]}"')
    if finding.get("suppressed"):
        tags.append(f"{TAG}:suppressed")
    return tags
