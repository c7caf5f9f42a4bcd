package api

import (
	"senco/internal/domain"
)

// The OpenAPI description of assessment, quality assurance and
// certification: portfolios, evidence, submissions, criterion decisions,
// sampled decisions and their outcomes, registrations and certificates.

const pushNote = " The supplier's own id for the record (external_id) makes the push safe to repeat: the same record pushed again " +
	"with the same external_id returns the one already recorded (200) and changes nothing; another record under an external_id " +
	"already used for this learner is 409, and nothing is changed."

func assessmentPaths() obj {
	appFilter := filterParam("filter[application]", "Only this learner's (application id)", tID, "1")
	return obj{
		"/api/v1/portfolios/{id}": obj{"get": getOperation("getPortfolio", "Get a learner's portfolio",
			"The e-portfolio of a learner (by application id): the evidence matrix (a row per criterion of the qualification version "+
				"they are assessed on, with its state overall and a cell per piece of evidence, in the order of evidence), the evidence "+
				"(metadata; a reflective account's text is in /evidence), the submitted versions with their feedback, and every "+
				"assessor decision, with whether quality assurance overturned it. A supplier admin reads the learners on its cohorts, "+
				"an awarding organisation those of the qualifications it awards; a learner outside the token's scope is 404.",
			"Portfolio", idParam("Application id"))},
		"/api/v1/evidence": obj{
			"get": listOperation("listEvidence", "List evidence",
				"Evidence of the learners whose portfolios the token may see, by id; by updated_at then id with filter[updated_since].",
				"Evidence", true, appFilter),
			"post": writeOperation("pushEvidence", "Push evidence metadata",
				"A supplier admin records a piece of evidence held in its own e-portfolio for a learner in training on one of its "+
					"cohorts: its kind (file or reflective), title, the file's name, type and size (the file stays with the supplier) or "+
					"the reflective account's text, and the criteria of the learner's qualification it evidences."+pushNote,
				"EvidencePushRequest", true,
				obj{"data": obj{"type": "evidence", "attributes": obj{"application_id": "12", "external_id": "ep-ev-8812", "kind": "file",
					"title": "Observation notes: graduated approach", "file_name": "notes.pdf", "file_type": "application/pdf", "file_size": 48213,
					"criteria": []string{"301/1.1", "301/1.2"}, "added_on": "2025-09-15"}}},
				"Evidence", []string{"409"}),
		},
		"/api/v1/submissions": obj{"get": listOperation("listSubmissions", "List submitted work",
			"Versions of assignments (and evidence submitted on its own) of the learners in scope, by id; by updated_at then id with "+
				"filter[updated_since]. With filter[waiting]=true, the work waiting to be marked, oldest submission first: the queue.",
			"Submission", true, appFilter,
			filterParam("filter[waiting]", "true for the versions not yet marked", obj{"type": "string", "enum": []string{"true", "false"}}, "true"))},
		"/api/v1/criterion-decisions": obj{
			"get": listOperation("listCriterionDecisions", "List criterion decisions",
				"Assessors' decisions on criteria for the learners in scope, by id; by updated_at then id with filter[updated_since]. "+
					"A decision is never changed: quality assurance records its own outcome (see /qa-items), so updated_at is when it was made.",
				"CriterionDecision", true, appFilter),
			"post": writeOperation("pushCriterionDecision", "Push an assessor's decision",
				"A supplier admin records an assessor's decision on one criterion for a learner on one of its cohorts: met, or not_yet "+
					"with feedback saying what is missing; on a day not in the future; optionally naming the evidence judged (the "+
					"learner's) and the assessor (an assessor of the learner's cohort). The criterion-met rule and the evidence matrix "+
					"count it as they count the portfolio's own."+pushNote,
				"CriterionDecisionPushRequest", true,
				obj{"data": obj{"type": "criterion_decision", "attributes": obj{"application_id": "12", "external_id": "ep-dec-301-1.1",
					"criterion": "301/1.1", "outcome": "not_yet", "feedback": "Say how the Code of Practice applies in your setting",
					"decided_on": "2025-09-20", "evidence_id": "40"}}},
				"CriterionDecision", []string{"409"}),
		},
		"/api/v1/qa-items": obj{"get": listOperation("listQAItems", "List sampled decisions",
			"Decisions drawn in quality assurance samples and their outcomes: a supplier's own samples (internal, and the awarding "+
				"organisation's external ones of its learners), an awarding organisation's of the learners it awards. Oldest change first.",
			"QAItem", true,
			filterParam("filter[open]", "true for the actions still to be resolved", obj{"type": "string", "enum": []string{"true", "false"}}, "true"))},
		"/api/v1/qa-items/{id}/outcome": obj{"post": writeOperation("pushQAOutcome", "Push an internal quality assurance outcome",
			"A supplier admin records the outcome its own internal quality assurance reached on a decision of one of its internal "+
				"samples: agree, or action (with what the assessor must do; it overturns the decision and blocks certification until "+
				"resolved, and flags for review a certificate already issued). An outcome on the awarding organisation's external "+
				"sample, or on the reviewer's own decision, is 422. The same outcome pushed again returns the item unchanged; another "+
				"once an outcome is recorded is 409."+writeNote,
			"QAOutcomePushRequest", true,
			obj{"data": obj{"type": "qa_item", "attributes": obj{"outcome": "action", "action": "Re-read the observation against 301/1.3",
				"reviewed_on": "2025-10-01", "external_id": "ep-iqa-77"}}},
			"QAItem", []string{"404", "409"}, idParam("Sampled decision id"))},
		"/api/v1/registrations": obj{"post": obj{
			"operationId": "registerLearners",
			"summary":     "Register learners in bulk",
			"description": "An awarding organisation's officer registers learners of the qualifications it awards (enrolled, in training " +
				"or completed) with its learner numbers and, optionally, ULNs. The whole list is checked first: any problem refuses all " +
				"of it with 422, each error at its item and attribute (/data/3/attributes/learner_number), and nothing is registered; " +
				"otherwise every learner is registered in one transaction. The answer lists the learners as registered." + writeNote,
			"parameters": []any{ref("parameters", "IdempotencyKey")},
			"requestBody": obj{"required": true, "content": obj{"application/json": obj{
				"schema": ref("schemas", "RegistrationRequest"),
				"example": obj{"data": []obj{
					{"type": "registration", "attributes": obj{"application_id": "12", "learner_number": "AB-000123", "uln": "1234567897"}},
					{"type": "registration", "attributes": obj{"application_id": "15", "learner_number": "AB-000124"}}}},
			}}},
			"responses": withErrors(obj{"200": obj{
				"description": "The learners as registered",
				"content":     obj{"application/json": obj{"schema": ref("schemas", "RegistrationList")}},
			}}, "400", "401", "403", "405", "415", "422", "429"),
		}},
		"/api/v1/certificates": obj{
			"get": listOperation("listCertificates", "List certificates",
				"Certificates of the learners the token may see, with their verification code (which the public verification page "+
					"answers) and status; by id, or by updated_at then id with filter[updated_since] (a certificate changes when it is "+
					"invalidated or flagged for review).",
				"Certificate", true, appFilter),
			"post": writeOperation("claimCertificate", "Claim a certificate",
				"An awarding organisation's officer certifies a learner of a qualification it awards: a full certificate (numbered "+
					"certificate_number, or in sequence when it is left out) for a learner who is registered, has completed training and "+
					"assessment, has every mandatory criterion met and no quality assurance action open; or a unit certificate for the "+
					"units achieved. A learner who cannot be certified is 422 with the reason, and nothing is issued; a second full "+
					"certificate is refused the same way."+writeNote,
				"CertificateClaimRequest", true,
				obj{"data": obj{"type": "certificate", "attributes": obj{"application_id": "12", "kind": "full", "issued_on": "2025-12-01"}}},
				"Certificate", nil),
		},
		"/api/v1/certificates/{id}": obj{"get": getOperation("getCertificate", "Get a certificate",
			"One certificate by id. A certificate of a learner outside the token's scope is 404.", "Certificate", idParam("Certificate id"))},
	}
}

