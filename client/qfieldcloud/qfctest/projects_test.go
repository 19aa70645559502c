package qfctest_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

func rowRole(s *qfctest.Server, owner, name, user string) (string, bool) {
	p, _ := s.ProjectByName(owner, name)
	for _, c := range p.Collaborators {
		if c.User == user {
			return c.Role, true
		}
	}
	return "", false
}

// The wire behaviour of projects/ and collaborators/ (api §9.13), request
// by request, including the answers roster must never provoke.
func TestProjectRoutes(t *testing.T) {
	t.Parallel()
	s := start(t)
	demo := tok(s, "demo")
	trees := s.ProjectID("fieldops", "trees")
	wetland := s.ProjectID("fieldops", "wetland-survey")
	cases := []struct {
		name, method, path, auth, ctype, body string
		status                                int
		code                                  string // "" = any; "html" = an HTML page
		contains                              string
	}{
		{"projects need auth", "GET", "/api/v1/projects/", "", "", "", 401, "not_authenticated", ""},
		{"include_public other than 0/1", "GET", "/api/v1/projects/?include_public=true", demo, "", "", 400, "api_error", ""},
		{"include-public=true excludes", "GET", "/api/v1/projects/?include-public=true&owner=wetland-watch", demo, "", "", 200, "", "[]"},
		{"include-public=1 includes", "GET", "/api/v1/projects/?include-public=1&owner=wetland-watch", demo, "", "", 200, "", "bird-count"},
		{"owner filter ignores case", "GET", "/api/v1/projects/?owner=FIELDOPS&name=TREES", demo, "", "", 200, "", `"name":"Trees"`},
		{"search on owner or name", "GET", "/api/v1/projects/?search=geo,coast", demo, "", "", 200, "", "coastline"},
		{"public list", "GET", "/api/v1/projects/public/", demo, "", "", 200, "", "bird-count"},
		{"project: not a UUID", "GET", "/api/v1/projects/trees/", demo, "", "", 400, "validation_error", ""},
		{"project: upper-case UUID works", "GET", "/api/v1/projects/" + strings.ToUpper(trees) + "/", demo, "", "", 200, "", `"user_role":"admin"`},
		{"project: unknown", "GET", "/api/v1/projects/00000000-0000-4000-8000-000000000000/", demo, "", "", 404, "object_not_found", ""},
		{"project: no role", "GET", "/api/v1/projects/" + trees + "/", tok(s, "ben"), "", "", 403, "permission_denied", ""},
		{"collaborators: upper-case UUID is an HTML 404", "GET", "/api/v1/collaborators/" + strings.ToUpper(trees) + "/", demo, "", "", 404, "html", ""},
		{"collaborators: team path is an HTML 404", "GET", "/api/v1/collaborators/" + trees + "/@fieldops/surveyors/", demo, "", "", 404, "html", ""},
		{"collaborators: %2F is decoded before routing", "DELETE", "/api/v1/collaborators/" + s.ProjectID("fieldops", "tree-inventory") + "/%40fieldops%2Fsurveyors/", demo, "", "", 404, "html", ""},
		{"collaborators: reader gets 403", "GET", "/api/v1/collaborators/" + trees + "/", tok(s, "jonas"), "", "", 403, "permission_denied", ""},
		{"collaborators: paginated with limit", "GET", "/api/v1/collaborators/" + wetland + "/?limit=1", demo, "", "", 200, "", `"collaborator":"grace"`},
		{"post: unknown user is api_error", "POST", "/api/v1/collaborators/" + trees + "/", demo, jsonCT, `{"collaborator":"nobody"}`, 400, "api_error", ""},
		{"post: missing collaborator is api_error", "POST", "/api/v1/collaborators/" + trees + "/", demo, jsonCT, `{"role":"reader"}`, 400, "api_error", ""},
		{"post: wrongly cased role is api_error", "POST", "/api/v1/collaborators/" + trees + "/", demo, jsonCT, `{"collaborator":"maria","role":"Reader"}`, 400, "api_error", ""},
		{"post: non-member is validation_error", "POST", "/api/v1/collaborators/" + trees + "/", demo, jsonCT, `{"collaborator":"ben"}`, 400, "validation_error", ""},
		{"post: duplicate is validation_error", "POST", "/api/v1/collaborators/" + trees + "/", demo, formCT, `collaborator=jonas&role=editor`, 400, "validation_error", ""},
		{"post: the org's owner may be a row", "POST", "/api/v1/collaborators/" + s.ProjectID("geo-survey", "coastline") + "/", demo, jsonCT, `{"collaborator":"ana"}`, 201, "", `"role":"reader"`},
		{"detail: POST is 403", "POST", "/api/v1/collaborators/" + trees + "/jonas/", demo, jsonCT, `{}`, 403, "permission_denied", ""},
		{"list: PUT is 403", "PUT", "/api/v1/collaborators/" + trees + "/", demo, jsonCT, `{}`, 403, "permission_denied", ""},
		{"detail: unknown account is 404 before the body", "PATCH", "/api/v1/collaborators/" + trees + "/nobody/", demo, jsonCT, `{"role":"nonsense"}`, 404, "object_not_found", ""},
		{"detail: PUT needs collaborator", "PUT", "/api/v1/collaborators/" + trees + "/jonas/", demo, jsonCT, `{"role":"reader"}`, 400, "api_error", ""},
		{"detail: GET", "GET", "/api/v1/collaborators/" + trees + "/jonas/", demo, "", "", 200, "", `"role":"editor"`},
	}
	for _, c := range cases {
		r := do(t, s, c.method, c.path, c.auth, c.ctype, c.body)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		switch c.code {
		case "":
		case "html":
			if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: want an HTML page, got %s", c.name, r.header.Get("Content-Type"))
			}
		default:
			if got := r.code(t); got != c.code {
				t.Errorf("%s: code %q, want %q", c.name, got, c.code)
			}
		}
		if c.contains != "" && !strings.Contains(string(r.body), c.contains) {
			t.Errorf("%s: body lacks %s: %s", c.name, c.contains, r.body)
		}
	}
}

