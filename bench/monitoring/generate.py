#!/usr/bin/env python3
"""generate.py — the monitoring bench's data (issue 13 item 12), as SQL for
one engine on a database that `labimpact init` + `labimpact demo --persons 0`
made: the network grows to 35 districts (synthetic 'bench-dNN' beside the
demo's, when it has fewer), each with a project 2025-01-01..2027-12-31, and then

    200,000 persons            spread over the 35 districts
  2,000,000 consultations      4 in 5 named, 1 in 5 anonymous; one topic each
    100,000 procedures         five types in turn (family_reunification, eu_long_term, ...)
        700 courses            20 per district, the kinds in turn
     60,000 course enrolments  1 in 6 waiting; language courses with levels
     50,000 mediation requests done, four domains, six languages

Every value is a function of the row number (no randomness): both engines
hold the same records. Activities carry their district's project_id (the
wired state); 1 consultation in 100 has none and is attributed by district
and date at query time.

Usage: python3 generate.py sqlite | psql-ready:  python3 generate.py pg
Pipe into `sqlite3 DB` or `psql URI`. Scale with SCALE=0.1 (tenth)."""
import os
import sys

eng = sys.argv[1] if len(sys.argv) > 1 else 'sqlite'
scale = float(os.environ.get('SCALE', '1'))
N_PERSONS = int(200000 * scale)
N_CONS = int(2000000 * scale)
N_PROC = int(100000 * scale)
N_ENROL = int(60000 * scale)
N_MED = int(50000 * scale)
pg = eng == 'pg'


def series(n):
    """A source of rows n = 1..N."""
    if pg:
        return f"generate_series(1::bigint, {n}) AS s(n)"
    return f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) SELECT n FROM s) AS s"


def day(expr):
    """The date 2025-01-01 + expr days, as text."""
    if pg:
        return f"to_char(DATE '2025-01-01' + ({expr})::int, 'YYYY-MM-DD')"
    return f"date('2025-01-01', '+' || ({expr}) || ' days')"


def birth(expr):
    if pg:
        return f"to_char(DATE '1945-01-01' + ({expr})::int, 'YYYY-MM-DD')"
    return f"date('1945-01-01', '+' || ({expr}) || ' days')"


out = []
w = out.append
w("BEGIN;")
# 26 more districts under the region, each with its path.
w("CREATE TEMP TABLE bench_n AS SELECT n FROM " + series(26) + ";")
w("INSERT INTO org (code, name, kind, parent_id, path, created_at, updated_at) "
  "SELECT 'bench-d' || n, 'Ambito di prova ' || n, 'ambito', r.id, r.path, 0, 0 "
  "FROM bench_n, org r WHERE r.kind = 'region' "
  "AND n <= 35 - (SELECT COUNT(*) FROM org a WHERE a.kind = 'ambito');")  # the demo may hold all 35
w("UPDATE org SET path = path || id || '/' WHERE code LIKE 'bench-d%';")
# One project per district (k = 0..34 in id order).
w("CREATE TEMP TABLE bench_d (k INTEGER PRIMARY KEY, org_id BIGINT, path TEXT, project_id BIGINT);")
w("INSERT INTO bench_d (k, org_id, path) SELECT (SELECT COUNT(*) FROM org o2 WHERE o2.kind = 'ambito' AND o2.id < o.id), "
  "o.id, o.path FROM org o WHERE o.kind = 'ambito';")
w("INSERT INTO project (code, title, edition, fund, org_id, start_date, end_date, created_at, updated_at) "
  "SELECT 'bench-p' || k, 'Progetto di prova ' || k, '2021-2027', 'FAMI 2021-2027', org_id, '2025-01-01', '2027-12-31', 0, 0 FROM bench_d;")
w("UPDATE bench_d SET project_id = (SELECT id FROM project WHERE code = 'bench-p' || bench_d.k);")
w(f"INSERT INTO person (org_id, given_name, family_name, sex, birth_date, citizenship, last_contact_at, created_at, updated_at) "
  f"SELECT d.org_id, 'Nome' || n, 'Cognome' || n, CASE n % 3 WHEN 0 THEN 'm' WHEN 1 THEN 'f' ELSE 'x' END, "
  f"{birth('(n * 7919) % 25000')}, 'MA', 0, 0, 0 FROM {series(N_PERSONS)} JOIN bench_d d ON d.k = n % 35;")
w("CREATE TEMP TABLE bench_p AS SELECT MIN(id) AS first FROM person;")
topics = ['permit_renewal', 'work', 'health', 'housing', 'family_reunification', 'school', 'orientation',
          'language_course', 'citizenship', 'legal', 'social', 'training', 'eu_long_term', 'a2_test', 'family',
          'qualification_recognition', 'other']
