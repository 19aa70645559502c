package qomontest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// do sends one raw request and decodes the JSON answer (nil if none).
func do(t *testing.T, s *Server, token, method, path, body string) (int, http.Header, map[string]any, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return resp.StatusCode, resp.Header, m, raw
}

func TestAuthBeforeRouting(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	good := s.Token(SpaceParis, AdminEmail)
	for _, tc := range []struct {
		name, header, path string
	}{
		{"missing header", "", "/roles"},
		{"basic scheme", "Basic " + good, "/roles"},
		{"token scheme", "Token " + good, "/roles"},
		{"empty token", "Bearer ", "/roles"},
		{"unknown token", "Bearer nope", "/roles"},
		{"unknown path still 401", "Bearer nope", "/no/such/path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.URL()+tc.path, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := s.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p map[string]any
			json.NewDecoder(resp.Body).Decode(&p)
			if resp.StatusCode != 401 || resp.Header.Get("Content-Type") != "application/problem+json" || p["status"] != float64(401) || p["detail"] == "" {
				t.Fatalf("got %d %s %v", resp.StatusCode, resp.Header.Get("Content-Type"), p)
			}
			if resp.Header.Get("x-ratelimit-limit") == "" {
				t.Error("no x-ratelimit headers on a 401")
			}
		})
	}
}

func TestRoutesAndEnvelope(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/roles", 200},
		{"GET", "/users", 200},
		{"GET", "/users/invitation", 200},
		{"GET", "/teams", 200},
		{"GET", "/teams/public", 200},
		{"GET", "/nope", 404},
		{"GET", "/users/", 404},
		{"GET", "/api/v1/users", 404},
		{"POST", "/users", 405},
		{"DELETE", "/users/1", 405},
		{"DELETE", "/teams/1", 405},
		{"GET", "/teams/1/users", 404},
		{"POST", "/teams/1/users", 404},
		{"PATCH", "/teams/1", 405}, // without WithTeamIDPath
		{"PUT", "/teams", 405},
		{"GET", "/users/role", 405},
	} {
		code, h, m, raw := do(t, s, tok, tc.method, tc.path, "")
		if code != tc.status {
			t.Errorf("%s %s: %d, want %d: %s", tc.method, tc.path, code, tc.status, raw)
			continue
		}
		if code >= 400 {
			if h.Get("Content-Type") != "application/problem+json" || m["title"] != http.StatusText(code) || m["type"] != "about:blank" {
				t.Errorf("%s %s: error body %s", tc.method, tc.path, raw)
			}
			if code == 405 && h.Get("Allow") == "" {
				t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
			}
			continue
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: content type %q", tc.method, tc.path, h.Get("Content-Type"))
		}
		if tc.path == "/teams/public" {
			if !bytes.HasPrefix(raw, []byte("[")) {
				t.Errorf("/teams/public is not a bare array: %s", raw)
			}
			continue
		}
		if m["status"] != "success" || m["data"] == nil {
			t.Errorf("%s %s: no envelope: %s", tc.method, tc.path, raw)
		}
	}
}

func TestSpacesAreIsolated(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	lyon := s.Token(SpaceLyon, LyonEmail)
	paris := s.Teams(SpaceParis)[0]
	ada, _ := s.UserByMail(SpaceParis, AdminEmail)
	for _, p := range []string{"/teams/" + itoa(paris.ID), "/users/" + itoa(ada.ID)} {
		if code, _, _, raw := do(t, s, lyon, "GET", p, ""); code != 404 {
			t.Errorf("GET %s from Lyon: %d %s", p, code, raw)
		}
	}
	body := `{"data":{"team":{"id":` + itoa(paris.ID) + `,"name":"x"}}}`
	if code, _, _, _ := do(t, s, lyon, "PATCH", "/teams", body); code != 404 {
		t.Errorf("PATCH another space's team: %d", code)
	}
	// Roles are per space: a Paris role id is refused in Lyon.
	louise, _ := s.UserByMail(SpaceLyon, LyonEmail)
	body = `{"data":{"user_id":` + itoa(louise.ID) + `,"role_id":` + itoa(s.RoleID(SpaceParis, "manager")) + `}}`
	if code, _, _, _ := do(t, s, lyon, "PATCH", "/users/role", body); code != 422 {
		t.Errorf("role of another space: %d", code)
	}
	if got, _ := s.Team(SpaceParis, paris.ID); got.Name != paris.Name {
		t.Error("a refused write changed the team")
	}
}

