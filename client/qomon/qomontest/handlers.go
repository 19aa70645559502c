package qomontest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// ---- roles and users ------------------------------------------------------------

func (s *Server) listRoles(c *call) {
	roles := make([]roleJSON, 0, len(c.sp.roles))
	for _, r := range c.sp.roles {
		roles = append(roles, renderRole(r))
	}
	ok(c, http.StatusOK, map[string]any{"count": len(roles), "roles": roles})
}

// queryInt parses an integer parameter; present reports whether it was
// given. On failure it has answered 400.
func queryInt(c *call, name string) (n int, present, good bool) {
	v, has := c.r.URL.Query()[name]
	if !has {
		return 0, false, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(v[0]))
	if err != nil {
		problem(c.w, http.StatusBadRequest, fmt.Sprintf("%s must be an integer, got %q", name, v[0]))
		return 0, true, false
	}
	return n, true, true
}

func (s *Server) listUsers(c *call) {
	limit, hasLimit, good := queryInt(c, "limit")
	if !good {
		return
	}
	offset, _, good := queryInt(c, "offset")
	if !good {
		return
	}
	sorted := false
	if v := c.r.URL.Query().Get("sort"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problem(c.w, http.StatusBadRequest, fmt.Sprintf("sort must be a boolean, got %q", v))
			return
		}
		sorted = b
	}
	if hasLimit && limit < 1 {
		problem(c.w, http.StatusUnprocessableEntity, "limit must be at least 1")
		return
	}
	if offset < 0 {
		problem(c.w, http.StatusUnprocessableEntity, "offset must not be negative")
		return
	}
	sp := c.sp
	ids := sp.order
	if sorted {
		ids = s.sortedIDs(sp)
	}
	total := len(ids)
	lo := min(offset, total)
	hi := total
	if s.pageCap > 0 && (!hasLimit || limit > s.pageCap) {
		limit, hasLimit = s.pageCap, true
	}
	if hasLimit && lo+limit < hi {
		hi = lo + limit
	}
	users := make([]any, 0, hi-lo)
	for _, id := range ids[lo:hi] {
		users = append(users, s.renderUser(sp, sp.members[id]))
	}
	data := map[string]any{"count": total + s.countSkew, "users": users}
	if s.noCount {
		delete(data, "count")
	}
	ok(c, http.StatusOK, data)
}

// sortedIDs orders by surname, first name, id, case-insensitively (fake
// choice for sort=true), cached until the members change.
func (s *Server) sortedIDs(sp *space) []int64 {
	if sp.sorted != nil {
		return sp.sorted
	}
	ids := slices.Clone(sp.order)
	key := func(id int64) (string, string) {
		a := sp.members[id].user
		return strings.ToLower(a.Surname), strings.ToLower(a.FirstName)
	}
	slices.SortFunc(ids, func(x, y int64) int {
		xs, xf := key(x)
		ys, yf := key(y)
		return cmp.Or(cmp.Compare(xs, ys), cmp.Compare(xf, yf), cmp.Compare(x, y))
	})
	sp.sorted = ids
	return ids
}

func (s *Server) getUser(c *call) {
	id := pathID(c, 1)
	m := c.sp.members[id]
	if m == nil {
		problem(c.w, http.StatusNotFound, fmt.Sprintf("user %d not found", id))
		return
	}
	ok(c, http.StatusOK, map[string]any{"user": s.renderUser(c.sp, m)})
}

// patchUser replaces the editable profile fields (fake choice: omitted
// fields are cleared; mail is required).
func (s *Server) patchUser(c *call) {
	id := pathID(c, 1)
	m := c.sp.members[id]
	if m == nil {
		problem(c.w, http.StatusNotFound, fmt.Sprintf("user %d not found", id))
		return
	}
	if !s.canWrite(c) {
		return
	}
	var in map[string]any
	if !body(c, &in) {
		return
	}
	str := map[string]string{}
	for k, v := range in {
		switch k {
		case "mail", "firstname", "surname", "phone", "address", "postal", "city", "location", "avatar", "birthdate":
			sv, isStr := v.(string)
			if !isStr && v != nil {
				problem(c.w, http.StatusUnprocessableEntity, k+" must be a string")
				return
			}
			str[k] = sv
		default:
			problem(c.w, http.StatusUnprocessableEntity, "unknown field "+k)
			return
		}
	}
	if !validEmail(str["mail"]) {
		problem(c.w, http.StatusUnprocessableEntity, "mail is required and must be an e-mail address")
		return
	}
	if other := s.byMail[strings.ToLower(str["mail"])]; other != nil && other != m.user {
		problem(c.w, http.StatusUnprocessableEntity, "mail is used by another account")
		return
	}
	a := m.user
	delete(s.byMail, strings.ToLower(a.Mail))
	a.Mail, a.FirstName, a.Surname, a.Phone = str["mail"], str["firstname"], str["surname"], str["phone"]
	a.Street, a.HouseNumber, a.Postal, a.City, a.Birthdate = str["address"], "", str["postal"], str["city"], str["birthdate"]
	a.Updated = s.bump(a.Updated)
	s.byMail[strings.ToLower(a.Mail)] = a
	for _, sp := range s.spaceOrder {
		if sp.members[a.ID] != nil {
			sp.sorted = nil
		}
	}
	ok(c, http.StatusOK, "OK")
}