case_topic = "CASE (n * 31) % 17 " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(topics)) + " END"
# Named consultations: the person's district and project; 1 in 100 left to attribution.
w(f"INSERT INTO consultation (org_id, person_id, project_id, date, channel, topics, sex, age_band, created_at, updated_at) "
  f"SELECT d.org_id, CASE WHEN n % 5 = 0 THEN NULL ELSE p.first + ((n * 7919) % {N_PERSONS}) END, "
  f"CASE WHEN n % 100 = 7 THEN NULL ELSE d.project_id END, {day('n % 700')}, 'in_person', {case_topic}, "
  f"CASE n % 2 WHEN 0 THEN 'f' ELSE 'm' END, '18-60', 0, 0 "
  f"FROM {series(N_CONS)} CROSS JOIN bench_p p JOIN bench_d d ON d.k = ((n * 7919) % {N_PERSONS}) % 35;")
w("INSERT INTO consultation_topic (consultation_id, topic) SELECT id, topics FROM consultation;")
ptypes = ['permit_renewal', 'family_reunification', 'eu_long_term', 'citizenship', 'a2_test']
case_ptype = "CASE n % 5 " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(ptypes)) + " END"
w(f"INSERT INTO desk_procedure (person_id, org_id, project_id, type, opened_on, rule_effective_from, rule_origin, created_at, updated_at) "
  f"SELECT p.first + ((n * 104729) % {N_PERSONS}), d.org_id, d.project_id, {case_ptype}, {day('(n * 13) % 700')}, '2024-01-01', 'bench', 0, 0 "
  f"FROM {series(N_PROC)} CROSS JOIN bench_p p JOIN bench_d d ON d.k = ((n * 104729) % {N_PERSONS}) % 35;")
kinds = ['italian_l2', 'literacy', 'civic_orientation', 'job_orientation', 'italian_work', 'operator_training',
         'pupils_l2', 'mediator_training', 'summer_support', 'experiential']
case_kind = "CASE n % 10 " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(kinds)) + " END"
w(f"INSERT INTO course (org_id, title, kind, audience, hours, capacity, start_date, end_date, created_at, updated_at) "
  f"SELECT d.org_id, 'Corso ' || n, {case_kind}, 'adults', 40, 100, {day('(n * 17) % 600')}, '2027-06-30', 0, 0 "
  f"FROM {series(700)} JOIN bench_d d ON d.k = n % 35;")
w("CREATE TEMP TABLE bench_c AS SELECT MIN(id) AS first FROM course;")
levels = ['pre-A1', 'A1', 'A2', 'B1', 'B2']
lv = lambda e: "CASE " + e + " " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(levels)) + " END"
conflict = " ON CONFLICT DO NOTHING" if pg else ""
ins = "INSERT INTO" if pg else "INSERT OR IGNORE INTO"
w(f"{ins} course_enrolment (course_id, person_id, project_id, status, entry_level, exit_level, created_at, updated_at) "
  f"SELECT c.id, p.first + ((n * 15485863) % {N_PERSONS}), d.project_id, CASE WHEN n % 6 = 0 THEN 'waiting' ELSE 'enrolled' END, "
  f"{lv('n % 4')}, {lv('(n % 4) + (n % 3)')}, 0, 0 "
  f"FROM {series(N_ENROL)} CROSS JOIN bench_p p CROSS JOIN bench_c b JOIN course c ON c.id = b.first + n % 700 "
  f"JOIN bench_d d ON d.org_id = c.org_id{conflict};")
langs = ['ar', 'uk', 'zh', 'ur', 'bn', 'sq']
doms = ['school', 'health', 'social', 'legal']
w(f"INSERT INTO mediation_request (org_id, project_id, language, domain, start_at, minutes, end_at, status, minutes_worked, created_at, updated_at) "
  f"SELECT d.org_id, d.project_id, CASE n % 6 " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(langs)) + " END, "
  f"CASE n % 4 " + " ".join(f"WHEN {i} THEN '{t}'" for i, t in enumerate(doms)) + " END, "
  f"1735689600 + (n % 700) * 86400 + 36000, 60, 1735689600 + (n % 700) * 86400 + 39600, 'done', 45 + n % 60, 0, 0 "
  f"FROM {series(N_MED)} JOIN bench_d d ON d.k = n % 35;")
w("COMMIT;")
w("ANALYZE;")
print("\n".join(out))
