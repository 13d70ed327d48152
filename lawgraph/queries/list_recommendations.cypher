// name: list_recommendations
// purpose: recommendations filtered by body, document and a phrase, with their link counts (all and confirmed); the whole text (FalkorDB's substring() counts bytes and cut "á" in half: pages cut at a word boundary)
// parameters: $body (upper-case or null), $document (symbol or null), $q (lower-case phrase or null), $offset (int), $limit (int)
// example: {"body": "CEDAW", "document": null, "q": null, "offset": 0, "limit": 20}
MATCH (r:`Recommendation`)
WHERE ($body IS NULL OR r.body = $body)
  AND ($document IS NULL OR r.document = $document)
  AND ($q IS NULL OR toLower(r.text) CONTAINS $q)
OPTIONAL MATCH (r)-[l:`LINK`]->()
WITH r, count(l) AS links, count(CASE WHEN l.status = 'confirmed' THEN 1 END) AS confirmed
RETURN r.id AS id, r.body AS body, r.document AS document, r.paragraph AS paragraph,
       r.subparagraph AS subparagraph, r.year AS year, r.language AS language,
       coalesce(r.recommendation_part, r.text) AS text, links, confirmed
ORDER BY r.year, r.document, r.id
SKIP $offset
LIMIT $limit
