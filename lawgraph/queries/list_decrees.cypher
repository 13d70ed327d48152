// name: list_decrees
// purpose: decrees with the laws they amend, optionally those published on one date or amending one law, newest first
// parameters: $dof_date (ISO date or null), $law_key (lower-case key or null), $limit (int)
// example: {"dof_date": "2026-01-15", "law_key": null, "limit": 100}
MATCH (d:Decree)-[:AMENDS]->(l:Law)
WHERE ($dof_date IS NULL OR d.dof_date = $dof_date) AND ($law_key IS NULL OR l.key = $law_key)
WITH d, collect(DISTINCT l.key) AS laws
RETURN d.id AS id, d.dof_date AS dof_date, d.title AS title, d.kind AS kind, laws
ORDER BY coalesce(dof_date, '0000') DESC, id
LIMIT $limit
