package main

// The coverage statements come from the store itself
// (store.CoverageByLAStatement, CoverageSettingsStatement,
// SettingsLostSENCOStatement) and run here on the bare pool. What the LA
// page reads besides them is the list of authorities:

// allLASQL is AllLocalAuthorities' statement (internal/store/las.go).
const allLASQL = `SELECT code, dfe_code, name, ofsted_name, region_code, region_name, type, started_on, ended_on, updated_at FROM local_authorities WHERE 1=1 ORDER BY name, code`
