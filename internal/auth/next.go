package auth

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNextLength bounds a return path; nothing the service links to is longer.
const maxNextLength = 2048

// SafeNext returns next if it is a path on this site, and "" otherwise, so
// that a sign-in link cannot be used to send someone elsewhere after they
// sign in.
//
// Browsers are more forgiving than url.Parse: they drop tabs and newlines
// anywhere in a URL, trim leading control characters and spaces, and read a
// backslash as a slash. So "/\t/evil.example" becomes "//evil.example", a
// link to another host. Only a single leading slash not followed by a slash
// or backslash, with no control characters at all, is safe.
func SafeNext(next string) string {
	if next == "" || len(next) > maxNextLength || !utf8.ValidString(next) {
		return ""
	}
	if strings.ContainsFunc(next, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
		return ""
	}
	if next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return next
}
