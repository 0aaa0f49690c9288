"""citeaudit: audit the sources behind a report."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citeaudit")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
