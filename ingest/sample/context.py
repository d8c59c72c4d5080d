"""Shared state of one generator run: output folder, styles, row and fault bookkeeping."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from ingest.contract import SOURCES
from ingest.sample.people import People
from ingest.sample.plan import SCALES
from ingest.sample.styles import Styler
from ingest.sample.truth import Truth
from ingest.sample.writers import Sheet

STANDARDS = {"city": 23000, "town": 20000, "rural": 13000}  # cents, in force all year
OLD_STANDARDS = {"city": 21500, "town": 18500, "rural": 12000}


class Ctx:
    def __init__(self, out: Path, scale: str, seed: int, faults: str, year: int):
        self.out, self.scale, self.seed, self.faults, self.year = out, scale, seed, faults, year
        self.units, self.factor, self.xlsx_roster, self.xlsx_other = SCALES[scale]
        self.faulty = faults == "some"
        self.styler = Styler(seed)
        self.rng = random.Random(f"{seed}:misc")
        self.clerks = People(random.Random(f"{seed}:clerks"), "990000")
        self.rows: Counter = Counter({s: 0 for s in SOURCES})
        self.quarantine: dict[str, Counter] = defaultdict(Counter)
        self.rejected: list[dict] = []
        self.std = dict(STANDARDS)
        self.truth = Truth()
        self._fault_people: dict[int, People] = {}

    def fault_people(self, t) -> People:
        """People for planted rows: their own random stream (so planting does not change the
        real data) and ID prefix 98.... (so they never collide with a real person)."""
        if t.index not in self._fault_people:
            rng = random.Random(f"{self.seed}:faults:{t.index}")
            self._fault_people[t.index] = People(rng, f"98{t.index + 1:04d}")
        return self._fault_people[t.index]

    def month(self, m: int) -> date:
        """Month index 0 = December of year-1, 1..12 = months of year."""
        return date(self.year - 1, 12, 1) if m == 0 else date(self.year, m, 1)

    def sheet(self, source: str, name: str, *, title=(), total_cols=(), roster=False,
              columns=None, total_offset=0, remarks=None, share=None, form=None,
              **force) -> Sheet:
        if share is None:
            share = self.xlsx_roster if roster else self.xlsx_other
        style = self.styler.pick(source, share, **force)
        cols = columns or [c.name for c in SOURCES[source].columns]
        ext = "xls" if (form or {}).get("container") in ("xls", "html") else style.fmt
        path = self.out / source / f"{name}.{ext}"
        assert not path.exists(), path
        signers = (self.clerks.name(), self.clerks.name())
        sh = Sheet(path, source, cols, style, title=title, total_cols=total_cols,
                   total_offset=total_offset, signers=signers, remarks=remarks, form=form)
        sh.source = source
        return sh

    def close(self, sheet: Sheet, rejected: str | None = None) -> None:
        sheet.close()
        self.rows[sheet.source] += sheet.rows
        if rejected:
            self.reject(sheet.source, sheet.path, rejected, sheet.rows)

    def reject(self, source: str, path: Path, reason: str, rows: int) -> None:
        self.rejected.append({"path": path.relative_to(self.out).as_posix(), "reason": reason})
        self.quarantine[source][reason] += rows

    def plant(self, source: str, reason: str, n: int = 1) -> None:
        if self.faulty:
            self.quarantine[source][reason] += n
