package qomon

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// sameExcept fails unless after equals before in every field but the ones
// the change was meant to touch (checked by the caller).
func sameExcept(t *testing.T, before, after qomontest.Team, users, leaders []int64, name string, private bool) {
	t.Helper()
	if after.Name != name || after.Private != private || after.Description != before.Description ||
		after.HideUsers != before.HideUsers || after.Address.Street != before.Address.Street ||
		after.Address.HouseNumber != before.Address.HouseNumber || after.Address.PostalCode != before.Address.PostalCode ||
		after.Address.City != before.Address.City || after.Address.Country != before.Address.Country ||
		len(after.Address.Extra) != len(before.Address.Extra) || after.Address.Latitude != before.Address.Latitude {
		t.Errorf("fields lost:\nbefore %+v\nafter  %+v", before, after)
	}
	for k, v := range before.Address.Extra {
		if after.Address.Extra[k] != v {
			t.Errorf("address %s lost", k)
		}
	}
	if !slices.Equal(after.Users, users) || !slices.Equal(after.Leaders, leaders) {
		t.Errorf("users %v leaders %v, want %v %v", after.Users, after.Leaders, users, leaders)
	}
}

func TestAddKeepsEveryOtherField(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	before := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamNord)
	camille := userID(t, s, qomontest.SpaceParis, qomontest.ManagerEmail)
	if err := c.AddTeamMember(ctx(t), "", qomontest.TeamNord, qomontest.ManagerEmail, false); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Team(qomontest.SpaceParis, before.ID)
	sameExcept(t, before, after, append(slices.Clone(before.Users), camille), before.Leaders, before.Name, true)
	if !after.UpdatedAt.After(before.UpdatedAt) {
		t.Error("updated_at not bumped")
	}
	// The body had every writable field, the write spellings, no
	// read-only parts, lists of {id}.
	p := requests(s, "PATCH", "/teams")
	if len(p) != 1 {
		t.Fatalf("%d PATCH /teams", len(p))
	}
	var body struct {
		Data struct {
			Team map[string]json.RawMessage `json:"team"`
		} `json:"data"`
	}
	if err := json.Unmarshal(p[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "description", "private", "hide_users", "address", "users", "leaders"} {
		if _, ok := body.Data.Team[k]; !ok {
			t.Errorf("body lacks %s", k)
		}
	}
	addr := string(body.Data.Team["address"])
	if !strings.Contains(addr, `"house_number":"12"`) || strings.Contains(addr, "housenumber") || strings.Contains(addr, "latitude") {
		t.Errorf("address %s", addr)
	}
	if u := string(body.Data.Team["users"]); !strings.HasPrefix(u, `[{"id":`) || strings.Contains(u, "firstname") {
		t.Errorf("users %s", u)
	}

	// Adding them again changes nothing and sends nothing.
	n := len(writes(s))
	if err := c.AddTeamMember(ctx(t), "", qomontest.TeamNord, strconv.FormatInt(camille, 10), false); err != nil {
		t.Fatal(err)
	}
	if len(writes(s)) != n {
		t.Error("a no-op add wrote")
	}
}

