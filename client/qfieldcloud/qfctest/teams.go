package qfctest

import (
	"net/http"
	"strings"
)

type teamJSON struct {
	Team         string   `json:"team"`
	Organization string   `json:"organization"`
	Members      []string `json:"members"`
}

func accountName(org, team string) string { return "@" + org + "/" + team }

// isTeamAccount reports whether name is exactly a team's account name.
func (s *Server) isTeamAccount(name string) bool {
	return strings.HasPrefix(name, "@") && s.folded[strings.ToLower(name)] == name
}

func (s *Server) findTeam(org, name string) *team {
	for _, t := range s.teams[org] {
		if t.name == name {
			return t
		}
	}
	return nil
}

func (s *Server) teamOut(t *team) teamJSON {
	ms := append([]string(nil), t.members...)
	if s.shuffle {
		arrange(s, ms, func(string) int { return 0 }, func(m string) string { return m })
	}
	return teamJSON{Team: t.name, Organization: t.org, Members: nonNil(ms)}
}

// teamList serves GET and POST organizations/{org}/teams/.
func (s *Server) teamList(c *call) {
	if !s.needAuth(c) {
		return
	}
	o := s.org(c.segs[1])
	if o == nil {
		s.fail(c.w, 403, "permission_denied", "No such organization.")
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		// Never paginated: limit and offset are ignored.
		ts := append([]*team(nil), s.teams[o.username]...)
		arrange(s, ts, func(t *team) int { return t.seq }, func(t *team) string { return t.name })
		out := make([]teamJSON, len(ts))
		for i, t := range ts {
			out[i] = s.teamOut(t)
		}
		writeJSON(c.w, 200, out)
	case http.MethodPost:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can create teams.")
			return
		}
		if !s.parseBody(c) {
			return
		}
		name, _ := c.str("team")
		name = strings.TrimSpace(name)
		if name == "" {
			s.fail(c.w, 400, "api_error", map[string]any{"team": []string{"This field may not be blank."}})
			return
		}
		full := accountName(o.username, name)
		if _, taken := s.folded[strings.ToLower(full)]; taken || len(full) > 150 {
			// Only the database catches these: a crash, not a 400.
			s.fail(c.w, 500, "unknown_error", "IntegrityError: duplicate key value violates unique constraint")
			return
		}
		s.folded[strings.ToLower(full)] = full
		t := &team{org: o.username, name: name, seq: s.next()}
		t.id = t.seq
		s.teams[o.username] = append(s.teams[o.username], t)
		s.wrote()
		writeJSON(c.w, http.StatusCreated, s.teamOut(t))
	default:
		s.notAllowed(c)
	}
}

// team serves GET, PUT, PATCH and DELETE organizations/{org}/teams/{team}/.
func (s *Server) team(c *call) {
	if !s.needAuth(c) {
		return
	}
	o := s.org(c.segs[1])
	if o == nil {
		s.fail(c.w, 403, "permission_denied", "No such organization.")
		return
	}
	t := s.findTeam(o.username, c.segs[3])
	notFound := func() { s.fail(c.w, 404, "object_not_found", "No Team matches the given query.") }
	switch c.r.Method {
	case http.MethodGet:
		if t == nil {
			notFound()
			return
		}
		writeJSON(c.w, 200, s.teamOut(t))
	case http.MethodPatch:
		s.fail(c.w, 403, "permission_denied", "Teams can only be renamed with PUT.")
	case http.MethodPut:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can rename teams.")
			return
		}
		if t == nil {
			notFound()
			return
		}
		if !s.parseBody(c) {
			return
		}
		name, _ := c.str("team")
		name = strings.TrimSpace(name)
		if name == "" {
			s.fail(c.w, 400, "api_error", map[string]any{"team": []string{"This field is required."}})
			return
		}
		full := accountName(o.username, name)
		if x, taken := s.folded[strings.ToLower(full)]; taken {
			if x == full {
				// The serializer's exact check, which also catches the
				// team's own name.
				s.fail(c.w, 400, "api_error", map[string]any{"team": []string{"A team with this name already exists."}})
			} else {
				s.fail(c.w, 500, "unknown_error", "IntegrityError: duplicate key value violates unique constraint")
			}
			return
		}
		if len(full) > 150 {
			s.fail(c.w, 500, "unknown_error", "DataError: value too long")
			return
		}
		delete(s.folded, strings.ToLower(accountName(o.username, t.name)))
		s.folded[strings.ToLower(full)] = full
		t.name = name
		s.wrote()
		writeJSON(c.w, 200, s.teamOut(t))
	case http.MethodDelete:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can delete teams.")
			return
		}
		if t == nil {
			notFound()
			return
		}
		delete(s.folded, strings.ToLower(accountName(o.username, t.name)))
		ts := s.teams[o.username]
		for i, x := range ts {
			if x == t {
				s.teams[o.username] = append(ts[:i], ts[i+1:]...)
				break
			}
		}
		s.teamDeleted(t) // its collaborator rows go with it
		s.wrote()
		c.w.WriteHeader(http.StatusNoContent)
	default:
		s.notAllowed(c)
	}
}