// intField reads an integer from a decoded body; present=false when
// missing or null.
func intField(in map[string]any, k string) (n int64, present, good bool) {
	v, has := in[k]
	if !has || v == nil {
		return 0, false, true
	}
	num, isNum := v.(json.Number)
	if !isNum {
		return 0, true, false
	}
	n, err := num.Int64()
	return n, true, err == nil
}

func (s *Server) setRole(c *call) {
	if !s.canWrite(c) {
		return
	}
	var in map[string]any
	if !body(c, &in) {
		return
	}
	uid, hasU, goodU := intField(in, "user_id")
	rid, hasR, goodR := intField(in, "role_id")
	switch {
	case !hasU || !hasR:
		problem(c.w, http.StatusUnprocessableEntity, "user_id and role_id are required")
		return
	case !goodU || !goodR:
		problem(c.w, http.StatusUnprocessableEntity, "user_id and role_id must be integers")
		return
	}
	m := c.sp.members[uid]
	if m == nil {
		problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("user %d is not in this space", uid))
		return
	}
	if c.sp.role(rid) == nil {
		problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("role %d is not a role of this space", rid))
		return
	}
	if m.roleID != rid {
		m.roleID = rid
		m.user.Updated = s.bump(m.user.Updated)
	}
	ok(c, http.StatusOK, "OK")
}

// ---- invitations ----------------------------------------------------------------

func (s *Server) listInvitations(c *call) {
	invs := make([]any, 0, len(c.sp.invitations))
	for _, id := range slices.Sorted(maps.Keys(c.sp.invitations)) {
		invs = append(invs, renderInvitation(c.sp, c.sp.invitations[id]))
	}
	ok(c, http.StatusOK, map[string]any{"invitations": invs})
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// invite: an address with an account joins at once (the invitation
// records its user_id); an unknown one stays pending; re-inviting a
// pending address keeps one invitation and updates last_sent (fake
// choice). Every entry is checked before anything changes.
func (s *Server) invite(c *call) {
	if !s.canWrite(c) {
		return
	}
	var in struct {
		Invitations []map[string]any `json:"invitations"`
	}
	if !body(c, &in) {
		return
	}
	if len(in.Invitations) == 0 {
		problem(c.w, http.StatusUnprocessableEntity, "invitations must hold at least one entry")
		return
	}
	type entry struct {
		email string
		role  int64
	}
	entries := make([]entry, 0, len(in.Invitations))
	for i, e := range in.Invitations {
		email, _ := e["email"].(string)
		if !validEmail(email) {
			problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("invitations[%d].email is not a valid e-mail address", i))
			return
		}
		rid, has, good := intField(e, "role_id")
		if !good {
			problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("invitations[%d].role_id must be an integer", i))
			return
		}
		if !has {
			rid = c.sp.roleByText("user").ID
		} else if c.sp.role(rid) == nil {
			problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("invitations[%d].role_id %d is not a role of this space", i, rid))
			return
		}
		entries = append(entries, entry{email, rid})
	}
	now := s.now()
	out := make([]any, 0, len(entries))
	for _, e := range entries {
		var inv *Invitation
		for _, x := range c.sp.invitations {
			if strings.EqualFold(x.Email, e.email) && x.UserID == 0 {
				inv = x
			}
		}
		if inv != nil {
			inv.LastSent, inv.RoleID = now, e.role
		} else {
			inv = &Invitation{ID: s.next(), Email: e.email, RoleID: e.role, CreatedAt: now, LastSent: now}
			c.sp.invitations[inv.ID] = inv
		}
		if a := s.byMail[strings.ToLower(e.email)]; a != nil {
			c.sp.addMember(a, e.role)
			inv.UserID = a.ID
		}
		out = append(out, renderInvitation(c.sp, inv))
	}
	ok(c, http.StatusCreated, map[string]any{"msg": fmt.Sprintf("%d invitation(s) sent", len(out)), "invitations": out})
}

