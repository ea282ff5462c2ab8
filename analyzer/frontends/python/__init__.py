"""Python front end: the ``ast`` walker, call resolution against the catalogue, and value flow."""
from .walker import analyze

__all__ = ["analyze"]
