package api

import (
	"slices"

	"senco/internal/domain"
)

// obj is a JSON object in the OpenAPI document.
type obj = map[string]any

// openAPIDocument describes the API in OpenAPI 3.1. It is written by hand,
// separately from the route table, so that TestOpenAPIMatchesRoutes catches
// a route and its description drifting apart. Enumerations come from the
// domain, as the handlers' checks do.
func openAPIDocument() obj {
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "senco API",
			"version": "1",
			"description": "Read access to the early years settings register, local authorities, practitioners and their employments, " +
				"and to training delivery (cohorts, sessions, attendance, applications, learners), within the scope of the token's " +
				"organisation and role; for suppliers, writes to their cohorts, sessions, attendance and applications. " +
				"Send a token as `Authorization: Bearer <token>`. " +
				"Lists are paginated with page[number] and page[size] (default 100, maximum 1000) and filtered with filter[…]; " +
				"with filter[updated_since] they are ordered by updated_at then id, so clients can sync by asking for changes since " +
				"the last updated_at they saw. Each token is rate limited; a 429 response says when to retry in Retry-After. " +
				"Writes take a JSON body {\"data\": {\"type\": …, \"attributes\": {…}}}, answer 200 with the record as it is after the " +
				"change, are audited against the token, and are safe to retry with an Idempotency-Key header (a retry with the same " +
				"key and request gets the first response and changes nothing; the key is remembered for 24 hours); without a key, a " +
				"retried write is refused by the record's natural key (409 or 422) rather than repeated. A refusal names the " +
				"attribute at fault in source.pointer.",
		},
		"security": []any{obj{"bearer": []any{}}},
		"paths": merged(obj{
			"/api/v1/openapi.json": obj{"get": obj{
				"operationId": "getOpenAPI",
				"summary":     "This document",
				"security":    []any{},
				"responses":   obj{"200": obj{"description": "The OpenAPI document", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}},
			}},
			"/api/v1/local-authorities": obj{"get": listOperation("listLocalAuthorities",
				"List local authorities",
				"Every English local authority with early years duties, live and ended, ordered by name "+
					"(by last change, then code, when filter[updated_since] is given). Reference data: every token may read it.",
				"LocalAuthority", true,
				filterParam("filter[region]", "ONS region code (E12…)", obj{"type": "string", "pattern": "^E12[0-9]{6}$"}, "E12000007"),
			)},
			"/api/v1/settings": obj{"get": listOperation("listSettings",
				"List settings",
				"Early years settings from Ofsted's register that the token may see: nationally for the programme team, suppliers and awarding "+
					"organisations, one authority for a local authority officer. Ordered by name (sort=name) or by last change (sort=updated_at, "+
					"the default with filter[updated_since]). Each filter is also accepted without the filter[…] wrapper (la=…).",
				"Setting", true,
				append(settingFilterParams(), obj{
					"name": "sort", "in": "query", "required": false,
					"description": "Order: name (then URN), or updated_at (then URN).",
					"schema":      obj{"type": "string", "enum": []string{"name", "updated_at"}},
					"example":     "name",
				})...,
			)},
			"/api/v1/settings/{urn}": obj{"get": getOperation("getSetting", "Get a setting",
				"One setting by its Ofsted URN. A setting outside the token's scope is 404, as if it did not exist.",
				"Setting", obj{"name": "urn", "in": "path", "required": true, "description": "Ofsted URN",
					"schema": obj{"type": "string"}, "example": "EY101465"})},
			"/api/v1/practitioners": obj{"get": listOperation("listPractitioners",
				"List practitioners",
				"Practitioners the token may see (personal data): all for the programme team; those employed in the authority or recorded "+
					"by it for a local authority officer; those the supplier recorded for a supplier admin; none for other roles. "+
					"Ordered by family name, given name and id; by updated_at then id with filter[updated_since]. A practitioner's "+
					"updated_at also changes when one of their employments changes.",
				"Practitioner", true,
				filterParam("filter[q]", "Part of the name, or the whole email address", obj{"type": "string", "maxLength": maxQueryLength}, "smith"),
				filterParam("filter[setting]", "Only practitioners ever employed at this setting (URN)", obj{"type": "string"}, "EY101465"),
			)},
			"/api/v1/practitioners/{id}": obj{"get": getOperation("getPractitioner", "Get a practitioner",
				"One practitioner by id. A practitioner outside the token's scope is 404, as if they did not exist.",
				"Practitioner", idParam("Practitioner id"))},
			"/api/v1/employments": obj{"get": listOperation("listEmployments",
				"List employments",
				"Employments (practitioner × setting × role × dates) the token may see: all for the programme team; at settings in the "+
					"authority for a local authority officer; of the practitioners the supplier recorded for a supplier admin; none for "+
					"other roles. Current employments first, then by start date, newest first; by updated_at then id with filter[updated_since].",
				"Employment", true,
				filterParam("filter[setting]", "Only employments at this setting (URN)", obj{"type": "string"}, "EY101465"),
				filterParam("filter[practitioner]", "Only employments of this practitioner (id)", obj{"type": "string", "pattern": "^[1-9][0-9]*$"}, "1"),
				filterParam("filter[current_on]", "Only employments covering this date: started on or before it and not ended on or before it",
					obj{"type": "string", "format": "date"}, "2025-01-31"),
			)},
			"/api/v1/employments/{id}": obj{"get": getOperation("getEmployment", "Get an employment",
				"One employment by id. An employment outside the token's scope is 404, as if it did not exist.",
				"Employment", idParam("Employment id"))},
		}, deliveryPaths(), coveragePaths(), moneyPaths(), growthPaths(), assessmentPaths()),
		"components": obj{
			"securitySchemes": obj{"bearer": obj{
				"type": "http", "scheme": "bearer",
				"description": "An API token created in senco; it acts for the user who created it, with their organisation and role.",
			}},
			"parameters": obj{
				"PageNumber": obj{"name": "page[number]", "in": "query", "required": false, "description": "Page to return, from 1",
					"schema": obj{"type": "integer", "minimum": 1, "maximum": maxPageNumber, "default": 1}, "example": 1},
				"PageSize": obj{"name": "page[size]", "in": "query", "required": false, "description": "Records per page",
					"schema": obj{"type": "integer", "minimum": 1, "maximum": MaxPageSize, "default": DefaultPageSize}, "example": 50},
				"UpdatedSince": obj{"name": "filter[updated_since]", "in": "query", "required": false,
					"description": "Only records changed at or after this time (RFC 3339); orders the list by updated_at then id.",
					"schema":      obj{"type": "string", "format": "date-time"}, "example": "2025-01-31T09:00:00Z"},
				"IdempotencyKey": obj{"name": IdempotencyKeyHeader, "in": "header", "required": false,
					"description": "A key of the client's choosing (for example a UUID), unique per write: a retry with the same key and " +
						"request gets the first response and changes nothing; the same key with another request is 422. Remembered per token for 24 hours.",
					"schema": obj{"type": "string", "minLength": 1, "maxLength": maxIdempotencyKey}, "example": "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1e7c30"},
			},
			"schemas":   merged(schemas(), deliverySchemas(), coverageSchemas(), moneySchemas(), growthSchemas(), assessmentSchemas()),
			"responses": errorResponses(),
		},
	}
}

