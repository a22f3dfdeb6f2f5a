"""Kuule: an empathy-training game for customer-facing staff."""

__version__ = "0.1.0"
APP_NAME = "Kuule"
