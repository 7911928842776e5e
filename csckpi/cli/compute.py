"""`csckpi compute`."""

from __future__ import annotations
