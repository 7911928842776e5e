"""`csckpi narrate`."""

from __future__ import annotations
