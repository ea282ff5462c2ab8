"""SQL front end: sqlglot's dialects, with a token-stream reading where the parser gives up."""
from .statements import analyze, validate_dialect

__all__ = ["analyze", "validate_dialect"]
