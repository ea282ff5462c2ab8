"""Command line: click only, one module per command group; main dispatches."""
