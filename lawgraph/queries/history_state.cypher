// name: history_state
// purpose: how a provision version of a reconstructed history was obtained: its decree, commit, validity and whether a newer change could not be undone (approximation says why)
// parameters: $id (provision version id)
// example: {"id": "/mx/constitucion/cpeum@2011-10-13~historia/art_4"}
MATCH (pv:ProvisionVersion {id: $id})
RETURN pv.exact AS exact, pv.approximation AS approximation, pv.commit AS commit, pv.decree_title AS decree_title,
       pv.valid_from AS valid_from, pv.valid_to AS valid_to, pv.line AS line
