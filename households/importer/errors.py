class FileRejected(Exception):
    """The file cannot be read at all (not a spreadsheet, a corrupted or password-protected
    .xlsx, an .xls, a zip bomb, over the size limit, no header row, a required column missing,
    too many rows...). ``str(exc)`` is a clear Indonesian message naming the problem."""
