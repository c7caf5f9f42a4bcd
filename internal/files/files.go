// Package files keeps uploaded files outside the database, behind one
// interface (Store), and decides which uploads are accepted (Check).
//
// A file is stored under a key senco generates (NewKey); the name the user
// gave it is kept only as metadata, to show and to name the download, and
// never becomes a path. The local directory (Dir) is the default backend;
// an S3-compatible object store, for several instances on one PostgreSQL,
// implements the same three methods.
package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Store keeps files by key.
type Store interface {
	// Put stores the content under key, whole or not at all.
	Put(ctx context.Context, key string, content io.Reader) error
	// Open reads the file stored under key; ErrNotFound if there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file under key (no error if there is none).
	Delete(ctx context.Context, key string) error
}

// ErrNotFound: no file under the key.
var ErrNotFound = errors.New("file not found")

var keyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// NewKey is a fresh random key: 128 bits, hex.
func NewKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// ValidKey reports whether key is one NewKey could have made: only such
// keys reach a backend, so nothing else can name a path or an object.
func ValidKey(key string) bool { return keyRE.MatchString(key) }

// Dir stores files in a local directory, one file per key in a
// subdirectory of the key's first two characters.
type Dir struct{ root string }

// NewDir uses (and makes) the directory root.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("files: no directory given")
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("files: invalid key %q", key)
	}
	return filepath.Join(d.root, key[:2], key), nil
}

// Put writes to a temporary file and renames it into place, so a reader
// never sees half a file and a failed write leaves nothing.
func (d *Dir) Put(ctx context.Context, key string, content io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	if _, err := io.Copy(tmp, content); err != nil {
		tmp.Close()
		return fmt.Errorf("files: write %s: %w", key, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("files: sync %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("files: close %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// Open reads a stored file.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, ErrNotFound
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return f, nil
}

// Delete removes a stored file.
func (d *Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}
