"""Shared test data and helpers, one module per app: test modules import from here, never
from one another."""
