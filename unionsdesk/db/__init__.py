"""Storage: engine factory, models and migrations."""
