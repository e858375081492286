-- search.lua — name searches as a desk types them: prefixes and full names,
-- with the transliterations the phonetic keys must absorb.
local names = {"moh", "mohamed", "muhammad", "mohammed el", "ahmed", "fatima", "khadija", "hoxha", "wang",
  "kovalenko", "shevchenko", "diallo", "ndiaye", "santos", "quispe", "okafor", "el amrani", "benali", "youssef",
  "olena", "arben", "singh", "khan", "li wei", "maria", "rodriguez", "abdelrahman", "yousef", "jusuf", "sharma"}
local i = 0
request = function()
  i = i + 1
  local q = names[(i % #names) + 1]
  return wrk.format("GET", "/api/v1/persons?limit=20&q=" .. q:gsub(" ", "%%20"))
end
