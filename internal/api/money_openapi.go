package api

import "senco/internal/domain"

// The OpenAPI description of the money routes: contracts, declarations,
// statements and claims of cover. openAPIDocument merges these in.

func moneyPaths() obj {
	return obj{
		"/api/v1/contracts": obj{"get": listOperation("listContracts", "List contracts",
			"The contracts the token may see: a supplier admin's own organisation's (every version; filter[in_force]=true for those "+
				"in force), all for the programme team. A new cohort names the contract_id of one in force.",
			"Contract", false,
			filterParam("filter[in_force]", "true: only versions in force", enumOf("In force", []string{"true", "false"}), "true"))},
		"/api/v1/contracts/{id}": obj{"get": getOperation("getContract", "Get a contract",
			"One contract by id, with the places, authorities and prices (integer pence) it sets. Another organisation's is 404.",
			"Contract", idParam("Contract id"))},
		"/api/v1/declarations": obj{
			"get": listOperation("listDeclarations", "List declarations",
				"A supplier admin's declarations of its learners' milestones (all suppliers' for the programme team), newest first; by "+
					"updated_at then id with filter[updated_since]. A declaration's updated_at changes when its state does.",
				"Declaration", true,
				filterParam("filter[state]", "Only declarations in this state", enumOf("State", codesOf(domain.DeclarationStates)), string(domain.DeclarationPaid)),
				filterParam("filter[milestone]", "Only declarations of this milestone", enumOf("Milestone", codesOf(domain.Milestones)), string(domain.MilestoneStarted)),
				filterParam("filter[application]", "Only declarations for this learner (application id)", tID, "12")),
			"post": writeOperation("createDeclaration", "Declare a milestone",
				"A supplier admin declares that a learner of its cohorts reached a milestone on a date (not in the future). senco checks "+
					"it against its own records before it can be paid: started needs attendance at the cohort's first session; retained "+
					"needs half the cohort's sessions held and the learner's attendance at the programme's threshold; completed needs the "+
					"learner's training to be complete. A declaration the records do not support is 422 with the reason, and nothing is "+
					"kept. It is priced from the supplier's contract in force. A learner has one live declaration per milestone: the same "+
					"declaration again answers with the one already made; the same person funded through another supplier is 422."+writeNote,
				"DeclarationCreateRequest", true,
				obj{"data": obj{"type": "declaration", "attributes": obj{"application_id": "12", "milestone": string(domain.MilestoneStarted), "declared_on": "2025-05-10"}}},
				"Declaration", []string{"404"}),
		},
		"/api/v1/declarations/{id}": obj{"get": getOperation("getDeclaration", "Get a declaration",
			"One declaration by id. Another supplier's is 404.", "Declaration", idParam("Declaration id"))},
		"/api/v1/declarations/{id}/void": obj{"post": writeOperation("voidDeclaration", "Void a declaration",
			"Withdraws a declaration found wrong, with the reason. Before payment it is voided and comes off its statement by a reversing "+
				"line; after payment it awaits clawback, taken back on the supplier's next statement."+writeNote,
			"VoidRequest", true, obj{"data": obj{"attributes": obj{"reason": "Declared for the wrong learner"}}},
			"Declaration", []string{"404"}, idParam("Declaration id"))},
		"/api/v1/statements": obj{"get": listOperation("listStatements", "List statements",
			"A supplier admin's monthly statements (all suppliers' for the programme team), newest month first. A statement is open "+
				"until its deadline (the 7th of the next month), then payable; the programme team authorises it and records its payment.",
			"Statement", true,
			filterParam("filter[state]", "Only statements in this state", enumOf("State", codesOf(domain.StatementStates)), string(domain.StatementPaid)))},
		"/api/v1/statements/{id}": obj{"get": getOperation("getStatement", "Get a statement",
			"One statement by id with its lines: payments, reversals and clawbacks, in integer pence; the total is their sum. Another "+
				"supplier's is 404.", "Statement", idParam("Statement id"))},
		"/api/v1/claims": obj{"get": listOperation("listClaims", "List claims of cover",
			"Claims of cover (backfill) from settings for their practitioners' training hours: for a supplier admin, those of its "+
				"learners, to verify against its register; all for the programme team. Newest first; by updated_at then id with "+
				"filter[updated_since].",
			"Claim", true,
			filterParam("filter[state]", "Only claims in this state", enumOf("State", codesOf(domain.ClaimStates)), string(domain.ClaimSubmitted)))},
		"/api/v1/claims/{id}/verify": obj{"post": writeOperation("verifyClaim", "Verify a claim of cover",
			"A supplier admin verifies a submitted claim of one of its learners against its register (verified true), or rejects it "+
				"with the reason (verified false). A claim not yet submitted, or already decided, is 422."+writeNote,
			"VerifyRequest", true, obj{"data": obj{"attributes": obj{"verified": true}}},
			"Claim", []string{"404"}, idParam("Claim id"))},
	}
}

