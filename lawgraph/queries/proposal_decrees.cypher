// name: proposal_decrees
// purpose: the decrees a proposal may have become: decrees amending one of its target laws published within a date range (the range around its publication event)
// parameters: $law_keys (list of lower-case law keys), $date_from (ISO date), $date_to (ISO date)
// example: {"law_keys": ["lgamvlv"], "date_from": "2026-01-12", "date_to": "2026-01-18"}
MATCH (d:Decree)-[:AMENDS]->(l:Law)
WHERE l.key IN $law_keys AND d.dof_date >= $date_from AND d.dof_date <= $date_to
RETURN DISTINCT d.id AS id, d.dof_date AS dof_date, d.title AS title, l.key AS law_key
ORDER BY dof_date, id
