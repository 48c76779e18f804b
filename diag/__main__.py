"""``python -m diag``: the same as the ``diag`` command."""

from diag.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
