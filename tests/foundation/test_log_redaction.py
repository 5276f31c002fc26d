"""No NIK or No KK (16 digits) in a log line: Django's request and error logs, runserver's
request log and gunicorn's access and error logs mask them (config/redaction.py)."""

import datetime
import io
import logging
import re

import pytest
from gunicorn.config import Config

from config.gunicorn_logger import RedactingLogger
from config.redaction import redact
from tests.conftest import client_for

NIK = "3201010101010001"
NO_KK = "3201019999990007"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def capture(*loggers):
    """Points every handler of ``loggers`` at one buffer; returns it and a function to undo."""
    buffer = io.StringIO()
    swapped = []
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:  # not pytest's capture handlers
                swapped.append((handler, handler.setStream(buffer)))

    def restore():
        for handler, stream in swapped:
            handler.setStream(stream)

    return buffer, restore


@pytest.fixture
def django_logs():
    buffer, restore = capture(
        logging.getLogger(), logging.getLogger("django"), logging.getLogger("django.server")
    )
    yield buffer
    restore()


def test_redact_keeps_the_last_four_digits_only():
    assert redact(f"/data/?q={NIK}&page=2") == "/data/?q=************0001&page=2"
    assert redact("no_kk=32010199999900071") == "no_kk=************0071"
    # Short numbers (ids, years, phone numbers) stay readable.
    assert redact("/data/12345/ 2026 081234567890") == "/data/12345/ 2026 081234567890"


def test_request_and_error_logs_of_a_run_carry_no_identity_number(db, operator_a, django_logs):
    client = client_for(operator_a)
    client.get(f"/data/?q={NIK}")
    client.get(f"/data/?q={NO_KK}&per_page=50")
    client.get(f"/tidak-ada/{NIK}/")  # 404, written by django.request
    logging.getLogger("django.request").error("Gagal membaca %s", NO_KK)
    try:
        raise ValueError(f"NIK {NIK} tidak valid")
    except ValueError:
        logging.getLogger("households").exception("Impor gagal")
    # runserver's request line, as WSGIRequestHandler.log_message writes it.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /data/?q={NIK} HTTP/1.1", "200", "512", extra={"status_code": 200}
    )
    written = django_logs.getvalue()
    assert "Not Found" in written and "Impor gagal" in written and "0001" in written
    assert "ValueError" in written
    assert not SIXTEEN_DIGITS.findall(written), written


def test_gunicorn_access_and_error_logs_carry_no_identity_number():
    config = Config()
    config.set("accesslog", "-")
    config.set("errorlog", "-")
    logger = RedactingLogger(config)
    buffer, restore = capture(logger.access_log, logger.error_log)
    try:

        class Response:
            status = "200 OK"
            headers = [("Content-Type", "text/html")]
            sent = 512

        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/data/?q={NIK}",
            "PATH_INFO": "/data/",
            "QUERY_STRING": f"q={NIK}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.9",
            "HTTP_REFERER": f"http://terpadu.test/data/?q={NO_KK}",
        }
        logger.access(Response(), [], environ, datetime.timedelta(milliseconds=40))
        logger.error("Error handling request %s", f"/data/?q={NIK}")
    finally:
        restore()
    written = buffer.getvalue()
    assert "GET /data/?q=************0001 HTTP/1.1" in written
    assert "Error handling request" in written
    assert not SIXTEEN_DIGITS.findall(written), written


def test_gunicorn_runs_with_the_redacting_logger():
    import runpy

    from config import gunicorn_logger

    settings = runpy.run_path("config/gunicorn.py")
    assert settings["logger_class"] == f"{gunicorn_logger.__name__}.RedactingLogger"
