"""The release of one period: files, Chinese summary draft, pages, atomic publication."""

from orchestration.release.listing import write_index
from orchestration.release.readback import read_manifest, read_view
from orchestration.release.rows import ReleaseError
from orchestration.release.summary import render_summary
from orchestration.release.writer import write_release

__all__ = ["ReleaseError", "read_manifest", "read_view", "render_summary", "write_index",
           "write_release"]
