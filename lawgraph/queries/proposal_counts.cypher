// name: proposal_counts
// purpose: the stored summary of every complete process snapshot (JSON text: proposals per stage, party and law key, written with the snapshot by graph/process.py; null for a snapshot stored before summaries were kept)
// parameters: none
// example: {}
MATCH (s:ProcessSnapshot {complete: true})
RETURN s.id AS snapshot, s.summary AS summary
ORDER BY snapshot
