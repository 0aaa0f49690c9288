"""`python -m citeaudit`: the same command line as the `citeaudit` script."""

from citeaudit.cli import run

if __name__ == "__main__":
    run()