func filterParam(name, desc string, schema obj, example any) obj {
	return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema, "example": example}
}

func idParam(desc string) obj {
	return obj{"name": "id", "in": "path", "required": true, "description": desc,
		"schema": obj{"type": "string", "pattern": "^[1-9][0-9]*$"}, "example": "1"}
}

func ref(kind, name string) obj { return obj{"$ref": "#/components/" + kind + "/" + name} }

func settingFilterParams() []any {
	types := codesOf(domain.ProviderTypes)
	filters := []struct {
		name, desc string
		schema     obj
		example    any
	}{
		{"la", `Local authority GSS code, or "none" for settings with no recorded authority`,
			obj{"type": "string", "pattern": "^([EWSN][0-9]{8}|none)$"}, "E09000002"},
		{"type", "Provider type", obj{"type": "string", "enum": types}, string(domain.Childminder)},
		{"status", "Registration status", obj{"type": "string", "enum": []string{string(domain.Active), string(domain.Closed)}}, string(domain.Active)},
		{"register", "On this register: eyr (Early Years), ccr (Compulsory Childcare), vcr (Voluntary Childcare)",
			obj{"type": "string", "enum": registerCodes}, "eyr"},
		{"q", "Name, URN, postcode or town", obj{"type": "string", "maxLength": maxQueryLength}, "LS8"},
	}
	var out []any
	for _, f := range filters {
		out = append(out, filterParam("filter["+f.name+"]", f.desc, f.schema, f.example))
	}
	for _, f := range filters {
		out = append(out, filterParam(f.name, "Same as filter["+f.name+"]", f.schema, f.example))
	}
	return append(out, filterParam("updated_since", "Same as filter[updated_since]", obj{"type": "string", "format": "date-time"}, "2025-01-31T09:00:00Z"))
}

