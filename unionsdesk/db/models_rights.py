"""Models of the rights work area (tables created by its migration)."""

from __future__ import annotations
