package qfieldcloud_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// prow is one contract case for projects and collaborators. The call gets
// the fake too, to find project ids.
type prow struct {
	name     string
	as       string
	setup    func(s *qfctest.Server)
	call     func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error
	kind     error  // nil: success
	msg      string // substring of the error
	noWrite  bool   // the fake's state must not change
	requests int    // exact number of requests sent (-1: any)
	check    func(t *testing.T, s *qfctest.Server)
}

func runProjects(t *testing.T, rows []prow) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			s := world(t)
			if r.setup != nil {
				r.setup(s)
				s.Kit().ResetRequests()
			}
			user := r.as
			if user == "" {
				user = "demo"
			}
			c := as(t, s, user)
			before := projectSnapshot(s)
			err := r.call(context.Background(), c, s)
			switch {
			case r.kind == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case r.kind != nil && !errors.Is(err, r.kind):
				t.Fatalf("error %v, want kind %v", err, r.kind)
			case r.msg != "" && (err == nil || !strings.Contains(err.Error(), r.msg)):
				t.Fatalf("error %v, want it to contain %q", err, r.msg)
			}
			if r.noWrite {
				if after := projectSnapshot(s); after != before {
					t.Fatalf("state changed:\n%s\n---\n%s", before, after)
				}
			}
			reqs := s.Kit().Requests()
			if r.requests >= 0 && len(reqs) != r.requests {
				t.Errorf("%d requests, want %d: %v", len(reqs), r.requests, paths(reqs))
			}
			noTrapFields(t, reqs)
			if r.check != nil {
				r.check(t, s)
			}
		})
	}
}

// noTrapFields fails if roster ever sends "projectid" or "owner" in a body
// (the server checks permissions on a body projectid, then writes to the
// URL's project), or anything but "role" in a PATCH (a "collaborator"
// field moves the row to another account).
func noTrapFields(t *testing.T, reqs []fakehttp.Request) {
	t.Helper()
	for _, q := range reqs {
		if len(q.Body) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(q.Body, &m); err != nil {
			t.Errorf("%s %s: body is not a JSON object: %s", q.Method, q.Path, q.Body)
			continue
		}
		for _, k := range []string{"projectid", "project_id", "owner", "project"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s %s sends %q in its body: %s", q.Method, q.Path, k, q.Body)
			}
		}
		if q.Method == http.MethodPatch && strings.HasPrefix(q.Path, "/api/v1/collaborators/") && (len(m) != 1 || m["role"] == nil) {
			t.Errorf("PATCH %s must send only role: %s", q.Path, q.Body)
		}
	}
}

func paths(reqs []fakehttp.Request) []string {
	var out []string
	for _, q := range reqs {
		p := q.Method + " " + q.Path
		if q.RawQuery != "" {
			p += "?" + q.RawQuery
		}
		out = append(out, p)
	}
	return out
}

// projectSnapshot renders every project's rows, and memberships and teams.
func projectSnapshot(s *qfctest.Server) string {
	var b strings.Builder
	b.WriteString(snapshot(s))
	for _, p := range s.Projects() {
		fmt.Fprintf(&b, "%s/%s:", p.Owner, p.Name)
		for _, c := range p.Collaborators {
			fmt.Fprintf(&b, " %s=%s", c.User, c.Role)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func rowsOf(t *testing.T, s *qfctest.Server, owner, name string) map[string]qfctest.Collaborator {
	t.Helper()
	p, ok := s.ProjectByName(owner, name)
	if !ok {
		t.Fatalf("no project %s/%s", owner, name)
	}
	m := map[string]qfctest.Collaborator{}
	for _, c := range p.Collaborators {
		m[c.User] = c
	}
	return m
}

func fullNames(ps []client.Project) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.FullName())
	}
	return out
}

func want(cond bool, format string, args ...any) error {
	if cond {
		return nil
	}
	return fmt.Errorf("check failed: "+format, args...)
}

