package main

import (
	"testing"

	"github.com/mallsync/mallsync/postgres/pgtest"
	"github.com/mallsync/mallsync/secret"
)

// testStores returns the stores over a fresh test schema, sealing credentials with a new key.
func testStores(t *testing.T) stores {
	t.Helper()
	k, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := secret.ParseKey(k)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return newStores(pgtest.DB(t), box)
}
