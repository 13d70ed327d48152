// name: list_suggestions
// purpose: civil-society suggestions, newest first, with their link counts (all and confirmed); the whole text (FalkorDB's substring() counts bytes and cut "á" in half: pages cut at a word boundary)
// (count(CASE …) rather than sum(): FalkorDB sums integers to a float, Neo4j to an integer.)
// parameters: $offset (int), $limit (int)
// example: {"offset": 0, "limit": 20}
MATCH (s:`Suggestion`)
OPTIONAL MATCH (s)-[l:`LINK`]->()
WITH s, count(l) AS links, count(CASE WHEN l.status = 'confirmed' THEN 1 END) AS confirmed
RETURN s.id AS id, s.organisation AS organisation, s.date AS date, s.language AS language,
       s.priority_area AS priority_area, s.target_law AS target_law,
       s.text AS text, links, confirmed
ORDER BY s.date DESC, s.id
SKIP $offset
LIMIT $limit
