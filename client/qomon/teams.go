package qomon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/roster-cli/roster/client"
)

// Teams lists the space's teams. A token that may not list every team
// gets the public ones (see ListTeams, which says so).
func (c *Client) Teams(ctx context.Context, org string) ([]client.Team, error) {
	l, err := c.ListTeams(ctx, org)
	return l.Teams, err
}

// ListTeams lists the space's teams. When GET /teams is refused (403: the
// token's role may not see private teams) or missing (404/405: an older
// server) the public teams are listed instead, and PublicOnly says so.
func (c *Client) ListTeams(ctx context.Context, _ string) (client.TeamList, error) {
	ts, public, err := c.listTeams(ctx)
	if err != nil {
		return client.TeamList{}, fail("listing teams", err)
	}
	out := make([]client.Team, len(ts))
	for i := range ts {
		out[i] = ts[i].Team
	}
	return client.TeamList{Teams: out, PublicOnly: public}, nil
}

// listTeams reads GET /teams, or GET /teams/public (public = true) where
// the full list is refused or missing.
func (c *Client) listTeams(ctx context.Context) (ts []team, public bool, err error) {
	roles := c.cachedRoles(ctx)
	var out struct {
		Teams []wireTeam `json:"teams"`
	}
	err = c.call(ctx, get, "teams", nil, nil, &out)
	if isStatus(err, 403, 404, 405) {
		ts, err = c.publicTeams(ctx, roles)
		return ts, true, err
	}
	if err != nil {
		return nil, false, err
	}
	ts, err = decodeTeams(out.Teams, roles)
	return ts, false, err
}

// publicTeams reads GET /teams/public, the one bare-array answer.
func (c *Client) publicTeams(ctx context.Context, roles []client.Role) ([]team, error) {
	resp, err := c.rc.Do(ctx, restGet("teams/public"))
	if err != nil {
		return nil, err
	}
	var ws []wireTeam
	if err := decodeBare(get, "teams/public", resp, &ws); err != nil {
		return nil, err
	}
	return decodeTeams(ws, roles)
}

