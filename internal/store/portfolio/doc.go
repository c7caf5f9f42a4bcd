// Package portfolio is the store's SQL for the e-portfolio: a learner's
// evidence and its criteria, assignment submissions and their versions,
// the assessor's decisions per criterion, observations, progress reviews
// and the notification outbox that tells assessors when work arrives.
//
// The store loads the facts, the domain decides (domain.Submit,
// domain.MarkSubmission, domain.RecordObservation, …), and this package
// persists the result in the caller's transaction with an audit entry.
// Scope is in every query (portfolioScope): a learner their own; an
// assessor the learners of the cohorts they are staff of; a supplier's
// admin and internal quality assurer the learners on the supplier's
// cohorts; an awarding organisation the learners of its qualifications.
package portfolio
