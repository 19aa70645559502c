package cmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

// TestListStreams checks that JSON elements are written as each page
// arrives, before the next page is fetched, and CSV rows only once the
// list is complete (a cut CSV would look whole; a cut JSON array does not).
func TestListStreams(t *testing.T) {
	t.Parallel()
	cols := []column[client.Member]{
		{"USER", "user", func(m client.Member) string { return m.User }},
		{"ROLE", "role", func(m client.Member) string { return m.Role }},
	}
	for _, f := range []format{formatJSON, formatCSV} {
		var out bytes.Buffer
		a := &app{f: &Factory{Out: &out, ErrOut: &bytes.Buffer{}}}
		err := printList(a, f, "members", cols, func(emit client.Emit[client.Member]) error {
			if err := emit([]client.Member{{User: "ana", Role: "admin"}}); err != nil {
				return err
			}
			if streamed := strings.Contains(out.String(), "ana"); streamed != (f == formatJSON) {
				t.Errorf("format %d: first page written before the list was complete: %v (%q)", f, streamed, out.String())
			}
			return emit([]client.Member{{User: "ben, \"the\" one", Role: "member"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		switch f {
		case formatJSON:
			var got []client.Member
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 2 || got[1].User != "ben, \"the\" one" {
				t.Errorf("JSON: %v %q", err, out.String())
			}
		case formatCSV:
			recs, err := csv.NewReader(&out).ReadAll()
			if err != nil || len(recs) != 3 || recs[0][0] != "user" || recs[2][0] != "ben, \"the\" one" {
				t.Errorf("CSV: %v %q", err, recs)
			}
		}
	}
}

// TestListEmpty: an empty list is still one document.
func TestListEmpty(t *testing.T) {
	t.Parallel()
	cols := []column[client.Team]{{"NAME", "name", func(t client.Team) string { return t.Name }}}
	var out, errb bytes.Buffer
	a := &app{f: &Factory{Out: &out, ErrOut: &errb}}
	if err := printList(a, formatJSON, "teams", cols, all([]client.Team(nil), nil)); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("empty JSON list = %q", out.String())
	}
	out.Reset()
	if err := printList(a, formatTable, "teams", cols, all([]client.Team(nil), nil)); err != nil {
		t.Fatal(err)
	}
	if out.String() != "" || !strings.Contains(errb.String(), "no teams") {
		t.Errorf("empty table: stdout %q stderr %q", out.String(), errb.String())
	}
}