// listOperation describes a paginated list of schema records.
func listOperation(id, summary, desc, schema string, updatedSince bool, filters ...any) obj {
	params := []any{ref("parameters", "PageNumber"), ref("parameters", "PageSize")}
	if updatedSince {
		params = append(params, ref("parameters", "UpdatedSince"))
	}
	params = append(params, filters...)
	return obj{
		"operationId": id,
		"summary":     summary,
		"description": desc,
		"parameters":  params,
		"responses": withErrors(obj{"200": obj{
			"description": "A page of records",
			"content":     obj{"application/json": obj{"schema": ref("schemas", schema+"List")}},
		}}, "400", "401", "403", "405", "429"),
	}
}

// getOperation describes reading one schema record.
func getOperation(id, summary, desc, schema string, param obj) obj {
	return obj{
		"operationId": id,
		"summary":     summary,
		"description": desc,
		"parameters":  []any{param},
		"responses": withErrors(obj{"200": obj{
			"description": "The record",
			"content":     obj{"application/json": obj{"schema": ref("schemas", schema+"Document")}},
		}}, "401", "403", "404", "405", "429"),
	}
}

var errorResponseNames = map[string]string{
	"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
	"405": "MethodNotAllowed", "409": "Conflict", "415": "UnsupportedMediaType", "422": "UnprocessableEntity", "429": "TooManyRequests",
}

// merged is the union of objects; later keys win.
func merged(objs ...obj) obj {
	out := obj{}
	for _, o := range objs {
		for k, v := range o {
			out[k] = v
		}
	}
	return out
}

func withErrors(responses obj, statuses ...string) obj {
	for _, s := range statuses {
		responses[s] = ref("responses", errorResponseNames[s])
	}
	responses["500"] = ref("responses", "InternalError")
	return responses
}

func errorResponses() obj {
	errResp := func(desc string, headers obj) obj {
		r := obj{"description": desc, "content": obj{"application/json": obj{"schema": ref("schemas", "ErrorDocument")}}}
		if headers != nil {
			r["headers"] = headers
		}
		return r
	}
	str := obj{"type": "string"}
	return obj{
		"BadRequest": errResp("Malformed input: a bad filter value, page[size] over 1000, an unparseable time, a request body that is not "+
			"the JSON expected. The detail says what was expected; source.parameter names the query parameter, or source.pointer the "+
			"place in the body.", nil),
		"Unauthorized": errResp("No token, or a token that is wrong, expired or revoked.",
			obj{"WWW-Authenticate": obj{"description": "Bearer", "schema": str}}),
		"Forbidden": errResp("The token's user may not use the API, or their role may not make this change.", nil),
		"Conflict": errResp("The write would duplicate a record (the same natural key) or undo someone else's change made since the "+
			"client read it (a stale register_version). Nothing was changed.", nil),
		"UnprocessableEntity": errResp("A rule refused the write: the detail says which and why, and source.pointer names the attribute "+
			"at fault (none when the record's status refuses it). Nothing was changed.", nil),
		"UnsupportedMediaType": errResp("The request body was not sent as application/json (or application/vnd.api+json). Nothing was changed.", nil),
		"NotFound":             errResp("No such record within the token's scope; records outside it read the same as records that do not exist.", nil),
		"MethodNotAllowed":     errResp("The method is not allowed on this path.", obj{"Allow": obj{"description": "The methods allowed", "schema": str}}),
		"TooManyRequests": errResp("The token's rate limit is spent.",
			obj{"Retry-After": obj{"description": "Seconds to wait before retrying", "schema": obj{"type": "integer"}}}),
		"InternalError": errResp("Something went wrong on the server; it has been logged.", nil),
	}
}

// Schema helpers.
var (
	tString     = obj{"type": "string"}
	tNullString = obj{"type": []string{"string", "null"}}
	tNullDate   = obj{"type": []string{"string", "null"}, "format": "date", "description": "YYYY-MM-DD, or null when not known"}
	tDateTime   = obj{"type": "string", "format": "date-time", "description": "RFC 3339, UTC"}
	tBool       = obj{"type": "boolean"}
	tInteger    = obj{"type": "integer"}
)