func decodeTeams(ws []wireTeam, roles []client.Role) ([]team, error) {
	ts := make([]team, 0, len(ws))
	for i := range ws {
		t, err := ws[i].team(roles)
		if err != nil {
			return nil, fmt.Errorf("unexpected answer from Qomon: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// Team gets one team by id or exact name.
func (c *Client) Team(ctx context.Context, _ string, ref string) (client.Team, error) {
	t, err := c.findTeam(ctx, ref)
	if err != nil {
		return client.Team{}, fail("getting team "+ref, err)
	}
	return t.Team, nil
}

// findTeam resolves a team by numeric id (GET /teams/{id}) or by exact
// name (the list). A name shared by several teams must be given by id.
func (c *Client) findTeam(ctx context.Context, ref string) (team, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return team{}, fmt.Errorf("no team given: %w", client.ErrBadInput)
	}
	if n := parseID(ref); n.OK && !strings.ContainsAny(ref, ".eE+") {
		t, err := c.getTeam(ctx, n.N)
		if err == nil || !errors.Is(err, client.ErrNotFound) {
			return t, err
		}
		// A team may be named "2026": try the names before giving up.
		if t, ok, lerr := c.teamByName(ctx, ref); lerr == nil && ok {
			return t, nil
		}
		return team{}, err
	}
	t, ok, err := c.teamByName(ctx, ref)
	if err != nil {
		return team{}, err
	}
	if !ok {
		return team{}, fmt.Errorf("no team named %q in this space (names are exact; an id works too): %w", ref, client.ErrNotFound)
	}
	return t, nil
}

func (c *Client) teamByName(ctx context.Context, name string) (team, bool, error) {
	ts, public, err := c.listTeams(ctx)
	if err != nil {
		return team{}, false, err
	}
	if public && !slices.ContainsFunc(ts, func(t team) bool { return t.Name == name }) {
		return team{}, false, fmt.Errorf("no public team named %q (%s; give a private team by id): %w", name, client.PublicTeamsNote, client.ErrNotFound)
	}
	var hit []team
	for _, t := range ts {
		if t.Name == name {
			hit = append(hit, t)
		}
	}
	switch len(hit) {
	case 0:
		return team{}, false, nil
	case 1:
		return hit[0], true, nil
	}
	var ids []string
	for _, t := range hit {
		ids = append(ids, t.ID)
	}
	return team{}, false, fmt.Errorf("%d teams are named %q (ids %s): give the id: %w", len(hit), name, strings.Join(ids, ", "), client.ErrBadInput)
}

// getTeam reads GET /teams/{id}; where that route is missing (404/405,
// it is [CODE only]) the list is searched instead, and a team absent
// there was deleted.
func (c *Client) getTeam(ctx context.Context, id int64) (team, error) {
	var out struct {
		Team *wireTeam `json:"team"`
	}
	err := c.call(ctx, get, "teams/"+itoa(id), nil, nil, &out)
	if isStatus(err, 404, 405) {
		ts, _, lerr := c.listTeams(ctx)
		if lerr != nil {
			return team{}, lerr
		}
		for _, t := range ts {
			if t.id == id {
				return t, nil
			}
		}
		return team{}, fmt.Errorf("no team %d in this space: %w", id, client.ErrNotFound)
	}
	if err != nil {
		return team{}, err
	}
	if out.Team == nil {
		return team{}, &client.APIError{Kind: client.ErrServer, Message: "unexpected answer from Qomon: no team in the answer", Method: get, Path: "teams/" + itoa(id)}
	}
	t, err := out.Team.team(c.cachedRoles(ctx))
	if err != nil {
		return team{}, fmt.Errorf("unexpected answer from Qomon: %w", err)
	}
	return t, nil
}

// teamBody is the write shape of a team (api §3.13): every writable
// field, lists as {id}.
type teamBody struct {
	ID          *int64            `json:"id,omitempty"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Private     bool              `json:"private"`
	HideUsers   bool              `json:"hide_users"`
	Address     map[string]string `json:"address"`
	Users       []idRef           `json:"users"`
	Leaders     []idRef           `json:"leaders"`
}

// writeAddress spells an address the way writes want it: house_number,
// only the writable keys, read-only parts dropped.
func writeAddress(a client.Address) map[string]string {
	m := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set("street", a.Street)
	set("house_number", a.HouseNumber)
	set("postalcode", a.PostalCode)
	set("city", a.City)
	set("country", a.Country)
	for _, k := range addressExtra {
		set(k, a.Extra[k])
	}
	return m
}

func ids(list []int64) []idRef {
	out := make([]idRef, len(list))
	for i, id := range list {
		out[i] = idRef{id}
	}
	return out
}

// bodyOf builds the full write body from a (fresh) team.
func bodyOf(t team) teamBody {
	id := t.id
	return teamBody{
		ID: &id, Name: t.Name, Description: t.Description,
		Private: t.Private, HideUsers: t.HideUsers,
		Address: writeAddress(t.Address),
		Users:   ids(t.users), Leaders: ids(t.leaders),
	}
}

// CreateTeam creates a team, sending every field (defaults are
// unverified). Qomon accepts duplicate names, so a team of that name
// already there is refused first: that is also what makes running the
// command again after a lost answer safe. The answer's shape is
// unverified too: a 2xx without the team, or an answer lost on the way
// (timeout, 5xx), is settled by reading the list back and finding the
// new team by name.
func (c *Client) CreateTeam(ctx context.Context, _ string, spec client.TeamSpec) (client.Team, error) {
	name := strings.TrimSpace(spec.Name)
	what := fmt.Sprintf("creating team %q", name)
	if name == "" {
		return client.Team{}, badInput("creating a team", "the name is empty")
	}
	before, _, err := c.listTeams(ctx)
	if err != nil {
		return client.Team{}, fail(what+": checking the name first", err)
	}
	known := map[int64]bool{}
	for _, t := range before {
		known[t.id] = true
		if t.Name == name {
			return client.Team{}, fail(what, &client.APIError{Kind: client.ErrInvalid,
				Message: fmt.Sprintf("a team named %q already exists (id %s): Qomon would keep both; choose another name or use that team", name, t.ID)})
		}
	}
	body := teamBody{
		Name: name, Description: spec.Description, Private: spec.Private,
		Address: map[string]string{}, Users: []idRef{}, Leaders: []idRef{},
	}
	var out struct {
		Team *wireTeam `json:"team"`
	}
	// data may be "OK" rather than an object: read it loosely.
	var raw json.RawMessage
	err = c.call(ctx, post, "teams", nil, map[string]any{"team": body}, &raw)
	if err == nil && json.Unmarshal(raw, &out) == nil && out.Team != nil {
		t, derr := out.Team.team(c.cachedRoles(ctx))
		if derr != nil {
			return client.Team{}, fail(what, derr)
		}
		return t.Team, nil
	}
	if err != nil && !uncertain(err) {
		return client.Team{}, fail(what, err)
	}
	// Created without the team in the answer, or perhaps created: look.
	t, found, lerr := c.newTeamNamed(ctx, name, known)
	switch {
	case lerr != nil && err != nil:
		return client.Team{}, fail(what, err)
	case lerr != nil:
		return client.Team{}, fail(what+": the server accepted it without returning the team, and reading the list back failed", lerr)
	case found:
		return t.Team, nil
	case err != nil:
		return client.Team{}, fail(what+": the answer was lost and no such team is in the list read back, so it was most likely not created", err)
	}
	return client.Team{}, fail(what, &client.APIError{Kind: client.ErrServer, Method: post, Path: "teams",
		Message: "the server accepted the team but it is not in the list read back (this token may not see it)"})
}

// newTeamNamed finds, after a create, the one team of that name that was
// not there before.
func (c *Client) newTeamNamed(ctx context.Context, name string, known map[int64]bool) (team, bool, error) {
	ts, _, err := c.listTeams(ctx)
	if err != nil {
		return team{}, false, err
	}
	for _, t := range ts {
		if t.Name == name && !known[t.id] {
			return t, true, nil
		}
	}
	return team{}, false, nil
}

// DeleteTeam: no published endpoint deletes a team.
func (c *Client) DeleteTeam(context.Context, string, string) error {
	return unsupported("deleting a team", "delete teams in the Qomon web app")
}

// RenameTeam renames a team through a safe full-replace write.
func (c *Client) RenameTeam(ctx context.Context, _ string, ref, name string) (client.Team, error) {
	return c.modify(ctx, ref, ref, nil, client.TeamChange{Rename: &name})
}

// AddTeamMember adds a user (id or e-mail) to a team, as a leader if asked.
func (c *Client) AddTeamMember(ctx context.Context, _ string, ref, user string, leader bool) error {
	_, err := c.modify(ctx, ref, ref, nil, client.TeamChange{AddMember: user, Leader: leader})
	return err
}

// RemoveTeamMember removes a user from a team and from its leaders.
func (c *Client) RemoveTeamMember(ctx context.Context, _ string, ref, user string) error {
	_, err := c.modify(ctx, ref, ref, nil, client.TeamChange{RemoveMember: user})
	return err
}

// SetTeamPrivate makes a team private (secret) or public.
func (c *Client) SetTeamPrivate(ctx context.Context, _ string, ref string, private bool) error {
	_, err := c.modify(ctx, ref, ref, nil, client.TeamChange{Private: &private})
	return err
}
