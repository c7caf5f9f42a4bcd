package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
)

// Writes. Every write:
//   - is refused with 403 unless package policy gives the token's user the
//     permission, before anything is read;
//   - reads what it changes in the caller's scope (policy.Delivery) inside
//     the write transaction, so an out-of-scope record is 404 and nothing
//     changes;
//   - is audited by the store in the same transaction, attributed to the
//     token, its user and organisation;
//   - with an Idempotency-Key header, claims the key in the same
//     transaction and stores the response beside it, so a retry with the
//     same key gets the first response and changes nothing; without one, a
//     retry is refused by the record's natural key (409 or 422) rather than
//     duplicating it.

// maxBodyBytes bounds a request body.
const maxBodyBytes = 1 << 20

// IdempotencyKeyHeader names the header a client sends to make a write
// safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// maxIdempotencyKey bounds the key's length.
const maxIdempotencyKey = 255

// actorOf attributes a write to the token and its user.
func actorOf(c caller) domain.Actor {
	return domain.Actor{UserID: c.user.ID, OrgID: c.user.Org.ID, TokenID: c.token.ID,
		Label: fmt.Sprintf("%s (%s, API token %q)", c.user.Email, c.user.Role.Label(), c.token.Name)}
}

// forbidden is the 403 of a role without the permission a write needs.
func forbidden(c caller, what string) *Error {
	return newError(http.StatusForbidden, "The role %s may not %s", c.user.Role.Label(), what)
}

// malformed is a 400 for a request body, at pointer.
func malformed(pointer, format string, args ...any) *Error {
	e := newError(http.StatusBadRequest, format, args...)
	e.Pointer = pointer
	return e
}

// invalid is a 422 for a value refused by a rule, at pointer.
func invalid(pointer, format string, args ...any) *Error {
	e := newError(http.StatusUnprocessableEntity, format, args...)
	e.Pointer = pointer
	return e
}

// attr is the JSON pointer to an attribute of the request's data.
func attr(name string) string { return "/data/attributes/" + name }

// fieldErrors turns a domain Validate map (field → message) into one 422
// carrying every message, each at its attribute; fields maps the domain's
// field names to attributes.
func fieldErrors(errs map[string]string, fields map[string]string) error {
	if len(errs) == 0 {
		return nil
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out *Error
	for _, k := range keys {
		e := invalid(pointerOf(k, fields), "%s", errs[k])
		if out == nil {
			out = e
		} else {
			out.More = append(out.More, e)
		}
	}
	return out
}

// pointerOf maps a store or domain field name to the attribute's pointer;
// "" when the refusal is about the record as a whole (its status).
func pointerOf(field string, fields map[string]string) string {
	if a, ok := fields[field]; ok {
		if a == "" {
			return ""
		}
		return attr(a)
	}
	if field == "status" || field == "" {
		return ""
	}
	return attr(field)
}

// storeError maps a store error to the API's: a rule refusal is 422 at the
// attribute its field names, a conflict 409 with the store's message, a
// missing or out-of-scope record 404.
func storeError(err error, fields map[string]string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if r, ok := store.IsRule(err); ok {
		return invalid(pointerOf(r.Field, fields), "%s", r.Msg)
	}
	if errors.Is(err, store.ErrConflict) {
		msg := strings.TrimSuffix(err.Error(), ": "+store.ErrConflict.Error())
		return newError(http.StatusConflict, "%s", sentence(msg))
	}
	if errors.Is(err, store.ErrNotFound) {
		return noRecord()
	}
	return err
}

// sentence capitalises a message's first letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// readBody reads a request body of at most maxBodyBytes, sent as JSON.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, malformed("", "The request body could not be read")
	}
	if len(b) > maxBodyBytes {
		return nil, malformed("", "The request body is larger than %d bytes", maxBodyBytes)
	}
	if err := requireJSON(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// readData reads a request body as readBody does and decodes it as
// decodeData does; the body is returned for the Idempotency-Key's request
// hash.
func readData(r *http.Request, typ string, typeRequired, optional bool, attrs any) ([]byte, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return body, decodeData(body, typ, typeRequired, optional, attrs)
}

// decodeData reads a body {"data": {"type": typ, "attributes": {…}}} into
// attrs, refusing unknown attributes so a misspelt one is never silently
// ignored. An empty body is allowed when optional (actions whose
// attributes are all optional); type may then be left out.
func decodeData(body []byte, typ string, typeRequired, optional bool, attrs any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return malformed("", `Send a JSON body {"data": {"type": %q, "attributes": {…}}}`, typ)
	}
	var doc struct {
		Data *struct {
			Type       *string         `json:"type"`
			ID         *string         `json:"id"`
			Attributes json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return jsonError(err, "")
	}
	if dec.More() {
		return malformed("", "The request body must be one JSON document")
	}
	if doc.Data == nil {
		if optional {
			return nil
		}
		return malformed("/data", `The request body must have "data": {"type": %q, "attributes": {…}}`, typ)
	}
	switch {
	case doc.Data.Type == nil && typeRequired:
		return malformed("/data/type", `Give the resource type: "type": %q`, typ)
	case doc.Data.Type != nil && *doc.Data.Type != typ:
		return malformed("/data/type", "The type must be %q, not %q", typ, *doc.Data.Type)
	}
	if len(doc.Data.Attributes) == 0 || string(doc.Data.Attributes) == "null" {
		if optional {
			return nil
		}
		return malformed("/data/attributes", `Give the attributes: "attributes": {…}`)
	}
	dec = json.NewDecoder(bytes.NewReader(doc.Data.Attributes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(attrs); err != nil {
		return jsonError(err, "/data/attributes")
	}
	return nil
}

// jsonError explains a decoding error, at the attribute when known.
func jsonError(err error, base string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return malformed("", "The request body is not valid JSON: %v (at byte %d)", err, syntax.Offset)
	case errors.As(err, &typ):
		ptr := base
		if typ.Field != "" {
			ptr += "/" + strings.ReplaceAll(typ.Field, ".", "/")
		}
		name := typ.Field
		if name == "" {
			name = "The request body"
		}
		switch typ.Type {
		case reflect.TypeFor[idValue]():
			return malformed(ptr, `%s must be a record id such as "12", not %s`, name, typ.Value)
		case reflect.TypeFor[dateValue]():
			return malformed(ptr, `%s must be a date "YYYY-MM-DD" such as "2025-09-01", not %s`, name, typ.Value)
		}
		return malformed(ptr, "%s must be %s, not a JSON %s", name, jsonKind(typ.Type.Kind()), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("", "The request body is not complete JSON")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		if base == "" {
			return malformed("", "%q is not part of this request's document; send {\"data\": {\"type\": …, \"attributes\": {…}}}", name)
		}
		return malformed(base+"/"+name, "%q is not an attribute this request accepts", name)
	}
	return malformed(base, "The request body could not be read: %v", err)
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

// idValue is a record id in a request body: "12" (as the API sends ids)
// or 12.
type idValue int64

func (v *idValue) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*v = 0
		return nil
	}
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	id, ok := parseID(strings.TrimSpace(s))
	if !ok {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[idValue]()}
	}
	*v = idValue(id)
	return nil
}

// dateValue is a date in a request body, "YYYY-MM-DD".
type dateValue domain.Date

func (v *dateValue) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = dateValue{}
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err == nil {
		var d domain.Date
		if d, err = domain.ParseDate(strings.TrimSpace(s)); err == nil {
			*v = dateValue(d)
			return nil
		}
	}
	return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[dateValue]()}
}

