"""Spreadsheet exports for every app: CSV streamed at database speed (PostgreSQL's COPY),
XLSX written in openpyxl's write-only mode, cells a spreadsheet would run as formulas
neutralised, personal-data exports audited. See `exports.spreadsheet` (the writers) and
`exports.responses` (HTTP responses, access and audit)."""
