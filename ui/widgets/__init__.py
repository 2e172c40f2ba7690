"""Reusable widgets: the FieldSpec form builder and table helpers."""
