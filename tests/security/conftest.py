"""The security tests reuse the release tests' hand-made rows (tests/release/release_sample.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "release"))
