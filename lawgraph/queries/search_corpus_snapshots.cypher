// name: search_corpus_snapshots
// purpose: id and content hash of every complete process snapshot: with the label counts, the stamp that decides when the search index's proposal part is rebuilt (lawgraph/search.py)
// parameters: none
// example: {}
MATCH (s:ProcessSnapshot {complete: true})
RETURN s.id AS snapshot, s.content_hash AS content_hash
ORDER BY snapshot
