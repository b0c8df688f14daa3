"""provnews: a production data pipeline for Vietnamese provincial news."""

__version__ = "0.1.0"
