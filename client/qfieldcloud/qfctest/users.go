package qfctest

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type listItem struct {
	Username        string  `json:"username"`
	Type            int     `json:"type"`
	FullName        string  `json:"full_name"`
	AvatarURL       *string `json:"avatar_url"`
	UsernameDisplay string  `json:"username_display"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// intParam parses a query flag with Python's int(): ok=false means the
// server would crash (500).
func intParam(q map[string][]string, key string) (v int, ok bool) {
	vs := q[key]
	if len(vs) == 0 {
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(vs[len(vs)-1]))
	if err != nil {
		return 0, false
	}
	return n, true
}

// users serves GET users/ (list and search) and POST users/ (staff only;
// the fake has no staff).
func (s *Server) users(c *call) {
	if !s.needAuth(c) {
		return
	}
	switch c.r.Method {
	case http.MethodGet:
	case http.MethodPost:
		s.fail(c.w, 403, "permission_denied", "Only staff can create users.")
		return
	default:
		s.notAllowed(c)
		return
	}
	q := c.r.URL.Query()
	exOrgs, ok1 := intParam(q, "exclude_organizations")
	exTeams, ok2 := intParam(q, "exclude_teams")
	invert, ok3 := intParam(q, "invert")
	if !ok1 || !ok2 || !ok3 {
		s.fail(c.w, 500, "unknown_error", "invalid literal for int() with base 10")
		return
	}
	orgName, project := q.Get("organization"), q.Get("project")
	if orgName != "" && project != "" {
		s.fail(c.w, 500, "unknown_error", "organization and project filters cannot be combined")
		return
	}
	if project != "" && !uuidRE.MatchString(project) {
		s.fail(c.w, 400, "validation_error", map[string]any{"project": []string{"Must be a valid UUID."}})
		return
	}
	var org *account
	if orgName != "" {
		if org = s.org(orgName); org == nil {
			s.fail(c.w, 404, "object_not_found", "No Organization matches the given query.")
			return
		}
	}
	// An unknown project id is ignored (api §4.1).
	proj := s.projectByID(project)
	// The ordered list only changes with a write: cache it per filter, so
	// paging through 100,000 accounts does not sort them on every page.
	key := cacheKey(q)
	if rows, ok := s.userCache.get(s.epoch, key); ok {
		paginate(c, rows)
		return
	}
	var dropTeam map[string]bool
	if id, err := strconv.Atoi(q.Get("exclude_members_of_team")); err == nil {
		for _, ts := range s.teams {
			for _, t := range ts {
				if t.id == id {
					dropTeam = map[string]bool{}
					for _, m := range t.members {
						dropTeam[m] = true
					}
				}
			}
		}
	}
	inOrg := func(name string) bool {
		if org == nil {
			return false
		}
		return name == org.username || name == org.owner || s.members[org.username].index[name] != nil
	}
	search := q.Get("q")
	lower := strings.ToLower(search)
	var rows []listItem
	add := func(name string, typ int, full, display string) {
		if search != "" && !strings.Contains(strings.ToLower(name), lower) {
			return
		}
		rows = append(rows, listItem{Username: name, Type: typ, FullName: full, UsernameDisplay: display})
	}
	for _, a := range s.accounts {
		if a.typ == 2 && exOrgs != 0 || dropTeam[a.username] {
			continue
		}
		if org != nil && inOrg(a.username) == (invert == 0) {
			continue
		}
		if proj != nil && s.onProject(proj, a.username) == (invert == 0) {
			continue
		}
		add(a.username, a.typ, fullNameOf(a), a.username)
	}
	if exTeams == 0 && (org == nil || invert == 0) {
		for orgKey, ts := range s.teams {
			if org != nil && orgKey != org.username {
				continue // other organizations' teams are dropped
			}
			for _, t := range ts {
				name := "@" + t.org + "/" + t.name
				if proj != nil && (t.org != proj.owner || s.onProject(proj, name) == (invert == 0)) {
					continue // other organizations' teams are dropped
				}
				add(name, 3, "", t.name)
			}
		}
	}
	// Order: position of q in the username (case-sensitive; a case-only
	// match counts as 0), then the username in byte order.
	pos := func(name string) int {
		if search == "" {
			return 0
		}
		if i := strings.Index(name, search); i >= 0 {
			return i
		}
		return 0
	}
	sort.Slice(rows, func(i, j int) bool {
		pi, pj := pos(rows[i].Username), pos(rows[j].Username)
		if pi != pj {
			return pi < pj
		}
		return rows[i].Username < rows[j].Username
	})
	s.userCache.put(s.epoch, key, rows)
	paginate(c, rows)
}

// cacheKey is the query without the paging parameters.
func cacheKey(q url.Values) string {
	k := url.Values{}
	for name, v := range q {
		if name != "limit" && name != "offset" {
			k[name] = v
		}
	}
	return k.Encode()
}

// listCache holds ordered user lists for one write epoch.
type listCache struct {
	epoch uint64
	rows  map[string][]listItem
}

func (lc *listCache) get(epoch uint64, key string) ([]listItem, bool) {
	if lc.epoch != epoch || lc.rows == nil {
		return nil, false
	}
	rows, ok := lc.rows[key]
	return rows, ok
}

func (lc *listCache) put(epoch uint64, key string, rows []listItem) {
	if lc.epoch != epoch || lc.rows == nil || len(lc.rows) >= 32 {
		lc.epoch, lc.rows = epoch, map[string][]listItem{}
	}
	lc.rows[key] = rows
}

func fullNameOf(a *account) string {
	if a.typ != 1 {
		return ""
	}
	return a.fullName()
}

// orgJSON is the organization detail as the caller sees it (api §4.6).
func (s *Server) orgJSON(o, caller *account) map[string]any {
	public := []string{}
	ml := s.members[o.username]
	ms := append([]*membership(nil), ml.order...)
	arrange(s, ms, func(m *membership) int { return m.seq }, func(m *membership) string { return m.user })
	for _, m := range ms {
		if m.public {
			public = append(public, m.user)
		}
	}
	teams := []string{}
	ts := append([]*team(nil), s.teams[o.username]...)
	arrange(s, ts, func(t *team) int { return t.seq }, func(t *team) string { return t.name })
	for _, t := range ts {
		teams = append(teams, t.name)
	}
	role, origin, isPublic := "admin", "organization_owner", true
	if caller.username != o.owner {
		m := ml.index[caller.username]
		role, origin, isPublic = m.role, "organization_member", m.public
	}
	return map[string]any{
		"username": o.username, "type": 2, "email": o.email, "avatar_url": nil,
		"members": public, "organization_owner": o.owner,
		"membership_role": role, "membership_role_origin": origin,
		"membership_is_public": isPublic, "teams": teams,
	}
}

// belongs reports whether a person owns or is a member of an organization.
func (s *Server) belongs(o *account, user string) bool {
	return o.owner == user || s.members[o.username].index[user] != nil
}

// admin reports whether a person may write an organization's members and
// teams: its owner, or a member with role admin.
func (s *Server) admin(o *account, user string) bool {
	if o == nil {
		return false
	}
	if o.owner == user {
		return true
	}
	m := s.members[o.username].index[user]
	return m != nil && m.role == "admin"
}

// user serves GET and PATCH users/{username}/.
func (s *Server) user(c *call) {
	if !s.needAuth(c) {
		return
	}
	name := c.segs[1]
	switch c.r.Method {
	case http.MethodGet:
		a := s.accounts[name]
		switch {
		case a == nil:
			s.fail(c.w, 403, "permission_denied", "No such user.")
		case a.typ == 2:
			if !s.belongs(a, c.me.username) {
				s.fail(c.w, 404, "object_not_found", "Only members may read an organization.")
				return
			}
			writeJSON(c.w, 200, s.orgJSON(a, c.me))
		case a == c.me:
			writeJSON(c.w, 200, selfJSON(a))
		default:
			writeJSON(c.w, 200, listItem{Username: a.username, Type: 1, FullName: a.fullName(), UsernameDisplay: a.username})
		}
	case http.MethodPatch, http.MethodPut:
		if !s.parseBody(c) {
			return
		}
		// The permission check reads "username" from the body before the
		// URL (api §4.4): a new name there is a 403.
		target := name
		if u, ok := c.str("username"); ok && u != "" {
			target = u
		} else if c.r.Method == http.MethodPut {
			s.fail(c.w, 400, "api_error", map[string]any{"username": []string{"This field is required."}})
			return
		}
		a := s.accounts[target]
		if a == nil || target != name {
			s.fail(c.w, 403, "permission_denied", "No such user.")
			return
		}
		allowed := a == c.me || a.typ == 2 && s.admin(a, c.me.username)
		if !allowed {
			s.fail(c.w, 403, "permission_denied", "Not your account.")
			return
		}
		if e, ok := c.str("email"); ok {
			for _, x := range s.accounts {
				if x != a && x.typ == 1 && e != "" && strings.EqualFold(x.email, e) {
					s.fail(c.w, 500, "unknown_error", "duplicate key value violates unique constraint")
					return
				}
			}
			a.email = e
		}
		if v, ok := c.str("first_name"); ok {
			a.first = v
		}
		if v, ok := c.str("last_name"); ok {
			a.last = v
		}
		s.wrote()
		if a.typ == 2 {
			writeJSON(c.w, 200, s.orgJSON(a, c.me))
			return
		}
		writeJSON(c.w, 200, selfJSON(a))
	default:
		s.notAllowed(c)
	}
}

// userOrgs serves GET users/{me}/organizations/ (self only, not paged).
func (s *Server) userOrgs(c *call) {
	if !s.needAuth(c) {
		return
	}
	if c.r.Method != http.MethodGet {
		s.notAllowed(c)
		return
	}
	if c.segs[1] != c.me.username {
		s.fail(c.w, 403, "permission_denied", "Only your own organizations.")
		return
	}
	var orgs []*account
	for _, a := range s.accounts {
		if a.typ == 2 && s.belongs(a, c.me.username) {
			orgs = append(orgs, a)
		}
	}
	arrange(s, orgs, func(a *account) int { return a.seq }, func(a *account) string { return a.username })
	out := []map[string]any{}
	for _, o := range orgs {
		out = append(out, s.orgJSON(o, c.me))
	}
	writeJSON(c.w, 200, out)
}
