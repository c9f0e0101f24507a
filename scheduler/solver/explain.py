"""Why an item is unplaced, and why a programme is infeasible, in words for people.

The first half of every explanation is the pruning: each rule said why a meeting is out for a
unit (`Unit.pruned`). The second half reads the solved agendas (each rule's `explain` says what
fills the meetings that were possible) or, for a `must` item no plan can hold, the smallest set of
rule instances in conflict (`solver.conflicts`; each rule's `describe` puts one in words).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scheduler.plan.model import Reason, Unplaced
from scheduler.programme.words import count
from scheduler.solver.conflicts import guard_of
from scheduler.solver.expand import Expansion, Unit
from scheduler.solver.rules.core import Crowd, Rule, because
from scheduler.solver.rules.r1_placement import no_meetings
from scheduler.solver.rules.r7_rotation import shortfall


def waiting_entries(e: Expansion) -> list[Unplaced]:
    """Units held back by an undated event, with that reason."""
    return [
        Unplaced(item=u.item.id, title=u.title, occurrence=u.occurrence, reasons=list(u.waits))
        for u in e.units
        if u.waits
    ]


def unplaced_entries(
    e: Expansion,
    placements: dict[str, list[str]],
    rules: Iterable[Rule],
    conflicts: Mapping[str, list[str] | None] | None = None,
) -> list[Unplaced]:
    """Units the solver left out, each with its reasons; a rotation officer with sessions left
    out says how many (`missing`); a `must` unit with its conflict (`conflicts`: unit key ->
    the smallest conflicting set, None when none was proven in time)."""
    rules, crowd, conflicts = list(rules), Crowd.of(e, placements), conflicts or {}
    out = []
    for unit in e.units:
        placed = len(placements.get(unit.key, []))
        if unit.waits or unit.item.kind == "standing" or placed >= unit.count:
            continue
        if placed and not unit.person:  # only a rule left out could half place it (R1)
            continue
        core = conflicts.get(unit.key)
        short = shortfall(e, unit) if unit.person else None
        if short is not None:  # the arithmetic says it all
            reasons = [short]
        elif unit.key in conflicts:  # the conflict, and why its units cannot go elsewhere
            reasons = conflict_reasons(e, unit, core, rules)
        elif unit.candidates:
            reasons = crowding_reasons(e, unit, crowd, rules)
        else:
            reasons = pruning_reasons(e, unit)
        out.append(
            Unplaced(
                item=unit.item.id,
                title=unit.title,
                occurrence=unit.occurrence,
                missing=unit.count - placed if placed else None,
                reasons=list(dict.fromkeys(reasons)),
                conflict=core or [],
            )
        )
    return out


#: A rule that rules out more meetings than this says so once, with how many more.
MOST_MEETINGS_NAMED = 2


def pruning_reasons(e: Expansion, unit: Unit) -> list[Reason]:
    """Why each meeting of the body is out, once per distinct reason; a rule that rules out
    many meetings is named at its first, with how many more it rules out."""
    reasons = list(dict.fromkeys(r for rs in unit.pruned.values() for r in rs))
    by_rule: dict[str | None, list[Reason]] = {}
    for reason in reasons:
        by_rule.setdefault(reason.rule, []).append(reason)
    out = []
    for same in by_rule.values():
        if len(same) <= MOST_MEETINGS_NAMED:
            out += same
            continue
        first, more = same[0], count(len(same) - 1, "other meeting")
        out.append(
            first.model_copy(
                update={
                    "text": f"{first.text} (and the same for {more})",
                    "details": "; ".join(r.details or r.text for r in same),
                }
            )
        )
    return out or [no_meetings(e, unit)]


def crowding_reasons(
    e: Expansion, unit: Unit, crowd: Crowd, rules: Iterable[Rule]
) -> list[Reason]:
    """What fills each meeting the unit could have used: the first rule, in rule order, that
    explains it; then why the other meetings were out."""
    explaining = [rule.explain for rule in rules if rule.explain]
    reasons = [line for explain in explaining if (line := explain(e, unit, crowd, None))]
    for meeting in unit.candidates:
        why = (line for explain in explaining if (line := explain(e, unit, crowd, meeting)))
        reasons.append(
            next(why, None)
            or because(
                "S1",
                f"{e.slots[meeting].words}: placing it there would break another rule or "
                "push out an item of equal or higher priority",
                f"{meeting}: placing it there breaks another rule or displaces an item "
                "of equal or higher priority",
            )
        )
    reasons.extend(pruning_reasons(e, unit) if unit.pruned else [])
    return reasons


def conflict_reasons(
    e: Expansion, unit: Unit, core: list[str] | None, rules: Iterable[Rule]
) -> list[Reason]:
    """Why a must unit is out: the conflict in words, its own guard first and then the others
    (each needed: change any one of them to make room)."""
    if core is None:
        first = because(
            "R1",
            "No place was found for it in the time allowed: allow more time, or make room by "
            "hand and fix it to a meeting",
            "R1 placement: no conflicting set proven within the time limit",
        )
        return [first, *pruning_reasons(e, unit)]
    by_id = {rule.id: rule for rule in rules}
    others = [describe(e, by_id, name) for name in core if name != guard_of(unit)]
    if others:
        text = (
            "It must be placed, but these cannot all hold with it; change any one of them to "
            f"make room: {'; '.join(r.text for r in others)}"
        )
    else:
        text = "It must be placed, but none of its body's meetings can take it"
    first = because("R1", text, f"R1 placement: conflict {', '.join(core)}")
    return [first, *_pruned_in(e, core)]


def _pruned_in(e: Expansion, core: list[str]) -> list[Reason]:
    """Why the units of a conflict cannot use their body's other meetings (R10 among them)."""
    found: list[Reason] = []
    for name in core:
        rule_id, subject = name.split(":", 1)
        if (unit := e.units_by_key.get(subject)) is not None:
            found += [r for rs in unit.pruned.values() for r in rs]
        elif (unit := e.units_by_key.get(subject.rpartition("@")[0])) is not None:
            found += unit.pruned.get(subject.rpartition("@")[2], [])  # a rule at one meeting
        elif subject in e.slots:  # a frozen meeting (R10): what keeps its own items away
            for unit in e.units:  # its own: R10 did not rule the meeting out for them
                here = unit.pruned.get(subject, [])
                if here and all(r.rule != rule_id for r in here):
                    found += here
    return list(dict.fromkeys(found))


def conflict_explanation(e: Expansion, core: list[str], rules: Iterable[Rule]) -> list[str]:
    """Why no plan at all exists (rules that hold whatever is left out), in words."""
    if not core:
        return ["The rules cannot all hold together, and no smaller conflict was found."]
    by_id = {rule.id: rule for rule in rules}
    lines = [
        "No plan keeps every rule: these cannot all hold together, and each is needed for the "
        "conflict; change any one of them:",
        *(f"  {describe(e, by_id, name).text}" for name in core),
    ]
    pruned = _pruned_in(e, core)
    if pruned:
        lines.append(f"  (and: {'; '.join(r.text for r in pruned)})")
    return lines


def describe(e: Expansion, rules: dict[str, Rule], name: str) -> Reason:
    """One assumption literal's name (`RULE:subject`) in words, as its rule puts it."""
    rule_id, subject = name.split(":", 1)
    rule = rules.get(rule_id)
    if rule is None or rule.describe is None:
        return Reason(text=f"{rule_id}: {subject}", rule=rule_id, details=name)
    return rule.describe(e, subject)
