"""One base class for every error a reader or operator should see as one plain line."""


class ReaderError(Exception):
    """An error whose message says what went wrong and what to do next; never a traceback."""

    exit_code = 1  # the `rag` command's exit status for this error
