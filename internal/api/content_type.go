package api

import (
	"mime"
	"net/http"
)

// jsonMediaTypes are the media types a write's body may be sent as.
var jsonMediaTypes = []string{"application/json", "application/vnd.api+json"}

// requireJSON refuses a body that does not say it is JSON, with 415. A
// browser may send text/plain to another origin without asking first, so
// accepting it would let any web page post to the API on a holder's
// behalf were a credential ever ambient; and a client sending the wrong
// type should learn so rather than be guessed at.
func requireJSON(r *http.Request, body []byte) error {
	if len(body) == 0 {
		return nil // actions whose attributes are all optional
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		for _, ok := range jsonMediaTypes {
			if mt == ok {
				return nil
			}
		}
	}
	if ct == "" {
		ct = "none"
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Title: "Unsupported media type",
		Detail:  "Send the body as application/json (or application/vnd.api+json); its Content-Type was " + ct,
		headers: map[string]string{"Accept-Post": "application/json, application/vnd.api+json"}}
}
