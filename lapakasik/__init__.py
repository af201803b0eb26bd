"""Lapak Asik: contact-free claim service for BPJS Ketenagakerjaan branch offices."""