func (s *Server) cancelInvitation(c *call) {
	id := pathID(c, 2)
	if c.sp.invitations[id] == nil {
		problem(c.w, http.StatusNotFound, fmt.Sprintf("invitation %d not found", id))
		return
	}
	if !s.canWrite(c) {
		return
	}
	delete(c.sp.invitations, id) // an accepted invitee stays in the space
	ok(c, http.StatusOK, map[string]any{"message": "Invitation deleted"})
}

// ---- teams ----------------------------------------------------------------------

// visible: a private team shows only to superadmins and its members.
func visible(c *call, t *Team) bool {
	return !t.Private || c.sp.roleOf(c.me.ID).Type == "superadmin" || t.has(c.me.ID)
}

func (s *Server) sortedTeams(sp *space) []*Team {
	out := make([]*Team, 0, len(sp.teams))
	for _, id := range slices.Sorted(maps.Keys(sp.teams)) {
		out = append(out, sp.teams[id])
	}
	return out
}

func (s *Server) listTeams(c *call) {
	switch s.teamsStatus {
	case 0:
	case http.StatusForbidden:
		problem(c.w, http.StatusForbidden, "your role does not allow listing every team")
		return
	case http.StatusMethodNotAllowed:
		c.w.Header().Set("Allow", "POST, PATCH")
		problem(c.w, http.StatusMethodNotAllowed, "method GET not allowed on /teams")
		return
	default:
		problem(c.w, s.teamsStatus, "no route for /teams")
		return
	}
	teams := []any{}
	for _, t := range s.sortedTeams(c.sp) {
		if visible(c, t) {
			teams = append(teams, s.renderTeam(c.sp, t))
		}
	}
	ok(c, http.StatusOK, map[string]any{"teams": teams})
}

// publicTeams is the one answer without the envelope (api §3.10).
func (s *Server) publicTeams(c *call) {
	teams := []any{}
	for _, t := range s.sortedTeams(c.sp) {
		if !t.Private {
			teams = append(teams, s.renderTeam(c.sp, t))
		}
	}
	writeJSON(c.w, http.StatusOK, teams)
}

func (s *Server) getTeam(c *call) {
	id := pathID(c, 1)
	t := c.sp.teams[id]
	if t == nil || !visible(c, t) {
		problem(c.w, http.StatusNotFound, fmt.Sprintf("team %d not found", id))
		return
	}
	ok(c, http.StatusOK, map[string]any{"team": s.renderTeam(c.sp, t)})
}

var writableAddress = []string{"addition", "building", "city", "country", "county", "door", "floor", "house_number", "infos", "postalcode", "state", "street"}

