// name: delete_equivalence_links
// purpose: delete suggested 'equivalent' LINK edges between provisions by id (a confirmed or rejected one is never matched: human decisions stay)
// parameters: $ids (list of link ids)
// plan: the LINK id index finds each link (only provisions carry 'equivalent' links, steps.py); with
//   the ends' labels written FalkorDB scans every Provision instead (GRAPH.EXPLAIN)
// example: {"ids": ["LINK-0000000000000000"]}
UNWIND $ids AS lid
MATCH ()-[l:`LINK` {id: lid}]->()
WHERE l.status = 'suggested' AND l.kind = 'equivalent'
DELETE l