func TestLeadersAndRemoval(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	before := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamNord)
	camille := userID(t, s, qomontest.SpaceParis, qomontest.ManagerEmail)
	blaise := userID(t, s, qomontest.SpaceParis, qomontest.StaffEmail)
	if err := c.AddTeamMember(ctx(t), "", before.IDString(), qomontest.ManagerEmail, true); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Team(qomontest.SpaceParis, before.ID)
	sameExcept(t, before, after, append(slices.Clone(before.Users), camille), append(slices.Clone(before.Leaders), camille), before.Name, true)

	// A seen holding only the id means "no baseline".
	if _, err := c.ModifyTeam(ctx(t), "", &client.Team{ID: before.IDString()}, client.TeamChange{RemoveMember: qomontest.ManagerEmail, Leader: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyTeam(ctx(t), "", &client.Team{ID: before.IDString()}, client.TeamChange{AddMember: qomontest.ManagerEmail, Leader: true}); err != nil {
		t.Fatal(err)
	}
	// Dropping only the leadership keeps the member.
	if _, err := c.ModifyTeam(ctx(t), "", nil, client.TeamChange{}); err == nil {
		t.Fatal("nil seen accepted")
	}
	seen, _ := c.Team(ctx(t), "", before.IDString())
	if _, err := c.ModifyTeam(ctx(t), "", &seen, client.TeamChange{RemoveMember: qomontest.ManagerEmail, Leader: true}); err != nil {
		t.Fatal(err)
	}
	after, _ = s.Team(qomontest.SpaceParis, before.ID)
	sameExcept(t, before, after, append(slices.Clone(before.Users), camille), before.Leaders, before.Name, true)

	// Removing a leader removes them from both lists.
	if err := c.RemoveTeamMember(ctx(t), "", qomontest.TeamNord, strconv.FormatInt(blaise, 10)); err != nil {
		t.Fatal(err)
	}
	after, _ = s.Team(qomontest.SpaceParis, before.ID)
	users := slices.DeleteFunc(append(slices.Clone(before.Users), camille), func(id int64) bool { return id == blaise })
	sameExcept(t, before, after, users, []int64{}, before.Name, true)
}

func TestRenameAndVisibility(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	before := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamNord)
	tm, err := c.RenameTeam(ctx(t), "", before.IDString(), "  Nord-Est ")
	if err != nil || tm.Name != "Nord-Est" {
		t.Fatalf("%+v %v", tm, err)
	}
	after, _ := s.Team(qomontest.SpaceParis, before.ID)
	sameExcept(t, before, after, before.Users, before.Leaders, "Nord-Est", true)
	if err := c.SetTeamPrivate(ctx(t), "", "Nord-Est", false); err != nil {
		t.Fatal(err)
	}
	after, _ = s.Team(qomontest.SpaceParis, before.ID)
	sameExcept(t, before, after, before.Users, before.Leaders, "Nord-Est", false)
	n := len(writes(s))
	if err := c.SetTeamPrivate(ctx(t), "", "Nord-Est", false); err != nil {
		t.Fatal(err)
	}
	if len(writes(s)) != n {
		t.Error("a no-op visibility change wrote")
	}
	for _, ch := range []client.TeamChange{{}, {Rename: new(string)}, {AddMember: "1", RemoveMember: "2"}, {Leader: true}} {
		_, err := c.ModifyTeam(ctx(t), "", &tm, ch)
		mustIs(t, err, client.ErrBadInput)
	}
	// The champ's write is refused by the server; nothing changes.
	err = as(t, s, qomontest.SpaceParis, qomontest.ChampEmail).SetTeamPrivate(ctx(t), "", "Nord-Est", true)
	mustIs(t, err, client.ErrForbidden, "making team Nord-Est private")
	err = c.AddTeamMember(ctx(t), "", "Nord-Est", "ghost@example.org", false)
	mustIs(t, err, client.ErrNotFound, "ghost@example.org")
}

// TestConcurrentEditIsNotLost: another person edits the team between the
// copy the user saw and the write; the client refuses, and the other
// edit survives.
func TestConcurrentEditIsNotLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(*qomontest.Team, int64)
		diff string
	}{
		{"member added", func(tm *qomontest.Team, emilie int64) { tm.Users = append(tm.Users, emilie) }, "members +"},
		{"description", func(tm *qomontest.Team, _ int64) { tm.Description = "changé" }, "description"},
		{"leader", func(tm *qomontest.Team, _ int64) { tm.Leaders = nil }, "leaders −"},
		{"only updated_at", func(*qomontest.Team, int64) {}, "updated at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fake(t)
			c := admin(t, s)
			seen, err := c.Team(ctx(t), "", qomontest.TeamMarche)
			if err != nil {
				t.Fatal(err)
			}
			emilie := userID(t, s, qomontest.SpaceParis, "emilie@example.org")
			var fired atomic.Bool
			s.BeforeTeamWrite(func(id int64) {
				if fired.CompareAndSwap(false, true) {
					s.EditTeam(id, func(tm *qomontest.Team) { tc.edit(tm, emilie) })
				}
			})
			_, err = c.ModifyTeam(ctx(t), "", &seen, client.TeamChange{AddMember: qomontest.AdminEmail})
			mustIs(t, err, client.ErrConflict, "nothing was written", tc.diff)
			if w := writes(s); len(w) != 0 {
				t.Errorf("wrote %v", w)
			}
			after := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamMarche)
			ada := userID(t, s, qomontest.SpaceParis, qomontest.AdminEmail)
			if slices.Contains(after.Users, ada) {
				t.Error("the refused change was applied")
			}
			if !fired.Load() {
				t.Fatal("hook never ran")
			}
			// Redone on the fresh copy, the change keeps the other edit.
			fresh, _ := c.Team(ctx(t), "", seen.ID)
			if _, err := c.ModifyTeam(ctx(t), "", &fresh, client.TeamChange{AddMember: qomontest.AdminEmail}); err != nil {
				t.Fatal(err)
			}
			final := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamMarche)
			if !slices.Contains(final.Users, ada) || final.Description != after.Description || !slices.Equal(final.Leaders, after.Leaders) ||
				len(final.Users) != len(after.Users)+1 {
				t.Errorf("after redo %+v (other edit %+v)", final, after)
			}
		})
	}
}

