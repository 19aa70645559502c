package qomon

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/paging"
	"github.com/roster-cli/roster/client/qomon/qomontest"
)

// TestUsersWithServerPageCap: a server that sends fewer users than asked
// per page (its own cap) is paged to the end, with and without a count;
// before, roster stopped at the first short page (1,500 of 5,000).
func TestUsersWithServerPageCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, cap  int
		noCount bool
	}{
		{5000, 1000, false},
		{5000, 1000, true},
		{250, 100, false},
		{250, 100, true},
	} {
		opts := []qomontest.Option{qomontest.WithPageCap(c.cap)}
		if c.noCount {
			opts = append(opts, qomontest.WithoutCount())
		}
		s := fake(t, opts...)
		s.SeedGenerated("Big", c.n)
		cl := as(t, s, "Big", s.Users("Big")[0].Mail)
		users, err := client.CollectUsers(ctx(t), cl, client.UserQuery{})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if len(users) != c.n {
			t.Fatalf("%+v: %d users, want %d", c, len(users), c.n)
		}
		seen := map[string]bool{}
		for _, u := range users {
			if seen[u.ID] {
				t.Fatalf("%+v: user %s twice", c, u.ID)
			}
			seen[u.ID] = true
		}
		all := s.Users("Big")
		for i, u := range users {
			if want := strconv.FormatInt(all[i].ID, 10); u.ID != want {
				t.Fatalf("%+v: user %d is %s, want %s (server order)", c, i, u.ID, want)
			}
		}
		// E-mail lookup (and so export, plan, set-role) uses the same pager.
		last := all[c.n-1]
		u, err := cl.User(ctx(t), last.Mail)
		if err != nil || u.ID != strconv.FormatInt(last.ID, 10) {
			t.Fatalf("%+v: the last user by e-mail: %+v %v", c, u, err)
		}
	}
}

// TestUsersCountDisagreesFails: when the rows end before the count, the
// list fails (exit 1 in the CLI) saying how many were expected and got.
func TestUsersCountDisagreesFails(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithPageCap(100), qomontest.WithCountSkew(10))
	s.SeedGenerated("Big", 250)
	cl := as(t, s, "Big", s.Users("Big")[0].Mail)
	_, err := client.CollectUsers(ctx(t), cl, client.UserQuery{})
	var inc *paging.IncompleteError
	if !errors.As(err, &inc) || inc.Expected != 260 || inc.Received != 250 {
		t.Fatalf("got %v, want an incomplete list 260/250", err)
	}
}

// TestListTeamsSaysPublicOnly: GET /teams refused (403) or missing
// (404/405) falls back to /teams/public and says so.
func TestListTeamsSaysPublicOnly(t *testing.T) {
	t.Parallel()
	for _, status := range []int{0, 403, 404, 405} {
		var opts []qomontest.Option
		if status != 0 {
			opts = append(opts, qomontest.WithTeamsStatus(status))
		}
		s := fake(t, opts...)
		l, err := admin(t, s).ListTeams(ctx(t), "")
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if l.PublicOnly != (status != 0) {
			t.Errorf("%d: PublicOnly %v", status, l.PublicOnly)
		}
		for _, tm := range l.Teams {
			if status != 0 && tm.Private {
				t.Errorf("%d: private team %s in the public list", status, tm.Name)
			}
		}
		if status != 0 && len(requests(s, "GET", "/teams/public")) != 1 {
			t.Errorf("%d: no GET /teams/public", status)
		}
		// Through a wrapper (read-only here) the fact survives.
		l2, err := client.ListTeams(ctx(t), client.ReadOnly(admin(t, s)), "")
		if err != nil || l2.PublicOnly != l.PublicOnly {
			t.Errorf("%d: through a wrapper: %v %v", status, l2.PublicOnly, err)
		}
	}
	// A private team by name on a public-only list: not found, saying why.
	s := fake(t, qomontest.WithTeamsStatus(403))
	_, err := admin(t, s).Team(ctx(t), "", qomontest.TeamNord)
	if !errors.Is(err, client.ErrNotFound) || !strings.Contains(err.Error(), "public teams only") {
		t.Errorf("private team by name: %v", err)
	}
}

// TestCreateTeamWithoutTeamInAnswer: a 2xx without data.team is a
// success found by reading the list back; a lost answer likewise; and a
// second create of the name is refused before any POST.
func TestCreateTeamWithoutTeamInAnswer(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithoutCreatedTeam())
	c := admin(t, s)
	tm, err := c.CreateTeam(ctx(t), "", client.TeamSpec{Name: "Sud", Private: true})
	if err != nil || tm.Name != "Sud" || tm.ID == "" || !tm.Private {
		t.Fatalf("%+v %v", tm, err)
	}
	if got := teamByName(t, s, qomontest.SpaceParis, "Sud"); strconv.FormatInt(got.ID, 10) != tm.ID {
		t.Fatalf("id %s, fake has %d", tm.ID, got.ID)
	}
	// Again: refused by name, nothing posted.
	posts := len(requests(s, "POST", "/teams"))
	_, err = c.CreateTeam(ctx(t), "", client.TeamSpec{Name: "Sud"})
	mustIs(t, err, client.ErrInvalid, "already exists")
	if n := len(requests(s, "POST", "/teams")); n != posts {
		t.Fatalf("a duplicate was posted (%d POSTs)", n)
	}

	// The answer is lost after the team was made: found, not an error.
	s2 := fake(t)
	s2.BreakAfterWrite("POST", "/teams", 502)
	tm, err = admin(t, s2).CreateTeam(ctx(t), "", client.TeamSpec{Name: "Est"})
	if err != nil || tm.Name != "Est" || tm.ID == "" {
		t.Fatalf("after a lost answer: %+v %v", tm, err)
	}
	n := 0
	for _, x := range s2.Teams(qomontest.SpaceParis) {
		if x.Name == "Est" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d teams named Est", n)
	}
}
