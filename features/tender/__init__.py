"""tender features: every module here registers its feature sets on import."""
