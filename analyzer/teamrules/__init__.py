"""Team rules written for semgrep, decided by the same policy as the built-in catalogue."""