// teamInput validates a team write body; the returned team holds exactly
// what was sent, with the full-replace defaults for what was omitted.
// hasID reports whether an id was sent. On failure it has answered 422.
func (s *Server) teamInput(c *call) (t Team, hasID, good bool) {
	var in struct {
		Team map[string]any `json:"team"`
	}
	if !body(c, &in) {
		return t, false, false
	}
	bad := func(msg string) (Team, bool, bool) {
		problem(c.w, http.StatusUnprocessableEntity, msg)
		return Team{}, false, false
	}
	if in.Team == nil {
		return bad("team is required")
	}
	m := in.Team
	id, hasID, goodID := intField(m, "id")
	if !goodID {
		return bad("team.id must be an integer")
	}
	t.ID = id
	for k, v := range m {
		switch k {
		case "id":
		case "name", "description":
			sv, isStr := v.(string)
			if !isStr && v != nil {
				return bad("team." + k + " must be a string")
			}
			if k == "name" {
				t.Name = strings.TrimSpace(sv)
			} else {
				t.Description = sv
			}
		case "private", "hide_users":
			bv, isBool := v.(bool)
			if !isBool && v != nil {
				return bad("team." + k + " must be a boolean")
			}
			if k == "private" {
				t.Private = bv
			} else {
				t.HideUsers = bv
			}
		case "address":
			if v == nil {
				continue
			}
			am, isMap := v.(map[string]any)
			if !isMap {
				return bad("team.address must be an object")
			}
			for ak, av := range am {
				if !slices.Contains(writableAddress, ak) {
					return bad(fmt.Sprintf("team.address.%s cannot be written (writable: %s)", ak, strings.Join(writableAddress, ", ")))
				}
				sv, isStr := av.(string)
				if !isStr && av != nil {
					return bad("team.address." + ak + " must be a string")
				}
				switch ak {
				case "street":
					t.Address.Street = sv
				case "house_number":
					t.Address.HouseNumber = sv
				case "postalcode":
					t.Address.PostalCode = sv
				case "city":
					t.Address.City = sv
				case "country":
					t.Address.Country = sv
				default:
					if sv != "" {
						if t.Address.Extra == nil {
							t.Address.Extra = map[string]string{}
						}
						t.Address.Extra[ak] = sv
					}
				}
			}
		case "users", "leaders":
			if v == nil {
				continue
			}
			list, isList := v.([]any)
			if !isList {
				return bad("team." + k + ` must be a list of {"id": n}`)
			}
			var ids []int64
			for _, e := range list {
				em, isMap := e.(map[string]any)
				if !isMap {
					return bad("team." + k + ` must be a list of {"id": n}`)
				}
				uid, has, good := intField(em, "id")
				if !has || !good {
					return bad("team." + k + ` must be a list of {"id": n}`)
				}
				if c.sp.members[uid] == nil {
					return bad(fmt.Sprintf("team.%s: user %d is not in this space", k, uid))
				}
				if !slices.Contains(ids, uid) {
					ids = append(ids, uid)
				}
			}
			if k == "users" {
				t.Users = ids
			} else {
				t.Leaders = ids
			}
		default:
			return bad("unknown field team." + k)
		}
	}
	if t.Name == "" {
		return bad("team.name is required")
	}
	return t, hasID, true
}

func (s *Server) createTeam(c *call) {
	if !s.canWrite(c) {
		return
	}
	t, hasID, good := s.teamInput(c)
	if !good {
		return
	}
	if hasID {
		problem(c.w, http.StatusUnprocessableEntity, "team.id must not be sent when creating a team")
		return
	}
	t.ID = s.next()
	t.CreatedAt = s.now()
	t.UpdatedAt = t.CreatedAt
	c.sp.teams[t.ID] = &t
	if s.noCreatedTeam {
		ok(c, http.StatusCreated, "OK")
		return
	}
	ok(c, http.StatusCreated, map[string]any{"team": s.renderTeam(c.sp, &t)})
}

// patchTeams is the full replace of api §3.13: the stored team becomes
// exactly the body; omitted fields reset.
func (s *Server) patchTeams(c *call) { s.replaceTeam(c, 0) }

// patchTeamID is PATCH /teams/{id}, only with WithTeamIDPath.
func (s *Server) patchTeamID(c *call) { s.replaceTeam(c, pathID(c, 1)) }

func (s *Server) replaceTeam(c *call, pathTeam int64) {
	if !s.canWrite(c) {
		return
	}
	t, hasID, good := s.teamInput(c)
	if !good {
		return
	}
	if !hasID {
		if pathTeam == 0 {
			problem(c.w, http.StatusUnprocessableEntity, "team.id is required")
			return
		}
		t.ID = pathTeam
	}
	if pathTeam != 0 && t.ID != pathTeam {
		problem(c.w, http.StatusUnprocessableEntity, fmt.Sprintf("team.id %d does not match the path's %d", t.ID, pathTeam))
		return
	}
	old := c.sp.teams[t.ID]
	if old == nil || !visible(c, old) {
		problem(c.w, http.StatusNotFound, fmt.Sprintf("team %d not found", t.ID))
		return
	}
	// Geocoded parts stay while the address is the same.
	if old.Address.Street == t.Address.Street && old.Address.City == t.Address.City && old.Address.HouseNumber == t.Address.HouseNumber {
		t.Address.Latitude, t.Address.Longitude, t.Address.PollingStation = old.Address.Latitude, old.Address.Longitude, old.Address.PollingStation
	}
	t.CreatedAt = old.CreatedAt
	t.UpdatedAt = s.bump(old.UpdatedAt)
	c.sp.teams[t.ID] = &t
	ok(c, http.StatusOK, map[string]any{"team": s.renderTeam(c.sp, &t)})
}
