"""Why an item is unplaced, and why a programme is infeasible, in plain words.

The first half of every explanation is the pruning: each rule said why a meeting is out for a
unit (`Unit.pruned`). The second half reads the solved agendas (each rule's `explain` says what
fills the meetings that were possible) or, for an infeasible programme, the conflicting rule
instances that CP-SAT's assumptions named (each rule's `describe` puts one in words).
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.plan.model import Unplaced
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Crowd, Rule
from scheduler.solver.rules.r1_placement import NO_MEETINGS, too_few_meetings


def waiting_entries(e: Expansion) -> list[Unplaced]:
    """Units held back by an undated event, with that reason."""
    return [
        Unplaced(item=u.item.id, title=u.title, occurrence=u.occurrence, reasons=list(u.waits))
        for u in e.units
        if u.waits
    ]


def unplaced_entries(
    e: Expansion, placements: dict[str, list[str]], rules: Iterable[Rule]
) -> list[Unplaced]:
    """Units the solver left out (they could not all fit), each with its reasons."""
    rules, crowd = list(rules), Crowd.of(e, placements)
    out = []
    for unit in e.units:
        if unit.waits or placements.get(unit.key) or unit.item.kind == "standing" or unit.person:
            continue
        if unit.candidates:
            reasons = crowding_reasons(e, unit, crowd, rules)
        else:
            reasons = pruning_reasons(unit)
        out.append(
            Unplaced(
                item=unit.item.id, title=unit.title, occurrence=unit.occurrence, reasons=reasons
            )
        )
    return out


def pruning_reasons(unit: Unit) -> list[str]:
    """Why each meeting of the body is out, one line per distinct reason."""
    by_reason: dict[str, list[str]] = {}
    for meeting, reasons in unit.pruned.items():
        for reason in reasons:
            by_reason.setdefault(reason, []).append(meeting)
    if not by_reason:
        return [NO_MEETINGS]
    return [
        f"{reason} (rules out {', '.join(ms)})"
        if len(ms) > 1 and not _names_meeting(reason, ms)
        else reason
        for reason, ms in by_reason.items()
    ]


def _names_meeting(reason: str, meetings: list[str]) -> bool:
    return any(m in reason for m in meetings)


def crowding_reasons(e: Expansion, unit: Unit, crowd: Crowd, rules: Iterable[Rule]) -> list[str]:
    """What fills each meeting the unit could have used: the first rule, in rule order, that
    explains it; then why the other meetings were out."""
    explaining = [rule.explain for rule in rules if rule.explain]
    reasons = [line for explain in explaining if (line := explain(e, unit, crowd, None))]
    for meeting in unit.candidates:
        why = (line for explain in explaining if (line := explain(e, unit, crowd, meeting)))
        reasons.append(
            next(why, None)
            or f"{meeting}: placing it there breaks another rule or displaces an item "
            "of equal or higher priority"
        )
    reasons.extend(pruning_reasons(unit) if unit.pruned else [])
    return reasons


def conflict_explanation(
    e: Expansion, short: list[Unit], core: list[str], rules: Iterable[Rule]
) -> list[str]:
    """Why the programme is infeasible, naming rules, items, meetings and people."""
    lines = []
    for unit in short:
        lines.extend(too_few_meetings(unit))
    if core:
        by_id = {rule.id: rule for rule in rules}
        lines.append("These rules cannot all hold together (each is needed for the conflict):")
        lines.extend(f"  {describe(e, by_id, name)}" for name in core)
        for name in core:
            named = e.units_by_key.get(name.split(":", 1)[1])
            if named is not None and named.pruned:
                lines.append(
                    f"  ('{named.title}' cannot go to: "
                    + "; ".join(f"{m}: {', '.join(r)}" for m, r in named.pruned.items())
                    + ")"
                )
    return lines or ["The rules cannot all hold together."]


def describe(e: Expansion, rules: dict[str, Rule], name: str) -> str:
    """One assumption literal's name (`RULE:subject`) in words, as its rule puts it."""
    rule_id, subject = name.split(":", 1)
    rule = rules.get(rule_id)
    if rule is None or rule.describe is None:
        return f"{rule_id}: {subject}"
    return rule.describe(e, subject)
