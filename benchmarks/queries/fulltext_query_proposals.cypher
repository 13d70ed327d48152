// name: fulltext_query_proposals
// purpose: proposals whose title matches a RediSearch query through FalkorDB's full-text index (fulltext_create_proposals), for benchmarks/bench_search.py
// parameters: $q (RediSearch query: words that must all appear), $limit (int)
// example: {"q": "violencia", "limit": 5}
CALL db.idx.fulltext.queryNodes('Proposal', $q) YIELD node, score
RETURN node.id AS id, score
ORDER BY score DESC
LIMIT $limit
