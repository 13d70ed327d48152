// name: link_sources
// purpose: for each link, the matched provision version (its own text, law version date, document file, sha256, page) and the decree that enacted it
// parameters: $rows (list of {id, to_id (Provision id), version_id (ProvisionVersion id or null), decree_id (or null)}); without a version_id the latest version is used
// example: {"rows": [{"id": "LINK-0", "to_id": "/mx/ley/lgamvlv/art_3", "version_id": null, "decree_id": null}]}
UNWIND $rows AS r
OPTIONAL MATCH (p:`Provision` {id: r.to_id})<-[:`VERSION_OF`]-(pv:`ProvisionVersion`)
WITH r, pv
ORDER BY CASE WHEN pv.id = r.version_id THEN 0 ELSE 1 END, pv.version_id DESC
WITH r, collect(pv)[0] AS pv
OPTIONAL MATCH (d:`Document` {id: '/doc/' + pv.sha256})
OPTIONAL MATCH (dec:`Decree` {id: r.decree_id})
RETURN r.id AS id, pv.version_id AS version, split(pv.version_id, '@')[1] AS version_date,
       pv.sha256 AS sha256, pv.page AS page, d.file AS file, pv.text AS text,
       dec.dof_date AS dof_date, dec.title AS decree_title