func TestPatchPathFallback(t *testing.T) {
	t.Parallel()
	// A server without PATCH /teams but with PATCH /teams/{id}.
	s := fake(t, qomontest.WithTeamIDPath())
	c := admin(t, s)
	marche := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamMarche)
	s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 405, Times: 1})
	if _, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Marché bis"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(writes(s), ","); got != "PATCH /teams,PATCH /teams/"+marche.IDString() {
		t.Errorf("writes %s", got)
	}
	// Later writes go straight to the path that works.
	if _, err := c.RenameTeam(ctx(t), "", "Marché bis", "Marché ter"); err != nil {
		t.Fatal(err)
	}
	if got := writes(s); got[len(got)-1] != "PATCH /teams/"+marche.IDString() || len(got) != 3 {
		t.Errorf("writes %v", got)
	}
	// Any other refusal is not a reason to try the other path.
	s2 := fake(t, qomontest.WithTeamIDPath())
	c2 := admin(t, s2)
	s2.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 422, Times: 1})
	_, err := c2.RenameTeam(ctx(t), "", qomontest.TeamMarche, "x")
	mustIs(t, err, client.ErrInvalid)
	if len(writes(s2)) != 1 {
		t.Errorf("writes %v", writes(s2))
	}
}

func TestNoBlindRetry(t *testing.T) {
	t.Parallel()
	t.Run("applied then 5xx: success, one write", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s)
		s.BreakAfterWrite("PATCH", "/teams", 502)
		tm, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Applied")
		if err != nil || tm.Name != "Applied" {
			t.Fatalf("%+v %v", tm, err)
		}
		if len(writes(s)) != 1 {
			t.Errorf("writes %v", writes(s))
		}
	})
	t.Run("not applied 5xx: one retry", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s)
		s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
		if _, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Second try"); err != nil {
			t.Fatal(err)
		}
		if len(writes(s)) != 2 || teamByName(t, s, qomontest.SpaceParis, "Second try").Name == "" {
			t.Errorf("writes %v", writes(s))
		}
	})
	t.Run("failing twice: error, two writes, unchanged", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s)
		before := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamMarche)
		s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 500})
		_, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Never")
		mustIs(t, err, client.ErrServer, "failed twice", "unchanged")
		if len(writes(s)) != 2 {
			t.Errorf("writes %v", writes(s))
		}
		if after, _ := s.Team(qomontest.SpaceParis, before.ID); after.Name != before.Name || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Error("changed")
		}
	})
	t.Run("timeout: re-read, retry once", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s, clientOpt{timeout: 5 * time.Second}) // room for the re-read on a loaded machine
		s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStall, Times: 1})
		if _, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "After stall"); err != nil {
			t.Fatal(err)
		}
		if len(writes(s)) != 2 {
			t.Errorf("writes %v", writes(s))
		}
	})
	t.Run("lost answer and another edit: conflict, no resend", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s)
		seen, _ := c.Team(ctx(t), "", qomontest.TeamMarche)
		var reads atomic.Int32
		s.BeforeTeamWrite(func(id int64) {
			// The second read is the check after the lost answer.
			if reads.Add(1) == 2 {
				s.EditTeam(id, func(tm *qomontest.Team) { tm.Description = "someone else" })
			}
		})
		s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 504, Times: 1})
		_, err := c.ModifyTeam(ctx(t), "", &seen, client.TeamChange{Rename: ptr("Lost")})
		mustIs(t, err, client.ErrConflict, "nothing was resent", "description")
		if len(writes(s)) != 1 {
			t.Errorf("writes %v", writes(s))
		}
		if got := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamMarche); got.Description != "someone else" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("accepted but reads differently", func(t *testing.T) {
		t.Parallel()
		s := fake(t)
		c := admin(t, s)
		// A 200 that did nothing: verification catches it.
		s.Kit().Inject(fakehttp.Fault{Method: "PATCH", PathPrefix: "/teams", Kind: fakehttp.FaultMalformed, Times: 1})
		_, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Ghost")
		mustIs(t, err, client.ErrConflict, "reads differently", "name")
		if len(writes(s)) != 1 {
			t.Errorf("writes %v", writes(s))
		}
	})
}

func ptr[T any](v T) *T { return &v }