func itoa(n int64) string { return strconvI(n) }

func TestUserRoleCallerCannotWrite(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, ChampEmail)
	denis, _ := s.UserByMail(SpaceParis, ChampEmail)
	nord := s.Teams(SpaceParis)[0]
	inv := s.Invitations(SpaceParis)[0]
	for _, w := range []struct{ method, path, body string }{
		{"PATCH", "/users/role", `{"data":{"user_id":` + itoa(denis.ID) + `,"role_id":` + itoa(s.RoleID(SpaceParis, "superadmin")) + `}}`},
		{"PATCH", "/users/" + itoa(denis.ID), `{"data":{"mail":"d@example.org"}}`},
		{"POST", "/users/invitation", `{"data":{"invitations":[{"email":"z@example.org"}]}}`},
		{"DELETE", "/users/invitation/" + itoa(inv.ID), ""},
		{"POST", "/teams", `{"data":{"team":{"name":"Mine"}}}`},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + itoa(nord.ID) + `,"name":"Mine"}}}`},
	} {
		if code, _, _, raw := do(t, s, tok, w.method, w.path, w.body); code != 403 {
			t.Errorf("%s %s as user role: %d %s", w.method, w.path, code, raw)
		}
	}
	if len(s.Invitations(SpaceParis)) != 1 || len(s.Teams(SpaceParis)) != 3 {
		t.Error("a refused write changed state")
	}
	if u, _ := s.UserByMail(SpaceParis, ChampEmail); u.RoleID != denis.RoleID {
		t.Error("role changed")
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	nord := s.Teams(SpaceParis)[0]
	denis, _ := s.UserByMail(SpaceParis, ChampEmail)
	id := itoa(nord.ID)
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/users?limit=abc", "", 400},
		{"GET", "/users?offset=1.5", "", 400},
		{"GET", "/users?sort=maybe", "", 400},
		{"GET", "/users?limit=0", "", 422},
		{"GET", "/users?offset=-1", "", 422},
		{"PATCH", "/users/role", `{"data":`, 400},
		{"PATCH", "/users/role", `{"user_id":1,"role_id":2}`, 400},
		{"PATCH", "/users/role", `{"data":{"user_id":` + itoa(denis.ID) + `}}`, 422},
		{"PATCH", "/users/role", `{"data":{"role_id":` + itoa(s.RoleID(SpaceParis, "user")) + `}}`, 422},
		{"PATCH", "/users/role", `{"data":{"user_id":999999,"role_id":` + itoa(s.RoleID(SpaceParis, "user")) + `}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"name":"x"}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + id + `}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + id + `,"name":"x","users":[{"id":999999}]}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + id + `,"name":"x","leaders":[{"id":999999}]}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + id + `,"name":"x","address":{"housenumber":"3"}}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":` + id + `,"name":"x","address":{"latitude":"3"}}}}`, 422},
		{"PATCH", "/teams", `{"data":{"team":{"id":999999,"name":"x"}}}`, 404},
		{"POST", "/teams", `{"data":{"team":{"description":"no name"}}}`, 422},
		{"POST", "/users/invitation", `{"data":{"invitations":[{"email":"not-an-email"}]}}`, 422},
		{"POST", "/users/invitation", `{"data":{"invitations":[]}}`, 422},
		{"POST", "/users/invitation", `{"data":{"invitations":[{"email":"a@example.org","role_id":1}]}}`, 422},
		{"DELETE", "/users/invitation/999999", "", 404},
		{"GET", "/users/999999", "", 404},
		{"GET", "/teams/999999", "", 404},
	} {
		code, _, _, raw := do(t, s, tok, tc.method, tc.path, tc.body)
		if code != tc.status {
			t.Errorf("%s %s %s: %d, want %d: %s", tc.method, tc.path, tc.body, code, tc.status, raw)
		}
	}
	if got, _ := s.Team(SpaceParis, nord.ID); got.Name != TeamNord || len(got.Users) != 3 {
		t.Errorf("a refused write changed the team: %+v", got)
	}
	if n := len(s.Invitations(SpaceParis)); n != 1 {
		t.Errorf("%d invitations after refused invites", n)
	}
}

