package rest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// endless is a body whose every read succeeds: only the deadline, checked
// between reads, can end it.
type endless struct{ reads int }

func (e *endless) Read(p []byte) (int, error) {
	e.reads++
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestReadBodyStopsAtTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	e := &endless{}
	r := io.Reader(readerFunc(func(p []byte) (int, error) {
		if e.reads == 3 {
			cancel() // the attempt's deadline passes mid-body
		}
		return e.Read(p)
	}))
	_, err := readBody(ctx, r, -1, 1<<40)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's error", err)
	}
	if e.reads > 5 {
		t.Fatalf("%d reads after the deadline", e.reads-3)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestReadBody(t *testing.T) {
	body := strings.Repeat("0123456789", 300_000) // 3 MB: several chunks
	for _, tc := range []struct {
		name   string
		r      func() io.Reader
		length int64
		max    int64
		want   string
		err    error
	}{
		{"known length", func() io.Reader { return strings.NewReader(body) }, int64(len(body)), 4 << 20, body, nil},
		{"unknown length", func() io.Reader { return strings.NewReader(body) }, -1, 4 << 20, body, nil},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(strings.NewReader(body[:5000])) }, -1, 4 << 20, body[:5000], nil},
		{"exactly the cap", func() io.Reader { return strings.NewReader(body) }, -1, int64(len(body)), body, nil},
		{"one byte over", func() io.Reader { return strings.NewReader(body) }, -1, int64(len(body)) - 1, "", errTooLarge},
		{"announced over", func() io.Reader { return readerFunc(func([]byte) (int, error) { panic("must not read") }) }, 5 << 20, 4 << 20, "", errTooLarge},
		{"more than announced", func() io.Reader { return strings.NewReader(body) }, 10, 4 << 20, body, nil},
		{"more than announced, over", func() io.Reader { return strings.NewReader(body) }, 10, 1 << 20, "", errTooLarge},
		{"empty", func() io.Reader { return strings.NewReader("") }, -1, 10, "", nil},
		{"cut short", func() io.Reader {
			return io.MultiReader(strings.NewReader(body[:100000]), iotest.ErrReader(io.ErrUnexpectedEOF))
		}, -1, 4 << 20, "", io.ErrUnexpectedEOF},
		{"cut short, known length", func() io.Reader {
			return io.MultiReader(strings.NewReader(body[:100]), iotest.ErrReader(io.ErrUnexpectedEOF))
		}, 200, 4 << 20, "", io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBody(context.Background(), tc.r(), tc.length, tc.max)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, []byte(tc.want)) {
				t.Fatalf("got %d bytes, %v; want %d bytes", len(got), err, len(tc.want))
			}
		})
	}
}

// BenchmarkReadBodyOverCap shows what a huge answer costs: about the cap
// once (B/op), not the doubling io.ReadAll does.
func BenchmarkReadBodyOverCap(b *testing.B) {
	const limit = 32 << 20
	b.ReportAllocs()
	for b.Loop() {
		r := io.LimitReader(&endless{}, 300<<20)
		if _, err := readBody(context.Background(), r, -1, limit); !errors.Is(err, errTooLarge) {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadBodyKnownLength: one buffer of the announced size.
func BenchmarkReadBodyKnownLength(b *testing.B) {
	body := strings.Repeat("x", 8<<20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readBody(context.Background(), strings.NewReader(body), int64(len(body)), 32<<20); err != nil {
			b.Fatal(err)
		}
	}
}
