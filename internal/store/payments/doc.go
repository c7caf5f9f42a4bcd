// Package payments is the store's SQL for money: suppliers' declarations
// and monthly statements, settings' claims of cover and their payment
// batches, and the programme's budget. It is part of the store — it
// writes in the store's transactions with the store's kit (store.Collect,
// store.StatusIn, …) — in a package of its own so that neither grows too
// large to read. Reads take a store.Querier: the read pool
// (store.DB.Reader) or a transaction's (store.Tx.Reader). Its tests run
// with the store's, on the same delivery fixture (internal/store).
package payments
