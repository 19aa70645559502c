package qfieldcloud

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// The server only trims and refuses blank team names; a name with "/" can
// never be addressed again. roster applies the username rules (api §3.1)
// to new names itself: a team is stored as the account "@ORG/NAME".
var nameRE = regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9_]*$`)

// reserved is the server's reserved_words_validator list, verbatim
// (docker-app/qfieldcloud/core/validators.py, opengisch/QFieldCloud
// ccae91d). The server applies it to account usernames; a team's short
// name never passes that validator (the server stores "@ORG/NAME"), so
// refusing these words for teams is roster's choice, for consistency.
var reserved = map[string]bool{
	"user": true, "users": true, "project": true, "projects": true,
	"owner": true, "push": true, "file": true, "files": true,
	"collaborator": true, "collaborators": true, "member": true, "members": true,
	"organization": true, "qfield": true, "qfieldcloud": true, "history": true,
	"version": true, "delta": true, "deltas": true, "deltafile": true,
	"auth": true, "qfield-files": true, "esri": true,
}

// maxUsername is the server's username column (CharField max_length=150),
// which holds a team as "@ORG/NAME".
const maxUsername = 150

// ValidateTeamName applies the username rules to a new team name, without
// knowing the organization: letters, digits, "-" and "_", starting with a
// letter, at least 3 characters, not a reserved word, and short enough
// for "@ORG/NAME" to fit 150 characters with the shortest organization
// name (3). CreateTeam and RenameTeam check the exact length for their
// organization (ValidateTeamNameIn).
func ValidateTeamName(name string) error { return validateTeamName(name, maxUsername-len("@abc/")) }

// ValidateTeamNameIn is ValidateTeamName for a team of org: "@ORG/NAME"
// must fit the server's 150-character username column, or the server
// crashes (500) instead of refusing.
func ValidateTeamNameIn(org, name string) error {
	return validateTeamName(name, maxUsername-len("@"+org+"/"))
}

func validateTeamName(name string, max int) error {
	switch {
	case len(name) < 3:
		return fmt.Errorf("team name %q: want at least 3 characters", name)
	case len(name) > max:
		return fmt.Errorf("team name %q is %d characters: at most %d fit (QFieldCloud stores a team as @ORGANIZATION/NAME in %d characters)", clipName(name), len(name), max, maxUsername)
	case !nameRE.MatchString(name):
		return fmt.Errorf("team name %q: use letters, digits, - and _, starting with a letter", name)
	case reserved[strings.ToLower(name)]:
		return fmt.Errorf("team name %q is reserved: QFieldCloud refuses it as an account name", name)
	}
	return nil
}

func clipName(s string) string {
	if len(s) > 40 {
		return s[:37] + "…"
	}
	return s
}

// ValidateTeamName lets callers check a name before sending it
// (client.TeamNamer).
func (c *Client) ValidateTeamName(name string) error { return ValidateTeamName(name) }

func teamPath(org string, rest ...string) string {
	parts := append([]string{"organizations", seg(org), "teams"}, rest...)
	return path(parts...)
}

func noTeam(org, team string) explainer {
	return func(e *client.APIError) (string, error) {
		if is(e, 404, "object_not_found") {
			return fmt.Sprintf("no team %s in %s (names are case-sensitive)", team, org), nil
		}
		return noOrg(org)(e)
	}
}

func sortTeam(t *client.Team) {
	sort.Slice(t.Members, func(i, j int) bool { return t.Members[i].User < t.Members[j].User })
}

// Teams lists an organization's teams with their members, sorted by name
// (the server has no order).
func (c *Client) Teams(ctx context.Context, org string) ([]client.Team, error) {
	what := fmt.Sprintf("listing teams of %s", org)
	if org == "" {
		return nil, badInput(what, "no organization given")
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: teamPath(org)})
	if err != nil {
		return nil, fail(what, err, noOrg(org))
	}
	var rows []wireTeam
	if err := decodeOne(resp.Body, "team list", &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make([]client.Team, len(rows))
	for i, r := range rows {
		out[i] = r.team()
		if r.Members == nil { // v0.30 servers: members only on their own route
			ms, err := c.teamMembers(ctx, org, r.Team)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			out[i].Members = ms
		}
		sortTeam(&out[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Team gets one team by its short name.
func (c *Client) Team(ctx context.Context, org, team string) (client.Team, error) {
	what := fmt.Sprintf("getting team %s/%s", org, team)
	if org == "" || team == "" {
		return client.Team{}, badInput(what, "an organization and a team are needed")
	}
	if err := addressable(what, "team", team, slashTeamHint); err != nil {
		return client.Team{}, err
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: teamPath(org, seg(team))})
	if err != nil {
		return client.Team{}, fail(what, err, noTeam(org, team))
	}
	var w wireTeam
	if err := decodeOne(resp.Body, "team", &w); err != nil {
		return client.Team{}, fmt.Errorf("%s: %w", what, err)
	}
	t := w.team()
	if w.Members == nil {
		if t.Members, err = c.teamMembers(ctx, org, team); err != nil {
			return client.Team{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	sortTeam(&t)
	return t, nil
}

// teamMembers reads the team member route (never paginated).
func (c *Client) teamMembers(ctx context.Context, org, team string) ([]client.TeamMember, error) {
	if err := addressable(fmt.Sprintf("listing members of team %s/%s", org, team), "team", team, slashTeamHint); err != nil {
		return nil, err
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: teamPath(org, seg(team), "members")})
	if err != nil {
		return nil, fail(fmt.Sprintf("listing members of team %s/%s", org, team), err, func(e *client.APIError) (string, error) {
			if is(e, 403, "permission_denied") {
				return fmt.Sprintf("no team %s in %s", team, org), client.ErrNotFound
			}
			return "", nil
		})
	}
	var rows []wireTeamMember
	if err := decodeOne(resp.Body, "team member list", &rows); err != nil {
		return nil, err
	}
	out := make([]client.TeamMember, len(rows))
	for i, r := range rows {
		out[i] = client.TeamMember{User: r.Member}
	}
	return out, nil
}

// CreateTeam creates a team after checking the name locally and against
// the existing teams: the server answers a taken name with a bare 500.
func (c *Client) CreateTeam(ctx context.Context, org string, spec client.TeamSpec) (client.Team, error) {
	name := strings.TrimSpace(spec.Name)
	what := fmt.Sprintf("creating team %s in %s", name, org)
	if spec.Private {
		return client.Team{}, fmt.Errorf("%s: private teams: qfieldcloud has no API for this: %w", what, client.ErrUnsupported)
	}
	if spec.Description != "" {
		return client.Team{}, fmt.Errorf("%s: team descriptions: qfieldcloud has no API for this: %w", what, client.ErrUnsupported)
	}
	if org == "" {
		return client.Team{}, badInput(what, "no organization given")
	}
	if err := ValidateTeamNameIn(org, name); err != nil {
		return client.Team{}, fmt.Errorf("%s: %w: %w", what, err, client.ErrBadInput)
	}
	teams, err := c.Teams(ctx, org)
	if err != nil {
		return client.Team{}, fmt.Errorf("%s: %w", what, err)
	}
	for _, t := range teams {
		if strings.EqualFold(t.Name, name) {
			return client.Team{}, fmt.Errorf("%s: %w", what, &client.APIError{Kind: client.ErrInvalid,
				Message: fmt.Sprintf("%s already has a team named %s", org, t.Name)})
		}
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: teamPath(org), Body: map[string]string{"team": name}})
	if err != nil {
		return client.Team{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "teams"), nil
			case is(e, 400, "api_error"):
				return "the server refused the team name", nil
			case is(e, 500, "unknown_error"):
				return fmt.Sprintf("the server failed on the name %s: it is probably taken, perhaps by a case variant", name), nil
			}
			return "", nil
		})
	}
	var w wireTeam
	if err := decodeOne(resp.Body, "team", &w); err != nil {
		return client.Team{}, fmt.Errorf("%s: %w", what, err)
	}
	t := w.team()
	sortTeam(&t)
	return t, nil
}

// RenameTeam renames a team (PUT; the server refuses PATCH).
func (c *Client) RenameTeam(ctx context.Context, org, team, name string) (client.Team, error) {
	name = strings.TrimSpace(name)
	what := fmt.Sprintf("renaming team %s/%s to %s", org, team, name)
	if org == "" || team == "" {
		return client.Team{}, badInput(what, "an organization and a team are needed")
	}
	if err := addressable(what, "team", team, slashTeamHint); err != nil {
		return client.Team{}, err
	}
	if name == team {
		// The server would refuse it as a taken name (api §4.11).
		return client.Team{}, badInput(what, "that is already its name")
	}
	if err := ValidateTeamNameIn(org, name); err != nil {
		return client.Team{}, fmt.Errorf("%s: %w: %w", what, err, client.ErrBadInput)
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPut, Path: teamPath(org, seg(team)), Body: map[string]string{"team": name}})
	if err != nil {
		return client.Team{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "teams"), nil
			case is(e, 404, ""):
				return fmt.Sprintf("no team %s in %s (names are case-sensitive)", team, org), nil
			case is(e, 400, "api_error"):
				return fmt.Sprintf("%s already has a team named %s", org, name), nil
			case is(e, 500, "unknown_error"):
				return fmt.Sprintf("the server refused the name %s (probably a case variant of another team)", name), nil
			}
			return "", nil
		})
	}
	var w wireTeam
	if err := decodeOne(resp.Body, "team", &w); err != nil {
		return client.Team{}, fmt.Errorf("%s: %w", what, err)
	}
	t := w.team()
	if w.Members == nil {
		t.Members = []client.TeamMember{}
	}
	sortTeam(&t)
	return t, nil
}

// DeleteTeam deletes a team; its memberships and project roles go too.
func (c *Client) DeleteTeam(ctx context.Context, org, team string) error {
	what := fmt.Sprintf("deleting team %s/%s", org, team)
	if org == "" || team == "" {
		return badInput(what, "an organization and a team are needed")
	}
	if err := addressable(what, "team", team, slashTeamHint); err != nil {
		return err
	}
	_, err := c.rc.Do(ctx, rest.Request{Method: http.MethodDelete, Path: teamPath(org, seg(team))})
	if err != nil {
		return fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "teams"), nil
			case is(e, 404, ""):
				return fmt.Sprintf("no team %s in %s (names are case-sensitive)", team, org), nil
			}
			return "", nil
		})
	}
	return nil
}

func teamAdminOnly(org, team string) string {
	return fmt.Sprintf("only organization admins can change teams of %s (or %s or its team %s does not exist)", org, org, team)
}

// AddTeamMember adds a person (username or e-mail, exact) to a team.
// QFieldCloud has no team leaders, and lets a person be in only one team
// on the whole server.
func (c *Client) AddTeamMember(ctx context.Context, org, team, user string, leader bool) error {
	what := fmt.Sprintf("adding %s to team %s/%s", user, org, team)
	if leader {
		return fmt.Errorf("%s: team leaders: qfieldcloud has no API for this: %w", what, client.ErrUnsupported)
	}
	if org == "" || team == "" || strings.TrimSpace(user) == "" {
		return badInput(what, "an organization, a team and a user are needed")
	}
	if err := addressable(what, "team", team, slashTeamHint); err != nil {
		return err
	}
	_, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: teamPath(org, seg(team), "members"), Body: map[string]string{"member": user}})
	if err != nil {
		return fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return teamAdminOnly(org, team), nil
			case is(e, 400, "api_error"):
				return fmt.Sprintf("no account %s, or %s is already in a team (QFieldCloud allows one team per person on the whole server)", user, user), nil
			case is(e, 400, "validation_error"):
				return fmt.Sprintf("%s is not a member of %s (only the organization's people can join its teams)", user, org), nil
			case is(e, 500, "unknown_error"):
				return fmt.Sprintf("%s is one account's username and another's e-mail: use the exact username", user), nil
			}
			return "", nil
		})
	}
	return nil
}

// RemoveTeamMember removes a person from a team.
func (c *Client) RemoveTeamMember(ctx context.Context, org, team, user string) error {
	what := fmt.Sprintf("removing %s from team %s/%s", user, org, team)
	if org == "" || team == "" || user == "" {
		return badInput(what, "an organization, a team and a user are needed")
	}
	if strings.Contains(user, "@") {
		// Usernames never hold "@". The server adds by username or
		// e-mail but removes by username only, and its API shows no
		// one else's e-mail, so roster cannot look the username up.
		return badInput(what, fmt.Sprintf("QFieldCloud removes team members by username only, and %s looks like an e-mail: give the username (roster teams members %s/%s lists them)", user, org, team))
	}
	if err := addressable(what, "team", team, slashTeamHint); err != nil {
		return err
	}
	_, err := c.rc.Do(ctx, rest.Request{Method: http.MethodDelete, Path: teamPath(org, seg(team), "members", seg(user))})
	if err != nil {
		return fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return teamAdminOnly(org, team), nil
			case is(e, 404, ""):
				return fmt.Sprintf("%s is not in team %s/%s", user, org, team), nil
			}
			return "", nil
		})
	}
	return nil
}
