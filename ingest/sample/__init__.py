"""Sample-district generator: a fictional district's inbox that follows the data contract.

Public API: ``generate(out, scale="district", seed=7, faults="none", year=2025) -> dict``.
See docs/sample.md.
"""

from ingest.sample.generator import generate

__all__ = ["generate"]
