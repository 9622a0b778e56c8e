"""The sample's events and who came to them (attendance), for Rayong, the other provinces and the
national level. Used by :mod:`tools.sample_data.generate`; no public API of its own.

Attendance is drawn by weighted sampling without replacement (Efraimidis & Spirakis, "Weighted
random sampling with a reservoir", Inf. Process. Lett. 97(5), 2006): organisations of an event's
focus sectors are four times as likely to come, which keeps co-attendance mostly within sectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphsvc.model.reference import province

if TYPE_CHECKING:  # pragma: no cover
    from tools.sample_data.state import Sample

__all__ = ["RAYONG_EVENTS", "SIGNIN_EVENTS", "national_events", "province_events", "rayong_events"]

#: Rayong's events: ``(start_date, event_type, title_th, title_en, focus sectors, size)``; size is
#: the number of attending organisations (the hub included).
RAYONG_EVENTS: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("2022-10-20", "meeting", "ประชุมคณะกรรมการขับเคลื่อนจังหวัดคุณธรรมจังหวัดระยอง ครั้งที่ 1/2566",
     "Rayong Moral Province Steering Committee, meeting 1/2566", "GOV", 22),
    ("2022-11-17", "workshop", "อบรมเชิงปฏิบัติการชุมชนคุณธรรมน้อมนำหลักปรัชญาของเศรษฐกิจพอเพียง",
     "Workshop: moral communities and the sufficiency economy", "CIV,REL", 28),
    ("2022-12-08", "campaign", "รณรงค์สวดมนต์ข้ามปี ส่งท้ายปีเก่า ต้อนรับปีใหม่",
     "New Year's Eve prayer campaign", "REL", 24),
    ("2023-01-14", "campaign", "กิจกรรมวันเด็กแห่งชาติ ส่งเสริมคุณธรรมเด็กและเยาวชน ปี 2566",
     "National Children's Day: moral activities for children and youth 2566", "EDU", 28),
    ("2023-02-09", "mou_signing", "ลงนามบันทึกข้อตกลงความร่วมมือเครือข่ายโรงเรียนคุณธรรม",
     "MoU signing: the moral schools network", "EDU,GOV", 24),
    ("2023-03-16", "workshop", "อบรมครูแกนนำโรงเรียนคุณธรรม",
     "Training for moral-school lead teachers", "EDU", 26),
    ("2023-04-12", "campaign", "สืบสานประเพณีสงกรานต์ วิถีไทย วิถีคุณธรรม",
     "Songkran traditions, the moral way", "REL,CIV", 28),
    ("2023-05-18", "meeting", "ประชุมภาคีเครือข่ายองค์กรคุณธรรมภาคเอกชน",
     "Meeting of moral organisations in business", "BIZ", 20),
    ("2023-06-22", "workshop", "สื่อสร้างสรรค์ส่งเสริมคุณธรรม", "Creative media for moral promotion",
     "MED,CIV", 18),
    ("2023-07-28", "campaign", "กิจกรรมจิตอาสาพัฒนา เฉลิมพระเกียรติ", "Royal volunteer development day",
     "CIV,GOV", 30),
    ("2023-08-24", "meeting", "ประชุมคณะกรรมการขับเคลื่อนจังหวัดคุณธรรมจังหวัดระยอง ครั้งที่ 2/2566",
     "Rayong Moral Province Steering Committee, meeting 2/2566", "GOV", 22),
    ("2023-09-14", "assembly", "สมัชชาคุณธรรมจังหวัดระยอง ประจำปี 2566", "Rayong Moral Assembly 2566",
     "", 62),
    ("2023-10-19", "meeting", "ประชุมคณะกรรมการขับเคลื่อนจังหวัดคุณธรรมจังหวัดระยอง ครั้งที่ 1/2567",
     "Rayong Moral Province Steering Committee, meeting 1/2567", "GOV", 22),
    ("2023-11-23", "workshop", "อบรมผู้นำศาสนาเพื่อชุมชนคุณธรรม",
     "Religious leaders for moral communities", "REL,CIV", 24),
    ("2023-12-14", "mou_signing", "ลงนามบันทึกข้อตกลงองค์กรคุณธรรมภาคธุรกิจ",
     "MoU signing: moral organisations in business", "BIZ,GOV", 20),
    ("2024-01-12", "campaign", "กิจกรรมวันเด็กแห่งชาติ ส่งเสริมคุณธรรมเด็กและเยาวชน ปี 2567",
     "National Children's Day: moral activities for children and youth 2567", "EDU", 27),
    ("2024-02-15", "workshop", "ครอบครัวอบอุ่น ชุมชนเข้มแข็ง", "Warm families, strong communities",
     "CIV", 24),
    ("2024-03-21", "workshop", "เครือข่ายโรงเรียนคุณธรรมจังหวัดระยอง", "Rayong moral schools network",
     "EDU", 20),
    ("2024-04-11", "campaign", "สืบสานประเพณีสงกรานต์ ปี 2567", "Songkran traditions 2567", "REL,CIV",
     28),
    ("2024-05-16", "meeting", "เวทีสื่อมวลชนสร้างสรรค์สังคมคุณธรรม", "Forum: media for a moral society",
     "MED,CIV", 16),
    ("2024-06-20", "workshop", "ธุรกิจคุณธรรมกับความรับผิดชอบต่อสังคม",
     "Moral business and corporate social responsibility", "BIZ,EDU", 22),
    ("2024-07-26", "campaign", "กิจกรรมจิตอาสาพัฒนา ปี 2567", "Volunteer development day 2567",
     "CIV,GOV", 30),
    ("2024-08-22", "meeting", "ประชุมคณะกรรมการขับเคลื่อนจังหวัดคุณธรรมจังหวัดระยอง ครั้งที่ 2/2567",
     "Rayong Moral Province Steering Committee, meeting 2/2567", "GOV", 22),
    ("2024-09-12", "assembly", "สมัชชาคุณธรรมจังหวัดระยอง ประจำปี 2567", "Rayong Moral Assembly 2567",
     "", 66),
)  # fmt: skip

#: The events whose raw sign-in sheets are bundled: (event_id, file stem, encoding).
SIGNIN_EVENTS = (
    ("EV-TH21-2567-04", "signin_TH-21_2567", "cp874"),
    ("EV-TH21-2567-06", "signin_TH-21_2567_utf8bom", "utf-8-sig"),
)


def _event_id(code: str, start: str, n: int) -> str:
    fy = int(start[:4]) + 543 + (1 if int(start[5:7]) >= 10 else 0)
    return f"EV-{code.replace('-', '')}-{fy}-{n:02d}"


def _attend(s: Sample, event_id: str, hub: str, pool: list[str], focus: str, size: int) -> None:
    """The hub hosts; ``size - 1`` others are drawn from ``pool`` (focus sectors likelier)."""
    focus_sectors = focus.split(",") if focus else []
    keyed = []
    for o in pool:
        w = 4.0 if s.sector_of(o) in focus_sectors else 1.0
        keyed.append((s.rng.random() ** (1.0 / w), o))
    keyed.sort(reverse=True)
    chosen = [o for _, o in keyed[: size - 1]]
    s.attendance.append({"event_id": event_id, "org_id": hub, "role": "host",
                         "delegates": s.rng.randint(5, 15)})
    speakers = set(s.rng.sample(chosen, min(len(chosen), s.rng.randint(1, 3))))
    for o in chosen:
        if o in speakers:
            role, delegates = "speaker", s.rng.randint(1, 4)
        else:
            role = "participant"
            delegates = s.rng.choices(range(1, 16), weights=[30, 25, 15, 10, 8, 5, 3, 2, 1, 1,
                                                             1, 1, 1, 1, 1])[0]
        s.attendance.append({"event_id": event_id, "org_id": o, "role": role,
                             "delegates": delegates})


def _add_event(s: Sample, event_id: str, event_type: str, title_th: str, title_en: str,
               code: str, start: str) -> None:
    s.events.append({"event_id": event_id, "title_th": title_th, "title_en": title_en,
                     "event_type": event_type, "province_code": code, "start_date": start})


def rayong_events(s: Sample, hub: str) -> None:
    """Rayong's 24 events over FY2566–2567 and their attendance. Candidates come only to the
    last assembly (four of them, one delegate each); isolates never come."""
    code = "TH-21"
    pool = [o for o in s.ids(code) if o != hub]
    counts: dict[str, int] = {}
    for start, event_type, title_th, title_en, focus, size in RAYONG_EVENTS:
        key = _event_id(code, start, 0)
        counts[key] = counts.get(key, 0) + 1
        event_id = _event_id(code, start, counts[key])
        _add_event(s, event_id, event_type, title_th, title_en, code, start)
        _attend(s, event_id, hub, pool, focus, size + 2 if event_type != "assembly" else size)
    last = s.events[-1]["event_id"]
    candidates = [o for o in s.ids(code, members_only=False) if s.tags[o] == "candidate"]
    for o in s.rng.sample(candidates, 4):
        s.attendance.append({"event_id": last, "org_id": o, "role": "participant",
                             "delegates": 1})


def province_events(s: Sample, code: str, hub: str) -> None:
    """Three events in a province (a committee meeting in FY2566, a workshop and a campaign in
    FY2567), each with 8–16 organisations."""
    info = province(code)
    assert info is not None
    p_th, p_en = info.name_th, info.name_en
    specs = (
        ("meeting", f"ประชุมคณะกรรมการขับเคลื่อนจังหวัดคุณธรรมจังหวัด{p_th}",
         f"{p_en} Moral Province Steering Committee meeting", "GOV", (2023, 2)),
        ("workshop", f"อบรมเชิงปฏิบัติการชุมชนคุณธรรมจังหวัด{p_th}",
         f"{p_en} moral communities workshop", "CIV,REL", (2023, 11)),
        ("campaign", f"รณรงค์ส่งเสริมคุณธรรมเด็กและเยาวชนจังหวัด{p_th}",
         f"{p_en} moral campaign for children and youth", "EDU", (2024, 5)),
    )
    pool = [o for o in s.ids(code) if o != hub]
    counts: dict[str, int] = {}
    for event_type, title_th, title_en, focus, (year, month) in specs:
        start = f"{year}-{month:02d}-{s.rng.randint(3, 27):02d}"
        key = _event_id(code, start, 0)
        counts[key] = counts.get(key, 0) + 1
        event_id = _event_id(code, start, counts[key])
        _add_event(s, event_id, event_type, title_th, title_en, code, start)
        _attend(s, event_id, hub, pool, focus, s.rng.randint(8, min(16, len(pool) + 1)))


def national_events(s: Sample, hubs: list[str]) -> None:
    """The national moral assembly in Bangkok: the national bodies and every province's hub."""
    event_id = "EV-TH10-2567-01"
    _add_event(s, event_id, "assembly", "สมัชชาคุณธรรมแห่งชาติ ประจำปี 2567",
               "National Moral Assembly 2567", "TH-10", "2023-11-08")
    national = s.ids(None)
    s.attendance.append({"event_id": event_id, "org_id": "NAT-GOV-003", "role": "host",
                         "delegates": 20})
    for o in [o for o in national if o != "NAT-GOV-003"] + hubs:
        role = "speaker" if o.startswith("NAT") else "participant"
        s.attendance.append({"event_id": event_id, "org_id": o, "role": role,
                             "delegates": s.rng.randint(2, 6)})
