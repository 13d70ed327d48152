// name: list_proposals
// purpose: proposals of complete process snapshots for the proposals page, every given filter applied (null filters are ignored): topic words (folded, each a word prefix), law key, 'LAW|article' reference (or an article of any law), stage, a chamber the proposal passed through, a jurisdiction of its target laws, date presented within a range, and pending in its stage since before a cutoff date
// parameters: $words (list of ' word' strings or null), $law (upper-case key or null), $article_ref (string or null), $article_any ('|20 Ter' or null), $stage (stage id or null), $chamber (chamber id or null), $jurisdiction (e.g. 'mx', 'mx-chh' or null), $date_from (ISO date or null), $date_to (ISO date or null), $cutoff (ISO date or null), $offset (int), $limit (int)
// example: {"words": [" vicaria"], "law": null, "article_ref": null, "article_any": null, "stage": null, "chamber": null, "jurisdiction": null, "date_from": null, "date_to": null, "cutoff": null, "offset": 0, "limit": 50}
MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)
WHERE ($stage IS NULL OR p.stage = $stage)
  AND ($law IS NULL OR $law IN p.law_keys)
  AND ($article_ref IS NULL OR $article_ref IN p.article_refs)
  AND ($article_any IS NULL OR any(r IN p.article_refs WHERE r ENDS WITH $article_any))
  AND ($chamber IS NULL OR $chamber IN p.chambers)
  AND ($jurisdiction IS NULL OR $jurisdiction IN p.jurisdictions)
  AND ($date_from IS NULL OR (p.date_presented IS NOT NULL AND p.date_presented >= $date_from))
  AND ($date_to IS NULL OR (p.date_presented IS NOT NULL AND p.date_presented <= $date_to))
  AND ($cutoff IS NULL OR (p.pending_since IS NOT NULL AND p.pending_since < $cutoff))
  AND ($words IS NULL OR all(w IN $words WHERE p.topic CONTAINS w))
RETURN p.id AS id, p.kind AS kind, p.title AS title, p.stage AS stage, p.status AS status,
       p.chamber AS chamber, p.chambers AS chambers, p.jurisdictions AS jurisdictions,
       p.date_presented AS date_presented, p.pending_since AS pending_since,
       p.law_keys AS laws, p.article_refs AS articles, p.committee_keys AS committees, p.sil_ids AS sil_ids
ORDER BY coalesce(p.date_presented, '0000') DESC, p.id
SKIP $offset
LIMIT $limit
