"""Forum Konsultasi Publik (PermenPAN-RB 16/2017): stakeholders, forums, invitations, minutes."""