func object(props obj) obj {
	required := make([]string, 0, len(props))
	for k := range props {
		required = append(required, k)
	}
	slices.Sort(required)
	return obj{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// resourceSchemas returns the schemas of one record type: Name (the
// resource), NameDocument (one record) and NameList (a page).
func resourceSchemas(name, typ string, idDesc string, attrs obj) obj {
	return obj{
		name: object(obj{
			"id":         obj{"type": "string", "description": idDesc},
			"type":       obj{"const": typ},
			"attributes": object(attrs),
		}),
		name + "Document": object(obj{"data": ref("schemas", name)}),
		name + "List": object(obj{
			"data": obj{"type": "array", "items": ref("schemas", name)},
			"meta": ref("schemas", "PageMeta"),
		}),
	}
}

func schemas() obj {
	types := codesOf(domain.ProviderTypes)
	roles := codesOf(domain.EmploymentRoles)
	out := obj{
		"PageMeta": object(obj{"page": object(obj{
			"number":      tInteger,
			"size":        tInteger,
			"total_items": tInteger,
			"total_pages": tInteger,
		})}),
		"ErrorDocument": object(obj{"errors": obj{"type": "array", "items": ref("schemas", "Error")}}),
		"Error": obj{
			"type": "object",
			"properties": obj{
				"status": obj{"type": "string", "description": "The HTTP status, as a string"},
				"title":  tString,
				"detail": obj{"type": "string", "description": "What was wrong and what was expected"},
				"source": obj{"type": "object", "properties": obj{
					"parameter": obj{"type": "string", "description": "The query parameter at fault"},
					"pointer":   obj{"type": "string", "description": "A JSON pointer into the request body"},
				}},
			},
			"required": []string{"status", "title"},
		},
	}
	add := func(m obj) {
		for k, v := range m {
			out[k] = v
		}
	}
	add(resourceSchemas("LocalAuthority", "local_authority", "GSS code", obj{
		"code":        obj{"type": "string", "description": "ONS/GSS code, e.g. E09000002"},
		"dfe_code":    obj{"type": []string{"string", "null"}, "description": "DfE 3-digit code"},
		"name":        tString,
		"ofsted_name": obj{"type": []string{"string", "null"}, "description": "The spelling Ofsted's files use"},
		"region_code": tString,
		"region_name": tString,
		"started_on":  tNullDate,
		"ended_on":    obj{"type": []string{"string", "null"}, "format": "date", "description": "null while the authority exists"},
	}))
	add(resourceSchemas("Setting", "setting", "Ofsted URN", obj{
		"urn":                 tString,
		"name":                obj{"type": []string{"string", "null"}, "description": "null when Ofsted withheld the name (home-based providers)"},
		"provider_type":       obj{"type": "string", "enum": types},
		"provider_type_label": tString,
		"subtype":             tNullString,
		"status":              obj{"type": "string", "enum": []string{string(domain.Active), string(domain.Closed)}},
		"registers": object(obj{
			"early_years":          tBool,
			"compulsory_childcare": tBool,
			"voluntary_childcare":  tBool,
		}),
		"la_code":       obj{"type": []string{"string", "null"}, "description": "GSS code; null when Ofsted did not record the authority"},
		"la_name":       tNullString,
		"postcode":      tNullString,
		"town":          tNullString,
		"places":        tInteger,
		"registered_on": tNullDate,
		"closed_on":     tNullDate,
		"latest_inspection": object(obj{
			"date":          tNullDate,
			"outcome":       obj{"type": []string{"integer", "null"}, "minimum": 1, "maximum": 4, "description": "Overall effectiveness: 1 outstanding … 4 inadequate; null when not yet inspected"},
			"outcome_label": tString,
		}),
		"source_release": obj{"type": []string{"string", "null"}, "description": "The Ofsted release the setting was last seen in"},
		"last_seen_on":   tNullDate,
		"updated_at":     tDateTime,
	}))
	add(resourceSchemas("Practitioner", "practitioner", "Practitioner id", obj{
		"given_name":          tString,
		"family_name":         tString,
		"email":               tNullString,
		"date_of_birth":       tNullDate,
		"qualification_level": obj{"type": "integer", "minimum": 0, "maximum": 7, "description": "Highest relevant early years qualification level: 0 for none, else 2–7"},
		"qts":                 tBool,
		"eyts":                tBool,
		"qtls":                tBool,
		"updated_at":          tDateTime,
	}))
	add(resourceSchemas("Employment", "employment", "Employment id", obj{
		"practitioner_id": tString,
		"setting_urn":     tString,
		"role":            obj{"type": "string", "enum": roles},
		"started_on":      obj{"type": "string", "format": "date"},
		"ended_on":        obj{"type": []string{"string", "null"}, "format": "date", "description": "null while the employment continues"},
		"updated_at":      tDateTime,
	}))
	return out
}