func TestProjectsContract(t *testing.T) {
	t.Parallel()
	id := func(s *qfctest.Server, full string) string {
		o, n, _ := strings.Cut(full, "/")
		return s.ProjectID(o, n)
	}
	runProjects(t, []prow{
		{name: "list: own roles only, featured first, then owner and name", requests: 1, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{})
				if err != nil {
					return err
				}
				got := fullNames(ps)
				return want(slices.Equal(got, []string{"fieldops/tree-inventory", "city-parks/park-benches", "city-parks/playgrounds",
					"demo/notes", "fieldops/Trees", "fieldops/open-data", "fieldops/relevé-2019", "fieldops/trees",
					"fieldops/wetland-survey", "geo-survey/coastline", "geo-survey/drone-flights", "ines/field-notes"}), "%v", got)
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.Path != "/api/v1/projects/" || q.RawQuery != "" {
					t.Errorf("request %s?%s: want the whole list without limit", q.Path, q.RawQuery)
				}
			}},
		{name: "list: roles and origins of the caller", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{})
				if err != nil {
					return err
				}
				got := map[string]string{}
				for _, p := range ps {
					got[p.FullName()] = p.UserRole + "/" + string(p.UserRoleOrigin)
				}
				return want(got["fieldops/trees"] == "admin/organization_owner" && got["geo-survey/coastline"] == "admin/organization_admin" &&
					got["city-parks/park-benches"] == "editor/collaborator" && got["city-parks/playgrounds"] == "reader/organization_member" &&
					got["demo/notes"] == "admin/project_owner" && got["ines/field-notes"] == "manager/collaborator", "%v", got)
			}},
		{name: "list: public projects only with IncludePublic", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{IncludePublic: true})
				if err != nil {
					return err
				}
				got := map[string]client.Project{}
				for _, p := range ps {
					got[p.FullName()] = p
				}
				p, ok := got["wetland-watch/bird-count"]
				return want(ok && !p.Private && p.UserRole == "reader" && p.UserRoleOrigin == client.OriginPublic && len(ps) == 13, "%v", fullNames(ps))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.RawQuery != "include_public=1" {
					t.Errorf("query %q", q.RawQuery)
				}
			}},
		{name: "list: owner filter kept exact (the server ignores case)", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{Owner: "FieldOps"})
				return errors.Join(err, want(len(ps) == 0, "%v", fullNames(ps)))
			}},
		{name: "list: owner", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{Owner: "fieldops"})
				return errors.Join(err, want(len(ps) == 6, "%v", fullNames(ps)))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.RawQuery != "owner=fieldops" {
					t.Errorf("query %q", q.RawQuery)
				}
			}},
		{name: "list: fields of a project", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				ps, err := c.Projects(ctx, client.ProjectQuery{Owner: "fieldops", Name: "tree-inventory"})
				if err != nil || len(ps) != 1 {
					return errors.Join(err, fmt.Errorf("%v", fullNames(ps)))
				}
				p := ps[0]
				return want(p.ID == id(s, "fieldops/tree-inventory") && p.Private && p.Featured && p.Description == "Urban tree inventory" &&
					p.Type == "regular" && p.Status == "ok" && p.CreatedAt != nil && p.StorageBytes > 0, "%+v", p)
			}},
		{name: "resolve OWNER/NAME picks the exact case", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				lower, err := client.ResolveProject(ctx, c, "fieldops/trees")
				if err != nil {
					return err
				}
				return want(lower.Name == "trees" && lower.ID == id(s, "fieldops/trees"), "%+v", lower)
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.RawQuery != "include_public=1&name=trees&owner=fieldops" {
					t.Errorf("query %q", q.RawQuery)
				}
			}},
		{name: "resolve the other case variant", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				p, err := client.ResolveProject(ctx, c, "fieldops/Trees")
				return errors.Join(err, want(p.Name == "Trees" && p.ID == id(s, "fieldops/Trees"), "%+v", p))
			}},
		{name: "resolve a wrong case: not found, variants named", requests: 1, kind: client.ErrNotFound, msg: "fieldops/Trees, fieldops/trees",
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := client.ResolveProject(ctx, c, "fieldops/TREES")
				return err
			}},
		{name: "resolve a public project of others", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				p, err := client.ResolveProject(ctx, c, "wetland-watch/bird-count")
				return errors.Join(err, want(p.Owner == "wetland-watch", "%+v", p))
			}},
		{name: "resolve a Unicode name", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				p, err := client.ResolveProject(ctx, c, "fieldops/relevé-2019")
				return errors.Join(err, want(p.Name == "relevé-2019", "%+v", p))
			}},
		{name: "resolve by upper-case id: sent lower-case", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				p, err := client.ResolveProject(ctx, c, strings.ToUpper(id(s, "fieldops/trees")))
				return errors.Join(err, want(p.FullName() == "fieldops/trees", "%+v", p))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.Path != "/api/v1/projects/"+s.ProjectID("fieldops", "trees")+"/" {
					t.Errorf("path %s", q.Path)
				}
			}},
		{name: "resolve nonsense: refused before any request", requests: 0, kind: client.ErrBadInput, msg: "OWNER/NAME",
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := client.ResolveProject(ctx, c, "trees")
				return err
			}},
		{name: "get unknown id: 404", requests: 1, kind: client.ErrNotFound, msg: "no project",
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Project(ctx, "00000000-0000-4000-8000-000000000000")
				return err
			}},
		{name: "get without a role: 403", as: "ben", requests: 1, kind: client.ErrForbidden, msg: "no valid role",
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Project(ctx, id(s, "fieldops/tree-inventory"))
				return err
			}},
		{name: "get a non-id: refused locally", requests: 0, kind: client.ErrBadInput,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Project(ctx, "tree-inventory")
				return err
			}},
	})
}

