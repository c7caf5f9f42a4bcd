package auth

import (
	"context"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(FastParams, 2)
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("unexpected PHC %q", phc)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := h.Verify(ctx, phc, tt.password)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}
	// A hash made with other costs still verifies.
	other, _ := NewHasher(Params{Memory: 2048, Time: 2, Threads: 1}, 1).Hash(ctx, "pw")
	if ok, err := h.Verify(ctx, other, "pw"); !ok || err != nil {
		t.Errorf("verify with stored costs: %v %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := h.Verify(ctx, bad, "pw"); err != ErrBadHash {
			t.Errorf("Verify(%q) err = %v, want ErrBadHash", bad, err)
		}
	}
}

func TestNewToken(t *testing.T) {
	a, ha, err := NewToken("senco_")
	if err != nil {
		t.Fatal(err)
	}
	b, hb, _ := NewToken("senco_")
	if a == b || ha == hb || !strings.HasPrefix(a, "senco_") || HashToken(a) != ha || len(ha) != 64 {
		t.Fatalf("tokens %q %q hashes %q %q", a, b, ha, hb)
	}
}