func TestCollaboratorListPaging(t *testing.T) {
	t.Parallel()
	s := start(t)
	id := s.ProjectID("fieldops", "tree-inventory")
	r := do(t, s, "GET", "/api/v1/collaborators/"+id+"/?limit=2&offset=2", tok(s, "demo"), "", "")
	if r.header.Get("X-Total-Count") != "5" || r.header.Get("X-Next-Page") == "" || r.header.Get("X-Previous-Page") == "" {
		t.Fatalf("headers %v", r.header)
	}
	if rows := r.json(t).([]any); len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	whole := do(t, s, "GET", "/api/v1/collaborators/"+id+"/", tok(s, "demo"), "", "")
	if whole.header.Get("X-Total-Count") != "" || len(whole.json(t).([]any)) != 5 {
		t.Fatalf("without limit: %v %s", whole.header, whole.body)
	}
	row := whole.json(t).([]any)[0].(map[string]any)
	if len(row) != 7 {
		t.Errorf("a row has %d fields, want the 7 of api §9.5: %v", len(row), row)
	}
}

// The permission check reads "projectid" from the body before the URL,
// while the write goes to the URL's project (api §9.11): sam manages
// coastline and has no role on drone-flights, yet naming coastline in the
// body lets him change a drone-flights row.
func TestProjectIDTrap(t *testing.T) {
	t.Parallel()
	s := start(t)
	sam := tok(s, "sam")
	coastline := s.ProjectID("geo-survey", "coastline")
	drones := s.ProjectID("geo-survey", "drone-flights")
	r := do(t, s, "PATCH", "/api/v1/collaborators/"+drones+"/elena/", sam, jsonCT, `{"role":"admin"}`)
	if r.status != 403 {
		t.Fatalf("without projectid: %d %s", r.status, r.body)
	}
	r = do(t, s, "PATCH", "/api/v1/collaborators/"+drones+"/elena/", sam, jsonCT, `{"role":"admin","projectid":"`+coastline+`"}`)
	if r.status != 200 {
		t.Fatalf("with projectid: %d %s", r.status, r.body)
	}
	if role, _ := rowRole(s, "geo-survey", "drone-flights", "elena"); role != "admin" {
		t.Fatalf("the write did not go to the URL's project: %q", role)
	}
	if role, ok := rowRole(s, "geo-survey", "coastline", "elena"); ok {
		t.Fatalf("the write went to the body's project: %q", role)
	}
}

