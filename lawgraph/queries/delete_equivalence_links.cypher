// name: delete_equivalence_links
// purpose: delete suggested 'equivalent' LINK edges between provisions by id (a confirmed or rejected one is never matched: human decisions stay)
// parameters: $ids (list of link ids)
// example: {"ids": ["LINK-0000000000000000"]}
UNWIND $ids AS lid
MATCH (:Provision)-[l:`LINK` {id: lid}]->(:Provision)
WHERE l.status = 'suggested' AND l.kind = 'equivalent'
DELETE l
