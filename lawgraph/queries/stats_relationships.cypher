// name: stats_relationships
// purpose: relationship count per type
// parameters: none
// example: {}
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS count
ORDER BY type