func TestCollaboratorRowMoves(t *testing.T) {
	t.Parallel()
	s := start(t)
	id := s.ProjectID("fieldops", "trees")
	r := do(t, s, "PATCH", "/api/v1/collaborators/"+id+"/jonas/", tok(s, "demo"), formCT, url.Values{"collaborator": {"maria"}}.Encode())
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if _, ok := rowRole(s, "fieldops", "trees", "jonas"); ok {
		t.Error("jonas still has the row")
	}
	if role, _ := rowRole(s, "fieldops", "trees", "maria"); role != "editor" {
		t.Errorf("maria: %q", role)
	}
	r = do(t, s, "DELETE", "/api/v1/collaborators/"+id+"/maria/", tok(s, "demo"), "", "")
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
}

func TestEffectiveRoles(t *testing.T) {
	t.Parallel()
	s := start(t)
	cases := []struct{ project, user, role, origin string }{
		{"fieldops/trees", "demo", "admin", "organization_owner"},
		{"fieldops/trees", "elena", "admin", "organization_admin"},
		{"demo/notes", "demo", "admin", "project_owner"},
		{"fieldops/tree-inventory", "kavya", "reader", "collaborator"}, // a direct row beats her team's editor row
		{"fieldops/tree-inventory", "ines", "editor", "team_member"},
		{"fieldops/wetland-survey", "grace", "admin", "collaborator"}, // the creator's row
		{"city-parks/playgrounds", "demo", "reader", "organization_member"},
		{"wetland-watch/bird-count", "demo", "reader", "public"},
		{"fieldops/trees", "ben", "", ""},
		{"fieldops/relevé-2019", "hiro", "reader", "collaborator"}, // incognito rows count
	}
	for _, c := range cases {
		o, n, _ := strings.Cut(c.project, "/")
		role, origin := s.EffectiveRole(s.ProjectID(o, n), c.user)
		if role != c.role || origin != c.origin {
			t.Errorf("%s on %s: %s/%s, want %s/%s", c.user, c.project, role, origin, c.role, c.origin)
		}
	}
}

// users/?project= drops the owner, the collaborators and other
// organizations' teams; invert=1 keeps only the owner and collaborators
// (api §4.1): the people one could still add, or those already in.
func TestUsersProjectFilter(t *testing.T) {
	t.Parallel()
	s := start(t)
	id := s.ProjectID("fieldops", "wetland-survey")
	names := func(query string) []string {
		r := do(t, s, "GET", "/api/v1/users/?"+query, tok(s, "ben"), "", "")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.body)
		}
		var out []string
		for _, x := range r.json(t).([]any) {
			out = append(out, x.(map[string]any)["username"].(string))
		}
		return out
	}
	has := func(list []string, x string) bool { return slices.Contains(list, x) }
	in := names("project=" + id + "&invert=1")
	if strings.Join(in, ",") != "@fieldops/hydrology,fieldops,grace,ines,pablo" {
		t.Errorf("invert=1: %v", in)
	}
	out := names("project=" + strings.ToUpper(id))
	for _, x := range []string{"fieldops", "grace", "ines", "@fieldops/hydrology", "@geo-survey/north"} {
		if has(out, x) {
			t.Errorf("%s is listed without invert", x)
		}
	}
	for _, x := range []string{"maria", "@fieldops/botanists", "ben"} {
		if !has(out, x) {
			t.Errorf("%s is missing without invert", x)
		}
	}
	if all := names("project=00000000-0000-4000-8000-000000000000"); !has(all, "grace") || !has(all, "@geo-survey/north") {
		t.Error("an unknown project id should be ignored")
	}
}