// writeFunc does a write inside the transaction and returns the response
// document, read inside the same transaction.
type writeFunc func(ctx context.Context, tx *store.Tx) (any, error)

// errReplay stops a transaction whose Idempotency-Key was used before.
var errReplay = errors.New("idempotency key used before")

// write runs fn in a write transaction, honouring an Idempotency-Key:
// the key is claimed, the change made and the response stored in one
// transaction, so a retry with the same key and request gets the first
// response and changes nothing. A refused write (4xx) stores nothing and
// leaves the key free, since it changed nothing. fields maps the store's
// field names to the request's attributes for 422 pointers.
func (a *API) write(r *http.Request, c caller, body []byte, fields map[string]string, fn writeFunc) (any, error) {
	key, err := idempotencyKey(r)
	if err != nil {
		return nil, err
	}
	hash := requestHash(r, body)
	var out []byte
	var prev store.IdempotentRequest
	err = a.db.InTx(r.Context(), func(tx *store.Tx) error {
		if key != "" {
			p, claimed, err := tx.ClaimIdempotencyKey(r.Context(), c.token.ID, key, r.Method, r.URL.Path, hash)
			if err != nil {
				return err
			}
			if !claimed {
				prev = p
				return errReplay
			}
		}
		doc, err := fn(r.Context(), tx)
		if err != nil {
			return err
		}
		if out, err = encodeJSON(doc); err != nil {
			return err
		}
		if key != "" {
			return tx.SaveIdempotentResponse(r.Context(), c.token.ID, key, http.StatusOK, out)
		}
		return nil
	})
	if errors.Is(err, errReplay) {
		if prev.RequestHash != hash || prev.Method != r.Method || prev.Path != r.URL.Path {
			return nil, invalid("", "This %s was already used by this token for a different request (%s %s); send a new key with a new request",
				IdempotencyKeyHeader, prev.Method, prev.Path)
		}
		return rawJSON(prev.Response), nil
	}
	if err != nil {
		return nil, storeError(err, fields)
	}
	return rawJSON(out), nil
}

// idempotencyKey reads the Idempotency-Key header: at most one, of up to
// 255 visible ASCII characters.
func idempotencyKey(r *http.Request) (string, error) {
	vals := r.Header.Values(IdempotencyKeyHeader)
	switch len(vals) {
	case 0:
		return "", nil
	case 1:
	default:
		return "", malformed("", "Send the %s header once", IdempotencyKeyHeader)
	}
	key := strings.TrimSpace(vals[0])
	if key == "" || len(key) > maxIdempotencyKey {
		return "", malformed("", "The %s header must be 1 to %d characters, such as a UUID", IdempotencyKeyHeader, maxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return "", malformed("", "The %s header must be visible ASCII characters, such as a UUID", IdempotencyKeyHeader)
		}
	}
	return key, nil
}

// requestHash identifies a request by its method, path and body; a JSON
// body is hashed in a canonical form, so the same document sent with other
// spacing or key order is the same request.
func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		if canon, err := json.Marshal(v); err == nil {
			body = canon
		}
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// encodeJSON encodes a response as send does, so that a replayed response
// is byte for byte the first.
func encodeJSON(doc any) ([]byte, error) {
	if raw, ok := doc.(rawJSON); ok {
		return raw, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	return buf.Bytes(), nil
}

// today is the current date in Europe/London by the store's clock.
func (a *API) today() domain.Date { return domain.DateOf(a.db.Now()) }

// actionDate is an action's date: the one given, not in the future, or
// today.
func actionDate(v dateValue, today domain.Date, required bool) (domain.Date, error) {
	d := domain.Date(v)
	switch {
	case d.IsZero() && required:
		return d, invalid(attr("date"), "Give the date, YYYY-MM-DD")
	case d.IsZero():
		return today, nil
	case d.After(today):
		return d, invalid(attr("date"), "The date cannot be in the future (today is %s)", today)
	}
	return d, nil
}
