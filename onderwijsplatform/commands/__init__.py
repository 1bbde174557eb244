"""Flask command-line commands, one module per feature."""
