"""Where the browser tests write their screenshots.

A test run must not rewrite files git tracks: by default screenshots go to ``results/tmp/screenshots/``
(ignored by git, kept after the run so a failure can be looked at). ``make screenshots`` sets
``MD_SCREENSHOTS_DIR=tests/artifacts`` and runs the browser tests that take them, which refreshes
the pictures the README shows; nothing else sets it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "results" / "tmp" / "screenshots"


def screenshot_path(name: str) -> str:
    """The file a test saves ``name`` to (relative MD_SCREENSHOTS_DIR is taken from the repository root)."""
    folder = Path(os.environ.get("MD_SCREENSHOTS_DIR") or DEFAULT)
    folder = folder if folder.is_absolute() else ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)
