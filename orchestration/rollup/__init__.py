"""The roll-up of child releases into the release of the region above (indicators.md §9).

    rollup(releases, regions_file, warehouse, period, published_by) -> Outcome

Plain logic, no Dagster: `orchestration/defs/job_rollup.py` wraps it as the job
`civstat_rollup`, and `civstat rollup` runs that job.
"""

from orchestration.rollup.hierarchy import RollupError
from orchestration.rollup.publish import CHECKS, Outcome, rollup

__all__ = ["CHECKS", "Outcome", "RollupError", "rollup"]
