package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/reliability"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestTwoInstances serves two senco instances on one PostgreSQL database:
// a session made through one is good on the other, and a register saved
// through one is shown through the other on its next page. TestBehindProxy
// puts a proxy in front of two processes and kills one.
func TestTwoInstances(t *testing.T) {
	db, url := storetest.PostgresWithURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := demo.Seed(ctx, db, auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 2), demo.Options{}); err != nil {
		t.Fatal(err)
	}
	var bases [2]string
	for i := range bases {
		other, err := store.Open(ctx, url) // each instance its own pool, as two processes
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		up := make(chan struct{})
		go serveHTTP(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), other, newHasher(), server{addr: addr, ready: func(string) { close(up) }})
		<-up
		bases[i] = "http://" + addr
	}
	a := reliability.NewUser(bases[0], "trainer@demo.senco.example", 10*time.Second)
	if err := a.SignIn(ctx, demo.Password); err != nil {
		t.Fatal(err)
	}
	// The same browser, at the other instance: cookies do not depend on
	// the port, so the session cookie made through one goes to the other.
	b := &reliability.User{Base: bases[1], Email: a.Email, Client: a.Client}
	registers, err := b.Registers(ctx)
	if err != nil {
		t.Fatalf("the session made through one instance, used on the other: %v", err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		from, to := a, b
		if i%2 == 1 {
			from, to = b, a
		}
		marks, err := from.SaveRegister(ctx, registers[0], r)
		if err != nil {
			t.Fatal(err)
		}
		if err := to.Marked(ctx, registers[0], marks); err != nil {
			t.Fatalf("saved through %s, read through %s: %v", from.Base, to.Base, err)
		}
	}
}
