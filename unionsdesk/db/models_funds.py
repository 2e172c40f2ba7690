"""Models of the funds work area (tables created by its migration)."""

from __future__ import annotations
