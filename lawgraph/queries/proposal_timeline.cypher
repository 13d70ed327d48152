// name: proposal_timeline
// purpose: one proposal of a complete snapshot with its events (each with its source), its proponents, committees and targets
// parameters: $id (proposal id)
// example: {"id": "/mx/iniciativa/lxvi-dd71f1abc8f7"}
// Each list is ordered before it is collected, so FalkorDB and Neo4j give the same answer
// (tests/test_backends.py); events are put in legislative order by graph/process.proposal_timeline.
MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal {id: $id})
OPTIONAL MATCH (p)-[:HAS_EVENT]->(e:Event)
WITH p, e ORDER BY e.id
WITH p, collect(properties(e)) AS events
OPTIONAL MATCH (p)-[:PROPOSES]->(t:ProposalTarget)
WITH p, events, t ORDER BY t.id
WITH p, events, collect(properties(t)) AS targets
OPTIONAL MATCH (x:Proponent)-[:PROPOSED]->(p)
WITH p, events, targets, x ORDER BY x.name
WITH p, events, targets, collect(x.name) AS proponents
OPTIONAL MATCH (p)-[:TURNED_TO]->(c:Committee)
WITH p, events, targets, proponents, c ORDER BY c.name
RETURN properties(p) AS proposal, events, targets, proponents, collect(c.name) AS committees
