"""KIPP Kota Malang: the competition database, scoring and analytics behind the dashboard."""
