-- write.lua — durable consultation writes: POST /api/v1/consultations for
-- persons read from ids.txt, each committed (WAL + synchronous=FULL on
-- SQLite, fsync'ed commit on PostgreSQL) before it is answered.
local ids = {}
for line in io.lines(os.getenv("IDS") or "ids.txt") do ids[#ids + 1] = line end
local topics = {"permit_renewal", "work", "housing", "health", "orientation", "a2_test"}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local body = string.format('{"person_id":%s,"topics":["%s"],"channel":"in_person","outcome":"informed","notes":"bench"}',
    ids[(i % #ids) + 1], topics[(i % #topics) + 1])
  return wrk.format(nil, "/api/v1/consultations", nil, body)
end
