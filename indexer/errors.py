"""Errors with messages that say how to fix the problem; the CLI and UI show them as one line."""


class ReportQAError(Exception):
    """Base class: a problem the user can act on. str(error) is the whole message."""


class SkipFile(ReportQAError):
    """A file that cannot be indexed (corrupt, encrypted, image-only, empty, unsupported)."""


class IndexMissing(ReportQAError):
    """No index where one was expected."""


class IndexIncompatible(ReportQAError):
    """An index built by another model or format version."""


class IndexCorrupt(ReportQAError):
    """An index whose files fail their check (a truncated or damaged file)."""


class IndexBusy(ReportQAError):
    """Another build holds the index lock."""


class BadQuestions(ReportQAError):
    """A questions file that cannot be read; the message names the line."""
