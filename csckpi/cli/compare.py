"""`csckpi compare`."""

from __future__ import annotations