func TestFullReplace(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	nord := s.Teams(SpaceParis)[0]
	camille, _ := s.UserByMail(SpaceParis, ManagerEmail)
	// Sending only the new member: a one-member public team with no
	// address, description or leaders.
	body := `{"data":{"team":{"id":` + itoa(nord.ID) + `,"name":"Nord","users":[{"id":` + itoa(camille.ID) + `}]}}}`
	code, _, m, raw := do(t, s, tok, "PATCH", "/teams", body)
	if code != 200 {
		t.Fatalf("%d %s", code, raw)
	}
	got, _ := s.Team(SpaceParis, nord.ID)
	if got.Private || got.HideUsers || got.Description != "" || !got.Address.zero() || len(got.Leaders) != 0 || len(got.Users) != 1 || got.Name != "Nord" {
		t.Fatalf("not a full replace: %+v", got)
	}
	if !got.UpdatedAt.After(nord.UpdatedAt) {
		t.Error("updated_at not bumped")
	}
	team := m["data"].(map[string]any)["team"].(map[string]any)
	users := team["users"].([]any)
	if len(users) != 1 || users[0].(map[string]any)["firstname"] != "Camille" {
		t.Errorf("the answer does not embed full users: %v", team["users"])
	}
	// A full body round-trips, house_number in, housenumber out.
	body = `{"data":{"team":{"id":` + itoa(nord.ID) + `,"name":"Nord","description":"d","private":true,"hide_users":true,` +
		`"address":{"street":"rue Haute","house_number":"12","postalcode":"75001","city":"Paris","country":"France","floor":"3"},` +
		`"users":[{"id":` + itoa(camille.ID) + `}],"leaders":[{"id":` + itoa(camille.ID) + `}]}}}`
	if code, _, m, raw = do(t, s, tok, "PATCH", "/teams", body); code != 200 {
		t.Fatalf("%d %s", code, raw)
	}
	addr := m["data"].(map[string]any)["team"].(map[string]any)["address"].(map[string]any)
	if addr["housenumber"] != "12" || addr["floor"] != "3" || addr["latitude"] == nil {
		t.Errorf("address read shape: %v", addr)
	}
	got, _ = s.Team(SpaceParis, nord.ID)
	if !got.Private || !got.HideUsers || got.Address.HouseNumber != "12" || len(got.Leaders) != 1 {
		t.Errorf("%+v", got)
	}
}

func TestTeamIDPathOption(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket(), WithTeamIDPath())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	nord := s.Teams(SpaceParis)[0]
	marche := s.Teams(SpaceParis)[1]
	p := "/teams/" + itoa(nord.ID)
	if code, _, _, raw := do(t, s, tok, "PATCH", p, `{"data":{"team":{"id":`+itoa(marche.ID)+`,"name":"x"}}}`); code != 422 {
		t.Errorf("id mismatch: %d %s", code, raw)
	}
	if code, _, _, raw := do(t, s, tok, "PATCH", p, `{"data":{"team":{"id":`+itoa(nord.ID)+`,"name":"Nord bis"}}}`); code != 200 {
		t.Errorf("%d %s", code, raw)
	}
	if got, _ := s.Team(SpaceParis, nord.ID); got.Name != "Nord bis" {
		t.Errorf("%+v", got)
	}
}

