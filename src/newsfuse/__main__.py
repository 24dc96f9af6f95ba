"""``python -m newsfuse``: the same command as the ``newsfuse`` script."""

from newsfuse.cli import app

if __name__ == "__main__":
    app()
