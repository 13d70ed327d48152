// name: search_corpus_decrees
// purpose: the searchable text of every reform decree (its title) with its gazette date and the laws whose versions list it
// parameters: none
// example: {}
MATCH (d:Decree)
OPTIONAL MATCH (l:Law)-[:HAS_VERSION]->(:LawVersion)-[:LISTS]->(d)
// ordered before collecting, so both engines give the laws in the same order
WITH d, l ORDER BY l.key
WITH d, collect(DISTINCT l.key) AS laws
RETURN d.id AS id, d.title AS title, d.dof_date AS date, d.kind AS kind, laws
