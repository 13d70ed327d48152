// name: version_decrees
// purpose: the reform decrees a law version lists ("ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA"), in their order, with the amendment clause as printed in that law
// parameters: $law_key (string), $at (ISO date string or null for the latest complete version)
// example: {"law_key": "lgamvlv", "at": null}
MATCH (l:Law {key: $law_key})-[:HAS_VERSION]->(v:LawVersion)
WHERE v.complete = true AND coalesce(v.kind, 'documento') <> 'historia' AND ($at IS NULL OR v.date <= $at)
WITH v
ORDER BY v.date DESC
LIMIT 1
MATCH (v)-[e:LISTS]->(d:Decree)
RETURN d.id AS id, d.dof_date AS dof_date, d.title AS title, d.kind AS kind,
       d.declared_invalid AS declared_invalid, e.index AS index, e.clause AS clause,
       e.page AS page
ORDER BY e.index
