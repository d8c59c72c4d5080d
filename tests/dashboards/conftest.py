from __future__ import annotations

from pathlib import Path

import pytest
from dash_release import write_release


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A hand-made 2025H1 release folder (indicators.csv, monthly.csv, manifest.json)."""
    return write_release(tmp_path / "2025H1")