// teamFor resolves the org and team of a team-member URL; an unknown
// org or team is a 403 there (api §4.12).
func (s *Server) teamFor(c *call) (*account, *team, bool) {
	o := s.org(c.segs[1])
	var t *team
	if o != nil {
		t = s.findTeam(o.username, c.segs[3])
	}
	if t == nil {
		s.fail(c.w, 403, "permission_denied", "No such team.")
		return nil, nil, false
	}
	return o, t, true
}

// inAnyTeam reports whether a person is in a team of any organization:
// the server's check has no team filter (api §4.12).
func (s *Server) inAnyTeam(user string) bool {
	for _, ts := range s.teams {
		for _, t := range ts {
			for _, m := range t.members {
				if m == user {
					return true
				}
			}
		}
	}
	return false
}

// teamMemberList serves GET and POST …/teams/{team}/members/.
func (s *Server) teamMemberList(c *call) {
	if !s.needAuth(c) {
		return
	}
	o, t, ok := s.teamFor(c)
	if !ok {
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		out := []map[string]string{}
		for _, m := range s.teamOut(t).Members {
			out = append(out, map[string]string{"member": m})
		}
		writeJSON(c.w, 200, out)
	case http.MethodPost:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can change teams.")
			return
		}
		if !s.parseBody(c) {
			return
		}
		v, _ := c.str("member")
		if strings.TrimSpace(v) == "" {
			s.fail(c.w, 400, "api_error", map[string]any{"member": []string{"This field is required."}})
			return
		}
		byName := s.accounts[v]
		var byEmail *account
		for _, a := range s.accounts {
			if a.typ == 1 && a.email == v {
				byEmail = a
				break
			}
		}
		switch {
		case byName != nil && byEmail != nil && byName != byEmail:
			s.fail(c.w, 500, "unknown_error", "MultipleObjectsReturned: get() returned more than one User")
			return
		case byName == nil && byEmail == nil:
			s.fail(c.w, 400, "api_error", map[string]any{"member": []string{"User does not exist."}})
			return
		}
		a := byName
		if a == nil {
			a = byEmail
		}
		switch {
		case s.inAnyTeam(a.username):
			s.fail(c.w, 400, "api_error", map[string]any{"member": []string{"Team member already exists."}})
		case a.typ != 1 || !s.belongs(o, a.username):
			s.fail(c.w, 400, "validation_error", "Only members of the organization can be added to its teams.")
		default:
			t.members = append(t.members, a.username)
			s.wrote()
			writeJSON(c.w, http.StatusCreated, map[string]string{"member": a.username})
		}
	default:
		s.notAllowed(c)
	}
}

// teamMember serves …/teams/{team}/members/{username}/: DELETE only.
func (s *Server) teamMember(c *call) {
	if !s.needAuth(c) {
		return
	}
	o, t, ok := s.teamFor(c)
	if !ok {
		return
	}
	isAdmin := s.admin(o, c.me.username)
	switch c.r.Method {
	case http.MethodDelete:
		if !isAdmin {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can change teams.")
			return
		}
		name := c.segs[5]
		found := false
		for _, m := range t.members {
			found = found || m == name
		}
		if !found {
			s.fail(c.w, 404, "object_not_found", "No TeamMember matches the given query.")
			return
		}
		t.members = without(t.members, name)
		s.wrote()
		c.w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		s.notAllowed(c)
	default:
		if !isAdmin {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can change teams.")
			return
		}
		s.notAllowed(c)
	}
}
