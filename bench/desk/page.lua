-- page.lua — opens person pages (the HTML page with consultations and
-- procedures, or the API record with PAGE_API=1) of ids read from ids.txt.
local ids = {}
for line in io.lines(os.getenv("IDS") or "ids.txt") do ids[#ids + 1] = line end
local api = os.getenv("PAGE_API") == "1"
local i = 0
request = function()
  i = i + 1
  local id = ids[(i % #ids) + 1]
  if api then return wrk.format("GET", "/api/v1/persons/" .. id) end
  return wrk.format("GET", "/desk/persons/" .. id)
end
