package cmd

import (
	"github.com/roster-cli/roster/client"
)

// printList streams a list to stdout in the chosen format; progress goes
// to stderr on a terminal. what names the rows ("members of acme").
func printList[T any](a *app, f format, what string, cols []column[T], fetch func(emit client.Emit[T]) error) error {
	lw := newListWriter(a.out(), f, cols)
	step, done := a.progress(what)
	n := 0
	err := fetch(func(page []T) error {
		n += len(page)
		step(n)
		return lw.page(page)
	})
	done()
	if err != nil {
		return err
	}
	if err := lw.finish(); err != nil {
		return err
	}
	if n == 0 && f == formatTable {
		a.notef("no %s\n", what)
	}
	return nil
}

// all adapts a one-shot list to printList.
func all[T any](rows []T, err error) func(client.Emit[T]) error {
	return func(emit client.Emit[T]) error {
		if err != nil {
			return err
		}
		return emit(rows)
	}
}

// unlessSame blanks a value equal to another column's, so a column that
// only repeats it (QFieldCloud ids are usernames) is dropped.
func unlessSame(v, other string) string {
	if v == other {
		return ""
	}
	return v
}

func joinName(first, last string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return first + " " + last
}
