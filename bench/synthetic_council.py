"""A whole synthetic council, built family by family (bench/generate.py)."""

from __future__ import annotations

from bench.synthetic_agenda import Agendas
from bench.synthetic_bodies import Family
from bench.synthetic_people import slug

BROMLEY_DENSITY = 0.75  # the first family's one-off items: about Bromley's 51 items in all
THEMES = (
    ("ecf", "Education, Children & Families"), ("ach", "Adult Care & Health"),
    ("ecs", "Environment & Community Services"), ("rrh", "Renewal, Recreation & Housing"),
    ("ppe", "Public Protection & Enforcement"), ("erc", "Executive, Resources & Contracts"),
    ("cs", "Climate & Sustainability"), ("er", "Economy & Regeneration"),
    ("th", "Transport & Highways"), ("cll", "Culture, Leisure & Libraries"),
    ("sc", "Safer Communities"), ("dcs", "Digital & Customer Services"),
)
AREAS = ("North", "South", "East", "West", "Central")
SUBS = (("bpm", "Budget & Performance Monitoring"), ("contracts", "Contracts & Commissioning"))
PANELS = (("panel", "Member Panel", False), ("board", "Partnership Board", False),
          ("tfg", "Task and Finish Group", True))


class Council(Agendas):
    """Builds one synthetic council, family by family, from one random generator."""

    def family(self, index: int, bromley: bool, room: float) -> None:
        """One committee with its sub-committees and panels (Bromley's shape when `bromley`);
        a committee alone when there is `room` for fewer than 70 more items."""
        code, theme = THEMES[index % len(THEMES)]
        self.density = BROMLEY_DENSITY if bromley else 1.0
        if index >= len(THEMES):
            area = AREAS[(index // len(THEMES) - 1) % len(AREAS)]
            code, theme = f"{code}-{slug(area)}", f"{theme} ({area})"
        fam = Family(
            code, theme,
            clerk=self.person("", "Democratic Services Officer", self.recess_leave()),
            portfolio=self.person("Councillor", f"Portfolio Holder for {theme}",
                                  self.recess_leave()),
            directors=[self.person("", f"Director {k + 1}, {theme}", self.recess_leave())
                       for k in range(self.rng.randint(2, 3))],
            finance=self.person("", "Head of Finance", self.recess_leave()),
            officers=[self.person("", "Service Manager", self.random_leave())
                      for _ in range(self.rng.randint(3, 5))],
        )
        self.witnesses.extend(self.witness() for _ in range(2))
        if len(self.councillors) < 60:
            self.councillors += [self.person("Councillor", "Member of the Council")
                                 for _ in range(2)]
        weekdays = self.rng.sample(range(4), 4)
        committee = self.body(fam, f"{code}-select", f"{theme} Select Committee", "committee",
                              7 if bromley else self.rng.randint(8, 9), weekdays[0])
        n_subs = 1 if bromley else self.rng.choices((0, 1, 2), (35, 50, 15))[0] * (room >= 70)
        subs = [self.body(fam, f"{code}-{key}", f"{theme} {name} Sub-Committee",
                          "sub-committee", 4 if bromley else self.rng.randint(7, 9),
                          weekdays[1 + k], parent=committee.id)
                for k, (key, name) in enumerate(SUBS[:n_subs])]
        self.committee_items(fam, committee, subs)
        for sub in subs:
            self.sub_items(fam, sub, committee)
        if not bromley and self.rng.random() < 0.25 and room >= 70:
            key, name, informal = self.rng.choice(PANELS)
            panel = self.body(fam, f"{code}-{key}", f"{theme} {name}", "other",
                              self.rng.randint(6, 9), weekdays[3], informal=informal)
            self.other_items(fam, panel)
        if bromley or self.rng.random() < 0.05:
            for _ in range(self.rng.randint(1, 2) if bromley else 1):
                self.meet_only_body()
