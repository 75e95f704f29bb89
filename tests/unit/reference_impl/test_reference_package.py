"""The reference implementation's public names, and what a renderer process imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import reference_impl

ROOT = Path(__file__).resolve().parents[3]


def test_every_public_name_resolves() -> None:
    for name in reference_impl.__all__:
        assert getattr(reference_impl, name).__module__.startswith("reference_impl."), name


def test_renderer_leaves_mains_modules_unimported() -> None:
    check = (
        "import sys, reference_impl.renderer; "
        "print(sorted(m for m in sys.modules if m.split('.')[-1] in "
        "('main_process', 'web_contents', 'renderer_process', 'subprocess', 'threading')))"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", check],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"
