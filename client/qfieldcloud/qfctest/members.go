package qfctest

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"sort"
)

type memberJSON struct {
	Organization string `json:"organization"`
	Member       string `json:"member"`
	Role         string `json:"role"`
	IsPublic     bool   `json:"is_public"`
}

func toJSON(m *membership) memberJSON {
	return memberJSON{Organization: m.org, Member: m.user, Role: m.role, IsPublic: m.public}
}

func validRole(r string) bool { return r == "admin" || r == "creator" || r == "member" }

// full reports whether an organization is at its plan's member limit:
// then every membership save is refused (api §4.7).
func (s *Server) full(o *account) bool {
	return o.limit > 0 && len(s.members[o.username].order)+1 >= o.limit
}

func (s *Server) orderedMembers(org string) []*membership {
	ms := append([]*membership(nil), s.members[org].order...)
	arrange(s, ms, func(m *membership) int { return m.seq }, func(m *membership) string { return m.user })
	return ms
}

// memberList serves GET and POST members/{org}/.
func (s *Server) memberList(c *call) {
	if !s.needAuth(c) {
		return
	}
	o := s.org(c.segs[1])
	switch c.r.Method {
	case http.MethodGet:
		if o == nil {
			s.fail(c.w, 403, "permission_denied", "No such organization.")
			return
		}
		ms := s.orderedMembers(o.username)
		if s.unstablePages && c.r.URL.Query().Get("limit") != "" {
			s.pageQueries++
			seed := s.pageQueries
			h := func(k string) uint64 {
				f := fnv.New64a()
				fmt.Fprintf(f, "page%d/%s", seed, k)
				return f.Sum64()
			}
			sort.SliceStable(ms, func(i, j int) bool { return h(ms[i].user) < h(ms[j].user) })
		}
		rows := make([]memberJSON, len(ms))
		for i, m := range ms {
			rows[i] = toJSON(m)
		}
		paginate(c, rows)
	case http.MethodPost:
		s.addMemberView(c, o)
	default:
		s.notAllowed(c)
	}
}

// addMemberView applies the checks of api §4.9 in the server's order.
func (s *Server) addMemberView(c *call, o *account) {
	if !s.admin(o, c.me.username) {
		s.fail(c.w, 403, "permission_denied", "Only organization admins can add members.")
		return
	}
	if !s.parseBody(c) {
		return
	}
	role := "member"
	if r, ok := c.str("role"); ok {
		if !validRole(r) {
			s.fail(c.w, 400, "api_error", map[string]any{"role": []string{"\"" + r + "\" is not a valid choice."}})
			return
		}
		role = r
	}
	public, _, ok := c.boolField("is_public")
	if !ok {
		s.fail(c.w, 400, "api_error", map[string]any{"is_public": []string{"Must be a valid boolean."}})
		return
	}
	// Quirk: a body "organization" overrides the URL (api §4.7).
	if name, ok := c.str("organization"); ok && name != "" {
		if o = s.org(name); o == nil {
			s.fail(c.w, 400, "api_error", map[string]any{"organization": []string{"Object with username=" + name + " does not exist."}})
			return
		}
	}
	name, ok := c.str("member")
	if !ok {
		s.fail(c.w, 500, "unknown_error", "KeyError: 'member'")
		return
	}
	a := s.accounts[name]
	isTeam := a == nil && s.isTeamAccount(name)
	switch {
	case a == nil && !isTeam:
		s.fail(c.w, 404, "object_not_found", "No User matches the given query.")
	case a != nil && a.username == o.owner:
		s.fail(c.w, 400, "validation_error", "Cannot add the organization owner as a member.")
	case s.full(o):
		s.fail(c.w, 403, "organization_has_max_number_of_members", "The organization has reached its member limit.")
	case isTeam || a.typ != 1:
		s.fail(c.w, 400, "validation_error", "Only persons can be members.")
	case s.members[o.username].index[name] != nil:
		s.fail(c.w, 400, "validation_error", map[string]any{"__all__": []string{"Organization member with this Organization and Member already exists."}})
	default:
		m := &membership{org: o.username, user: name, role: role, public: public, seq: s.next()}
		ml := s.members[o.username]
		ml.order = append(ml.order, m)
		ml.index[name] = m
		s.wrote()
		writeJSON(c.w, http.StatusCreated, toJSON(m))
	}
}

// member serves GET, PATCH, PUT and DELETE members/{org}/{username}/.
func (s *Server) member(c *call) {
	if !s.needAuth(c) {
		return
	}
	o := s.org(c.segs[1])
	name := c.segs[2]
	switch c.r.Method {
	case http.MethodGet:
		if o == nil {
			s.fail(c.w, 403, "permission_denied", "No such organization.")
			return
		}
		m := s.members[o.username].index[name]
		if m == nil {
			s.fail(c.w, 404, "object_not_found", "No OrganizationMember matches the given query.")
			return
		}
		writeJSON(c.w, 200, toJSON(m))
	case http.MethodPatch, http.MethodPut:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can change members.")
			return
		}
		m := s.members[o.username].index[name]
		if m == nil {
			s.fail(c.w, 404, "object_not_found", "No OrganizationMember matches the given query.")
			return
		}
		if !s.parseBody(c) {
			return
		}
		role := m.role
		if r, ok := c.str("role"); ok {
			if !validRole(r) {
				s.fail(c.w, 400, "api_error", map[string]any{"role": []string{"\"" + r + "\" is not a valid choice."}})
				return
			}
			role = r
		}
		public, present, ok := c.boolField("is_public")
		if !ok {
			s.fail(c.w, 400, "api_error", map[string]any{"is_public": []string{"Must be a valid boolean."}})
			return
		}
		if !present {
			public = m.public
			// An HTML form's unchecked box: a form PUT without the
			// field sets it false (api §4.10).
			if c.r.Method == http.MethodPut && c.form {
				public = false
			}
		}
		if s.full(o) {
			s.fail(c.w, 403, "organization_has_max_number_of_members", "The organization has reached its member limit.")
			return
		}
		m.role, m.public = role, public
		s.wrote()
		writeJSON(c.w, 200, toJSON(m))
	case http.MethodDelete:
		if !s.admin(o, c.me.username) {
			s.fail(c.w, 403, "permission_denied", "Only organization admins can remove members.")
			return
		}
		ml := s.members[o.username]
		m := ml.index[name]
		if m == nil {
			s.fail(c.w, 404, "object_not_found", "No OrganizationMember matches the given query.")
			return
		}
		delete(ml.index, name)
		for i, x := range ml.order {
			if x == m {
				ml.order = append(ml.order[:i], ml.order[i+1:]...)
				break
			}
		}
		// Leaving the organization also leaves its teams, and drops the
		// person's rows on its projects.
		for _, t := range s.teams[o.username] {
			t.members = without(t.members, name)
		}
		s.memberLeft(o.username, name)
		s.wrote()
		c.w.WriteHeader(http.StatusNoContent)
	default:
		s.notAllowed(c)
	}
}

func without(list []string, name string) []string {
	out := list[:0]
	for _, x := range list {
		if x != name {
			out = append(out, x)
		}
	}
	return out
}
