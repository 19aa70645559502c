package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
)

func TestDefaultPath(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	p, err := DefaultPath(env(map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/x"}))
	if err != nil || p != "/state/roster/audit.jsonl" {
		t.Errorf("with XDG_STATE_HOME: %q, %v", p, err)
	}
	// A relative XDG path is invalid per the base directory spec.
	p, err = DefaultPath(env(map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/home/x"}))
	if err != nil || p != "/home/x/.local/state/roster/audit.jsonl" {
		t.Errorf("fallback: %q, %v", p, err)
	}
}

func TestAppendModesAndRead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "roster")
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	l := New(filepath.Join(dir, "audit.jsonl"), func() time.Time { return at })
	if err := l.Append(Entry{Profile: "p", Provider: "qfieldcloud", Action: "member.add", Target: "bob", Outcome: OK}); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(Entry{Time: at.Add(time.Hour), Profile: "p", Provider: "qfieldcloud", Action: "member.remove", Target: "bob", Outcome: Failed, Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, %v", st.Mode().Perm(), err)
	}
	st, err = os.Stat(l.Path())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v", st.Mode().Perm(), err)
	}
	all, err := l.Read(time.Time{}, nil)
	if err != nil || len(all) != 2 || all[0].Action != "member.add" || !all[0].Time.Equal(at) || all[1].Error != "boom" {
		t.Fatalf("read %+v, %v", all, err)
	}
	recent, _ := l.Read(at.Add(30*time.Minute), nil)
	if len(recent) != 1 || recent[0].Action != "member.remove" {
		t.Errorf("since: %+v", recent)
	}
}

func TestReadSkipsDamagedLines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	long := `{"action":"` + strings.Repeat("x", maxLine+10) + `"}`
	content := `{"time":"2026-05-01T10:00:00Z","action":"member.add","target":"a","outcome":"ok"}
{"time":"2026-05-01T10:0` + "\n" + `not json at all
` + long + `
{"foo":1}

{"time":"2026-05-01T11:00:00Z","action":"member.remove","target":"b","outcome":"ok"}
{"time":"2026-05-01T12:00:00Z","action":"team.delete","target":"c","outcome":"ok"}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var bad []int
	got, err := New(path, nil).Read(time.Time{}, func(d Damaged) { bad = append(bad, d.Line) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Target != "a" || got[1].Target != "b" || got[2].Target != "c" {
		t.Errorf("entries: %+v", got)
	}
	if fmt.Sprint(bad) != "[2 3 4 5]" {
		t.Errorf("damaged lines %v, want [2 3 4 5]", bad)
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	t.Parallel()
	got, err := New(filepath.Join(t.TempDir(), "none.jsonl"), nil).Read(time.Time{}, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("%v, %v", got, err)
	}
}

// Two writers (separate Log values, separate file descriptors, as two
// processes have) append at once: no line is lost or torn.
func TestConcurrentWritersLoseNoLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	const writers, each = 2, 300
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := New(path, nil)
			for i := range each {
				e := Entry{Profile: fmt.Sprintf("w%d", w), Provider: "qomon", Action: "user.set_role",
					Target: fmt.Sprintf("%d-%d", w, i), After: strings.Repeat("r", 2000), Outcome: OK}
				if err := l.Append(e); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	damaged := 0
	got, err := New(path, nil).Read(time.Time{}, func(Damaged) { damaged++ })
	if err != nil {
		t.Fatal(err)
	}
	if damaged != 0 || len(got) != writers*each {
		t.Fatalf("%d entries, %d damaged; want %d, 0", len(got), damaged, writers*each)
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.Target] = true
	}
	if len(seen) != writers*each {
		t.Errorf("%d distinct entries, want %d", len(seen), writers*each)
	}
}

// fakeProvider answers every write; fail makes them fail.
type fakeProvider struct {
	client.Unsupported
	fail error
}

func (f *fakeProvider) CurrentUser(context.Context) (client.User, error) { return client.User{}, nil }
func (f *fakeProvider) Kind() string                                     { return "qomon" }
func (f *fakeProvider) Can(c client.Capability) bool                     { return c != client.CapMemberPublic }
func (f *fakeProvider) Member(context.Context, string, string) (client.Member, error) {
	return client.Member{User: "7", Role: "user"}, nil
}
func (f *fakeProvider) SetUserRole(_ context.Context, user, role string) (client.User, error) {
	return client.User{ID: user, Role: &client.Role{Name: role}}, f.fail
}
func (f *fakeProvider) UpdateMember(_ context.Context, _, user string, u client.MemberUpdate) (client.Member, error) {
	return client.Member{User: user, Role: *u.Role}, f.fail
}
func (f *fakeProvider) AddMember(_ context.Context, _ string, m client.MemberSpec) (client.Member, error) {
	return client.Member{User: m.User, Role: m.Role}, f.fail
}
func (f *fakeProvider) RemoveMember(context.Context, string, string) error { return f.fail }
func (f *fakeProvider) CreateTeam(_ context.Context, _ string, t client.TeamSpec) (client.Team, error) {
	return client.Team{Name: t.Name}, f.fail
}
func (f *fakeProvider) RenameTeam(_ context.Context, _, _, n string) (client.Team, error) {
	return client.Team{Name: n}, f.fail
}
func (f *fakeProvider) DeleteTeam(context.Context, string, string) error { return f.fail }
func (f *fakeProvider) AddTeamMember(context.Context, string, string, string, bool) error {
	return f.fail
}
func (f *fakeProvider) RemoveTeamMember(context.Context, string, string, string) error { return f.fail }
func (f *fakeProvider) SetTeamPrivate(context.Context, string, string, bool) error     { return f.fail }
func (f *fakeProvider) Invite(context.Context, []client.InvitationSpec) ([]client.Invitation, error) {
	return nil, f.fail
}
func (f *fakeProvider) CancelInvitation(context.Context, string) error { return f.fail }

type fakeCTW struct{ fakeProvider }

func (f *fakeCTW) ModifyTeam(_ context.Context, _ string, seen *client.Team, _ client.TeamChange) (client.Team, error) {
	return *seen, f.fail
}

// Every write method of the wrapper is recorded with its outcome; reads
// are not. This is the path the TUI's writes take.
func TestWrapRecordsEveryWrite(t *testing.T) {
	t.Parallel()
	for _, fail := range []error{nil, fmt.Errorf("adding: %w", client.ErrForbidden)} {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		log := New(path, nil)
		p := Wrap(&fakeCTW{fakeProvider{fail: fail}}, log, "work")
		cw, ok := p.(client.ConditionalTeamWriter)
		if !ok {
			t.Fatal("the wrapper hides ConditionalTeamWriter")
		}
		ctx := context.Background()
		seen := &client.Team{ID: "3", Name: "Nord", Members: []client.TeamMember{{User: "7", Email: "ada@x.org", Leader: true}}}
		p.SetUserRole(ctx, "7", "admin")
		p.AddMember(ctx, "o", client.MemberSpec{User: "bob", Role: "member"})
		p.UpdateMember(ctx, "o", "bob", client.MemberUpdate{Role: ptr("creator")})
		p.RemoveMember(ctx, "o", "bob")
		p.CreateTeam(ctx, "o", client.TeamSpec{Name: "t"})
		p.RenameTeam(ctx, "o", "t", "u")
		p.DeleteTeam(ctx, "o", "u")
		p.AddTeamMember(ctx, "o", "t", "bob", false)
		p.RemoveTeamMember(ctx, "o", "t", "bob")
		p.SetTeamPrivate(ctx, "", "t", true)
		p.Invite(ctx, []client.InvitationSpec{{Email: "a@x.org"}, {Email: "b@x.org"}})
		p.CancelInvitation(ctx, "12")
		cw.ModifyTeam(ctx, "", seen, client.TeamChange{RemoveMember: "ada@x.org", Leader: true})
		p.Member(ctx, "o", "bob") // a read: not recorded

		got, err := log.Read(time.Time{}, func(d Damaged) { t.Errorf("damaged line %d: %v", d.Line, d.Err) })
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"user.set_role", "member.add", "member.update", "member.remove", "team.create", "team.rename",
			"team.delete", "team.member.add", "team.member.remove", "team.set_private", "invitation.send",
			"invitation.send", "invitation.cancel", "team.leader.remove"}
		if len(got) != len(want) {
			t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
		}
		for i, e := range got {
			if e.Action != want[i] || e.Profile != "work" || e.Provider != "qomon" {
				t.Errorf("entry %d: %+v, want action %s", i, e, want[i])
			}
			if fail == nil && (e.Outcome != OK || e.Error != "") {
				t.Errorf("entry %d: outcome %q %q, want ok", i, e.Outcome, e.Error)
			}
			if fail != nil && (e.Outcome != Failed || !strings.Contains(e.Error, "permission denied")) {
				t.Errorf("entry %d: outcome %q %q, want the error", i, e.Outcome, e.Error)
			}
		}
		if got[0].Before != "role=user" || got[0].After != "role=admin" {
			t.Errorf("set role before/after: %+v", got[0])
		}
		if last := got[len(got)-1]; last.Before != "leader" || last.After != "member" || last.Target != "Nord: ada@x.org" {
			t.Errorf("modify team: %+v", last)
		}
	}
}

func TestWrapWithoutCTW(t *testing.T) {
	t.Parallel()
	p := Wrap(&fakeProvider{}, New(filepath.Join(t.TempDir(), "a.jsonl"), nil), "x")
	if _, ok := p.(client.ConditionalTeamWriter); ok {
		t.Error("the wrapper claims ConditionalTeamWriter for a provider without it")
	}
}

func TestWrapWarnsWhenLogUnwritable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	log := New(filepath.Join(blocker, "audit.jsonl"), nil) // a file as a directory
	var warned error
	log.Warn = func(err error) { warned = err }
	p := Wrap(&fakeProvider{}, log, "x")
	if err := p.RemoveMember(context.Background(), "o", "bob"); err != nil {
		t.Errorf("the write failed because of the log: %v", err)
	}
	if warned == nil || errors.Is(warned, client.ErrForbidden) {
		t.Errorf("no warning: %v", warned)
	}
}

func ptr[T any](v T) *T { return &v }
