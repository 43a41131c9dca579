"""Register benchmark: fill 100k patients / 300k lesions / 1M captures (rows only), then time
patient search, the likely-duplicate check before a patient is added, and loading one patient with everything.

    python -m dermadesk.bench.register [--patients 100000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from dermadesk.domain.records import SITES
from dermadesk.services.duplicates import likely_duplicates
from dermadesk.storage.register import Register

GIVEN = ["Anna", "Ben", "Chloé", "Dmitri", "Eleni", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Katarzyna", "Liam",
         "Maria", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Yusuf", "Zoë",
         "Αλέξανδρος", "Иван", "Σοφία", "Мария", "Niamh"]
FAMILY = ["Smith", "Müller", "García", "Rossi", "Nowak", "Papadopoulos", "Иванов", "Kowalski", "Dubois", "Jensen",
          "O'Brien", "Silva", "Yamamoto", "Khan", "Novák", "Horvat", "Андреева", "Kaya", "Berg", "Costa", "Lindqvist",
          "Fischer", "Moreau", "Petrov", "Walsh", "Nguyen", "Hansen", "Ferreira", "Schmidt", "Οικονόμου"]


def fill(reg: Register, patients: int, lesions_per: int = 3, captures_per_lesion: float = 10 / 3,
         seed: int = 0) -> dict[str, int]:
    """Bulk rows (one transaction per 10k patients); no images, no audit rows (rows only)."""
    rng = np.random.default_rng(seed)
    conn = reg.database.conn
    now = "2026-01-01T00:00:00+00:00"
    n_les = n_cap = 0
    for start in range(0, patients, 10_000):
        with reg.database.transaction():
            pats, less, caps = [], [], []
            for i in range(start, min(start + 10_000, patients)):
                name = f"{GIVEN[rng.integers(len(GIVEN))]} {FAMILY[rng.integers(len(FAMILY))]}"
                if rng.random() < 0.5:
                    name += f" {FAMILY[rng.integers(len(FAMILY))]}"
                pats.append((i + 1, f"MRN{i + 1:07d}", name,
                             f"19{rng.integers(30, 99)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}",
                             ["female", "male"][i % 2], now, now))
                for _ in range(lesions_per):
                    n_les += 1
                    less.append((n_les, i + 1, SITES[rng.integers(len(SITES))], now, now))
                    k = int(captures_per_lesion) + (rng.random() < captures_per_lesion % 1)
                    for j in range(k):
                        n_cap += 1
                        sha = hashlib.sha256(n_cap.to_bytes(8, "little")).hexdigest()
                        caps.append((n_cap, n_les, f"202{j % 6}-0{1 + j % 9}-15", sha, 600, 450, 90_000, "JPEG", now))
            conn.executemany("INSERT INTO patients (id, mrn, name, birth_date, sex, created_at, updated_at) "
                             "VALUES (?,?,?,?,?,?,?)", pats)
            conn.executemany("INSERT INTO lesions (id, patient_id, site, created_at, updated_at) VALUES (?,?,?,?,?)",
                             less)
            conn.executemany("INSERT INTO captures (id, lesion_id, taken_at, image_sha256, width, height, file_size, "
                             "image_format, created_at) VALUES (?,?,?,?,?,?,?,?,?)", caps)
    conn.execute("ANALYZE")
    return {"patients": patients, "lesions": n_les, "captures": n_cap}


def load_patient(reg: Register, patient_id: int) -> int:
    """What the UI loads on selecting a patient: patient, lesions, captures with latest assessments."""
    reg.patients.get(patient_id)
    n = 0
    for lesion in reg.lesions.for_patient(patient_id):
        for capture in reg.captures.for_lesion(lesion.id):
            reg.assessments.latest(capture.id)
            n += 1
    return n


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--dir", help="where to build the register (default: a temporary folder)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        reg = Register(folder)
        t0 = time.perf_counter()
        counts = fill(reg, args.patients)
        fill_s = time.perf_counter() - t0
        rng = np.random.default_rng(1)
        queries = []
        for _ in range(args.queries):
            kind = rng.integers(4)
            if kind == 0:
                queries.append(FAMILY[rng.integers(len(FAMILY))][:3])
            elif kind == 1:
                queries.append(f"{GIVEN[rng.integers(len(GIVEN))]} {FAMILY[rng.integers(len(FAMILY))][:2]}")
            elif kind == 2:
                queries.append(f"MRN{rng.integers(1, args.patients):07d}")
            else:
                queries.append(GIVEN[rng.integers(len(GIVEN))][:1])
        times = {"search (first 200, ordered by name)": [], "search ids (all matches, for the list model)": []}
        for q in queries:
            t = time.perf_counter()
            reg.patients.search(q, limit=200)
            times["search (first 200, ordered by name)"].append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            reg.patients.search_ids(q)
            times["search ids (all matches, for the list model)"].append((time.perf_counter() - t) * 1e3)
        times["likely-duplicate check (before adding a patient)"] = []
        for pid in rng.integers(1, args.patients, 300):
            p = reg.patients.get(int(pid))  # a registered patient typed again, lower case, or another first name
            name = p.name.lower() if pid % 2 else f"{GIVEN[rng.integers(len(GIVEN))]} {p.name.split()[-1]}"
            t = time.perf_counter()
            likely_duplicates(reg, name, p.birth_date)
            times["likely-duplicate check (before adding a patient)"].append((time.perf_counter() - t) * 1e3)
        loads = []
        for pid in rng.integers(1, args.patients, 300):
            t = time.perf_counter()
            load_patient(reg, int(pid))
            loads.append((time.perf_counter() - t) * 1e3)
        reg.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in folder.glob("register.sqlite3*"))
        print(f"rows: {counts}; fill {fill_s:.1f} s")
        for name, values in times.items():
            print(f"{name}: p50 {pct(values, 50):.2f} ms, p95 {pct(values, 95):.2f} ms, max {max(values):.1f} ms "
                  f"({len(values)} queries)")
        print(f"load one patient with lesions, captures, latest assessments: p50 {statistics.median(loads):.2f} ms, "
              f"p95 {pct(loads, 95):.2f} ms")
        print(f"database size: {size / 2**20:.0f} MiB")
        reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
