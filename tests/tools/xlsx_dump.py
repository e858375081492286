#!/usr/bin/python3
"""xlsx_dump.py — reads an .xlsx workbook from stdin with openpyxl (a real
spreadsheet reader) and prints it as JSON on stdout:
    {"sheets": [{"name": "...", "rows": [[cell, ...], ...]}]}
Numbers stay numbers (whole floats become integers), dates and times become
ISO strings ("2026-03-01" for a date at midnight), empty cells are null and
trailing empty cells of a row are dropped. Exit 3 when openpyxl is missing,
1 when the bytes are not a workbook openpyxl can open."""
import datetime
import io
import json
import sys

try:
    import openpyxl
except ImportError:
    sys.stderr.write("xlsx_dump: python3-openpyxl is not installed (apt-get install python3-openpyxl)\n")
    sys.exit(3)


def cell(v):
    """A JSON value for one cell."""
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat()
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, datetime.timedelta):
        return v.total_seconds()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def main():
    data = sys.stdin.buffer.read()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds; all mean "not readable"
        sys.stderr.write("xlsx_dump: openpyxl cannot open the workbook: %s: %s\n" % (type(e).__name__, e))
        sys.exit(1)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for r in ws.iter_rows(values_only=True):
            row = [cell(v) for v in r]
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append({"name": ws.title, "rows": rows})
    wb.close()
    # ASCII only (\u escapes): a reader may split the output anywhere without breaking a character.
    json.dump({"sheets": sheets}, sys.stdout)


if __name__ == "__main__":
    main()
