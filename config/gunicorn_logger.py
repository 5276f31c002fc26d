"""Gunicorn's logger with identity numbers masked (config/redaction.py).

Named as ``logger_class`` in config/gunicorn.py."""

from gunicorn.glogging import Logger

from config.redaction import redact


def _text(msg, args):
    text = str(msg)
    if args:
        try:
            text = text % args
        except (TypeError, ValueError):
            text = f"{text} {args!r}"
    return redact(text)


class RedactingLogger(Logger):
    """Access-log atoms (request line, path, query string, referer...) and error-log messages
    pass through ``redact`` before they are written."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

    def critical(self, msg, *args, **kwargs):
        super().critical(_text(msg, args), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(_text(msg, args), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(_text(msg, args), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(_text(msg, args), **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(_text(msg, args), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(_text(msg, args), **kwargs)
