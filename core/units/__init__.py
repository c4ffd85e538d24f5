"""Service units (OPD, kecamatan, puskesmas …) and the jenis layanan each provides."""
