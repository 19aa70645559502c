package qfctest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

func start(t *testing.T, opts ...qfctest.Option) *qfctest.Server {
	t.Helper()
	s := qfctest.New(opts...)
	t.Cleanup(s.Close)
	s.SeedDemo()
	return s
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return v
}

func (r resp) code(t *testing.T) string {
	t.Helper()
	m, _ := r.json(t).(map[string]any)
	c, _ := m["code"].(string)
	return c
}

// do sends a raw request; auth is a full Authorization value ("" = none).
func do(t *testing.T, s *qfctest.Server, method, path, auth, ctype string, body string) resp {
	t.Helper()
	req, err := http.NewRequest(method, strings.TrimSuffix(s.URL(), "/api/v1/")+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, b}
}

const jsonCT = "application/json"
const formCT = "application/x-www-form-urlencoded"

func tok(s *qfctest.Server, user string) string { return "Token " + s.Token(user) }

func TestTrailingSlash(t *testing.T) {
	t.Parallel()
	s := start(t)
	a := tok(s, "demo")
	r := do(t, s, "GET", "/api/v1/users?q=an", a, "", "")
	if r.status != 301 || r.header.Get("Location") != "/api/v1/users/?q=an" {
		t.Fatalf("GET: %d %q", r.status, r.header.Get("Location"))
	}
	r = do(t, s, "POST", "/api/v1/members/fieldops", a, jsonCT, `{"member":"keiko"}`)
	if r.status != 301 {
		t.Fatalf("POST: %d", r.status)
	}
	if len(s.Members("fieldops")) != 12 {
		t.Fatal("slash-less POST wrote")
	}
	d := start(t, qfctest.WithDebug())
	r = do(t, d, "POST", "/api/v1/members/fieldops", tok(d, "demo"), jsonCT, `{"member":"keiko"}`)
	if r.status != 500 || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("debug POST: %d %s", r.status, r.header.Get("Content-Type"))
	}
	r = do(t, d, "DELETE", "/api/v1/members/fieldops/elena", tok(d, "demo"), "", "")
	if r.status != 301 {
		t.Fatalf("debug DELETE: %d", r.status)
	}
}

func TestUnknownRouteIsHTML404(t *testing.T) {
	t.Parallel()
	s := start(t)
	for _, p := range []string{"/api/v1/organizations/fieldops/team/", "/api/v1/nope/", "/api/v2/users/", "/api/v1/users//"} {
		r := do(t, s, "GET", p, tok(s, "demo"), "", "")
		if r.status != 404 || !bytes.Contains(r.body, []byte("<html")) {
			t.Errorf("%s: %d %q", p, r.status, r.body)
		}
	}
}

func TestAuthHeader(t *testing.T) {
	t.Parallel()
	s := start(t)
	key := s.Token("demo")
	cases := []struct {
		auth   string
		status int
		code   string
	}{
		{"", 401, "not_authenticated"},
		{"Bearer " + key, 401, "not_authenticated"},
		{"Basic abc", 401, "not_authenticated"},
		{"Token", 401, "authentication_failed"},
		{"Token a b", 401, "authentication_failed"},
		{"Token nope", 401, "token_authentication_failed"},
		{"token " + key, 200, ""},
		{"TOKEN " + key, 200, ""},
	}
	for _, tc := range cases {
		r := do(t, s, "GET", "/api/v1/auth/user/", tc.auth, "", "")
		if r.status != tc.status || tc.code != "" && r.code(t) != tc.code {
			t.Errorf("%.12q: %d %s", tc.auth, r.status, r.body)
		}
		if r.header.Get("WWW-Authenticate") != "" {
			t.Errorf("%.12q: WWW-Authenticate sent", tc.auth)
		}
	}
	s.ExpireTokens("demo")
	if r := do(t, s, "GET", "/api/v1/auth/user/", "Token "+key, "", ""); r.code(t) != "token_authentication_failed" {
		t.Fatalf("expired: %s", r.body)
	}
}

