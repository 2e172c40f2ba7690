"""Models of the honours work area (tables created by its migration)."""

from __future__ import annotations
