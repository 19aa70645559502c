package qomon

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/paging"
)

// CurrentUser checks the token with the cheapest authenticated request,
// GET /roles. The API has no "me", so the User is empty.
func (c *Client) CurrentUser(ctx context.Context) (client.User, error) {
	if _, err := c.fetchRoles(ctx); err != nil {
		return client.User{}, fail("checking the Qomon token", err)
	}
	return client.User{}, nil
}

// Logout: Qomon API keys are managed in the web app only.
func (c *Client) Logout(context.Context) error {
	return unsupported("signing out", "API keys are revoked in the Qomon web app; roster only forgets the token")
}

// Roles lists the space's roles by order (most privileged first).
func (c *Client) Roles(ctx context.Context) ([]client.Role, error) {
	roles, err := c.fetchRoles(ctx)
	if err != nil {
		return nil, fail("listing roles", err)
	}
	return append([]client.Role(nil), roles...), nil
}

// fetchRoles reads GET /roles and refreshes the cache.
func (c *Client) fetchRoles(ctx context.Context) ([]client.Role, error) {
	var out struct {
		Roles []wireRole `json:"roles"`
	}
	if err := c.call(ctx, get, "roles", nil, nil, &out); err != nil {
		return nil, err
	}
	roles := make([]client.Role, 0, len(out.Roles))
	for _, w := range out.Roles {
		if w.ID.OK {
			roles = append(roles, w.role())
		}
	}
	sort.SliceStable(roles, func(i, j int) bool { return roles[i].Order < roles[j].Order })
	c.mu.Lock()
	c.roles = roles
	c.mu.Unlock()
	return roles, nil
}

// cachedRoles returns the roles for decoding users, reading them once.
// Roles are a nicety there: if they cannot be read (a weak token), users
// still decode, with the names their role_data carries.
func (c *Client) cachedRoles(ctx context.Context) []client.Role {
	c.mu.Lock()
	roles := c.roles
	c.mu.Unlock()
	if roles != nil {
		return roles
	}
	roles, err := c.fetchRoles(ctx)
	if err != nil {
		return nil
	}
	return roles
}

// resolveRole finds a role given by id, kind (type) or case-insensitive
// name, against a fresh GET /roles (api §3.5).
func (c *Client) resolveRole(ctx context.Context, what, role string) (client.Role, error) {
	roles, err := c.fetchRoles(ctx)
	if err != nil {
		return client.Role{}, fail(what+": reading the space's roles", err)
	}
	return matchRole(what, role, roles)
}

// matchRole: id, then type, then case-insensitive name; ambiguous or
// unknown is bad input listing the valid names.
func matchRole(what, role string, roles []client.Role) (client.Role, error) {
	role = strings.TrimSpace(role)
	if r, ok := roleByID(roles, role); ok {
		return r, nil
	}
	for _, step := range []func(client.Role) bool{
		func(r client.Role) bool { return r.Kind != "" && strings.EqualFold(r.Kind, role) },
		func(r client.Role) bool { return strings.EqualFold(r.Name, role) },
	} {
		var hit []client.Role
		for _, r := range roles {
			if step(r) {
				hit = append(hit, r)
			}
		}
		switch {
		case len(hit) == 1:
			return hit[0], nil
		case len(hit) > 1:
			var ids []string
			for _, r := range hit {
				ids = append(ids, fmt.Sprintf("%s (id %s)", r.Name, r.ID))
			}
			return client.Role{}, badInput(what, fmt.Sprintf("role %q is ambiguous: it matches %s; give the role id", role, strings.Join(ids, ", ")))
		}
	}
	return client.Role{}, badInput(what, fmt.Sprintf("unknown role %q; roles in this space: %s", role, roleNames(roles)))
}

