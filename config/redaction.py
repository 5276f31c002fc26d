"""Identity numbers out of the logs.

A NIK and a No KK are 16 digits. Search forms that still travel in the query string, a
mistyped URL or an error message quoting a value could put one into a log line; these log
lines go to files and proxies that the access rules of Terpadu do not cover. Every log line
written through the project's logging (Django's error and request logs, runserver's request
log, gunicorn's access and error logs via ``config.gunicorn_logger``) has each run of 15 or
more digits replaced by its last 4 digits behind asterisks, so a line still tells which
record was meant to someone who already has it, and nothing to anyone else."""

import logging
import re

# 15+ digits: a NIK/No KK, also one Excel rounded, also inside a URL-encoded string.
LONG_NUMBER = re.compile(r"(?<!\d)\d{11,}(\d{4})(?!\d)")


def redact(text):
    """``text`` with every run of 15+ digits masked (``***********1234``)."""
    return LONG_NUMBER.sub(lambda match: "*" * 12 + match.group(1), text)


class RedactIdentityNumbers(logging.Filter):
    """Logging filter: formats the record's message once and masks long digit runs in it."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        redacted = redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
