"""Data files (entity synonyms, intent rules) shipped inside the package."""