func TestCollaboratorsContract(t *testing.T) {
	t.Parallel()
	id := func(s *qfctest.Server, full string) string {
		o, n, _ := strings.Cut(full, "/")
		return s.ProjectID(o, n)
	}
	runProjects(t, []prow{
		{name: "list: whole, one request, persons then teams sorted", requests: 1, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				rows, err := c.Collaborators(ctx, id(s, "fieldops/tree-inventory"))
				if err != nil {
					return err
				}
				var got []string
				for _, r := range rows {
					got = append(got, r.User+"="+r.Role+"/"+string(r.Type))
				}
				return want(slices.Equal(got, []string{"kavya=reader/person", "lucas=editor/person", "olga=reporter/person",
					"@fieldops/botanists=reader/team", "@fieldops/surveyors=editor/team"}), "%v", got)
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if q := s.Kit().Requests()[0]; q.RawQuery != "" || q.Path != "/api/v1/collaborators/"+s.ProjectID("fieldops", "tree-inventory")+"/" {
					t.Errorf("request %s?%s: want the whole list, no limit", q.Path, q.RawQuery)
				}
			}},
		{name: "list: the creator's automatic admin row and row fields", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				rows, err := c.Collaborators(ctx, id(s, "fieldops/wetland-survey"))
				if err != nil {
					return err
				}
				r := rows[0]
				return want(r.User == "grace" && r.Role == "admin" && r.CreatedBy == "grace" && r.ProjectID == id(s, "fieldops/wetland-survey") &&
					r.CreatedAt != nil && r.UpdatedAt != nil, "%+v", rows)
			}},
		{name: "list: incognito rows look like any other", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				rows, err := c.Collaborators(ctx, id(s, "fieldops/relevé-2019"))
				return errors.Join(err, want(len(rows) == 2 && rows[0].User == "hiro" && rows[0].Role == "reader", "%+v", rows))
			}},
		{name: "list: 2,000 rows in one request", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				rows, err := c.Collaborators(ctx, s.ProjectID("big", "crowd"))
				return errors.Join(err, want(len(rows) == 2000 && rows[0].User == "big-m000001", "%d rows", len(rows)))
			}, as: "big-owner", setup: func(s *qfctest.Server) {
				s.SeedGenerated("big", 2000)
				s.SeedCollaborators(s.CreateProject(qfctest.ProjectSpec{Owner: "big", Name: "crowd"}), "big")
			}},
		{name: "list as a reader: 403", as: "kavya", requests: 1, kind: client.ErrForbidden, msg: "admins and managers",
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Collaborators(ctx, id(s, "fieldops/tree-inventory"))
				return err
			}},
		{name: "list as an editor through a team: 403", as: "ines", requests: 1, kind: client.ErrForbidden,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Collaborators(ctx, id(s, "fieldops/tree-inventory"))
				return err
			}},
		{name: "list as a manager through a team", as: "nils", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Collaborators(ctx, id(s, "fieldops/wetland-survey"))
				return err
			}},
		{name: "list as a direct manager", as: "sam", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Collaborators(ctx, id(s, "geo-survey/coastline"))
				return err
			}},
		{name: "list of an unknown project: 404", requests: 1, kind: client.ErrNotFound,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.Collaborators(ctx, "00000000-0000-4000-8000-000000000000")
				return err
			}},
		{name: "add with role", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				r, err := c.AddCollaborator(ctx, id(s, "fieldops/wetland-survey"), client.CollaboratorSpec{User: "maria", Role: "editor"})
				return errors.Join(err, want(r.User == "maria" && r.Role == "editor" && r.CreatedBy == "demo" && r.UpdatedBy == "demo", "%+v", r))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if r := rowsOf(t, s, "fieldops", "wetland-survey")["maria"]; r.Role != "editor" || r.CreatedBy != "demo" {
					t.Errorf("maria: %+v", r)
				}
				if b := string(s.Kit().Requests()[0].Body); b != `{"collaborator":"maria","role":"editor"}` {
					t.Errorf("body %s", b)
				}
			}},
		{name: "add: default role reader", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/wetland-survey"), client.CollaboratorSpec{User: "maria"})
				return err
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if r := rowsOf(t, s, "fieldops", "wetland-survey")["maria"]; r.Role != "reader" {
					t.Errorf("maria: %+v", r)
				}
			}},
		{name: "add a team", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				r, err := c.AddCollaborator(ctx, id(s, "fieldops/wetland-survey"), client.CollaboratorSpec{User: "@fieldops/botanists", Role: "reporter"})
				return errors.Join(err, want(r.IsTeam(), "%+v", r))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if r := rowsOf(t, s, "fieldops", "wetland-survey")["@fieldops/botanists"]; r.Role != "reporter" {
					t.Errorf("team row: %+v", r)
				}
			}},
		{name: "add a team to a person's project: the API accepts it", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "demo/notes"), client.CollaboratorSpec{User: "@fieldops/hydrology"})
				return err
			}},
		{name: "add an unknown user: 400 api_error", requests: 1, kind: client.ErrInvalid, msg: "no person or team nobody", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "nobody"})
				return err
			}},
		{name: "add a wrongly cased user: 400 api_error", requests: 1, kind: client.ErrInvalid, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "Maria"})
				return err
			}},
		{name: "add an organization: 400 api_error", requests: 1, kind: client.ErrInvalid, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "geo-survey"})
				return err
			}},
		{name: "add a non-member of the owning org: validation_error explained", requests: -1, kind: client.ErrInvalid, msg: "ben is not a member of fieldops", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "ben"})
				return err
			}},
		{name: "add an existing collaborator: validation_error explained", requests: -1, kind: client.ErrInvalid, msg: "ines is already a collaborator (reader)", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/wetland-survey"), client.CollaboratorSpec{User: "ines", Role: "editor"})
				return err
			}},
		{name: "add the owner: validation_error explained", requests: -1, kind: client.ErrInvalid, msg: "demo owns demo/notes", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "demo/notes"), client.CollaboratorSpec{User: "demo"})
				return err
			}},
		{name: "add another org's team: validation_error explained", requests: -1, kind: client.ErrInvalid, msg: "a team of geo-survey", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "@geo-survey/north"})
				return err
			}},
		{name: "add an unknown role: refused before any request", requests: 0, kind: client.ErrBadInput, msg: "unknown role", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "maria", Role: "Editor"})
				return err
			}},
		{name: "add a bare @team: refused before any request", requests: 0, kind: client.ErrBadInput, msg: "@ORG/TEAM", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/trees"), client.CollaboratorSpec{User: "@surveyors"})
				return err
			}},
		{name: "add as a reader: 403", as: "kavya", requests: 1, kind: client.ErrForbidden, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, id(s, "fieldops/tree-inventory"), client.CollaboratorSpec{User: "maria"})
				return err
			}},
		{name: "add to an unknown project: 404", requests: 1, kind: client.ErrNotFound, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.AddCollaborator(ctx, "00000000-0000-4000-8000-000000000000", client.CollaboratorSpec{User: "maria"})
				return err
			}},
		{name: "set-role: PATCH with only role; updated_by keeps the creator", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				r, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/wetland-survey"), "ines", "manager")
				return errors.Join(err, want(r.Role == "manager" && r.User == "ines", "%+v", r))
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if r := rowsOf(t, s, "fieldops", "wetland-survey")["ines"]; r.Role != "manager" || r.UpdatedBy != "grace" {
					t.Errorf("ines: %+v", r)
				}
				if q := s.Kit().Requests()[0]; q.Method != "PATCH" || string(q.Body) != `{"role":"manager"}` {
					t.Errorf("%s %s", q.Method, q.Body)
				}
			}},
		{name: "set-role as a manager may promote to admin (no hierarchy)", as: "nils", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/wetland-survey"), "pablo", "admin")
				return err
			}},
		{name: "set-role of a team: refused, no request", requests: 0, kind: client.ErrBadInput, msg: "web UI", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/tree-inventory"), "@fieldops/surveyors", "reader")
				return err
			}},
		{name: "set-role without a row: 404", requests: 1, kind: client.ErrNotFound, msg: "jonas has no collaborator row", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/wetland-survey"), "jonas", "editor")
				return err
			}},
		{name: "set-role of the owner: 404", requests: 1, kind: client.ErrNotFound, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "demo/notes"), "demo", "editor")
				return err
			}},
		{name: "set-role unknown role: refused, no request", requests: 0, kind: client.ErrBadInput, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/wetland-survey"), "ines", "owner")
				return err
			}},
		{name: "set-role as an editor: 403", as: "pablo", requests: 1, kind: client.ErrForbidden, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.SetCollaboratorRole(ctx, id(s, "fieldops/wetland-survey"), "ines", "editor")
				return err
			}},
		{name: "remove", requests: 1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.RemoveCollaborator(ctx, id(s, "fieldops/wetland-survey"), "pablo")
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if _, ok := rowsOf(t, s, "fieldops", "wetland-survey")["pablo"]; ok {
					t.Error("pablo's row is still there")
				}
			}},
		{name: "remove a team: refused, no request", requests: 0, kind: client.ErrBadInput, msg: "roster teams delete fieldops/surveyors", noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.RemoveCollaborator(ctx, id(s, "fieldops/tree-inventory"), "@fieldops/surveyors")
			}},
		{name: "remove without a row: 404", requests: 1, kind: client.ErrNotFound, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.RemoveCollaborator(ctx, id(s, "fieldops/wetland-survey"), "nobody")
			}},
		{name: "remove as a reader: 403", as: "kavya", requests: 1, kind: client.ErrForbidden, noWrite: true,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.RemoveCollaborator(ctx, id(s, "fieldops/tree-inventory"), "lucas")
			}},
		{name: "cascade: removing an org member drops their rows on its projects", requests: -1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.RemoveMember(ctx, "fieldops", "kavya")
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if _, ok := rowsOf(t, s, "fieldops", "tree-inventory")["kavya"]; ok {
					t.Error("kavya's row survived her removal from fieldops")
				}
			}},
		{name: "cascade: deleting a team drops its rows", requests: -1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				return c.DeleteTeam(ctx, "fieldops", "surveyors")
			},
			check: func(t *testing.T, s *qfctest.Server) {
				for _, n := range []string{"tree-inventory", "open-data"} {
					if _, ok := rowsOf(t, s, "fieldops", n)["@fieldops/surveyors"]; ok {
						t.Errorf("the deleted team's row survived on %s", n)
					}
				}
			}},
		{name: "cascade: renaming a team keeps its rows", requests: -1,
			call: func(ctx context.Context, c *qfieldcloud.Client, s *qfctest.Server) error {
				_, err := c.RenameTeam(ctx, "fieldops", "botanists", "plants")
				return err
			},
			check: func(t *testing.T, s *qfctest.Server) {
				if r, ok := rowsOf(t, s, "fieldops", "tree-inventory")["@fieldops/plants"]; !ok || r.Role != "reader" {
					t.Errorf("renamed team's row: %+v %v", r, ok)
				}
			}},
	})
}