func moneySchemas() obj {
	out := obj{}
	add := func(m obj) {
		for k, v := range m {
			out[k] = v
		}
	}
	pence := obj{"type": "integer", "description": "Integer pence"}
	add(resourceSchemas("Contract", "contract", "Contract id", obj{
		"supplier_name":         tString,
		"programme_id":          tID,
		"programme_name":        tString,
		"version":               tInteger,
		"in_force":              tBool,
		"la_codes":              tStringList,
		"region_codes":          tStringList,
		"allocated_places":      tInteger,
		"price_started_pence":   pence,
		"price_retained_pence":  pence,
		"price_completed_pence": pence,
	}))
	add(resourceSchemas("Declaration", "declaration", "Declaration id", obj{
		"application_id":  tID,
		"practitioner_id": tID,
		"learner_name":    tString,
		"supplier_name":   tString,
		"contract_id":     tID,
		"programme_id":    tID,
		"milestone":       enumOf("Milestone", codesOf(domain.Milestones)),
		"declared_on":     tDate,
		"state":           enumOf("Where the declaration is on its way to payment", codesOf(domain.DeclarationStates)),
		"amount_pence":    pence,
		"evidence":        obj{"type": "string", "description": "What senco's records showed when the declaration was checked"},
		"voided_on":       tNullDate,
		"void_reason":     tNullString,
		"created_at":      tDateTime,
		"updated_at":      tDateTime,
	}))
	line := object(obj{
		"declaration_id": tID,
		"kind":           enumOf("payment, reversal (of an unpaid declaration voided) or clawback (of a paid one)", []string{"payment", "reversal", "clawback"}),
		"amount_pence":   obj{"type": "integer", "description": "Integer pence; negative for a reversal or clawback"},
		"milestone":      enumOf("Milestone", codesOf(domain.Milestones)),
		"declared_on":    tDate,
		"learner_name":   tString,
		"uln":            tNullString,
	})
	add(resourceSchemas("Statement", "statement", "Statement id", obj{
		"supplier_name":     tString,
		"programme_id":      tID,
		"programme_name":    tString,
		"month":             obj{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "YYYY-MM"},
		"deadline":          tDate,
		"state":             enumOf("open, payable, authorised or paid", codesOf(domain.StatementStates)),
		"total_pence":       obj{"type": "integer", "description": "The sum of the lines, in pence"},
		"line_count":        tInteger,
		"payment_reference": tNullString,
		"paid_on":           tNullDate,
		"lines":             obj{"type": []string{"array", "null"}, "items": line, "description": "The statement's lines when one statement is asked for; null in a list"},
		"updated_at":        tDateTime,
	}))
	add(resourceSchemas("Claim", "claim", "Claim id", obj{
		"setting_urn":    tString,
		"setting_name":   tString,
		"application_id": tID,
		"learner_name":   tString,
		"state":          enumOf("Where the claim is on its way to payment", codesOf(domain.ClaimStates)),
		"minutes":        obj{"type": "integer", "description": "Minutes of cover claimed: a session's length, or half for half a session"},
		"rate_pence":     obj{"type": "integer", "description": "Pence an hour"},
		"amount_pence":   pence,
		"reason":         obj{"type": []string{"string", "null"}, "description": "Why it was rejected, not paid or clawed back"},
		"submitted_on":   tDate,
		"updated_at":     tDateTime,
	}))
	out["DeclarationCreateRequest"] = requestDoc("declaration", true, obj{
		"application_id": tInputID,
		"milestone":      enumOf("Milestone", codesOf(domain.Milestones)),
		"declared_on":    tInputDate,
	}, "application_id", "milestone", "declared_on")
	out["VoidRequest"] = requestDoc("declaration", false, obj{"reason": obj{"type": "string", "minLength": 1}}, "reason")
	out["VerifyRequest"] = requestDoc("claim", false, obj{"verified": tBool, "reason": tString}, "verified")
	return out
}
