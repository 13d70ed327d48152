// name: decree_operations
// purpose: the amendment operations on one law of the decrees published on one date, in clause order, with the provision each targets (only decrees listed by a complete version whose operations are complete)
// parameters: $law_key (string), $dof_date (ISO date string)
// example: {"law_key": "lgamvlv", "dof_date": "2026-01-15"}
MATCH (l:Law {key: $law_key})<-[:AMENDS]-(d:Decree {dof_date: $dof_date})
MATCH (v:LawVersion)-[:LISTS]->(d)
WHERE v.law_id = l.id AND v.complete = true AND v.amendments_complete = true
WITH DISTINCT l, d
MATCH (d)-[:HAS_OPERATION]->(a:Amendment {law_id: l.id})
RETURN d.id AS decree_id, d.title AS title, a.index AS index, a.op AS op, a.article AS article,
       a.units AS units, a.division AS division, a.denomination AS denomination,
       a.transitory AS transitory, a.target AS target, a.text AS text
ORDER BY decree_id, index
