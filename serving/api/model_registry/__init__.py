"""The model registry as the service sees it: champion and challenger per entity type."""
