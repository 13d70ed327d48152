// name: recommendation
// purpose: one recommendation's properties and its lettered sub-paragraphs (ids and texts, in order)
// parameters: $rec_id (string, e.g. 'CEDAW/C/MEX/CO/7-8 para 14')
// example: {"rec_id": "CEDAW/C/MEX/CO/7-8 para 14"}
MATCH (r:`Recommendation` {id: $rec_id})
OPTIONAL MATCH (c:`Recommendation`)-[:`PART_OF`]->(r)
WITH r, c
ORDER BY c.id
RETURN properties(r) AS r, collect(c.id) AS children, collect(c.text) AS children_text
