package plan

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// Apply sends the steps in order, skips held ones, and never sends a
// blocked one: it is reported with ErrNoAPI and counted as failed.
func TestApplySkipsHeldAndNeverSendsBlocked(t *testing.T) {
	t.Parallel()
	pl := &Plan{Provider: QFieldCloud, Organization: "o", Steps: []Step{
		{Op: OpAdd, Action: ActMemberAdd, Org: "o", User: "a", Role: "member"},
		{Op: OpRemove, Action: ActMemberRemove, Org: "o", User: "b", Held: true},
		{Op: OpChange, Action: ActMemberUpdate, Org: "o", User: "c", Blocked: "no route"},
		{Op: OpRemove, Action: ActMemberRemove, Org: "o", User: "d", Held: true, Blocked: "no route"},
		{Op: OpRemove, Action: ActMemberRemove, Org: "o", User: "e"},
	}}
	f := &fakeProvider{kind: QFieldCloud}
	var reported []string
	ok, failed := Apply(context.Background(), f, pl, func(s Step, err error) {
		r := s.User + " ok"
		if err != nil {
			r = s.User + " " + err.Error()
			if !errors.Is(err, ErrNoAPI) {
				t.Errorf("%s: %v is not ErrNoAPI", s.User, err)
			}
		}
		reported = append(reported, r)
	})
	if want := []string{"AddMember o a member", "RemoveMember o e"}; !reflect.DeepEqual(f.calls, want) {
		t.Errorf("sent %q, want %q", f.calls, want)
	}
	if want := []string{"a ok", "c cannot be made through the API: no route", "e ok"}; !reflect.DeepEqual(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
	if ok != 2 || failed != 1 {
		t.Errorf("ok %d failed %d", ok, failed)
	}
	c := pl.Counts()
	if c != (Counts{Add: 1, Change: 1, Remove: 3, Held: 1, Blocked: 2}) || pl.Sends() != 2 || pl.Unmade() != 1 || !pl.Drift() {
		t.Errorf("counts %+v sends %d unmade %d", c, pl.Sends(), pl.Unmade())
	}
	if (&Plan{}).Drift() {
		t.Error("an empty plan is drift")
	}
}
