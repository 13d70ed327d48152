// name: link_version_note_decrees
// purpose: the decree each reform note of one law version names, by provision version and note date (REFORMED_BY edges), and the decrees the version lists, for dating the linker's units
// parameters: $version_id (string, a law version id)
// example: {"version_id": "/mx/ley/lgamvlv@2026-01-15"}
MATCH (v:LawVersion {id: $version_id})
OPTIONAL MATCH (pv:ProvisionVersion {version_id: $version_id})-[e:REFORMED_BY]->(d:Decree)
WITH v, collect({id: pv.id, date: e.date, decree_id: d.id}) AS notes
OPTIONAL MATCH (v)-[:LISTS]->(ld:Decree)
RETURN notes, collect({decree_id: ld.id, date: ld.dof_date}) AS listed
