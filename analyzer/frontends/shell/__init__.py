"""Shell front end: tree-sitter-bash, with wrappers, embedded code and value flow."""
from .script import analyze

__all__ = ["analyze"]
