"""A past year's spreadsheet (financial year 2023–24) and the figures it must
give, worked out by hand from the rows below.

Three agencies: Riverside Police (police, a contributing partner, already
listed before the import), Little Acorns Nursery (early years) and St Mark's
Youth Club (voluntary and community), both new. Course A, "Neglect – An
Analytical Approach", a full day, ran four sessions of 20 places and had a
fifth cancelled; course B, "MARAC Awareness", a briefing, ran one session of 30
places that nobody kept a place on; course C, "Safe Recruitment", had its only
session cancelled before anyone booked.

    session  agency     rows
    A1       police     10 confirmed attended (pc1 among them)
             nursery     7 confirmed attended, 3 confirmed no_show
             youth       2 waitlisted
    A2       police      8 confirmed attended
             nursery     8 confirmed attended, 2 confirmed no_show, 1 cancelled, 1 late_cancelled
    A3       police      6 confirmed attended (pc1 again), 1 confirmed, attendance not marked
             youth      10 confirmed attended
    A4       police      6 confirmed attended, 1 confirmed no_show
             nursery    10 confirmed attended, 2 late_cancelled
    A5       (cancelled: "Cancelled by the trainer due to service pressures")
             youth       3 confirmed
    B1       youth       1 cancelled
             nursery     1 late_cancelled
    C1       (cancelled: "Too few bookings"; no delegates, one row describing the session)

Course A: places 4 × 20 = 80 (A5 is cancelled, so not counted); attended
10+7+8+8+6+10+6+10 = 65; attendance rate 65/80 = 81.25 → 81.3; confirmed
65 attended + 6 no-shows + 1 unmarked = 72; turnout 65/72 = 90.27… → 90.3;
booked 72 + 2 waitlisted + 1 cancelled + 3 late-cancelled = 78 (the three
on A5 are not counted: A5 did not run).
Course B: places 30, booked 2, attended 0, rate 0.0, confirmed 0 → turnout null.
Course C: no session ran → places 0, both rates null.
"""

import csv
import datetime as dt
import io

from accounts.models import Agency, Sector

HEADER = (
    "course,format,session_start,session_end,venue,capacity,session_status,cancellation_reason,"
    "delegate_email,delegate_name,agency,sector,role,booked_at,booking_status,attendance"
).split(",")

NEGLECT, MARAC, SAFE_RECRUITMENT = "Neglect – An Analytical Approach", "MARAC Awareness", "Safe Recruitment"
POLICE, NURSERY, YOUTH = "Riverside Police", "Little Acorns Nursery", "St Mark's Youth Club"
PEOPLE = {
    POLICE: ("police", "police_officer", "pc"),
    NURSERY: ("early_years", "Early years practitioner or childminder", "nursery"),
    YOUTH: ("voluntary_community", "youth_worker", "youth"),
}
SESSIONS = {
    "A1": (NEGLECT, "full_day", "2023-05-10T09:30", "2023-05-10T16:30", "Civic Centre, Room 1", 20, "scheduled", ""),
    "A2": (NEGLECT, "full_day", "2023-07-12T09:30", "2023-07-12T16:30", "Civic Centre, Room 1", 20, "scheduled", ""),
    "A3": (NEGLECT, "full_day", "2023-10-11T09:30", "2023-10-11T16:30", "Riverside Library", 20, "scheduled", ""),
    "A4": (NEGLECT, "full_day", "2024-01-17T09:30", "2024-01-17T16:30", "Civic Centre, Room 1", 20, "scheduled", ""),
    "A5": (
        NEGLECT,
        "full_day",
        "2024-03-13T09:30",
        "2024-03-13T16:30",
        "Civic Centre, Room 1",
        20,
        "cancelled",
        "Cancelled by the trainer due to service pressures",
    ),
    "B1": (MARAC, "briefing", "2023-06-06T12:30", "2023-06-06T13:30", "Riverside Library", 30, "scheduled", ""),
    "C1": (
        SAFE_RECRUITMENT,
        "half_day",
        "2023-09-05T09:30",
        "2023-09-05T12:30",
        "Civic Centre, Room 2",
        25,
        "cancelled",
        "Too few bookings",
    ),
}
# (session, agency, how many, booking_status, attendance)
BOOKINGS = [
    ("A1", POLICE, 10, "confirmed", "attended"),
    ("A1", NURSERY, 7, "confirmed", "attended"),
    ("A1", NURSERY, 3, "confirmed", "no_show"),
    ("A1", YOUTH, 2, "waitlisted", ""),
    ("A2", POLICE, 8, "confirmed", "attended"),
    ("A2", NURSERY, 8, "confirmed", "attended"),
    ("A2", NURSERY, 2, "confirmed", "no_show"),
    ("A2", NURSERY, 1, "cancelled", ""),
    ("A2", NURSERY, 1, "late_cancelled", ""),
    ("A3", POLICE, 6, "confirmed", "attended"),
    ("A3", POLICE, 1, "confirmed", ""),
    ("A3", YOUTH, 10, "confirmed", "attended"),
    ("A4", POLICE, 6, "confirmed", "attended"),
    ("A4", POLICE, 1, "confirmed", "no_show"),
    ("A4", NURSERY, 10, "confirmed", "attended"),
    ("A4", NURSERY, 2, "late_cancelled", ""),
    ("A5", YOUTH, 3, "confirmed", ""),
    ("B1", YOUTH, 1, "cancelled", ""),
    ("B1", NURSERY, 1, "late_cancelled", ""),
]
REPEAT_ATTENDER = "pc1@police.example.org"  # attends A1 and A3

