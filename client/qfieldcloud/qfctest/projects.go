package qfctest

import (
	"crypto/sha1"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Projects and collaborators, as the server does them (api §9.13).

// project is a project as the fake stores it.
type project struct {
	id, owner, name, description string
	public, featured             bool
	typ                          string
	createdBy                    string
	created, updated             time.Time
	seq                          int
	rows                         []*collab // insertion order; the API has no ORDER BY
}

// collab is a collaborator row: a person's (person != "") or a team's. A
// team row points at the team, so a rename keeps it and a delete drops it.
type collab struct {
	person               string
	team                 *team
	role                 string
	incognito            bool
	createdBy, updatedBy string
	created, updated     time.Time
	seq                  int
}

func (r *collab) name() string {
	if r.team != nil {
		return accountName(r.team.org, r.team.name)
	}
	return r.person
}

// projectState is the part of Server that holds projects.
type projectState struct {
	byID        map[string]*project
	defaultRole map[string]string // organization → default_project_role_for_members
}

func (s *Server) projectsInit() {
	if s.proj.byID == nil {
		s.proj.byID = map[string]*project{}
		s.proj.defaultRole = map[string]string{}
	}
}

// lowerUUID is what Django's <uuid:> path converter matches.
var lowerUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// projectRoute finds the view of a projects/ or collaborators/ path; nil
// is Django's HTML 404. Segments arrive decoded, so "%2F" in a username
// is a "/" here, which the <str:username> converter never matches.
func projectRoute(segs []string) view {
	n := len(segs)
	switch {
	case segs[0] == "projects" && n == 1:
		return (*Server).projectList
	case segs[0] == "projects" && n == 2 && segs[1] == "public":
		return (*Server).publicProjects
	case segs[0] == "projects" && n == 2 && !strings.ContainsAny(segs[1], "./"):
		return (*Server).projectDetail
	case segs[0] == "collaborators" && n == 2 && lowerUUID.MatchString(segs[1]):
		return (*Server).collaboratorList
	case segs[0] == "collaborators" && n == 3 && lowerUUID.MatchString(segs[1]) && !strings.Contains(segs[2], "/"):
		return (*Server).collaborator
	}
	return nil
}

// ---- roles ------------------------------------------------------------

var projectRoles = []string{"admin", "manager", "editor", "reporter", "reader"}

func validProjectRole(r string) bool {
	for _, x := range projectRoles {
		if x == r {
			return true
		}
	}
	return false
}

// roleOn is a person's effective role on a project (api §9.4): the first
// origin by rank, then its validity (a private organization project needs
// the person in the organization). "" when none.
func (s *Server) roleOn(p *project, user string) (role, origin string) {
	role, origin = s.rankedRole(p, user)
	if origin == "" || p.public {
		return role, origin
	}
	if o := s.org(p.owner); o != nil && !s.belongs(o, user) {
		return "", ""
	}
	return role, origin
}

func (s *Server) rankedRole(p *project, user string) (string, string) {
	o := s.org(p.owner)
	switch {
	case o == nil && p.owner == user:
		return "admin", "project_owner"
	case o != nil && o.owner == user:
		return "admin", "organization_owner"
	case o != nil && s.members[o.username].index[user] != nil && s.members[o.username].index[user].role == "admin":
		return "admin", "organization_admin"
	}
	for _, r := range p.rows {
		if r.person == user {
			return r.role, "collaborator"
		}
	}
	// In two teams with different roles the server picks either: the
	// fake takes the first row.
	for _, r := range p.rows {
		if r.team != nil && contains(r.team.members, user) {
			return r.role, "team_member"
		}
	}
	if o != nil {
		if m := s.members[o.username].index[user]; m != nil && s.proj.defaultRole[o.username] != "" {
			return s.proj.defaultRole[o.username], "organization_member"
		}
	}
	if p.public {
		return "reader", "public"
	}
	return "", ""
}

func contains(list []string, x string) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// manages reports whether a person may read and change a project's
// collaborators: an effective admin or manager (api §9.9).
func (s *Server) manages(p *project, user string) bool {
	r, _ := s.roleOn(p, user)
	return r == "admin" || r == "manager"
}

// ---- JSON ---------------------------------------------------------------

var serverZone = time.FixedZone("+01:00", 3600)

func stamp(t time.Time) string { return t.In(serverZone).Format("2006-01-02T15:04:05.000000-07:00") }

func (s *Server) projectJSON(p *project, caller string) map[string]any {
	role, origin := s.roleOn(p, caller)
	var r, o any
	if role != "" {
		r, o = role, origin
	}
	status := "ok"
	return map[string]any{
		"id": p.id, "name": p.name, "project_type": p.typ, "owner": p.owner,
		"description": p.description, "private": !p.public, "is_public": p.public,
		"created_at": stamp(p.created), "updated_at": stamp(p.updated),
		"data_last_packaged_at": nil, "data_last_updated_at": nil, "restricted_data_last_updated_at": nil,
		"can_repackage": true, "needs_repackaging": true, "status": status,
		"user_role": r, "user_role_origin": o,
		"shared_datasets_project_id": nil, "is_shared_datasets_project": p.typ == "shared_datasets",
		"is_featured": p.featured, "is_attachment_download_on_demand": false,
		"has_restricted_projectfiles": false, "overwrite_conflicts": true,
		"file_storage_bytes": 1 << 20 * (1 + p.seq%50), "the_qgis_file_name": p.name + ".qgz",
	}
}

type collabJSON struct {
	ProjectID    string `json:"project_id"`
	Collaborator string `json:"collaborator"`
	Role         string `json:"role"`
	CreatedBy    string `json:"created_by"`
	UpdatedBy    string `json:"updated_by"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func collabOut(p *project, r *collab) collabJSON {
	return collabJSON{ProjectID: p.id, Collaborator: r.name(), Role: r.role, CreatedBy: r.createdBy,
		UpdatedBy: r.updatedBy, CreatedAt: stamp(r.created), UpdatedAt: stamp(r.updated)}
}

// ---- projects/ ------------------------------------------------------------

// sortProjects applies the default order (featured first, owner, name, in
// byte order) or an ordering parameter, which replaces it.
func sortProjects(ps []*project, ordering string) {
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, f := range strings.Split(ordering, ",") {
		f = strings.TrimSpace(f)
		desc := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		switch f {
		case "owner", "name", "created_at":
			keys = append(keys, key{f, desc})
		}
	}
	if len(keys) == 0 {
		sort.SliceStable(ps, func(i, j int) bool {
			a, b := ps[i], ps[j]
			if a.featured != b.featured {
				return a.featured
			}
			if a.owner != b.owner {
				return a.owner < b.owner
			}
			return a.name < b.name
		})
		return
	}
	sort.SliceStable(ps, func(i, j int) bool {
		for _, k := range keys {
			var c int
			switch k.field {
			case "owner":
				c = strings.Compare(ps[i].owner, ps[j].owner)
			case "name":
				c = strings.Compare(ps[i].name, ps[j].name)
			case "created_at":
				c = ps[i].created.Compare(ps[j].created)
			}
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
}

func (s *Server) projectList(c *call) {
	if !s.needAuth(c) {
		return
	}
	if c.r.Method != http.MethodGet {
		// Creating a project (POST) is outside roster's scope; the fake
		// creates them only through CreateProject.
		s.notAllowed(c)
		return
	}
	s.projectsInit()
	q := c.r.URL.Query()
	includePublic := false
	if v, ok := q["include_public"]; ok {
		switch v[0] {
		case "1":
			includePublic = true
		case "0":
		default:
			s.fail(c.w, 400, "api_error", map[string]any{"include_public": []string{"Select a valid choice."}})
			return
		}
	}
	// The SDK's deprecated spelling: "1" includes, anything else excludes.
	if v := q.Get("include-public"); v == "1" {
		includePublic = true
	}
	owner, name := q.Get("owner"), q.Get("name")
	var terms []string
	for _, t := range strings.FieldsFunc(q.Get("search"), func(r rune) bool { return r == ' ' || r == ',' }) {
		terms = append(terms, strings.ToLower(t))
	}
	var ps []*project
	for _, p := range s.proj.byID {
		_, origin := s.roleOn(p, c.me.username)
		if origin == "" || (origin == "public" && !includePublic) {
			continue
		}
		if owner != "" && !strings.EqualFold(p.owner, owner) || name != "" && !strings.EqualFold(p.name, name) {
			continue
		}
		ok := true
		for _, t := range terms {
			if !strings.Contains(strings.ToLower(p.owner), t) && !strings.Contains(strings.ToLower(p.name), t) {
				ok = false
			}
		}
		if ok {
			ps = append(ps, p)
		}
	}
	sortProjects(ps, q.Get("ordering"))
	rows := make([]map[string]any, len(ps))
	for i, p := range ps {
		rows[i] = s.projectJSON(p, c.me.username)
	}
	paginate(c, rows)
}

func (s *Server) publicProjects(c *call) {
	if !s.needAuth(c) {
		return
	}
	if c.r.Method != http.MethodGet {
		s.notAllowed(c)
		return
	}
	s.projectsInit()
	var ps []*project
	for _, p := range s.proj.byID {
		if p.public {
			ps = append(ps, p)
		}
	}
	sortProjects(ps, c.r.URL.Query().Get("ordering"))
	rows := make([]map[string]any, len(ps))
	for i, p := range ps {
		rows[i] = s.projectJSON(p, c.me.username)
	}
	paginate(c, rows)
}

func (s *Server) projectDetail(c *call) {
	if !s.needAuth(c) {
		return
	}
	s.projectsInit()
	if !uuidRE.MatchString(c.segs[1]) {
		s.fail(c.w, 400, "validation_error", map[string]any{"id": []string{"Must be a valid UUID."}})
		return
	}
	p := s.proj.byID[strings.ToLower(c.segs[1])]
	if p == nil {
		s.fail(c.w, 404, "object_not_found", "No Project matches the given query.")
		return
	}
	if role, _ := s.roleOn(p, c.me.username); role == "" {
		s.fail(c.w, 403, "permission_denied", "You have no role on this project.")
		return
	}
	if c.r.Method != http.MethodGet {
		// Editing and deleting projects are outside roster's scope.
		s.notAllowed(c)
		return
	}
	writeJSON(c.w, 200, s.projectJSON(p, c.me.username))
}

// ---- collaborators/ ---------------------------------------------------------

// collabProject applies the permission step of both collaborator views:
// the project comes from a body "projectid" when there is one, else the
// URL (api §9.11); unknown → 404, not admin or manager → 403. It returns
// the URL's project, which the view then writes to.
func (s *Server) collabProject(c *call, allowed bool) (*project, bool) {
	if !s.needAuth(c) {
		return nil, false
	}
	s.projectsInit()
	if !s.parseBody(c) {
		return nil, false
	}
	permID := c.segs[1]
	if v, ok := c.str("projectid"); ok && v != "" {
		permID = strings.ToLower(v)
	}
	perm := s.proj.byID[permID]
	if perm == nil {
		s.fail(c.w, 404, "object_not_found", "No Project matches the given query.")
		return nil, false
	}
	if !allowed || !s.manages(perm, c.me.username) {
		s.fail(c.w, 403, "permission_denied", "Permission denied.")
		return nil, false
	}
	p := s.proj.byID[c.segs[1]]
	if p == nil {
		s.fail(c.w, 404, "object_not_found", "No Project matches the given query.")
		return nil, false
	}
	return p, true
}

// collabAccount resolves the serializer's collaborator field: a person or
// a team, by exact username.
func (s *Server) collabAccount(name string) (person string, t *team, ok bool) {
	if a := s.accounts[name]; a != nil && a.typ == 1 {
		return a.username, nil, true
	}
	if s.isTeamAccount(name) {
		for _, ts := range s.teams {
			for _, x := range ts {
				if accountName(x.org, x.name) == name {
					return "", x, true
				}
			}
		}
	}
	return "", nil, false
}

// validRow applies the model's clean() (api §9.6): not the owner; on an
// organization's project a person in the organization, or one of its
// teams; no second row for the same account.
func (s *Server) validRow(p *project, person string, t *team, except *collab) string {
	if person != "" && person == p.owner {
		return "Cannot add the project owner as a collaborator."
	}
	if o := s.org(p.owner); o != nil {
		if person != "" && !s.belongs(o, person) {
			return "Cannot add a user who is not a member of the organization as a project collaborator."
		}
		if t != nil && t.org != o.username {
			return "Team does not exist."
		}
	}
	for _, r := range p.rows {
		if r != except && ((person != "" && r.person == person) || (t != nil && r.team == t)) {
			return "Project collaborator with this Project and Collaborator already exists."
		}
	}
	return ""
}

func (s *Server) collaboratorList(c *call) {
	switch c.r.Method {
	case http.MethodGet:
		p, ok := s.collabProject(c, true)
		if !ok {
			return
		}
		// No ORDER BY: insertion order, or shuffled after each write
		// under WithShuffle.
		ordered := append([]*collab(nil), p.rows...)
		arrange(s, ordered, func(r *collab) int { return r.seq }, (*collab).name)
		rows := make([]collabJSON, len(ordered))
		for i, r := range ordered {
			rows[i] = collabOut(p, r)
		}
		paginate(c, rows)
	case http.MethodPost:
		p, ok := s.collabProject(c, true)
		if !ok {
			return
		}
		name, _ := c.str("collaborator")
		person, t, found := s.collabAccount(name)
		if !found {
			s.fail(c.w, 400, "api_error", map[string]any{"collaborator": []string{"Object with username=" + name + " does not exist."}})
			return
		}
		role := "reader"
		if r, ok := c.str("role"); ok {
			if !validProjectRole(r) {
				s.fail(c.w, 400, "api_error", map[string]any{"role": []string{"\"" + r + "\" is not a valid choice."}})
				return
			}
			role = r
		}
		if why := s.validRow(p, person, t, nil); why != "" {
			s.fail(c.w, 400, "validation_error", why)
			return
		}
		now := s.now()
		r := &collab{person: person, team: t, role: role, createdBy: c.me.username, updatedBy: c.me.username,
			created: now, updated: now, seq: s.next()}
		p.rows = append(p.rows, r)
		s.wrote()
		writeJSON(c.w, http.StatusCreated, collabOut(p, r))
	default:
		// The permission class answers False for other methods.
		s.collabProject(c, false)
	}
}

func (s *Server) collaborator(c *call) {
	allowed := c.r.Method == http.MethodGet || c.r.Method == http.MethodPatch || c.r.Method == http.MethodPut || c.r.Method == http.MethodDelete
	p, ok := s.collabProject(c, allowed)
	if !ok {
		return
	}
	var row *collab
	if a := s.accounts[c.segs[2]]; a != nil {
		for _, r := range p.rows {
			if r.person == a.username {
				row = r
			}
		}
	}
	if row == nil {
		s.fail(c.w, 404, "object_not_found", "No ProjectCollaborator matches the given query.")
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		writeJSON(c.w, 200, collabOut(p, row))
	case http.MethodPatch, http.MethodPut:
		role := row.role
		if r, ok := c.str("role"); ok {
			if !validProjectRole(r) {
				s.fail(c.w, 400, "api_error", map[string]any{"role": []string{"\"" + r + "\" is not a valid choice."}})
				return
			}
			role = r
		}
		person, t := row.person, row.team
		name, present := c.str("collaborator")
		if c.r.Method == http.MethodPut && !present {
			s.fail(c.w, 400, "api_error", map[string]any{"collaborator": []string{"This field is required."}})
			return
		}
		if present {
			// A collaborator field moves the row to that account.
			var found bool
			if person, t, found = s.collabAccount(name); !found {
				s.fail(c.w, 400, "api_error", map[string]any{"collaborator": []string{"Object with username=" + name + " does not exist."}})
				return
			}
			if why := s.validRow(p, person, t, row); why != "" {
				s.fail(c.w, 400, "validation_error", why)
				return
			}
		}
		// updated_by is not saved by the view: it keeps the creator.
		row.person, row.team, row.role, row.updated = person, t, role, s.now()
		s.wrote()
		writeJSON(c.w, 200, collabOut(p, row))
	case http.MethodDelete:
		p.rows = removeRow(p.rows, row)
		s.wrote()
		c.w.WriteHeader(http.StatusNoContent)
	}
}

func removeRow(rows []*collab, x *collab) []*collab {
	out := rows[:0]
	for _, r := range rows {
		if r != x {
			out = append(out, r)
		}
	}
	return out
}

// projectByID finds a project by id in any case; nil when unknown.
func (s *Server) projectByID(id string) *project {
	if id == "" {
		return nil
	}
	s.projectsInit()
	return s.proj.byID[strings.ToLower(id)]
}

// onProject reports whether an account is the project's owner or has a
// row on it, as users/?project= filters (api §4.1).
func (s *Server) onProject(p *project, name string) bool {
	if name == p.owner {
		return true
	}
	for _, r := range p.rows {
		if r.name() == name {
			return true
		}
	}
	return false
}

// ---- cascades (api §9.10) -----------------------------------------------

// memberLeft drops a former member's direct rows on the organization's
// projects, as DELETE members/{org}/{user}/ does.
func (s *Server) memberLeft(org, user string) {
	for _, p := range s.proj.byID {
		if p.owner == org {
			p.rows = removeRowsWhere(p.rows, func(r *collab) bool { return r.person == user })
		}
	}
}

// teamDeleted drops a deleted team's rows (a foreign-key cascade).
func (s *Server) teamDeleted(t *team) {
	for _, p := range s.proj.byID {
		p.rows = removeRowsWhere(p.rows, func(r *collab) bool { return r.team == t })
	}
}

func removeRowsWhere(rows []*collab, drop func(*collab) bool) []*collab {
	out := rows[:0]
	for _, r := range rows {
		if !drop(r) {
			out = append(out, r)
		}
	}
	return out
}

// ---- seeding and inspection ------------------------------------------------

// ProjectSpec seeds a project.
type ProjectSpec struct {
	Owner, Name, Description string
	Public, Featured         bool
	// CreatedBy is the person who created it; for an organization's
	// project by a "creator" member, the server then adds them as an admin
	// row (api §9.10). "" = the owner (or the organization's owner).
	CreatedBy string
	// ID is the project's id; "" derives a stable one from the name.
	ID string
}

// Collaborator is a row as the fake stores it. User is a username or
// @ORG/TEAM.
type Collaborator struct {
	User      string
	Role      string
	Incognito bool
	CreatedBy string
	UpdatedBy string
}

// Project is a project as the fake stores it.
type Project struct {
	ID, Owner, Name string
	Public          bool
	Collaborators   []Collaborator // insertion order
}

// stableID derives a UUID-shaped id from a seed, so demo ids stay the
// same between runs (README examples can use them).
func stableID(seed string) string {
	h := sha1.Sum([]byte(seed))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// CreateProject creates a project as the server's create does, creator
// row included, and returns its id.
func (s *Server) CreateProject(spec ProjectSpec) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createProject(spec)
}

func (s *Server) createProject(spec ProjectSpec) string {
	s.projectsInit()
	a := s.accounts[spec.Owner]
	if a == nil {
		panic(fmt.Sprintf("qfctest: no owner %q for project %q", spec.Owner, spec.Name))
	}
	for _, p := range s.proj.byID {
		if p.owner == spec.Owner && p.name == spec.Name {
			panic(fmt.Sprintf("qfctest: project %s/%s exists (names are unique per owner, case-sensitively)", spec.Owner, spec.Name))
		}
	}
	id := strings.ToLower(spec.ID)
	if id == "" {
		id = stableID(spec.Owner + "/" + spec.Name)
	}
	creator := spec.CreatedBy
	if creator == "" {
		creator = spec.Owner
		if a.typ == 2 {
			creator = a.owner
		}
	}
	now := s.now()
	p := &project{id: id, owner: spec.Owner, name: spec.Name, description: spec.Description, public: spec.Public,
		featured: spec.Featured, typ: "regular", createdBy: creator, created: now, updated: now, seq: s.next()}
	s.proj.byID[id] = p
	// The post_save signal: a creator member of the owning organization
	// gets an explicit admin row (owners and admin members need none).
	if o := s.org(spec.Owner); o != nil && creator != o.owner {
		if m := s.members[o.username].index[creator]; m != nil && m.role == "creator" {
			p.rows = append(p.rows, &collab{person: creator, role: "admin", createdBy: creator, updatedBy: creator,
				created: now, updated: now, seq: s.next()})
		}
	}
	s.wrote()
	return id
}

// AddCollaborator adds a row directly (person or @ORG/TEAM), with the
// model's rules; incognito marks support staff.
func (s *Server) AddCollaborator(projectID, user, role string, incognito bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addCollaborator(projectID, user, role, incognito)
}

func (s *Server) addCollaborator(projectID, user, role string, incognito bool) {
	s.projectsInit()
	p := s.proj.byID[projectID]
	if p == nil {
		panic(fmt.Sprintf("qfctest: no project %q", projectID))
	}
	person, t, ok := s.collabAccount(user)
	if !ok {
		panic(fmt.Sprintf("qfctest: no person or team %q", user))
	}
	if why := s.validRow(p, person, t, nil); why != "" {
		panic(fmt.Sprintf("qfctest: %s on %s/%s: %s", user, p.owner, p.name, why))
	}
	by := p.createdBy
	now := s.now()
	p.rows = append(p.rows, &collab{person: person, team: t, role: role, incognito: incognito,
		createdBy: by, updatedBy: by, created: now, updated: now, seq: s.next()})
	s.wrote()
}

// SetDefaultProjectRole sets an organization's role for every non-admin
// member on its projects ("" = none). Only the Django admin can set it:
// the API neither reads nor writes it.
func (s *Server) SetDefaultProjectRole(org, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustOrg(org)
	s.projectsInit()
	s.proj.defaultRole[org] = role
}

// Projects returns every project with its rows, by owner and name.
func (s *Server) Projects() []Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projectsInit()
	var out []Project
	for _, p := range s.proj.byID {
		x := Project{ID: p.id, Owner: p.owner, Name: p.name, Public: p.public}
		for _, r := range p.rows {
			x.Collaborators = append(x.Collaborators, Collaborator{User: r.name(), Role: r.role, Incognito: r.incognito,
				CreatedBy: r.createdBy, UpdatedBy: r.updatedBy})
		}
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Owner != out[j].Owner {
			return out[i].Owner < out[j].Owner
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// ProjectByName returns a project by exact owner and name.
func (s *Server) ProjectByName(owner, name string) (Project, bool) {
	for _, p := range s.Projects() {
		if p.Owner == owner && p.Name == name {
			return p, true
		}
	}
	return Project{}, false
}

// ProjectID returns the id of OWNER/NAME; it panics when there is none.
func (s *Server) ProjectID(owner, name string) string {
	p, ok := s.ProjectByName(owner, name)
	if !ok {
		panic(fmt.Sprintf("qfctest: no project %s/%s", owner, name))
	}
	return p.ID
}

// EffectiveRole is the role and origin the server computes for a person.
func (s *Server) EffectiveRole(projectID, user string) (role, origin string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projectsInit()
	p := s.proj.byID[projectID]
	if p == nil {
		return "", ""
	}
	return s.roleOn(p, user)
}
