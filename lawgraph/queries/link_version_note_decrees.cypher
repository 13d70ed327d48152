// name: link_version_note_decrees
// purpose: the decree each reform note of one law version names, by provision version and note date (REFORMED_BY edges), and the decrees the version lists, for dating the linker's units
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15"}
// Both lists are ordered and hold no null entries, so FalkorDB and Neo4j give the same answer
// (tests/test_backends.py compares every named query across the two engines).
MATCH (v:LawVersion {id: $version_id})
OPTIONAL MATCH (pv:ProvisionVersion {version_id: $version_id})-[e:REFORMED_BY]->(d:Decree)
WITH v, pv, e, d ORDER BY pv.id, e.date, d.id
WITH v, [x IN collect(CASE WHEN pv IS NULL THEN null ELSE {id: pv.id, date: e.date, decree_id: d.id} END)
         WHERE x IS NOT NULL] AS notes
OPTIONAL MATCH (v)-[:LISTS]->(ld:Decree)
WITH notes, ld ORDER BY ld.dof_date DESC, ld.id
RETURN notes, [x IN collect(CASE WHEN ld IS NULL THEN null ELSE {decree_id: ld.id, date: ld.dof_date} END)
               WHERE x IS NOT NULL] AS listed
