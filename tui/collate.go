package tui

import (
	"bytes"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// sorter orders what people read the way they expect: by the Unicode
// collation algorithm (é sorts with e, Léa before Louis, Éloïse before
// Zoë), case ignored; numbers as numbers. Keys are made once per sort, so
// a sort of n rows collates n strings, not n·log n pairs. A Collator is
// not safe for concurrent use: each screen's Update has its own.
type sorter struct {
	c   *collate.Collator
	buf collate.Buffer
}

func newSorter() *sorter {
	return &sorter{c: collate.New(language.Und, collate.IgnoreCase, collate.Numeric)}
}

// key is the collation key of s (a copy: the buffer is reused).
func (s *sorter) key(v string) []byte {
	k := s.c.KeyFromString(&s.buf, strings.TrimSpace(v))
	out := bytes.Clone(k)
	s.buf.Reset()
	return out
}

// compare collates two strings.
func (s *sorter) compare(a, b string) int { return s.c.CompareString(a, b) }
