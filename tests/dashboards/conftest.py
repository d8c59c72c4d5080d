from __future__ import annotations

import pytest
from dash_release import view

from dashboards.view import ReleaseView


@pytest.fixture
def release() -> ReleaseView:
    """The hand-made 2025H1 release (rows, monthly rows, manifest) as the pages get it."""
    return view()