func TestLoginWire(t *testing.T) {
	t.Parallel()
	s := start(t)
	r := do(t, s, "POST", "/api/v1/auth/login/", "", formCT, "username=ANA&password=ana")
	if r.status != 200 {
		t.Fatalf("form login: %d %s", r.status, r.body)
	}
	m := r.json(t).(map[string]any)
	if m["type"] != "1" || m["username"] != "ana" || m["full_name"] != "Ana Silva" || m["avatar_url"] != nil {
		t.Fatalf("login body %v", m)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9]{100}$`).MatchString(m["token"].(string)) {
		t.Fatalf("token %q", m["token"])
	}
	exp, err := time.Parse(time.RFC3339Nano, m["expires_at"].(string))
	if err != nil || exp.Sub(time.Now()) < 719*time.Hour {
		t.Fatalf("expires_at %v %v", m["expires_at"], err)
	}
	// Email wins over username.
	r = do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"username":"ben","email":"ana@example.org","password":"ana"}`)
	if r.status != 200 || r.json(t).(map[string]any)["username"] != "ana" {
		t.Fatalf("email login: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"username":"ana"}`); r.status != 400 || r.code(t) != "api_error" {
		t.Fatalf("no password: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"password":"x"}`); r.status != 401 || r.code(t) != "authentication_failed" {
		t.Fatalf("no username: %d %s", r.status, r.body)
	}
	// A stale token sent along blocks the login.
	if r := do(t, s, "POST", "/api/v1/auth/token/", "Token stale", jsonCT, `{"username":"ana","password":"ana"}`); r.status != 401 || r.code(t) != "token_authentication_failed" {
		t.Fatalf("stale token: %d %s", r.status, r.body)
	}
}

func TestLoginClientTypes(t *testing.T) {
	t.Parallel()
	s := start(t)
	login := func(ua string) string {
		req, _ := http.NewRequest("POST", s.URL()+"auth/token/", strings.NewReader(`{"username":"ana","password":"ana"}`))
		req.Header.Set("Content-Type", jsonCT)
		req.Header.Set("User-Agent", ua)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		json.NewDecoder(res.Body).Decode(&m)
		return m["token"].(string)
	}
	valid := func(k string) bool {
		return do(t, s, "GET", "/api/v1/auth/user/", "Token "+k, "", "").status == 200
	}
	a, b := login("cli|roster|1"), login("cli|roster|1")
	if !valid(a) || !valid(b) {
		t.Fatal("cli tokens should coexist")
	}
	u1, u2 := login("Go-http-client/1.1"), login("Go-http-client/1.1")
	if valid(u1) || !valid(u2) || !valid(a) {
		t.Fatal("a new unknown-type token should expire only the older unknown one")
	}
	// Logout expires every token of the account.
	if r := do(t, s, "POST", "/api/v1/auth/logout/", "Token "+a, "", ""); r.status != 200 {
		t.Fatalf("logout %d", r.status)
	}
	if valid(b) || valid(u2) {
		t.Fatal("logout left tokens valid")
	}
	if r := do(t, s, "POST", "/api/v1/auth/logout/", "", "", ""); r.status != 200 || !bytes.Contains(r.body, []byte("Successfully logged out.")) {
		t.Fatalf("anonymous logout %d %s", r.status, r.body)
	}
}

func TestLockout(t *testing.T) {
	t.Parallel()
	s := start(t, qfctest.WithLockout(2))
	for range 2 {
		do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"username":"ben","password":"x"}`)
	}
	if r := do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"username":"Ben","password":"ben"}`); r.code(t) != "too_many_failed_login_attempts" {
		t.Fatalf("%s", r.body)
	}
	if r := do(t, s, "POST", "/api/v1/auth/token/", "", jsonCT, `{"username":"ana","password":"ana"}`); r.status != 200 {
		t.Fatal("lock-out leaked to another user")
	}
}

