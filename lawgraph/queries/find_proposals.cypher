// name: find_proposals
// purpose: proposals of complete process snapshots matching every filter given (null filters are ignored): topic words (folded, each a word prefix), law key, 'LAW|article' reference, committee key, party (folded), stage, and pending since before a cutoff date
// parameters: $words (list of ' word' strings or null), $law (upper-case key or null), $article_ref (string or null), $committee (key or null), $party (folded or null), $stage (stage id or null), $cutoff (ISO date or null), $limit (int)
// example: {"words": [" feminicid"], "law": null, "article_ref": null, "committee": null, "party": null, "stage": "turnada_comision", "cutoff": "2025-12-09", "limit": 50}
MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)
WHERE ($stage IS NULL OR p.stage = $stage)
  AND ($law IS NULL OR $law IN p.law_keys)
  AND ($article_ref IS NULL OR $article_ref IN p.article_refs)
  AND ($committee IS NULL OR $committee IN p.committee_keys)
  AND ($party IS NULL OR $party IN p.parties)
  AND ($cutoff IS NULL OR (p.pending_since IS NOT NULL AND p.pending_since < $cutoff))
  AND ($words IS NULL OR all(w IN $words WHERE p.topic CONTAINS w))
RETURN p.id AS id, p.title AS title, p.stage AS stage, p.status AS status,
       p.date_presented AS date_presented, p.pending_since AS pending_since,
       p.parties AS parties, p.committee_keys AS committees, p.law_keys AS laws,
       p.article_refs AS articles, p.gaceta_url AS gaceta_url
ORDER BY coalesce(p.pending_since, p.date_presented, '9999'), p.id
LIMIT $limit
