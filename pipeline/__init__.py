"""Offline information extraction from Indonesian JKN / BPJS Kesehatan news."""
