"""The release, in one place for the command line, the caches and the reports."""
__version__ = "0.1.0"
