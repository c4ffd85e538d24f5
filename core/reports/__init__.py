"""The Laporan Hasil SKM and the regency recap report: jobs, content, documents, review, publication."""
