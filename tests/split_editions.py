"""Editions in a database whose rooms have their own panels (session seats), for command and document tests.

The README's worked example ("Panels, assignments and the adjusted method") is
:data:`LENIENT_ROOM`: two rooms on day 1, four entries, one criterion out of 100 so a total
is the score.  Juri A (in Ruang Eboni) gives 6 points more than Juri B, Juri C (in Ruang
Meranti) 6 points less; Juri B sits in both rooms and links them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine
from sqlmodel import select

from kipp import db
from kipp.models import Edition, Entry, SessionSeat
from tests.factories import make_edition

ONE_CRITERION = (("Nilai", 1.0, 100.0),)
ROOMS = {"Ruang Eboni": ("Juri A", "Juri B"), "Ruang Meranti": ("Juri B", "Juri C")}
ROOM_OF = {"E1": "Ruang Eboni", "E2": "Ruang Eboni", "E3": "Ruang Meranti", "E4": "Ruang Meranti"}
LENIENT_ROOM = {
    ("E1", "Juri A"): 86.0,
    ("E1", "Juri B"): 80.0,
    ("E2", "Juri A"): 76.0,
    ("E2", "Juri B"): 70.0,
    ("E3", "Juri B"): 75.0,
    ("E3", "Juri C"): 69.0,
    ("E4", "Juri B"): 65.0,
    ("E4", "Juri C"): 59.0,
}
MEAN = {"E1": 83.0, "E2": 73.0, "E3": 72.0, "E4": 62.0}
ADJUSTED = {"E1": 80.0, "E2": 70.0, "E3": 75.0, "E4": 65.0}
# Two rooms with no juror in common: the adjusted method cannot compare them.
APART = {"Ruang Eboni": ("Juri A", "Juri B"), "Ruang Meranti": ("Juri C", "Juri D")}


def make_rooms_edition(
    engine: Engine,
    *,
    year: int = 2030,
    rooms: Mapping[str, tuple[str, ...]] = ROOMS,
    room_of: Mapping[str, str] = ROOM_OF,
    totals: Mapping[tuple[str, str], float] | None = None,
    official_method: str = "mean",
) -> None:
    """An edition with one criterion, the entries of ``room_of`` on day 1 and each room's jurors seated.

    ``totals`` {(code, juror): total} defaults to :data:`LENIENT_ROOM` (with :data:`ROOMS`);
    with other rooms every seated juror scores 70 on each entry of the room.
    """
    jurors = tuple(dict.fromkeys(juror for seated in rooms.values() for juror in seated))
    if totals is None:
        totals = LENIENT_ROOM if rooms == ROOMS else {(c, j): 70.0 for c, r in room_of.items() for j in rooms[r]}
    ids = make_edition(
        engine,
        year=year,
        criteria=ONE_CRITERION,
        jurors=jurors,
        entries=[(code, f"Inovasi {code}", f"Unit {code}") for code in room_of],
        scores={(code, juror, "Nilai"): value for (code, juror), value in totals.items()},
    )
    with db.write_session(engine) as session:
        edition = session.get(Edition, ids["edition"])
        edition.official_method = official_method
        session.add(edition)
        for entry in session.exec(select(Entry).where(Entry.edition_id == ids["edition"])):
            entry.room = room_of[entry.code]
            session.add(entry)
        for room, seated in rooms.items():
            for juror in seated:
                session.add(SessionSeat(edition_id=ids["edition"], day=1, room=room, juror_id=ids["jurors"][juror]))