EXPECTED_COURSES = {
    NEGLECT: {
        "course": NEGLECT,
        "format": "full_day",
        "sessions_run": 4,
        "sessions_cancelled": 1,
        "places": 80,
        "booked": 78,
        "attended": 65,
        "attendance_rate": 81.3,
        "turnout_rate": 90.3,
        "no_shows": 6,
        "late_cancellations": 3,
        "views": 3,
    },
    MARAC: {
        "course": MARAC,
        "format": "briefing",
        "sessions_run": 1,
        "sessions_cancelled": 0,
        "places": 30,
        "booked": 2,
        "attended": 0,
        "attendance_rate": 0.0,
        "turnout_rate": None,
        "no_shows": 0,
        "late_cancellations": 1,
        "views": 0,
    },
    SAFE_RECRUITMENT: {
        "course": SAFE_RECRUITMENT,
        "format": "half_day",
        "sessions_run": 0,
        "sessions_cancelled": 1,
        "places": 0,
        "booked": 0,
        "attended": 0,
        "attendance_rate": None,
        "turnout_rate": None,
        "no_shows": 0,
        "late_cancellations": 0,
        "views": 0,
    },
}
# police: A1 10 + A2 8 + A3 7 + A4 7; nursery: A1 10 + A2 12 + A4 12 + B1 1; youth: A1 2 + A3 10 + B1 1
EXPECTED_AGENCIES = [
    {"agency": NURSERY, "sector": "early_years", "contributes": False, "booked": 35, "attended": 25, "no_shows": 5},
    {"agency": POLICE, "sector": "police", "contributes": True, "booked": 32, "attended": 30, "no_shows": 1},
    {
        "agency": YOUTH,
        "sector": "voluntary_community",
        "contributes": False,
        "booked": 13,
        "attended": 10,
        "no_shows": 0,
    },
]
EXPECTED_TOTALS = {"sessions_run": 5, "places": 110, "booked": 80, "attended": 65, "individuals_trained": 64}
YEAR = (dt.date(2023, 4, 1), dt.date(2024, 3, 31))


def history_rows() -> list[list[str]]:
    rows, counters = [], {}
    for session, agency, count, status, attendance in BOOKINGS:
        sector, role, prefix = PEOPLE[agency]
        for _n in range(count):
            if session == "A3" and agency == POLICE and attendance == "attended" and "A3-pc1" not in counters:
                counters["A3-pc1"] = True
                email = REPEAT_ATTENDER
            else:
                counters[prefix] = counters.get(prefix, 0) + 1
                email = f"{prefix}{counters[prefix]}@{prefix}.example.org".replace("@pc.", "@police.")
            booked_at = (dt.date.fromisoformat(SESSIONS[session][2][:10]) - dt.timedelta(days=21)).isoformat()
            rows.append(
                [
                    *SESSIONS[session],
                    email,
                    f"Delegate {email.split('@')[0]}",
                    agency,
                    sector,
                    role,
                    booked_at,
                    status,
                    attendance,
                ]
            )
    rows.append([*SESSIONS["C1"], "", "", "", "", "", "", "", ""])
    return [[str(cell) for cell in row] for row in rows]


def csv_text(rows=None, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(history_rows() if rows is None else rows)
    return out.getvalue()


def csv_bytes(rows=None) -> bytes:
    return csv_text(rows).encode()


def contributing_police() -> Agency:
    """The one agency already listed before the import (a contributing partner)."""
    return Agency.objects.create(name=POLICE, sector=Sector.objects.get(slug="police"), contributes=True)
