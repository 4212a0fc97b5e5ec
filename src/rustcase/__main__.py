"""``python -m rustcase``: the same command as ``rustcase``."""

from rustcase.cli import main

if __name__ == "__main__":
    main(prog_name="rustcase")
