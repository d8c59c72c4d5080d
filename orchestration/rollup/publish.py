"""`civstat rollup`: verify the input releases, aggregate, and publish the whole's release.

The release is written by orchestration/release/writer.py (same layout, immutability, lock
and atomic swap as a district's). The roll-up's gate has one error check,
`rollup_inputs_complete` (every child listed in the regions file has a verified release),
waivable with `civstat waive` like any gate check, and one warning, `rollup_input_warnings`
(an input published with failed warnings or waived errors).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dashboards.view import Manifest, ReleaseView
from ingest import labels
from ingest.periods import PeriodError, parse_period
from orchestration import interrupts
from orchestration.quality.waivers import SHANGHAI, waivers_for
from orchestration.release import write_index, write_release
from orchestration.release.comparisons import comparison_rows, page_map
from orchestration.release.rows import release_rows
from orchestration.rollup.aggregate import aggregate
from orchestration.rollup.citysummary import summary_text
from orchestration.rollup.hierarchy import RollupError, read_tree
from orchestration.rollup.input_releases import InputRelease, Rejected, verify_release
from orchestration.rollup.rollup_comparisons import rollup_comparisons
from orchestration.rollup.rollup_rules import catalogue_kinds

CHECKS = {
    "rollup_inputs_complete": ("error", "每个下级单位都有核验通过的发布 every child region listed "
                               "in the regions file has a verified release of the period"),
    "rollup_input_warnings": ("warning", "下级发布没有警告或豁免 no input release was published "
                              "with failed warnings or waived errors"),
}


@dataclass
class Outcome:
    published: Path | None
    refusals: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)


def _check(name: str, passed: bool, detail: str, waivers: dict) -> dict:
    severity, description = CHECKS[name]
    waived = not passed and severity == "error" and name in waivers
    return {"name": name, "asset": "rollup", "severity": "warning" if waived else severity,
            "passed": passed, "waived": waived, "description": description, "detail": detail}


def rollup(releases: list[Path], regions: Path, warehouse: Path, period: str,
           published_by: str = "civstat", run_id: str | None = None) -> Outcome:
    """Publish `<warehouse>/published/<P>/` for the regions file's top region from the
    children's releases, or refuse (Outcome.published None, refusals say why).

    Raises RollupError for unusable arguments (period, regions file)."""
    try:
        period = parse_period(period).code
    except PeriodError as exc:
        raise RollupError(str(exc)) from None
    tree = read_tree(regions)
    accepted: dict[str, InputRelease] = {}
    rejected, twice = [], set()
    for folder in releases:
        interrupts.stop_if_requested()  # Ctrl-C between two inputs: nothing is published
        try:
            rel = verify_release(folder, period)
        except Rejected as exc:
            rejected.append({"region": exc.region or str(folder), "reason": str(exc)})
            continue
        top = next((r.region_level for r in rel.view.rows if r.region_code == rel.region), None)
        if rel.region not in tree.children:
            rejected.append({"region": rel.region, "reason": f"{folder}: {rel.region} 不是"
                             f" {tree.name} 的下级 is not a {tree.child_level} of {tree.code}"})
        elif top != tree.child_level:  # a district's release where the file says 地市: its
            # rows would be counted again inside the city that holds it
            rejected.append({"region": rel.region, "reason": f"{folder}: 是{top}级的发布，"
                             f"区划文件中它是{tree.child_level}级 a {top} release where the "
                             f"regions file has a {tree.child_level}"})
        elif rel.region in accepted or rel.region in twice:
            rejected.append({"region": rel.region, "reason": f"{folder}: {rel.region} 重复提供"
                             " given twice"})
            first = accepted.get(rel.region)
            if first is None or first.manifest_sha256 != rel.manifest_sha256:
                twice.add(rel.region)  # two different releases of one child
        else:
            accepted[rel.region] = rel
    for region in sorted(twice):  # never one of two releases picked by the order given
        first = accepted.pop(region, None)
        if first is not None:
            rejected.append({"region": region, "reason": f"{first.folder}: {region} 有两个不同的"
                             "发布，都不采用 two different releases given, neither used"})
    for r in rejected:
        r["region_name"] = tree.children.get(r["region"], "")
    absent = [c for c in tree.children if c not in accepted
              and not any(r["region"] == c for r in rejected)]
    waivers = waivers_for(warehouse, period)
    problems = [f"{tree.children[c]}({c}): 未提供 no release given" for c in absent]
    problems += [f"{r['region_name'] or r['region']}: {r['reason']}" for r in rejected]
    noisy = [f"{rel.view.district_name}: {rel.manifest.gate_words}" for rel in accepted.values()
             if rel.manifest.gate != (labels.PASSED, 0)]
    checks = [_check("rollup_inputs_complete", not problems, "；".join(problems), waivers),
              _check("rollup_input_warnings", not noisy, "；".join(noisy), waivers)]
    out = Outcome(None, checks=checks, rejected=rejected)
    if any(c["severity"] == "error" and not c["passed"] for c in checks):
        out.refusals = [f"rollup_inputs_complete: {p}" for p in problems]
        return out
    if not accepted:
        out.refusals = ["没有可汇总的发布 no verified release to roll up"]
        return out
    children = {code: [r for r in rel.view.rows if r.region_code == code]
                for code, rel in accepted.items()}
    rows, notes = aggregate(children, (tree.code, tree.name, tree.level), catalogue_kinds())
    inputs = [{
        "path": str(rel.folder / "manifest.json"), "source": "release", "status": "loaded",
        "sha256": rel.manifest_sha256, "region_code": code, "region_name": tree.children[code],
        "run_id": rel.manifest.run_id, "published_by": rel.manifest.published_by,
        "created_at": rel.manifest.created_at, "gate": rel.manifest.gate_words,
    } for code, rel in sorted(accepted.items())]
    inputs += [{"path": r["region"], "source": "release", "status": "rejected",
                "reason": r["reason"], "region_code": r["region"],
                "region_name": r["region_name"]} for r in rejected]
    manifest = {
        "period": period, "run_id": run_id or f"rollup-{uuid.uuid4().hex[:12]}",
        "created_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "published_by": published_by, "inputs": inputs, "checks": checks,
        "waivers": [waivers[c["name"]] for c in checks if c["waived"]],
        "completeness": {"releases": {c: {period: int(c in accepted)} for c in tree.children}},
        "rollup": {"region_code": tree.code, "level": tree.level,
                   "child_level": tree.child_level, "children": tree.children, **notes},
    }
    published = release_rows(rows, period)
    compared = rollup_comparisons(published, tree.code, period,
                                  {code: rel.view.comparisons for code, rel in accepted.items()})
    view = ReleaseView(Manifest.model_validate(manifest), published,
                       comparisons=page_map(comparison_rows(compared, period)))
    left_out = rejected + [{"region": c, "region_name": tree.children[c],
                            "reason": "未提供 no release given"} for c in absent]
    text = summary_text(view, inputs[:len(accepted)], left_out, notes["not_summed"])
    root = Path(warehouse) / "published"
    interrupts.stop_if_requested()  # the last point before the release is written
    out.published = write_release(root, period, rows, manifest, summary=text,
                                  comparisons=compared)
    write_index(root)
    return out