func assessmentSchemas() obj {
	out := obj{}
	add := func(m obj) {
		for k, v := range m {
			out[k] = v
		}
	}
	cells := enumOf("The state of a criterion, overall or against one piece of evidence", codesOf(domain.CellStates))
	criterion := obj{"type": "string", "maxLength": domain.MaxCodeLength, "description": `A criterion of the qualification: "unit/ref", e.g. "301/1.2"`}
	externalID := obj{"type": []string{"string", "null"}, "maxLength": domain.MaxExternalIDLength, "description": "The supplier's own id, for records it pushed"}
	outcome := enumOf("met, or not_yet", codesOf(domain.CriterionOutcomes))
	kind := enumOf("file or reflective", codesOf(domain.EvidenceKinds))
	feedback := obj{"type": []string{"string", "null"}, "maxLength": domain.MaxFeedbackLength}
	add(resourceSchemas("Portfolio", "portfolio", "Application id", obj{
		"application_id":        tID,
		"practitioner_id":       tID,
		"learner_name":          tString,
		"cohort_id":             tNullID,
		"status":                enumOf("The application's status", codesOf(domain.Statuses)),
		"qualification_code":    tString,
		"qualification_version": tInteger,
		"complete":              obj{"type": "boolean", "description": "Every mandatory criterion met"},
		"missing_criteria":      obj{"type": "array", "items": criterion, "description": "The mandatory criteria not yet met"},
		"matrix": obj{"type": "array", "items": object(obj{
			"criterion": criterion,
			"text":      tString,
			"mandatory": tBool,
			"state":     cells,
			"feedback":  obj{"type": []string{"string", "null"}, "description": "The latest feedback while the criterion is referred"},
			"cells":     obj{"type": "array", "items": cells, "description": "The criterion against each piece of evidence, in the order of evidence"},
		})},
		"evidence": obj{"type": "array", "items": object(obj{
			"id":          tID,
			"kind":        kind,
			"title":       tString,
			"file_name":   tNullString,
			"file_type":   tNullString,
			"file_size":   tInteger,
			"criteria":    obj{"type": "array", "items": criterion},
			"added_on":    tDate,
			"external_id": externalID,
			"updated_at":  tDateTime,
		})},
		"submissions": obj{"type": "array", "items": object(obj{
			"id":             tID,
			"assignment_ref": obj{"type": []string{"string", "null"}, "description": "null for evidence submitted on its own"},
			"version":        tInteger,
			"evidence_id":    tID,
			"submitted_on":   tDate,
			"marked_on":      tNullDate,
			"feedback":       feedback,
		})},
		"decisions": obj{"type": "array", "items": object(obj{
			"id":             tID,
			"criterion":      criterion,
			"outcome":        outcome,
			"feedback":       feedback,
			"decided_on":     tDate,
			"submission_id":  tNullID,
			"evidence_id":    tNullID,
			"observation_id": tNullID,
			"assessor_id":    tNullID,
			"overturned":     obj{"type": "boolean", "description": "Quality assurance required action on it: it no longer meets its criterion"},
			"external_id":    externalID,
		})},
	}))
	add(resourceSchemas("Evidence", "evidence", "Evidence id", obj{
		"application_id": tID,
		"kind":           kind,
		"title":          obj{"type": "string", "maxLength": domain.MaxTitleLength},
		"text":           obj{"type": []string{"string", "null"}, "maxLength": domain.MaxReflectiveLength, "description": "A reflective account"},
		"file_name":      tNullString,
		"file_type":      tNullString,
		"file_size":      tInteger,
		"criteria":       obj{"type": "array", "items": criterion},
		"added_on":       tDate,
		"external_id":    externalID,
		"created_at":     tDateTime,
		"updated_at":     tDateTime,
	}))
	add(resourceSchemas("Submission", "submission", "Submission id", obj{
		"application_id": tID,
		"assignment_ref": obj{"type": []string{"string", "null"}, "description": "null for evidence submitted on its own"},
		"version":        tInteger,
		"evidence_id":    tID,
		"submitted_on":   tDate,
		"marked_on":      obj{"type": []string{"string", "null"}, "format": "date", "description": "null while waiting to be marked"},
		"feedback":       feedback,
		"updated_at":     tDateTime,
	}))
	add(resourceSchemas("CriterionDecision", "criterion_decision", "Decision id", obj{
		"application_id": tID,
		"criterion":      criterion,
		"outcome":        outcome,
		"feedback":       feedback,
		"decided_on":     tDate,
		"submission_id":  tNullID,
		"evidence_id":    tNullID,
		"observation_id": tNullID,
		"assessor_id":    tNullID,
		"external_id":    externalID,
		"created_at":     tDateTime,
		"updated_at":     obj{"type": "string", "format": "date-time", "description": "RFC 3339, UTC: when it was made (a decision is never changed)"},
	}))
	add(resourceSchemas("QAItem", "qa_item", "Sampled decision id", obj{
		"sample_id":      tID,
		"level":          enumOf("iqa (internal) or eqa (external)", []string{string(domain.QAInternal), string(domain.QAExternal)}),
		"kind":           enumOf("interim (a criterion decision) or final (assessment complete)", []string{string(domain.QAInterim), string(domain.QAFinal)}),
		"decision_id":    tNullID,
		"application_id": tID,
		"learner_name":   tString,
		"assessor_id":    tID,
		"criterion":      tNullString,
		"decided_on":     tNullDate,
		"outcome":        nullEnumOf("null until reviewed", codesOf(domain.QAOutcomes)),
		"action":         obj{"type": []string{"string", "null"}, "maxLength": domain.MaxNoteLength, "description": "What the assessor must do"},
		"reviewed_on":    tNullDate,
		"open":           obj{"type": "boolean", "description": "An action still to be resolved: it blocks certification"},
		"resolved_on":    tNullDate,
		"resolved_note":  tNullString,
		"updated_at":     tDateTime,
	}))
	add(resourceSchemas("Registration", "registration", "Application id", obj{
		"learner_name":   tString,
		"learner_number": obj{"type": "string", "maxLength": domain.MaxCodeLength},
		"uln":            obj{"type": []string{"string", "null"}, "maxLength": domain.MaxCodeLength},
		"status":         enumOf("The application's status", codesOf(domain.Statuses)),
	}))
	add(resourceSchemas("Certificate", "certificate", "Certificate id", obj{
		"application_id":        tID,
		"learner_name":          tString,
		"number":                tString,
		"kind":                  enumOf("full, or unit for partial achievement", []string{string(domain.CertificateFull), string(domain.CertificateUnit)}),
		"units":                 obj{"type": "array", "items": tString, "description": "The units a unit certificate covers"},
		"verification_code":     obj{"type": "string", "description": "The code the public verification page answers"},
		"issued_on":             tDate,
		"status":                enumOf("valid or invalidated", []string{string(domain.CertificateValid), string(domain.CertificateInvalidated)}),
		"invalidated_on":        tNullDate,
		"invalid_reason":        tNullString,
		"flagged_for_review":    obj{"type": "boolean", "description": "A decision behind it was overturned after it was issued: the awarding organisation reviews it"},
		"review_reason":         tNullString,
		"qualification_code":    tString,
		"qualification_title":   tString,
		"awarding_organisation": tString,
		"updated_at":            tDateTime,
	}))
	inExternal := obj{"type": "string", "minLength": 1, "maxLength": domain.MaxExternalIDLength, "description": "Your own id for the record"}
	out["EvidencePushRequest"] = requestDoc("evidence", true, obj{
		"application_id": tInputID,
		"external_id":    inExternal,
		"kind":           kind,
		"title":          obj{"type": "string", "minLength": 1, "maxLength": domain.MaxTitleLength},
		"text":           obj{"type": "string", "maxLength": domain.MaxReflectiveLength, "description": "A reflective account's text"},
		"file_name":      obj{"type": "string", "maxLength": maxFileNameLength},
		"file_type":      obj{"type": "string", "maxLength": maxFileTypeLength, "description": "The file's media type"},
		"file_size":      obj{"type": "integer", "minimum": 0, "description": "Bytes"},
		"criteria":       obj{"type": "array", "minItems": 1, "items": criterion},
		"added_on":       obj{"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future; today when left out"},
	}, "application_id", "external_id", "kind", "title", "criteria")
	out["CriterionDecisionPushRequest"] = requestDoc("criterion_decision", true, obj{
		"application_id": tInputID,
		"external_id":    inExternal,
		"criterion":      criterion,
		"outcome":        outcome,
		"feedback":       obj{"type": "string", "maxLength": domain.MaxFeedbackLength, "description": "Required for not_yet"},
		"decided_on":     obj{"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future"},
		"evidence_id":    tInputID,
		"assessor_id":    tInputID,
	}, "application_id", "external_id", "criterion", "outcome", "decided_on")
	out["QAOutcomePushRequest"] = requestDoc("qa_item", false, obj{
		"outcome":     enumOf("agree, or action", codesOf(domain.QAOutcomes)),
		"action":      obj{"type": "string", "maxLength": domain.MaxNoteLength, "description": "What the assessor must do; required for action"},
		"reviewed_on": obj{"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future; today when left out"},
		"external_id": obj{"type": "string", "maxLength": domain.MaxExternalIDLength, "description": "Your own reference for the outcome"},
	}, "outcome")
	out["RegistrationRequest"] = objectOf(obj{"data": obj{"type": "array", "minItems": 1, "maxItems": maxRegistrations, "items": objectOf(obj{
		"type": obj{"const": "registration"},
		"attributes": objectOf(obj{
			"application_id": tInputID,
			"learner_number": obj{"type": "string", "minLength": 1, "maxLength": domain.MaxCodeLength},
			"uln":            obj{"type": "string", "maxLength": domain.MaxCodeLength, "description": "10 digits with a correct check digit"},
		}, "application_id", "learner_number"),
	}, "attributes")}}, "data")
	out["CertificateClaimRequest"] = requestDoc("certificate", true, obj{
		"application_id":     tInputID,
		"kind":               enumOf("full, or unit", []string{string(domain.CertificateFull), string(domain.CertificateUnit)}),
		"units":              obj{"type": "array", "items": obj{"type": "string", "maxLength": domain.MaxCodeLength}, "description": "For a unit certificate: the units achieved it covers"},
		"issued_on":          obj{"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future; today when left out"},
		"certificate_number": obj{"type": "string", "maxLength": domain.MaxCodeLength, "description": "A full certificate's number; numbered in sequence when left out"},
	}, "application_id", "kind")
	return out
}
