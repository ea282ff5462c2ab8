"""Package discovery: every package under analyzer/, plus the rule catalogue shipped as analyzer.rules.

pyproject.toml cannot both discover packages and map the top-level rules/ folder into the
package, so the list is computed here; everything else about the build lives in pyproject.toml.
"""
from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["analyzer", "analyzer.*"]), "analyzer.rules"])
