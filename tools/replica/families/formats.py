"""Date, time and number forms exactly as the real site families print them (docs/SOURCES.md, seeds)."""

from __future__ import annotations

from datetime import date, datetime

# Monday first, as date.weekday() counts.
_WEEKDAY_TITLE = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_WEEKDAY_LOWER = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_WEEKDAY_NUMBER = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")


def weekday_title(day: date) -> str:
    """`Thứ Năm` (newspaper, party article dates)."""
    return _WEEKDAY_TITLE[day.weekday()]


def weekday_lower(day: date) -> str:
    """`Thứ năm` (party page clock)."""
    return _WEEKDAY_LOWER[day.weekday()]


def weekday_number(day: date) -> str:
    """`Thứ 3` (TV site)."""
    return _WEEKDAY_NUMBER[day.weekday()]


def dmy(day: date) -> str:
    """`05/11/2026`."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def dmy_loose(day: date) -> str:
    """`22/4/2021`: day and month not zero-padded."""
    return f"{day.day}/{day.month}/{day.year}"


def clock_12h(moment: datetime, seconds: bool = False) -> str:
    """`05:07 PM` or `08:46:40 PM`, independent of the process locale."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    if seconds:
        return f"{hour:02d}:{moment.minute:02d}:{moment.second:02d} {half}"
    return f"{hour:02d}:{moment.minute:02d} {half}"


def newspaper_date(moment: datetime) -> str:
    """`Thứ Năm, 05/11/2026 - 09:15`."""
    return f"{weekday_title(moment.date())}, {dmy(moment.date())} - {moment:%H:%M}"


def newspaper_clock(today: date) -> str:
    """Header clock of the newspaper: `Thứ Bảy, 21/11/2026`."""
    return f"{weekday_title(today)}, {dmy(today)}"


def party_date(moment: datetime) -> str:
    """`Thứ Bảy 06/03/2021 17:49`."""
    return f"{weekday_title(moment.date())} {dmy(moment.date())} {moment:%H:%M}"


def party_clock(today: date) -> str:
    """`Thứ năm, ngày 22/4/2021`."""
    return f"{weekday_lower(today)}, ngày {dmy_loose(today)}"


def liferay_date(moment: datetime) -> str:
    """`09/09/2020 | 05:07 PM`."""
    return f"{dmy(moment.date())} | {clock_12h(moment)}"


def sharepoint_date(moment: datetime) -> str:
    """`06/04/2023 08:46:40 PM`."""
    return f"{dmy(moment.date())} {clock_12h(moment, seconds=True)}"


def tv_date(moment: datetime) -> str:
    """`Thứ 3, 04/04/2023 | 16:10:37`."""
    return f"{weekday_number(moment.date())}, {dmy(moment.date())} | {moment:%H:%M:%S}"


def tv_clock(today: date, hour: int, minute: int) -> str:
    """`Thứ 3, 30/07/2024, 05:20[GMT+7]`."""
    return f"{weekday_number(today)}, {dmy(today)}, {hour:02d}:{minute:02d}[GMT+7]"


def thousands_comma(value: int) -> str:
    """`20,037` (TV view counts)."""
    return f"{value:,}"