func roleNames(roles []client.Role) string {
	var names []string
	for _, r := range roles {
		s := r.Name
		if r.Kind != "" && !strings.EqualFold(r.Kind, r.Name) {
			s += " (" + r.Kind + ")"
		}
		names = append(names, fmt.Sprintf("%s [id %s]", s, r.ID))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Users lists the space's users. GET /users has no filters, so Search
// and ExcludeTeam are applied here; organization filters do not exist
// on Qomon.
func (c *Client) Users(ctx context.Context, q client.UserQuery, emit client.Emit[client.User]) error {
	switch {
	case q.Org != "", q.ExcludeOrg != "":
		return unsupported("filtering users by organization", "a Qomon token selects one space; there are no organizations")
	case q.PersonsOnly:
		return unsupported("filtering persons from organizations", "every Qomon user is a person")
	}
	var drop map[string]bool
	if q.ExcludeTeam != "" {
		t, err := c.findTeam(ctx, q.ExcludeTeam)
		if err != nil {
			return fail("listing users", err)
		}
		drop = map[string]bool{}
		for _, m := range t.Members {
			drop[m.User] = true
		}
	}
	search := strings.ToLower(strings.TrimSpace(q.Search))
	filtered := search != "" || drop != nil
	capped := paging.Capped(q.Limit, emit)
	limit := q.Limit
	if filtered {
		limit = 0 // the filter drops rows: the pager cannot stop at the limit
	}
	err := c.fetchUsers(ctx, q.Sort, limit, func(page []client.User) error {
		if filtered {
			kept := page[:0:0]
			for _, u := range page {
				if drop[u.ID] || (search != "" && !matches(u, search)) {
					continue
				}
				kept = append(kept, u)
			}
			page = kept
		}
		if len(page) == 0 {
			return nil
		}
		return capped(page)
	})
	if err != nil {
		return fail("listing users", err)
	}
	return nil
}

// matches: case-insensitive substring of the name or the e-mail.
func matches(u client.User, lower string) bool {
	return strings.Contains(strings.ToLower(u.Name()), lower) ||
		strings.Contains(strings.ToLower(u.Email), lower)
}

// pageOptions are the pager's settings for GET /users. The server's page
// cap is undocumented and count is unverified (api §2.3), so the pager
// learns the cap from a short page and pages on until an empty page or
// the count; a count the rows never reach fails the list.
var pageOptions = paging.Options{First: 500, MaxPage: 5000, Concurrency: 4}

// fetchUsers pages through GET /users.
func (c *Client) fetchUsers(ctx context.Context, sorted bool, max int, emit func([]client.User) error) error {
	roles := c.cachedRoles(ctx)
	opt := pageOptions
	opt.Max = max
	return paging.Fetch(ctx, opt, func(ctx context.Context, offset, limit int) ([]client.User, int, error) {
		q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
		if sorted {
			q.Set("sort", "true")
		}
		var page userPage
		if err := c.call(ctx, get, "users", q, nil, &page); err != nil {
			return nil, 0, err
		}
		users := make([]client.User, 0, len(page.Users))
		for i := range page.Users {
			u, err := page.Users[i].user(roles)
			if err != nil {
				return nil, 0, fmt.Errorf("unexpected answer from Qomon: a user at offset %d: %w", offset+i, err)
			}
			users = append(users, u)
		}
		total := -1
		if page.Count.OK && page.Count.N >= 0 {
			total = int(page.Count.N)
		}
		return users, total, nil
	}, emit)
}

// User gets one user by numeric id (GET /users/{id}) or by e-mail (looked
// up in the list: the API has no search).
func (c *Client) User(ctx context.Context, id string) (client.User, error) {
	u, err := c.findUser(ctx, id)
	if err != nil {
		return client.User{}, fail("getting user "+id, err)
	}
	return u, nil
}

func (c *Client) findUser(ctx context.Context, ref string) (client.User, error) {
	ref = strings.TrimSpace(ref)
	if n := parseID(ref); n.OK && !strings.ContainsAny(ref, ".eE+") {
		return c.getUser(ctx, n.N)
	}
	if !strings.Contains(ref, "@") {
		return client.User{}, fmt.Errorf("%q is neither a numeric user id nor an e-mail address: %w", ref, client.ErrBadInput)
	}
	var found *client.User
	err := c.fetchUsers(ctx, false, 0, func(page []client.User) error {
		for i := range page {
			if strings.EqualFold(page[i].Email, ref) {
				found = &page[i]
				return paging.ErrEnough
			}
		}
		return nil
	})
	if err != nil {
		return client.User{}, err
	}
	if found == nil {
		return client.User{}, fmt.Errorf("no user with e-mail %s in this space: %w", ref, client.ErrNotFound)
	}
	return *found, nil
}

func (c *Client) getUser(ctx context.Context, id int64) (client.User, error) {
	var out struct {
		User *wireUser `json:"user"`
	}
	if err := c.call(ctx, get, "users/"+itoa(id), nil, nil, &out); err != nil {
		return client.User{}, err
	}
	if out.User == nil {
		return client.User{}, &client.APIError{Kind: client.ErrServer, Message: "unexpected answer from Qomon: no user in the answer", Method: get, Path: "users/" + itoa(id)}
	}
	return out.User.user(c.cachedRoles(ctx))
}

// userID resolves a user given by id or e-mail to its numeric id without
// a request when it is already numeric.
func (c *Client) userID(ctx context.Context, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if n := parseID(ref); n.OK && !strings.ContainsAny(ref, ".eE+") {
		return n.N, nil
	}
	u, err := c.findUser(ctx, ref)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(u.ID, 10, 64)
	return n, nil
}

// SetUserRole gives a user (id or e-mail) a role (id, kind or name). The
// user is re-read just before PATCH /users/role (api §6); if they already
// hold the role nothing is sent (Qomon e-mails people on every change).
func (c *Client) SetUserRole(ctx context.Context, user, role string) (client.User, error) {
	what := fmt.Sprintf("setting the role of %s to %s", user, role)
	id, err := c.userID(ctx, user)
	if err != nil {
		return client.User{}, fail(what, err)
	}
	r, err := c.resolveRole(ctx, what, role)
	if err != nil {
		return client.User{}, err
	}
	fresh, err := c.getUser(ctx, id)
	if err != nil {
		return client.User{}, fail(what, err)
	}
	if fresh.Role != nil && fresh.Role.ID == r.ID {
		return fresh, nil
	}
	rid, _ := strconv.ParseInt(r.ID, 10, 64)
	body := map[string]int64{"user_id": id, "role_id": rid}
	if err := c.call(ctx, patch, "users/role", nil, body, nil); err != nil {
		return client.User{}, fail(what, err)
	}
	after, err := c.getUser(ctx, id)
	if err != nil {
		return client.User{}, fail(what+": the role was changed, but re-reading the user failed", err)
	}
	return after, nil
}

// member converts a user to a space membership.
func member(u client.User) client.Member {
	m := client.Member{User: u.ID, Email: u.Email, Name: u.Name(), Role: unknownRole}
	if u.Role != nil {
		m.Role, m.RoleID = u.Role.Name, u.Role.ID
	}
	return m
}

// Members lists the space's users as memberships.
func (c *Client) Members(ctx context.Context, _ string, emit client.Emit[client.Member]) error {
	err := c.fetchUsers(ctx, false, 0, func(page []client.User) error {
		ms := make([]client.Member, len(page))
		for i, u := range page {
			ms[i] = member(u)
		}
		return emit(ms)
	})
	if err != nil {
		return fail("listing members", err)
	}
	return nil
}

// Member gets one user (id or e-mail) as a membership.
func (c *Client) Member(ctx context.Context, _ string, user string) (client.Member, error) {
	u, err := c.findUser(ctx, user)
	if err != nil {
		return client.Member{}, fail("getting member "+user, err)
	}
	return member(u), nil
}

// AddMember: people join a space by invitation only.
func (c *Client) AddMember(context.Context, string, client.MemberSpec) (client.Member, error) {
	return client.Member{}, unsupported("adding a member", "people join a Qomon space by invitation: use roster invitations send")
}

// UpdateMember changes a member's role; Qomon has no visibility flag.
func (c *Client) UpdateMember(ctx context.Context, _ string, user string, up client.MemberUpdate) (client.Member, error) {
	if up.Public != nil {
		return client.Member{}, unsupported("changing a member's visibility", "Qomon memberships have no public flag")
	}
	if up.Role == nil {
		return c.Member(ctx, "", user)
	}
	u, err := c.SetUserRole(ctx, user, *up.Role)
	if err != nil {
		return client.Member{}, err
	}
	return member(u), nil
}

// RemoveMember: no published endpoint removes someone from a space.
func (c *Client) RemoveMember(context.Context, string, string) error {
	return unsupported("removing a member", "remove people from the space in the Qomon web app")
}

// Organizations: a Qomon token selects one space; there is no list.
func (c *Client) Organizations(context.Context) ([]client.Organization, error) {
	return nil, unsupported("listing organizations", "a Qomon token selects one space")
}

// Organization: see Organizations.
func (c *Client) Organization(context.Context, string) (client.Organization, error) {
	return client.Organization{}, unsupported("getting an organization", "a Qomon token selects one space")
}