// The server has no order for collaborator rows: roster's list is the
// same however the fake orders them (and the fake does reorder them).
func TestCollaboratorsOrderFree(t *testing.T) {
	t.Parallel()
	s := world(t, qfctest.WithShuffle())
	c := as(t, s, "demo")
	ctx := context.Background()
	id := s.ProjectID("fieldops", "tree-inventory")
	token := s.Token("demo")
	rawOrder := func() string {
		req, _ := http.NewRequest("GET", s.URL()+"collaborators/"+id+"/", nil)
		req.Header.Set("Authorization", "Token "+token)
		res, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var rows []struct{ Collaborator string }
		if err := json.NewDecoder(res.Body).Decode(&rows); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range rows {
			names = append(names, r.Collaborator)
		}
		return strings.Join(names, ",")
	}
	first, err := c.Collaborators(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	orders := map[string]bool{}
	for range 8 {
		// A write elsewhere reshuffles the fake's order.
		if _, err := c.AddCollaborator(ctx, s.ProjectID("fieldops", "trees"), client.CollaboratorSpec{User: "ines"}); err != nil {
			t.Fatal(err)
		}
		if err := c.RemoveCollaborator(ctx, s.ProjectID("fieldops", "trees"), "ines"); err != nil {
			t.Fatal(err)
		}
		orders[rawOrder()] = true
		again, err := c.Collaborators(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range again {
			if again[i].User != first[i].User {
				t.Fatalf("order changed: %v vs %v", again, first)
			}
		}
	}
	if len(orders) < 2 {
		t.Fatalf("the fake never reordered the rows: %v", orders)
	}
}
