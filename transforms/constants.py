"""The project's constants, each defined once: the bottom package, so every stage, the DAGs and the replica
may import it."""

from __future__ import annotations

from datetime import timedelta, timezone

VN_TZ_NAME = "Asia/Ho_Chi_Minh"  # the IANA name: the DAGs' schedules (pendulum) and the warehouse's local days
# The same zone as a fixed offset: Vietnam has kept UTC+7 without DST since 1975, so for every page the
# pipeline reads the offset is the zone, and a fixed offset compares and pickles cheaply.
VN_TZ = timezone(timedelta(hours=7), "+07:00")

DEFAULT_USER_AGENT = "provnews/0.1 (+https://github.com/provnews)"  # PROVNEWS_CONTACT is added to it
