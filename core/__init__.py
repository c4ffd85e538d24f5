"""Suara core: the domain of units, survey cycles, forums and their follow-up."""

import os

# Piccolo finds its engine through this module; tests and workers override DATABASE_URL, not this.
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
