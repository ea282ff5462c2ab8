"""The built-in rule catalogue and policy (YAML data, installed as ``analyzer.rules``)."""
