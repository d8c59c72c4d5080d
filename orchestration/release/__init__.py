"""The release of one period: files, Chinese summary draft, atomic publication."""

from orchestration.release.rows import ReleaseError
from orchestration.release.summary import render_summary
from orchestration.release.writer import write_release

__all__ = ["ReleaseError", "render_summary", "write_release"]
