"""Human judgements investigators add: /victim, /perpetrator (tags on a finding) and /checked.

"Potential victim/perpetrator" is a person's judgement, never computed; each participant tags a
finding once (pressing the button again changes nothing), and every tag is audited.

/checked takes a site's domain (`kinky.nl`, a URL, or defanged). A bare name without a dot is
read as `<name>.com` (`instagram` → instagram.com), except the messengers whose links live on
another domain: telegram → t.me, whatsapp → wa.me, signal → signal.me, twitter → x.com. The
reply always says which domain was recorded, so a wrong guess is seen at once.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.markup import code
from commands.references import finding_number, get_finding, split_reference, who
from extraction.fetch.targets import refusal_reason
from extraction.platforms import registrable_domain
from extraction.refang import refang
from storage import audit
from storage import tags as store
from storage.models import Participant

BARE_NAMES = {"telegram": "t.me", "whatsapp": "wa.me", "signal": "signal.me", "twitter": "x.com"}
_BARE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_NOTHING = re.compile(r"(?:-\s*)?nothing(?:\s+found)?\.?", re.I)
CHECKED_USAGE = (
    "Usage: /checked <platform> [nothing found] — e.g. /checked kinky.nl nothing found, /checked instagram."
)


def _tag(ctx: Context, inv: Invocation, participant: Participant | None, tag: str, name: str) -> Reply:
    assert participant is not None
    tagger = participant
    token, note = split_reference(inv.args)
    number = finding_number(token)
    if number is None:
        return refusal(f"Usage: /{name} <#N> [note] — e.g. /{name} 12 adverts for three women.")
    label = tag.replace("_", " ")

    def write(session: Session) -> Reply:
        finding = get_finding(number, session=session)
        if finding is None:
            return refusal(f"#{number} does not exist.")
        if not store.add_tag(number, tag, tagger.id, note=note, at=inv.ts, session=session):
            return refusal(f"You already tagged #{number} as {label}.")
        audit.record(tagger.id, f"tag.{tag}", f"#{number}", at=inv.ts, detail={"note": note}, session=session)
        others = {t.participant_id for t in store.tags_of(number, session=session) if t.tag == tag}
        reporter = who(finding.reporter_id, session=session)
        also = f" ({len(others)} participants say so)" if len(others) > 1 else ""
        return Reply(f"🏷 #{number} tagged {label} by {tagger.name}{also}. Reported by {reporter}.")

    return ctx.record(write)


@command("victim", usage="<#N> [note]")
def victim(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Tag finding #N as showing a potential victim (your judgement; counted in the figures)."""
    return _tag(ctx, inv, participant, store.POTENTIAL_VICTIM, "victim")


@command("perpetrator", usage="<#N> [note]")
def perpetrator(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Tag finding #N as showing a potential perpetrator (your judgement; counted in the figures)."""
    return _tag(ctx, inv, participant, store.POTENTIAL_PERPETRATOR, "perpetrator")


def platform_domain(token: str) -> str | None:
    """The registrable domain a person means by `token`, or None when it names no site."""
    token = refang(token.strip()).lower().rstrip("/.")
    if not token:
        return None
    if "." not in token and "/" not in token:
        if not _BARE.fullmatch(token):
            return None
        return BARE_NAMES.get(token, f"{token}.com")
    domain = registrable_domain(token)
    return domain if domain and "." in domain else None


@command("checked", usage="<platform> [nothing found]")
def checked(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Record that you swept a platform, also when nothing was found (counts as platform checked)."""
    assert participant is not None
    sweeper = participant
    token, rest = split_reference(inv.args)
    domain = platform_domain(token) if token else None
    if domain is None or (rest and not _NOTHING.fullmatch(rest)):
        return refusal(CHECKED_USAGE)
    nothing_found = bool(rest)
    # The same guard as a pasted link: a loopback, private or local-network host is no platform.
    forbidden = refusal_reason(
        f"https://{domain}/",
        allow_private=ctx.config.allow_private_targets,
        tor_proxy=True,
        allow_lookalike=True,
    )
    if forbidden:
        return refusal(f"{code(domain)} is not a platform on the internet: {forbidden}.")

    def write(session: Session) -> Reply:
        if not store.record_check(
            domain, sweeper.id, nothing_found=nothing_found, at=inv.ts, session=session
        ):
            return refusal(f"You already recorded {code(domain)} as checked.")
        audit.record(
            sweeper.id,
            "platform.checked",
            domain,
            at=inv.ts,
            detail={"nothing_found": nothing_found, "typed": token},
            session=session,
        )
        outcome = "nothing found" if nothing_found else "checked"
        return Reply(f"✅ {code(domain)} recorded as checked by {sweeper.name} ({outcome}).")

    return ctx.record(write)
