"""What the verbs print about a programme and its plan: warnings, the plan in a sentence, what
it does not place."""

from __future__ import annotations

from scheduler.outputs.document import plan_quality
from scheduler.plan.changes import reason_details
from scheduler.plan.model import Plan, unit_key
from scheduler.programme.words import count


def summary(plan: Plan, verbose: bool = False) -> str:
    """The plan in a sentence: how good, how much it places; the solver's numbers if `verbose`."""
    found = "Plan found" if plan.complete else "Plan found without every item that must be placed"
    placed = count(sum(len(m.agenda) for m in plan.meetings), "agenda entry", "agenda entries")
    line = (
        f"{found}: {plan_quality(plan)}. {placed} at {count(len(plan.meetings), 'meeting')}, "
        f"{len(plan.unplaced)} not placed."
    )
    if verbose:
        line += (
            f" ({plan.status.value} in {plan.solve_seconds:.2f} s, objective {plan.objective}, "
            f"bound {plan.bound})"
        )
    return line


def not_placed(plan: Plan, verbose: bool = False) -> list[str]:
    """Each item not placed by its title, with its reasons (their rules and ids if `verbose`);
    then the items the plan lists without placing: carried forward, suggested."""
    lines = []
    for entry in plan.unplaced:
        what = entry.title
        if entry.missing:
            what += f" ({count(entry.missing, 'session')} not placed)"
        if verbose:
            what += f" [{unit_key(entry.item, entry.occurrence)}]"
        lines.append(f"  not placed: {what}: {'; '.join(r.text for r in entry.reasons)}")
        if verbose:
            lines += [f"      {d}" for r in entry.reasons if (d := reason_details(r))]
            lines += [f"      conflict: {', '.join(entry.conflict)}"] if entry.conflict else []
    lines += [f"  carried forward: {i.title}: {i.text}" for i in plan.carried_forward]
    lines += [f"  suggested: {i.title}" for i in plan.suggested]
    return lines
