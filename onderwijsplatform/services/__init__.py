"""Workflows: they flush but never commit, and never read the request."""
