package page

import (
	"context"
	"net/http"

	"senco/internal/domain"
)

type userKey struct{}

// WithUser returns ctx carrying the signed-in user, for CurrentUser.
func WithUser(ctx context.Context, u domain.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// CurrentUser is the signed-in user, if any.
func CurrentUser(r *http.Request) (domain.User, bool) {
	u, ok := r.Context().Value(userKey{}).(domain.User)
	return u, ok
}
