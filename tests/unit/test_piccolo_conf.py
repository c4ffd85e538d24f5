"""Importing Piccolo's configuration builds the engine and creates nothing on disk."""

import os
import subprocess
import sys


def test_importing_the_piccolo_conf_creates_no_file(tmp_path):
    data_dir = tmp_path / "var"
    env = {**os.environ, "SUARA_DATA_DIR": str(data_dir), "PICCOLO_CONF": "core.piccolo_conf"}
    env.pop("DATABASE_URL", None)
    code = "import core.piccolo_conf as c; print(c.DB.path)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(data_dir.resolve() / "suara.sqlite3")
    assert not data_dir.exists()


def test_importing_the_piccolo_conf_does_not_connect_to_postgres(tmp_path):
    """Nothing listens on port 9: Piccolo's own engine would try to connect and warn."""
    env = {
        **os.environ,
        "SUARA_DATA_DIR": str(tmp_path / "var"),
        "PICCOLO_CONF": "core.piccolo_conf",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
    }
    code = "import core.piccolo_conf as c; print(type(c.DB).__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "LazyPostgresEngine"
    assert "Unable to connect" not in result.stdout + result.stderr
