"""Reports on regsim run outputs: charts and an HTML page (tools/report), IAMC export (tools/export-iamc)."""