func TestFormAndMultipartBodies(t *testing.T) {
	t.Parallel()
	s := start(t)
	a := tok(s, "demo")
	// The official CLI's form body, with its Python booleans.
	r := do(t, s, "POST", "/api/v1/members/fieldops/", a, formCT, "member=keiko&role=admin&is_public=False")
	if r.status != 201 || r.header.Get("Location") != "" {
		t.Fatalf("form add: %d %s", r.status, r.body)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("member", "liam")
	mw.WriteField("is_public", "true")
	mw.Close()
	r = do(t, s, "POST", "/api/v1/members/fieldops/", a, mw.FormDataContentType(), buf.String())
	if r.status != 201 {
		t.Fatalf("multipart add: %d %s", r.status, r.body)
	}
	ms := s.Members("fieldops")
	if k := ms[len(ms)-2]; k.User != "keiko" || k.Role != "admin" || k.Public {
		t.Fatalf("keiko %+v", k)
	}
	if l := ms[len(ms)-1]; l.User != "liam" || l.Role != "member" || !l.Public {
		t.Fatalf("liam %+v", l)
	}
	// A form PUT without is_public clears it; a JSON one leaves it.
	do(t, s, "PUT", "/api/v1/members/fieldops/liam/", a, jsonCT, `{"role":"creator"}`)
	if m := s.Members("fieldops")[len(ms)-1]; m.Role != "creator" || !m.Public {
		t.Fatalf("JSON PUT: %+v", m)
	}
	do(t, s, "PUT", "/api/v1/members/fieldops/liam/", a, formCT, "role=member")
	if m := s.Members("fieldops")[len(ms)-1]; m.Role != "member" || m.Public {
		t.Fatalf("form PUT: %+v", m)
	}
	if r := do(t, s, "POST", "/api/v1/members/fieldops/", a, "text/plain", "member=x"); r.status != 415 || r.code(t) != "api_error" {
		t.Fatalf("text body: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/api/v1/members/fieldops/", a, jsonCT, `{"member":`); r.status != 400 || r.code(t) != "api_error" {
		t.Fatalf("bad JSON: %d %s", r.status, r.body)
	}
}

func TestMemberAddOrder(t *testing.T) {
	t.Parallel()
	s := start(t)
	s.AddUser(qfctest.User{Username: "xavier", Email: "x@example.org"})
	a := tok(s, "demo")
	cases := []struct {
		body   string
		status int
		code   string
	}{
		{`{"member":"keiko","role":"owner"}`, 400, "api_error"},
		{`{"member":"keiko","is_public":"maybe"}`, 400, "api_error"},
		{`{"role":"member"}`, 500, "unknown_error"},
		{`{"member":"Keiko"}`, 404, "object_not_found"},
		{`{"member":"keiko@example.com"}`, 404, "object_not_found"},
		{`{"member":"demo"}`, 400, "validation_error"},
		{`{"member":"city-parks"}`, 400, "validation_error"},
		{`{"member":"@fieldops/surveyors"}`, 400, "validation_error"},
		{`{"member":"elena"}`, 400, "validation_error"},
	}
	for _, tc := range cases {
		r := do(t, s, "POST", "/api/v1/members/fieldops/", a, jsonCT, tc.body)
		if r.status != tc.status || r.code(t) != tc.code {
			t.Errorf("%s: %d %s", tc.body, r.status, r.body)
		}
	}
	// At the limit, even a duplicate gets the limit error (checked first).
	c := tok(s, "chloe")
	if r := do(t, s, "POST", "/api/v1/members/wetland-watch/", c, jsonCT, `{"member":"felix"}`); r.status != 403 || r.code(t) != "organization_has_max_number_of_members" {
		t.Fatalf("limit dup: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/api/v1/members/wetland-watch/", c, jsonCT, `{"member":"chloe"}`); r.code(t) != "validation_error" {
		t.Fatalf("owner before limit: %s", r.body)
	}
	// The body's organization overrides the URL (a server quirk).
	r := do(t, s, "POST", "/api/v1/members/fieldops/", a, jsonCT, `{"member":"xavier","organization":"geo-survey"}`)
	if r.status != 201 || !slices.ContainsFunc(s.Members("geo-survey"), func(m qfctest.Member) bool { return m.User == "xavier" }) {
		t.Fatalf("override: %d %s", r.status, r.body)
	}
}

func TestDebugBodies(t *testing.T) {
	t.Parallel()
	plain, debug := start(t), start(t, qfctest.WithDebug())
	for _, s := range []*qfctest.Server{plain, debug} {
		r := do(t, s, "POST", "/api/v1/members/fieldops/", tok(s, "demo"), jsonCT, `{"member":"elena"}`)
		m := r.json(t).(map[string]any)
		_, has := m["debug"]
		if has != (s == debug) || m["message"] == "" || m["code"] != "validation_error" {
			t.Fatalf("body %s", r.body)
		}
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	s := start(t)
	a := tok(s, "demo")
	host := strings.TrimSuffix(s.URL(), "/api/v1/")
	r := do(t, s, "GET", "/api/v1/members/fieldops/?offset=5&limit=5", a, "", "")
	rows := r.json(t).([]any)
	if len(rows) != 5 || r.header.Get("X-Total-Count") != "12" ||
		r.header.Get("X-Next-Page") != host+"/api/v1/members/fieldops/?limit=5&offset=10" ||
		r.header.Get("X-Previous-Page") != host+"/api/v1/members/fieldops/?limit=5" {
		t.Fatalf("page: %d rows, %v", len(rows), r.header)
	}
	if rows[0].(map[string]any)["member"] != "jonas" {
		t.Fatalf("insertion order: %v", rows[0])
	}
	r = do(t, s, "GET", "/api/v1/users/?q=a&offset=4&limit=2&exclude_teams=1", a, "", "")
	if r.header.Get("X-Next-Page") != host+"/api/v1/users/?exclude_teams=1&limit=2&offset=6&q=a" ||
		r.header.Get("X-Previous-Page") != host+"/api/v1/users/?exclude_teams=1&limit=2&offset=2&q=a" {
		t.Fatalf("sorted link keys: %v", r.header)
	}
	for _, q := range []string{"", "?limit=0", "?limit=-1", "?limit=abc&offset=3"} {
		r := do(t, s, "GET", "/api/v1/members/fieldops/"+q, a, "", "")
		if n := len(r.json(t).([]any)); n != 12 || r.header.Get("X-Total-Count") != "" {
			t.Errorf("%q: %d rows, headers %v", q, n, r.header)
		}
	}
	r = do(t, s, "GET", "/api/v1/members/fieldops/?limit=5&offset=-2", a, "", "")
	if n := len(r.json(t).([]any)); n != 5 || r.header.Get("X-Previous-Page") != "" {
		t.Fatalf("negative offset: %d %v", n, r.header)
	}
	r = do(t, s, "GET", "/api/v1/members/fieldops/?limit=5&offset=50", a, "", "")
	if string(bytes.TrimSpace(r.body)) != "[]" || r.header.Get("X-Total-Count") != "12" || r.header.Get("X-Next-Page") != "" {
		t.Fatalf("past the end: %s %v", r.body, r.header)
	}
	r = do(t, s, "GET", "/api/v1/members/city-parks/?limit=20", a, "", "")
	if r.header.Get("X-Total-Count") != "9" || r.header.Get("X-Next-Page") != "" || r.header.Get("X-Previous-Page") != "" {
		t.Fatalf("single page: %v", r.header)
	}
	// Teams and organizations never paginate.
	for _, p := range []string{"/api/v1/organizations/fieldops/teams/?limit=1", "/api/v1/users/demo/organizations/?limit=1", "/api/v1/organizations/fieldops/teams/surveyors/members/?limit=1"} {
		r := do(t, s, "GET", p, a, "", "")
		if n := len(r.json(t).([]any)); n < 3 || r.header.Get("X-Total-Count") != "" {
			t.Errorf("%s: %d rows %v", p, n, r.header)
		}
	}
}

func TestUserFilters(t *testing.T) {
	t.Parallel()
	s := start(t)
	a := tok(s, "demo")
	names := func(r resp) []string {
		var out []string
		for _, x := range r.json(t).([]any) {
			out = append(out, x.(map[string]any)["username"].(string))
		}
		return out
	}
	for _, q := range []string{"exclude_teams=true", "exclude_organizations=yes", "invert=x", "organization=fieldops&project=3fa85f64-5717-4562-b3fc-2c963f66afa6"} {
		if r := do(t, s, "GET", "/api/v1/users/?"+q, a, "", ""); r.status != 500 || r.code(t) != "unknown_error" {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
	if r := do(t, s, "GET", "/api/v1/users/?project=nope", a, "", ""); r.status != 400 || r.code(t) != "validation_error" {
		t.Errorf("bad project: %d", r.status)
	}
	if r := do(t, s, "GET", "/api/v1/users/?organization=demo", a, "", ""); r.status != 404 || r.code(t) != "object_not_found" {
		t.Errorf("person as org: %d", r.status)
	}
	all := names(do(t, s, "GET", "/api/v1/users/", a, "", ""))
	for _, want := range []string{"former", "fieldops", "@fieldops/surveyors", "@wetland-watch/birds"} {
		if !slices.Contains(all, want) {
			t.Errorf("users/ lacks %s", want)
		}
	}
	out := names(do(t, s, "GET", "/api/v1/users/?organization=fieldops", a, "", ""))
	if slices.Contains(out, "fieldops") || slices.Contains(out, "demo") || slices.Contains(out, "elena") ||
		!slices.Contains(out, "@fieldops/surveyors") || slices.Contains(out, "@geo-survey/north") || !slices.Contains(out, "keiko") {
		t.Errorf("organization filter: %v", out)
	}
	in := names(do(t, s, "GET", "/api/v1/users/?organization=fieldops&invert=1", a, "", ""))
	if len(in) != 14 || !slices.Contains(in, "fieldops") || !slices.Contains(in, "demo") || slices.Contains(in, "@fieldops/surveyors") {
		t.Errorf("inverted: %v", in)
	}
	p := names(do(t, s, "GET", "/api/v1/users/?q=SURVEYORS&exclude_organizations=1&exclude_teams=0", a, "", ""))
	if !slices.Equal(p, []string{"@fieldops/surveyors"}) {
		t.Errorf("case-insensitive q: %v", p)
	}
	// The team id is internal; the fake's Teams exposes it.
	id := s.Teams("fieldops")[0].ID
	ex := names(do(t, s, "GET", "/api/v1/users/?exclude_members_of_team="+itoa(id), a, "", ""))
	if slices.Contains(ex, "ines") || !slices.Contains(ex, "lucas") {
		t.Errorf("exclude_members_of_team: %v", ex)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestPermissions(t *testing.T) {
	t.Parallel()
	s := start(t)
	type c struct {
		user, method, path, body string
		status                   int
	}
	cases := []c{
		{"keiko", "GET", "/api/v1/users/fieldops/", "", 404},
		{"elena", "GET", "/api/v1/users/fieldops/", "", 200},
		{"keiko", "GET", "/api/v1/users/nope/", "", 403},
		{"keiko", "GET", "/api/v1/users/demo/organizations/", "", 403},
		{"keiko", "GET", "/api/v1/members/fieldops/", "", 200},
		{"keiko", "GET", "/api/v1/members/fieldops/elena/", "", 200},
		{"keiko", "GET", "/api/v1/members/demo/", "", 403},
		{"keiko", "GET", "/api/v1/organizations/fieldops/teams/surveyors/", "", 200},
		{"keiko", "GET", "/api/v1/organizations/nope/teams/", "", 403},
		{"grace", "POST", "/api/v1/members/fieldops/", `{"member":"keiko"}`, 403},
		{"grace", "DELETE", "/api/v1/members/fieldops/grace/", "", 403},
		{"elena", "DELETE", "/api/v1/members/fieldops/demo/", "", 404},
		{"grace", "PATCH", "/api/v1/members/fieldops/demo/", `{"role":"member"}`, 403},
		{"demo", "PATCH", "/api/v1/organizations/fieldops/teams/surveyors/", `{"team":"x"}`, 403},
		{"demo", "POST", "/api/v1/organizations/fieldops/teams/", `{"team":"surveyors"}`, 500},
		{"demo", "POST", "/api/v1/organizations/fieldops/teams/", `{"team":"SURVEYORS"}`, 500},
		{"demo", "POST", "/api/v1/organizations/fieldops/teams/", `{"team":"  "}`, 400},
		{"demo", "PUT", "/api/v1/organizations/fieldops/teams/surveyors/", `{"team":"surveyors"}`, 400},
		{"demo", "PUT", "/api/v1/organizations/fieldops/teams/surveyors/", `{}`, 400},
		{"demo", "GET", "/api/v1/organizations/fieldops/teams/nope/members/", "", 403},
		{"demo", "GET", "/api/v1/organizations/fieldops/teams/surveyors/members/ines/", "", 405},
		{"demo", "PUT", "/api/v1/organizations/fieldops/teams/surveyors/members/ines/", "{}", 405},
		{"grace", "PUT", "/api/v1/organizations/fieldops/teams/surveyors/members/ines/", "{}", 403},
		{"demo", "POST", "/api/v1/organizations/fieldops/teams/surveyors/members/", `{"member":" "}`, 400},
		{"keiko", "POST", "/api/v1/users/", `{"username":"x"}`, 403},
		{"keiko", "PATCH", "/api/v1/users/demo/", `{"first_name":"x"}`, 403},
		{"keiko", "PATCH", "/api/v1/users/keiko/", `{"username":"keiko2"}`, 403},
		{"keiko", "PATCH", "/api/v1/users/keiko/", `{"first_name":"K"}`, 200},
		{"demo", "PATCH", "/api/v1/users/fieldops/", `{"email":"ops@example.org"}`, 200},
		{"grace", "PATCH", "/api/v1/users/fieldops/", `{"email":"x@example.org"}`, 403},
	}
	for _, tc := range cases {
		r := do(t, s, tc.method, tc.path, tok(s, tc.user), jsonCT, tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s %s as %s: %d %s", tc.method, tc.path, tc.body, tc.user, r.status, r.body)
		}
	}
}

func TestOrganizationShape(t *testing.T) {
	t.Parallel()
	s := start(t)
	r := do(t, s, "GET", "/api/v1/users/fieldops/", tok(s, "grace"), "", "")
	m := r.json(t).(map[string]any)
	if m["type"] != 2.0 || m["organization_owner"] != "demo" || m["membership_role"] != "creator" ||
		m["membership_role_origin"] != "organization_member" || m["membership_is_public"] != true {
		t.Fatalf("org %v", m)
	}
	members := m["members"].([]any)
	if len(members) != 5 || slices.Contains(members, any("demo")) || slices.Contains(members, any("farid")) {
		t.Fatalf("public members %v", members)
	}
	r = do(t, s, "GET", "/api/v1/users/fieldops/", tok(s, "demo"), "", "")
	if m := r.json(t).(map[string]any); m["membership_role"] != "admin" || m["membership_role_origin"] != "organization_owner" {
		t.Fatalf("owner view %v", m)
	}
}

func TestTeamMemberQuirks(t *testing.T) {
	t.Parallel()
	s := start(t)
	// mix's e-mail is ben's username: an ambiguous value crashes.
	s.AddUser(qfctest.User{Username: "mix", Email: "ben"})
	a := tok(s, "ben")
	if r := do(t, s, "POST", "/api/v1/organizations/city-parks/teams/arborists/members/", a, jsonCT, `{"member":"ben"}`); r.status != 500 {
		t.Fatalf("ambiguous: %d %s", r.status, r.body)
	}
	// The one-team check spans organizations: pablo is in no team, joins
	// one in city-parks, and then cannot join any in fieldops.
	if r := do(t, s, "POST", "/api/v1/organizations/city-parks/teams/arborists/members/", a, jsonCT, `{"member":"pablo"}`); r.status != 201 {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/api/v1/organizations/fieldops/teams/botanists/members/", tok(s, "demo"), jsonCT, `{"member":"pablo"}`); r.status != 400 || r.code(t) != "api_error" {
		t.Fatalf("second team: %d %s", r.status, r.body)
	}
	r := do(t, s, "DELETE", "/api/v1/organizations/city-parks/teams/arborists/members/pablo/", a, "", "")
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/api/v1/organizations/city-parks/teams/arborists/members/pablo/", a, "", ""); r.status != 404 {
		t.Fatalf("delete again: %d", r.status)
	}
	// A team name stored with a slash can never be addressed again.
	if r := do(t, s, "POST", "/api/v1/organizations/city-parks/teams/", a, jsonCT, `{"team":"a/b"}`); r.status != 201 {
		t.Fatalf("slash team: %d", r.status)
	}
	// Escaped or not, the server routes the decoded path: an HTML 404.
	if r := do(t, s, "GET", "/api/v1/organizations/city-parks/teams/a%2Fb/", a, "", ""); r.status != 404 {
		t.Fatalf("escaped slash team: %d", r.status)
	}
}

func TestShuffle(t *testing.T) {
	t.Parallel()
	s := start(t, qfctest.WithShuffle())
	a := tok(s, "demo")
	list := func() []string {
		var out []string
		for _, x := range do(t, s, "GET", "/api/v1/members/fieldops/", a, "", "").json(t).([]any) {
			out = append(out, x.(map[string]any)["member"].(string))
		}
		return out
	}
	first := list()
	if !slices.Equal(first, list()) {
		t.Fatal("order changed without a write")
	}
	insertion := []string{"elena", "farid", "grace", "hiro", "ines", "jonas", "kavya", "lucas", "maria", "nils", "olga", "pablo"}
	changed := !slices.Equal(first, insertion)
	for i := 0; i < 5 && !changed; i++ {
		do(t, s, "PATCH", "/api/v1/members/fieldops/ines/", a, jsonCT, `{"is_public":true}`)
		changed = !slices.Equal(list(), insertion)
	}
	if !changed {
		t.Fatal("shuffle never changed the order")
	}
	sorted := slices.Clone(first)
	slices.Sort(sorted)
	if !slices.Equal(sorted, insertion) {
		t.Fatalf("shuffle lost rows: %v", first)
	}
}

// TestSeedGenerated checks what a generated seed holds; how fast it is
// made is measured in scripts/bench.sh, not asserted here.
func TestSeedGenerated(t *testing.T) {
	t.Parallel()
	s := qfctest.New(qfctest.WithoutSocket())
	defer s.Close()
	s.SeedGenerated("big", 100000)
	ms := s.Members("big")
	if len(ms) != 100000 || ms[0].User != "big-m000001" {
		t.Fatalf("%d members, first %+v", len(ms), ms[0])
	}
}

func TestInMemoryMatchesSocket(t *testing.T) {
	t.Parallel()
	s := qfctest.New(qfctest.WithoutSocket())
	defer s.Close()
	s.SeedDemo()
	if s.URL() != qfctest.InMemoryURL {
		t.Fatal(s.URL())
	}
	req, _ := http.NewRequest("GET", s.URL()+"members/fieldops/?limit=3", nil)
	req.Header.Set("Authorization", "Token "+s.Token("demo"))
	res, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("X-Next-Page") != "http://127.0.0.1:9/api/v1/members/fieldops/?limit=3&offset=3" {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	if len(s.Kit().Requests()) != 1 {
		t.Fatal("kit did not log the request")
	}
}
