package api

import (
	"senco/internal/domain"
)

// The OpenAPI description of the training delivery routes: cohorts,
// sessions, attendance, applications and their actions, learners.
// openAPIDocument merges these in.

// objectOf is an object schema with only the named properties required.
func objectOf(props obj, required ...string) obj {
	if required == nil {
		required = []string{}
	}
	return obj{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// requestDoc is the schema of a request body {"data": {"type", "attributes"}}.
func requestDoc(typ string, typeRequired bool, attrs obj, required ...string) obj {
	dataRequired := []string{"attributes"}
	if typeRequired {
		dataRequired = append(dataRequired, "type")
	}
	return objectOf(obj{"data": objectOf(obj{
		"type":       obj{"const": typ},
		"attributes": objectOf(attrs, required...),
	}, dataRequired...)}, "data")
}

var (
	tID         = obj{"type": "string", "pattern": "^[1-9][0-9]*$", "description": "A record id"}
	tNullID     = obj{"type": []string{"string", "null"}, "pattern": "^[1-9][0-9]*$"}
	tDate       = obj{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
	tInputID    = obj{"type": []string{"string", "integer"}, "pattern": "^[1-9][0-9]*$", "minimum": 1, "description": `A record id, "12" (or 12)`}
	tInputDate  = obj{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
	tStringList = obj{"type": "array", "items": obj{"type": "string"}}
)

func codesOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func enumOf(desc string, values []string) obj {
	return obj{"type": "string", "enum": values, "description": desc}
}

func nullEnumOf(desc string, values []string) obj {
	return obj{"type": []string{"string", "null"}, "enum": append(append([]any{}, toAny(values)...), nil), "description": desc}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// writeOperation describes a write: its request body, the Idempotency-Key
// header, and its responses.
func writeOperation(id, summary, desc, request string, bodyRequired bool, example obj, response string, statuses []string, params ...any) obj {
	params = append(params, ref("parameters", "IdempotencyKey"))
	return obj{
		"operationId": id,
		"summary":     summary,
		"description": desc,
		"parameters":  params,
		"requestBody": obj{
			"required": bodyRequired,
			"content": obj{"application/json": obj{
				"schema":  ref("schemas", request),
				"example": example,
			}},
		},
		"responses": withErrors(obj{"200": obj{
			"description": "The record as it is after the change. A retry with the same Idempotency-Key and request returns this same response.",
			"content":     obj{"application/json": obj{"schema": ref("schemas", response+"Document")}},
		}}, append([]string{"400", "401", "403", "405", "415", "422", "429"}, statuses...)...),
	}
}

// actionOperation describes an action on an application: its request
// body of type application with the attributes of the example, and its
// answer, the application as it is then.
func actionOperation(id, summary, desc, request string, bodyRequired bool, example obj) obj {
	return writeOperation(id, summary, desc+writeNote, request, bodyRequired,
		obj{"data": obj{"type": "application", "attributes": example}},
		"Application", []string{"404"}, idParam("Application id"))
}

const writeNote = " Send an Idempotency-Key header (for example a UUID) to make the request safe to retry: a retry with the same key " +
	"and request gets the first response and changes nothing."

func deliveryPaths() obj {
	statuses := codesOf(domain.Statuses)
	return obj{
		"/api/v1/cohorts": obj{
			"get": listOperation("listCohorts", "List cohorts",
				"Cohorts the token may see: all for the programme team; the supplier's own for a supplier admin; those serving the "+
					"authority for a local authority officer; those of the qualifications it awards for an awarding organisation. "+
					"Newest start first; by updated_at then id with filter[updated_since]. A cohort's updated_at changes when it or its "+
					"sessions change; its counts (placed, waiting_list) follow its applications, which are synced through /applications.",
				"Cohort", true,
				filterParam("filter[programme]", "Only cohorts of this programme (id)", tID, "1"),
			),
			"post": writeOperation("createCohort", "Create a cohort",
				"A supplier admin creates a cohort under one of its contracts in force, serving local authorities that contract serves. "+
					"A cohort with the same name under the same supplier and programme already exists: 409."+writeNote,
				"CohortCreateRequest", true,
				obj{"data": obj{"type": "cohort", "attributes": obj{"contract_id": "3", "name": "Barking autumn 2025", "mode": string(domain.Blended),
					"la_codes": []string{"E09000002"}, "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 20}}},
				"Cohort", []string{"409"}),
		},
		"/api/v1/cohorts/{id}": obj{"get": getOperation("getCohort", "Get a cohort",
			"One cohort by id. A cohort outside the token's scope is 404, as if it did not exist.", "Cohort", idParam("Cohort id"))},
		"/api/v1/cohorts/{id}/sessions": obj{
			"get": listOperation("listCohortSessions", "List a cohort's sessions",
				"The sessions of a cohort in scope, by date; by updated_at then id with filter[updated_since]. A session's updated_at "+
					"changes when its attendance is saved. A cohort outside the token's scope is 404.",
				"Session", true, idParam("Cohort id")),
			"post": writeOperation("createSession", "Schedule a session",
				"A supplier admin schedules a session of one of its cohorts, on a date within the cohort's dates. A session of the cohort "+
					"on the same date with the same topic already exists: 409."+writeNote,
				"SessionCreateRequest", true,
				obj{"data": obj{"type": "session", "attributes": obj{"date": "2025-09-08", "minutes": 360, "mode": string(domain.FaceToFace),
					"topic": "The graduated approach", "venue": "Barking Learning Centre", "units": []string{"U2"}}}},
				"Session", []string{"404", "409"}, idParam("Cohort id")),
		},
		"/api/v1/sessions/{id}": obj{"get": getOperation("getSession", "Get a session",
			"One session by id. A session of a cohort outside the token's scope is 404.", "Session", idParam("Session id"))},
		"/api/v1/sessions/{id}/attendance": obj{
			"get": getOperation("getAttendance", "Get a session's attendance register",
				"The register of a session: the cohort's learners (those withdrawn before the session are left off) with their marks, "+
					"and the register_version a save must name. Only learners within the token's scope are listed (a local authority "+
					"officer sees those from their authority).",
				"Attendance", idParam("Session id")),
			"put": writeOperation("saveAttendance", "Save attendance for a session",
				"Saves marks for a session's learners in one go (present, half, absent, excused); learners not named keep their marks. "+
					"The save names the register_version it was based on: if someone else saved since, nothing is saved and the answer "+
					"is 409, saying the register's version now. A mark for anyone who is not a learner of the cohort refuses the whole "+
					"save with 422 and nothing is saved. The first mark of an enrolled learner starts their training."+writeNote,
				"AttendanceSaveRequest", true,
				obj{"data": obj{"type": "attendance", "attributes": obj{"register_version": 3, "marks": []obj{
					{"application_id": "12", "mark": string(domain.Present)}, {"application_id": "15", "mark": string(domain.Half)}}}}},
				"Attendance", []string{"404", "409"}, idParam("Session id")),
		},
		"/api/v1/applications": obj{
			"get": listOperation("listApplications", "List applications",
				"Applications the token may see: all for the programme team; for a supplier admin, those from the local authorities "+
					"its contracts in force serve and those on its cohorts; those from settings in the authority for a local authority "+
					"officer; those of the qualifications it awards for an awarding organisation. Newest application first; by "+
					"updated_at then id with filter[updated_since].",
				"Application", true,
				filterParam("filter[programme]", "Only applications to this programme (id)", tID, "1"),
				filterParam("filter[status]", "Only applications with this status", enumOf("Status", statuses), string(domain.StatusEnrolled)),
				filterParam("filter[cohort]", "Only applications placed on this cohort (id)", tID, "1"),
			),
			"post": writeOperation("createApplication", "Apply on behalf of a practitioner",
				"A supplier admin applies on behalf of a practitioner its organisation recorded (see /practitioners), from a setting "+
					"that one of its contracts for the programme serves. The programme's eligibility rules are applied at once: the "+
					"response's status is eligible, ineligible (with the reason) or applied with decision manual_review. A second live "+
					"application of the same practitioner to the programme is 409."+writeNote,
				"ApplicationCreateRequest", true,
				obj{"data": obj{"type": "application", "attributes": obj{"practitioner_id": "42", "setting_urn": "EY101465", "programme_id": "1"}}},
				"Application", []string{"409"}),
		},
		"/api/v1/applications/{id}": obj{"get": getOperation("getApplication", "Get an application",
			"One application by id. An application outside the token's scope is 404, as if it did not exist.", "Application", idParam("Application id"))},
		"/api/v1/applications/{id}/accept": obj{"post": actionOperation("acceptApplication", "Place an applicant on a cohort",
			"Places an eligible (or deferred) applicant on one of the supplier's cohorts of the programme that serves the setting's "+
				"local authority. When the cohort is full the applicant goes on its waiting list instead: meta.outcome says "+
				"enrolled or waiting_list. Placing someone already placed is 422 with the reason.",
			"PlacementRequest", true, obj{"cohort_id": "7"})},
		"/api/v1/applications/{id}/reject": obj{"post": actionOperation("rejectApplication", "Reject an application",
			"Turns down an application not yet placed (applied or eligible): it is withdrawn with the reason ineligible and the "+
				"explanation given, and the practitioner may apply again. An eligibility decision by the programme team (which re-running "+
				"the rules never overwrites) is made in the service, not here. To end a learner's place, use withdraw.",
			"RejectRequest", true, obj{"reason": "Works in a maintained nursery school, not a PVI setting"})},
		"/api/v1/applications/{id}/defer": obj{"post": actionOperation("deferApplication", "Defer a learner",
			"Takes an eligible or enrolled applicant, or a learner in training, off their cohort to join a later one (see resume). "+
				"The date defaults to today.",
			"DeferRequest", false, obj{"date": "2025-10-01", "note": "Maternity leave; rejoins the spring cohort"})},
		"/api/v1/applications/{id}/resume": obj{"post": actionOperation("resumeApplication", "Resume a deferred learner",
			"Places a deferred learner on a cohort, or its waiting list when full (meta.outcome says which).",
			"PlacementRequest", true, obj{"cohort_id": "9"})},
		"/api/v1/applications/{id}/withdraw": obj{"post": actionOperation("withdrawApplication", "Withdraw a learner",
			"Records that an applicant or learner left, with a reason from the fixed list and the date (not in the future).",
			"WithdrawRequest", true, obj{"reason": string(domain.WithdrawWorkload), "date": "2025-11-14"})},
		"/api/v1/applications/{id}/transfer": obj{"post": actionOperation("transferApplication", "Transfer a learner to another cohort",
			"Moves an enrolled or in-training learner to another of the supplier's cohorts of the same programme with a free place.",
			"PlacementRequest", true, obj{"cohort_id": "8"})},
		"/api/v1/learners": obj{"get": listOperation("listLearners", "List learners",
			"Learners the token may see (the scope of applications): applications enrolled, in training, completed or certified, and "+
				"those withdrawn or deferred after enrolling, with their attendance rate. The id is the application's. Ordered by id; by "+
				"updated_at then id with filter[updated_since]. A learner's updated_at changes when their status, cohort, attendance, "+
				"registration or certificate changes.",
			"Learner", true,
			filterParam("filter[programme]", "Only learners of this programme (id)", tID, "1"),
			filterParam("filter[cohort]", "Only learners on this cohort (id)", tID, "1"),
		)},
	}
}

func deliverySchemas() obj {
	modes := codesOf(domain.DeliveryModes)
	statuses := codesOf(domain.Statuses)
	marks := codesOf(domain.Marks)
	reasons := codesOf(domain.WithdrawalReasons)
	decisions := []string{string(domain.DecisionEligible), string(domain.DecisionIneligible), string(domain.DecisionManual)}
	certificate := obj{
		"oneOf": []any{
			obj{"type": "null"},
			object(obj{
				"number":        tString,
				"certified_on":  tNullDate,
				"revoked_on":    obj{"type": []string{"string", "null"}, "format": "date", "description": "null unless the certificate was revoked"},
				"revoke_reason": tNullString,
			}),
		},
		"description": "The certificate, or null before certification",
	}
	out := obj{}
	add := func(m obj) {
		for k, v := range m {
			out[k] = v
		}
	}
	add(resourceSchemas("Cohort", "cohort", "Cohort id", obj{
		"contract_id":    tID,
		"programme_id":   tID,
		"programme_name": tString,
		"supplier_name":  tString,
		"name":           tString,
		"mode":           enumOf("How the cohort is delivered", modes),
		"la_codes":       obj{"type": "array", "items": tString, "description": "GSS codes of the local authorities the cohort serves"},
		"starts_on":      tDate,
		"ends_on":        tDate,
		"phase":          enumOf("Where the cohort is today: before its start, between its dates, after its end", cohortPhases),
		"capacity":       tInteger,
		"placed":         obj{"type": "integer", "description": "Learners enrolled, in training, completed or certified"},
		"free_places":    tInteger,
		"waiting_list":   obj{"type": "integer", "description": "Eligible applicants waiting for a place"},
		"withdrawn":      tInteger,
		"sessions":       obj{"type": "integer", "description": "Sessions scheduled"},
		"updated_at":     tDateTime,
	}))
	add(resourceSchemas("Session", "session", "Session id", obj{
		"cohort_id":        tID,
		"date":             tDate,
		"minutes":          obj{"type": "integer", "minimum": 1, "maximum": 720},
		"mode":             enumOf("How the session is delivered", modes),
		"topic":            tString,
		"venue":            obj{"type": []string{"string", "null"}, "description": "A place, or a link for online sessions"},
		"units":            obj{"type": "array", "items": tString, "description": "References of the qualification units covered"},
		"starts_at":        obj{"type": []string{"string", "null"}, "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "Start time in Europe/London, HH:MM; null when the session has no times"},
		"ends_at":          obj{"type": []string{"string", "null"}, "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "End time in Europe/London, HH:MM; null when the session has no times"},
		"register_version": obj{"type": "integer", "description": "Goes up by one with every save of the register"},
		"on_register":      obj{"type": "integer", "description": "Learners on the session's register: those of the cohort holding a place, those who withdrew after it, and any already marked"},
		"marked":           obj{"type": "integer", "description": "Learners on the register with a mark for this session; never more than on_register"},
		"updated_at":       tDateTime,
	}))
	add(resourceSchemas("Attendance", "attendance", "Session id", obj{
		"session_id":       tID,
		"cohort_id":        tID,
		"date":             tDate,
		"register_version": obj{"type": "integer", "description": "Name it in the next save"},
		"marks": obj{"type": "array", "items": object(obj{
			"application_id": tID,
			"learner_name":   tString,
			"setting_name":   tNullString,
			"status":         enumOf("The learner's status", statuses),
			"mark":           nullEnumOf("null when not marked", marks),
			"caught_up_on":   obj{"type": []string{"string", "null"}, "format": "date", "description": "When a missed session was caught up"},
			"catch_up_note":  tNullString,
		})},
		"updated_at": tDateTime,
	}))
	add(resourceSchemas("Application", "application", "Application id", obj{
		"programme_id":           tID,
		"programme_name":         tString,
		"practitioner_id":        tID,
		"practitioner_name":      tString,
		"setting_urn":            tString,
		"setting_name":           obj{"type": []string{"string", "null"}, "description": "null when Ofsted withheld the name"},
		"la_code":                tNullString,
		"applied_on":             tDate,
		"nominated":              obj{"type": "boolean", "description": "Nominated by the setting, rather than applied for by the practitioner or a supplier"},
		"setting_confirmed":      tBool,
		"working_towards_l3":     tBool,
		"status":                 enumOf("Where the application is: applied → eligible | ineligible → enrolled → in_training → completed → certified; exits withdrawn, deferred", statuses),
		"decision":               nullEnumOf("The eligibility decision; null before the rules ran", decisions),
		"reason_code":            obj{"type": []string{"string", "null"}, "description": "The eligibility rule that decided (or manual)"},
		"reason":                 obj{"type": []string{"string", "null"}, "description": "The eligibility reason, for people"},
		"manual_decision":        obj{"type": "boolean", "description": "Decided by the programme team; re-running the rules never overwrites it"},
		"cohort_id":              tNullID,
		"waiting_list_cohort_id": obj{"type": []string{"string", "null"}, "description": "The cohort whose waiting list the applicant is on"},
		"withdrawal_reason":      nullEnumOf("Why the learner left", reasons),
		"withdrawn_on":           tNullDate,
		"assessment_complete_on": tNullDate,
		"learner_number":         obj{"type": []string{"string", "null"}, "description": "The awarding organisation's learner number"},
		"uln":                    obj{"type": []string{"string", "null"}, "description": "Unique Learner Number, 10 digits"},
		"certificate":            certificate,
		"updated_at":             tDateTime,
	}))
	// An action's response says what it did in meta.
	out["ApplicationDocument"] = objectOf(obj{
		"data": ref("schemas", "Application"),
		"meta": object(obj{
			"outcome": obj{"type": "string", "enum": []string{string(domain.StatusEnrolled), "waiting_list", string(domain.StatusWithdrawn), string(domain.StatusDeferred), string(domain.StatusTransferred)}},
			"detail":  tString,
		}),
	}, "data")
	add(resourceSchemas("Learner", "learner", "Application id", obj{
		"practitioner_id":        tID,
		"practitioner_name":      tString,
		"programme_id":           tID,
		"setting_urn":            tString,
		"la_code":                tNullString,
		"status":                 enumOf("The learner's status", statuses),
		"cohort_id":              obj{"type": []string{"string", "null"}, "description": "null while deferred"},
		"cohort_name":            tNullString,
		"sessions_held":          obj{"type": "integer", "description": "Sessions of the cohort held to date"},
		"attendance_rate":        obj{"type": []string{"number", "null"}, "minimum": 0, "maximum": 1, "description": "Share of the sessions held that the learner attended: half a session counts 0.5, a caught-up session as attended, excused sessions leave the count, unmarked ones count as missed. null before any session is held"},
		"assessment_complete_on": tNullDate,
		"withdrawal_reason":      nullEnumOf("Why the learner left", reasons),
		"withdrawn_on":           tNullDate,
		"learner_number":         tNullString,
		"uln":                    tNullString,
		"certificate":            certificate,
		"updated_at":             tDateTime,
	}))

	// Request bodies.
	tNote := obj{"type": "string", "maxLength": domain.MaxNoteLength}
	out["CohortCreateRequest"] = requestDoc("cohort", true, obj{
		"contract_id": tInputID,
		"name":        obj{"type": "string", "minLength": 1, "maxLength": domain.MaxTitleLength, "description": "Unique among the supplier's cohorts of the programme"},
		"mode":        enumOf("How the cohort is delivered", modes),
		"la_codes":    obj{"type": "array", "minItems": 1, "items": obj{"type": "string", "pattern": "^E[0-9]{8}$"}, "description": "GSS codes; each must be served by the contract"},
		"starts_on":   tInputDate,
		"ends_on":     tInputDate,
		"capacity":    obj{"type": "integer", "minimum": 1},
	}, "contract_id", "name", "mode", "la_codes", "starts_on", "ends_on", "capacity")
	out["SessionCreateRequest"] = requestDoc("session", true, obj{
		"date":      obj{"type": "string", "format": "date", "description": "Within the cohort's dates"},
		"minutes":   obj{"type": "integer", "minimum": 1, "maximum": 720},
		"mode":      enumOf("How the session is delivered", modes),
		"topic":     obj{"type": "string", "minLength": 1, "maxLength": domain.MaxTitleLength},
		"venue":     obj{"type": "string", "maxLength": domain.MaxVenueLength, "description": "A place, or a link for online sessions"},
		"units":     obj{"type": "array", "items": obj{"type": "string", "maxLength": domain.MaxCodeLength}},
		"starts_at": obj{"type": "string", "description": "Start time in Europe/London, for example 09:30; give both times or neither"},
		"ends_at":   obj{"type": "string", "description": "End time in Europe/London, after the start, for example 15:30"},
	}, "date", "minutes", "mode", "topic")
	out["AttendanceSaveRequest"] = requestDoc("attendance", true, obj{
		"register_version": obj{"type": "integer", "description": "The register_version of the register the marks were taken on"},
		"marks": obj{"type": "array", "minItems": 1, "items": objectOf(obj{
			"application_id": tInputID,
			"mark":           enumOf("The mark", marks),
		}, "application_id", "mark")},
	}, "register_version", "marks")
	out["ApplicationCreateRequest"] = requestDoc("application", true, obj{
		"practitioner_id":    obj{"type": []string{"string", "integer"}, "description": "A practitioner the supplier recorded"},
		"setting_urn":        obj{"type": "string", "description": "Ofsted URN of the setting applied from"},
		"programme_id":       tInputID,
		"applied_on":         obj{"type": "string", "format": "date", "description": "Defaults to today; not in the future"},
		"working_towards_l3": obj{"type": "boolean", "description": "Still working towards a full and relevant Level 3"},
	}, "practitioner_id", "setting_urn", "programme_id")
	out["PlacementRequest"] = requestDoc("application", false, obj{
		"cohort_id": obj{"type": []string{"string", "integer"}, "description": "One of the supplier's cohorts"},
		"date":      obj{"type": "string", "format": "date", "description": "Defaults to today; not in the future"},
	}, "cohort_id")
	out["RejectRequest"] = requestDoc("application", false, obj{
		"reason": obj{"type": "string", "minLength": 1, "maxLength": domain.MaxNoteLength, "description": "Why the application is turned down"},
	}, "reason")
	out["DeferRequest"] = requestDoc("application", false, obj{
		"date": obj{"type": "string", "format": "date", "description": "Defaults to today; not in the future"},
		"note": tNote,
	})
	out["WithdrawRequest"] = requestDoc("application", false, obj{
		"reason": enumOf("Why the learner left", reasons),
		"date":   obj{"type": "string", "format": "date", "description": "When the learner left; not in the future"},
		"note":   tNote,
	}, "reason", "date")
	return out
}
