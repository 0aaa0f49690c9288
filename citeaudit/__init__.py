"""citeaudit: audit the sources behind a report."""

# the one place the version is written: pyproject.toml reads it from here (hatch's version
# source), and no start-up pays for importlib.metadata to look it up
__version__ = "0.1.0"
