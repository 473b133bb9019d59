"""Bulk import of recognised-product lists (CSV/XLSX). Entry points: `import_run`, `import_prepare`."""
