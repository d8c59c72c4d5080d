"""What one ingest run tells a clerk and a developer (never any PII)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.contract import SOURCES

REASON_ZH = {
    "invalid_id_number": "身份证号无效",
    "unknown_region": "区划代码不存在",
    "invalid_amount": "金额/数量无效",
    "invalid_count": "人数/户数无效",
    "missing_value": "必填项为空",
    "invalid_date": "日期/月份无效",
    "invalid_code": "代码不在代码表中",
    "invalid_phone": "联系电话无效",
    "amount_over_standard": "保障金额超过标准",
    "unknown_household": "户编号不在低保名册中",
    "unknown_event": "灾害编号无对应灾情报告",
    "unknown_person": "身份证号不在优抚对象名册中",
    "duplicate_row": "重复行",
    "conflicting_duplicate": "关键字段相同但内容冲突",
    "unreadable_file": "文件无法读取",
    "missing_column": "缺少必填列",
    "total_mismatch": "合计行与明细不符",
    "hidden_row": "隐藏行，未计入（如应计入，请取消隐藏后重新报送）",
    "malformed_row": "该行无法拆分为各列（引号不成对或逗号多少），未计入；请检查该行后重新报送",
}


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
            lines.append(f"  已忽略 ignored {path}（不是数据文件 / not a data file）")
        lines += [f"  注意 note: {n}" for n in self.notes]
        return lines
