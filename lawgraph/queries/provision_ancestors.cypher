// name: provision_ancestors
// purpose: the hierarchy path of a provision version, from its law version through Libro/Título/Capítulo/Sección and enclosing units
// parameters: $id (provision version id)
// example: {"id": "/mx/ley/lgamvlv@2026-01-15/art_3/frac_ii"}
MATCH p = (v:LawVersion)-[:CONTAINS*1..12]->(pv:ProvisionVersion {id: $id})
RETURN [n IN nodes(p) | {id: n.id, kind: n.kind, label: n.label, heading: n.heading}] AS path
