"""What one ingest run tells a clerk and a developer (never any PII)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.contract import SOURCES
from ingest.labels import REASONS as REASON_ZH


@dataclass
class FileReport:
    path: str  # relative to the inbox
    sha256: str
    status: str  # loaded | rejected | duplicate
    reason: str | None
    detail: str | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    encoding: str | None
    header_row: int | None


@dataclass
class SourceReport:
    source: str
    files: list[FileReport]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    reasons: dict[str, int]  # reason -> quarantined rows
    ignored: list[str] = field(default_factory=list)  # paths in the folder that were skipped
    notes: list[str] = field(default_factory=list)  # warnings, e.g. an empty dependency

    def summary_lines(self) -> list[str]:
        zh = SOURCES[self.source].zh
        loaded = sum(f.status == "loaded" for f in self.files)
        rejected = [f for f in self.files if f.status == "rejected"]
        dups = [f for f in self.files if f.status == "duplicate"]
        lines = [
            f"{zh}（{self.source}）：文件 {len(self.files)} 个（入库 {loaded}，拒收 {len(rejected)}，"
            f"重复 {len(dups)}）；读取 {self.rows_read} 行，入库 {self.rows_loaded} 行，隔离 "
            f"{self.rows_quarantined} 行 / {self.source}: {len(self.files)} files ({loaded} loaded,"
            f" {len(rejected)} rejected, {len(dups)} duplicate); rows read {self.rows_read}, "
            f"loaded {self.rows_loaded}, quarantined {self.rows_quarantined}",
        ]
        for f in rejected:
            lines.append(f"  拒收 rejected {f.path}: {f.reason}（{REASON_ZH.get(f.reason, '')}）"
                         f" — {f.detail}")
        for f in self.files:
            if f.status == "loaded" and f.detail:
                lines.append(f"  注意 note {f.path}: {f.detail}")
        for f in dups:
            lines.append(f"  重复文件 duplicate {f.path}: {f.detail}")
        for reason, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  隔离原因 {reason}（{REASON_ZH.get(reason, reason)}）：{n} 行 rows")
        for path in self.ignored:
            lines.append(f"  已忽略 ignored {path}")
        lines += [f"  注意 note: {n}" for n in self.notes]
        return lines
