"""speakers stage."""
