"""`python -m citeaudit`: the same command line as the `citeaudit` script."""

from citeaudit.cli import main

if __name__ == "__main__":
    main(prog_name="citeaudit")
