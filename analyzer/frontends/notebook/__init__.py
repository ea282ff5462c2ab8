"""Notebook front end: cells read the way Jupyter runs them (magics, ``!`` lines, execution order)."""
from .cells import analyze

__all__ = ["analyze"]
