// name: search_corpus_proposals
// purpose: the searchable text of every proposal of the complete process snapshots (title and synopsis), with what a result line shows
// parameters: none
// example: {}
MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)
RETURN p.id AS id, p.title AS title, p.synopsis AS synopsis, p.kind AS kind, p.stage AS stage,
       p.chamber AS chamber, p.date_presented AS date, p.law_keys AS laws, p.gaceta_url AS url