func TestPrivateTeamVisibility(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	names := func(tok, path string) []string {
		_, _, m, raw := do(t, s, tok, "GET", path, "")
		var list []any
		if path == "/teams/public" {
			json.Unmarshal(raw, &list)
		} else {
			list = m["data"].(map[string]any)["teams"].([]any)
		}
		var out []string
		for _, x := range list {
			out = append(out, x.(map[string]any)["name"].(string))
		}
		return out
	}
	admin := s.Token(SpaceParis, AdminEmail)
	denis := s.Token(SpaceParis, ChampEmail)
	camille := s.Token(SpaceParis, ManagerEmail)
	if got := strings.Join(names(admin, "/teams"), "|"); got != TeamNord+"|"+TeamMarche+"|"+TeamTresorie {
		t.Errorf("superadmin sees %s", got)
	}
	if got := strings.Join(names(denis, "/teams"), "|"); got != TeamNord+"|"+TeamMarche {
		t.Errorf("member of Nord sees %s", got)
	}
	if got := strings.Join(names(camille, "/teams"), "|"); got != TeamMarche {
		t.Errorf("manager outside the private teams sees %s", got)
	}
	if got := strings.Join(names(admin, "/teams/public"), "|"); got != TeamMarche {
		t.Errorf("public: %s", got)
	}
	tres := s.Teams(SpaceParis)[2]
	if code, _, _, _ := do(t, s, camille, "GET", "/teams/"+itoa(tres.ID), ""); code != 404 {
		t.Errorf("hidden private team by id: %d", code)
	}
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	s.SetClock(func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) })
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	code, _, m, raw := do(t, s, tok, "POST", "/users/invitation",
		`{"data":{"invitations":[{"email":"`+LyonOnlyEmail+`","role_id":`+itoa(s.RoleID(SpaceParis, "manager"))+`},{"email":"`+PendingEmail+`"},{"email":"fresh@example.org"}]}}`)
	if code != 201 {
		t.Fatalf("%d %s", code, raw)
	}
	invs := m["data"].(map[string]any)["invitations"].([]any)
	if len(invs) != 3 {
		t.Fatalf("%s", raw)
	}
	andre, inParis := s.UserByMail(SpaceParis, LyonOnlyEmail)
	if !inParis || andre.RoleID != s.RoleID(SpaceParis, "manager") {
		t.Fatalf("an existing account is not added at once: %+v", andre)
	}
	if invs[0].(map[string]any)["user_id"] != float64(andre.ID) {
		t.Errorf("accepted invitation has no user_id: %v", invs[0])
	}
	all := s.Invitations(SpaceParis)
	if len(all) != 3 {
		t.Fatalf("re-inviting a pending address made a second invitation: %+v", all)
	}
	if !all[0].LastSent.Equal(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("last_sent not updated: %+v", all[0])
	}
	// Deleting the accepted invitation keeps the user.
	var accepted int64
	for _, inv := range all {
		if inv.UserID != 0 {
			accepted = inv.ID
		}
	}
	if code, _, _, raw := do(t, s, tok, "DELETE", "/users/invitation/"+itoa(accepted), ""); code != 200 {
		t.Fatalf("%d %s", code, raw)
	}
	if _, ok := s.UserByMail(SpaceParis, LyonOnlyEmail); !ok {
		t.Error("cancelling an accepted invitation removed the user")
	}
	if len(s.Invitations(SpaceParis)) != 2 {
		t.Error("invitation not deleted")
	}
	// The group ids of the shared account now list both spaces.
	_, _, m, _ = do(t, s, tok, "GET", "/users/"+itoa(andre.ID), "")
	if g := m["data"].(map[string]any)["user"].(map[string]any)["group_id"].([]any); len(g) != 2 {
		t.Errorf("group_id %v", g)
	}
}

