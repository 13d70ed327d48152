// name: proposal_counts
// purpose: stage, parties and law keys of every proposal of the complete process snapshots (for summaries)
// parameters: none
// example: {}
MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)
RETURN p.stage AS stage, p.parties AS parties, p.law_keys AS law_keys
