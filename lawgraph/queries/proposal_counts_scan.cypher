// name: proposal_counts_scan
// purpose: stage, parties and law keys of every proposal of the given process snapshots, what a snapshot's stored summary counts (graph/process.py: at write time, and for a snapshot stored before summaries were kept); reads every proposal of those snapshots
// parameters: $snapshots (list of snapshot ids)
// example: {"snapshots": ["/mx/proceso/sitl-diputados-lxvi"]}
UNWIND $snapshots AS sid
MATCH (:ProcessSnapshot {id: sid})-[:HAS_PROPOSAL]->(p:Proposal)
RETURN p.stage AS stage, p.parties AS parties, p.law_keys AS law_keys