func TestOrderingAndPaging(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	ids := func(q string) ([]int64, float64) {
		_, _, m, raw := do(t, s, tok, "GET", "/users"+q, "")
		d, _ := m["data"].(map[string]any)
		if d == nil {
			t.Fatalf("%s: %s", q, raw)
		}
		var out []int64
		for _, u := range d["users"].([]any) {
			out = append(out, int64(u.(map[string]any)["id"].(float64)))
		}
		return out, d["count"].(float64)
	}
	all, count := ids("")
	if len(all) != 7 || count != 7 {
		t.Fatalf("%v %v", all, count)
	}
	for i := 1; i < len(all); i++ {
		if all[i] <= all[i-1] {
			t.Fatalf("not by id: %v", all)
		}
	}
	page, count := ids("?limit=2&offset=2")
	if len(page) != 2 || page[0] != all[2] || count != 7 {
		t.Errorf("page %v count %v", page, count)
	}
	if page, _ := ids("?offset=100"); len(page) != 0 {
		t.Errorf("past the end: %v", page)
	}
	sorted, _ := ids("?sort=true")
	var surnames []string
	for _, id := range sorted {
		for _, u := range s.Users(SpaceParis) {
			if u.ID == id {
				surnames = append(surnames, strings.ToLower(u.Surname))
			}
		}
	}
	for i := 1; i < len(surnames); i++ {
		if surnames[i] < surnames[i-1] {
			t.Fatalf("sort=true not by surname: %v", surnames)
		}
	}
	_, _, m, _ := do(t, s, tok, "GET", "/roles", "")
	prev := -1.0
	for _, r := range m["data"].(map[string]any)["roles"].([]any) {
		o := r.(map[string]any)["order"].(float64)
		if o < prev {
			t.Fatal("roles not by order")
		}
		prev = o
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	for _, withRA := range []bool{true, false} {
		opts := []Option{WithoutSocket(), WithRateLimit(3, time.Hour)}
		if !withRA {
			opts = append(opts, WithoutRetryAfter())
		}
		s := New(opts...)
		tok := s.Token(SpaceParis, AdminEmail)
		other := s.Token(SpaceParis, StaffEmail)
		for i := range 3 {
			code, h, _, _ := do(t, s, tok, "GET", "/roles", "")
			if code != 200 || h.Get("x-ratelimit-remaining") != itoa(int64(2-i)) || h.Get("x-ratelimit-cost") != "1" || h.Get("x-ratelimit-limit") == "" {
				t.Fatalf("request %d: %d %v", i, code, h)
			}
		}
		code, h, m, _ := do(t, s, tok, "GET", "/roles", "")
		if code != 429 || m["detail"] == nil {
			t.Fatalf("4th request: %d", code)
		}
		if ra := h.Get("Retry-After"); (ra != "") != withRA || (withRA && ra != "3600") {
			t.Errorf("Retry-After %q (want it: %v)", ra, withRA)
		}
		if code, _, _, _ := do(t, s, other, "GET", "/roles", ""); code != 200 {
			t.Error("the limit is not per token")
		}
		s.Close()
	}
}

func TestHooks(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	tok := s.Token(SpaceParis, AdminEmail)
	nord := s.Teams(SpaceParis)[0]
	var once sync.Once
	s.BeforeTeamWrite(func(id int64) {
		once.Do(func() { s.EditTeam(id, func(t *Team) { t.Description = "edited meanwhile" }) })
	})
	_, _, m, _ := do(t, s, tok, "GET", "/teams/"+itoa(nord.ID), "")
	if d := m["data"].(map[string]any)["team"].(map[string]any)["description"]; d != "edited meanwhile" {
		t.Errorf("hook edit not visible: %v", d)
	}
	s.BreakAfterWrite("PATCH", "/teams", 502)
	code, _, _, _ := do(t, s, tok, "PATCH", "/teams", `{"data":{"team":{"id":`+itoa(nord.ID)+`,"name":"Applied"}}}`)
	if code != 502 {
		t.Errorf("break: %d", code)
	}
	if got, _ := s.Team(SpaceParis, nord.ID); got.Name != "Applied" {
		t.Error("BreakAfterWrite did not apply the write")
	}
	// Ids only increase.
	a := s.AddUser(SpaceParis, User{FirstName: "X", Mail: "x1@example.org"})
	b := s.AddTeam(SpaceParis, Team{Name: "T"})
	if b.ID <= a.ID {
		t.Error("ids do not increase")
	}
}

func TestVariantsShape(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket(), WithVariants())
	defer s.Close()
	_, _, _, raw := do(t, s, s.Token(SpaceParis, AdminEmail), "GET", "/users", "")
	for _, want := range []string{`"mobile":`, `"housenumber":`, `"postalcode":`, `"status":["available week-end","available night"]`, `"role":"`, `"mail":null`, `"id":"`, `"role_data":`, `"role_id":`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("variants lack %s", want)
		}
	}
}

func TestSeedDemoAndGenerated(t *testing.T) {
	t.Parallel()
	s := New(WithoutSocket())
	defer s.Close()
	s.SeedDemo()
	if n := len(s.Users(DemoSpace)); n < 35 {
		t.Errorf("%d demo users", n)
	}
	kinds := map[int64]bool{}
	for _, u := range s.Users(DemoSpace) {
		kinds[u.RoleID] = true
	}
	if len(kinds) != len(s.Roles(DemoSpace)) {
		t.Errorf("demo users hold %d of %d roles", len(kinds), len(s.Roles(DemoSpace)))
	}
	code, _, m, _ := do(t, s, s.DemoToken(), "GET", "/teams", "")
	if code != 200 || len(m["data"].(map[string]any)["teams"].([]any)) != 5 {
		t.Errorf("demo teams: %d", code)
	}
	s.SeedGenerated("Big", 100000) // its speed is measured in scripts/bench.sh
	tok := s.Token("Big", s.Users("Big")[0].Mail)
	_, _, m, _ = do(t, s, tok, "GET", "/users?limit=3&offset=99998", "")
	d := m["data"].(map[string]any)
	if d["count"] != float64(100000) || len(d["users"].([]any)) != 2 {
		t.Errorf("count %v, %d users", d["count"], len(d["users"].([]any)))
	}
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }
