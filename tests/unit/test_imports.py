"""The import contracts in pyproject.toml hold (the same check as `lint-imports` in .ci/run)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_the_import_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


def test_a_violation_fails(tmp_path):
    """A contract the code breaks (web does import core) makes lint-imports fail."""
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n    core\n    web\n\n"
        "[importlinter:contract:broken]\nname = web never imports core\ntype = forbidden\n"
        "source_modules = web\nforbidden_modules = core\n"
    )
    result = lint_imports("--config", str(config))
    assert result.returncode == 1
    assert "web never imports core BROKEN" in result.stdout
