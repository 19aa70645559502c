package qfieldcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// Projects and collaborators (api §9). A project is addressed only by its
// id, lower-case in every path (collaborators/ matches nothing else). No
// body ever carries "projectid" or "owner": the server's permission check
// reads projectid from the body before the URL (api §9.11).

// wireProject is a project object (api §9.2).
type wireProject struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ProjectType      string `json:"project_type"`
	Owner            string `json:"owner"`
	Description      string `json:"description"`
	Private          *bool  `json:"private"`
	IsPublic         *bool  `json:"is_public"`
	CreatedAt        string `json:"created_at"`
	UpdatedAt        string `json:"updated_at"`
	Status           string `json:"status"`
	UserRole         string `json:"user_role"`
	UserRoleOrigin   string `json:"user_role_origin"`
	IsFeatured       bool   `json:"is_featured"`
	FileStorageBytes *int64 `json:"file_storage_bytes"`
}

func parseTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	return &t
}

func (w wireProject) project() client.Project {
	p := client.Project{
		ID:             strings.ToLower(w.ID),
		Owner:          w.Owner,
		Name:           w.Name,
		Description:    w.Description,
		Type:           w.ProjectType,
		Status:         w.Status,
		Featured:       w.IsFeatured,
		UserRole:       w.UserRole,
		UserRoleOrigin: client.RoleOrigin(w.UserRoleOrigin),
		CreatedAt:      parseTime(w.CreatedAt),
		UpdatedAt:      parseTime(w.UpdatedAt),
	}
	switch {
	case w.Private != nil:
		p.Private = *w.Private
	case w.IsPublic != nil:
		p.Private = !*w.IsPublic
	}
	if w.FileStorageBytes != nil {
		p.StorageBytes = *w.FileStorageBytes
	}
	return p
}

// wireCollaborator is a collaborator row (api §9.5): seven fields, no id,
// no type, no is_incognito.
type wireCollaborator struct {
	ProjectID    string `json:"project_id"`
	Collaborator string `json:"collaborator"`
	Role         string `json:"role"`
	CreatedBy    string `json:"created_by"`
	UpdatedBy    string `json:"updated_by"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func (w wireCollaborator) collaborator() client.Collaborator {
	c := client.Collaborator{
		ProjectID: strings.ToLower(w.ProjectID),
		User:      w.Collaborator,
		Type:      client.AccountPerson,
		Role:      w.Role,
		CreatedBy: w.CreatedBy,
		UpdatedBy: w.UpdatedBy,
		CreatedAt: parseTime(w.CreatedAt),
		UpdatedAt: parseTime(w.UpdatedAt),
	}
	// Team accounts are named @ORG/TEAM; usernames cannot hold "@" or "/".
	if client.IsTeamAccount(w.Collaborator) {
		c.Type = client.AccountTeam
	}
	return c
}

// DecodeProjects decodes a projects/ list.
func DecodeProjects(body []byte) ([]client.Project, error) {
	var rows []wireProject
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badJSON("project list", err)
	}
	out := make([]client.Project, len(rows))
	for i, r := range rows {
		out[i] = r.project()
	}
	return out, nil
}

// DecodeCollaborators decodes a collaborators/{id}/ list.
func DecodeCollaborators(body []byte) ([]client.Collaborator, error) {
	var rows []wireCollaborator
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badJSON("collaborator list", err)
	}
	out := make([]client.Collaborator, len(rows))
	for i, r := range rows {
		out[i] = r.collaborator()
	}
	return out, nil
}

// SortCollaborators orders rows as roster shows them: persons by
// username, then teams by name (the server has no order).
func SortCollaborators(rows []client.Collaborator) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].IsTeam() != rows[j].IsTeam() {
			return !rows[i].IsTeam()
		}
		return rows[i].User < rows[j].User
	})
}

// remember keeps the names of projects read, so messages about an id can
// say which project it is.
func (c *Client) remember(ps ...client.Project) {
	for _, p := range ps {
		c.projectNames.Store(p.ID, p.FullName())
	}
}

// label names a project in messages: OWNER/NAME when it was read, else
// its id.
func (c *Client) label(id string) string {
	if n, ok := c.projectNames.Load(strings.ToLower(id)); ok {
		return n.(string)
	}
	return id
}

// projectID checks and lower-cases an id: collaborators/ routes match
// only a lower-case UUID, anything else is an HTML 404 (api §9.1).
func projectID(what, id string) (string, error) {
	if !client.IsProjectID(id) {
		return "", badInput(what, fmt.Sprintf("%q is not a project id (a UUID; OWNER/NAME is resolved from the project list)", id))
	}
	return strings.ToLower(id), nil
}

func projectRole(what, role string) error {
	if !client.ValidProjectRole(role) {
		return badInput(what, fmt.Sprintf("unknown role %q (project roles: %s)", role, client.ProjectRoleList()))
	}
	return nil
}

// noRoute explains an HTML 404 on a project route: a malformed id or a
// path the server has no route for (a team's row, api §9.8).
func noRoute(e *client.APIError) (string, error) {
	if e.Status == 404 && e.Code == "" {
		return "no such API route (HTML 404): the server has no route for this project path", nil
	}
	return "", nil
}

// noProject explains the project errors common to every project route.
func noProject(id string) explainer {
	return func(e *client.APIError) (string, error) {
		switch {
		case is(e, 404, "object_not_found"):
			return fmt.Sprintf("no project %s", id), nil
		case is(e, 400, "validation_error"):
			return fmt.Sprintf("%s is not a project id", id), client.ErrBadInput
		}
		return noRoute(e)
	}
}

func managersOnly(id string) string {
	return fmt.Sprintf("only the admins and managers of project %s can see or change its collaborators (you are not one, or have no role on it)", id)
}

// Projects lists the projects the account holds a role on (GET projects/),
// whole in one request, in the server's order. Owner and Name are sent as
// filters, which ignore case, and then matched exactly here.
func (c *Client) Projects(ctx context.Context, q client.ProjectQuery) ([]client.Project, error) {
	what := "listing projects"
	if q.Owner != "" {
		what = "listing projects of " + q.Owner
	}
	v := url.Values{}
	if q.Owner != "" {
		v.Set("owner", q.Owner)
	}
	if q.Name != "" {
		v.Set("name", q.Name)
	}
	if q.IncludePublic {
		v.Set("include_public", "1")
	}
	// No limit: the whole list in one answer, without pages (api §3.3).
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: "projects/", Query: v})
	if err != nil {
		return nil, fail(what, err, noRoute)
	}
	rows, err := DecodeProjects(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	c.remember(rows...)
	out := rows[:0]
	for _, p := range rows {
		if q.AnyCase || (q.Owner == "" || p.Owner == q.Owner) && (q.Name == "" || p.Name == q.Name) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Project gets one project by id (GET projects/{id}/).
func (c *Client) Project(ctx context.Context, id string) (client.Project, error) {
	what := "getting project " + id
	id, err := projectID(what, id)
	if err != nil {
		return client.Project{}, err
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("projects", id)})
	if err != nil {
		return client.Project{}, fail(what, err, func(e *client.APIError) (string, error) {
			if is(e, 403, "") {
				return fmt.Sprintf("you have no valid role on project %s (or it is over its plan's collaborator limit)", id), nil
			}
			return noProject(id)(e)
		})
	}
	var w wireProject
	if err := decodeOne(resp.Body, "project", &w); err != nil {
		return client.Project{}, fmt.Errorf("%s: %w", what, err)
	}
	p := w.project()
	c.remember(p)
	return p, nil
}

// Collaborators lists every row of a project whole, in one request (no
// limit: the list has no order, so pages could skip or repeat rows), and
// sorts them.
func (c *Client) Collaborators(ctx context.Context, id string) ([]client.Collaborator, error) {
	what := "listing collaborators of project " + c.label(id)
	id, err := projectID(what, id)
	if err != nil {
		return nil, err
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("collaborators", id)})
	if err != nil {
		return nil, fail(what, err, func(e *client.APIError) (string, error) {
			if is(e, 403, "") {
				return managersOnly(id), nil
			}
			return noProject(id)(e)
		})
	}
	rows, err := DecodeCollaborators(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	SortCollaborators(rows)
	return rows, nil
}

// AddCollaborator adds a person or a team (@ORG/TEAM) to a project, as a
// reader unless told otherwise. The body holds only collaborator and role.
func (c *Client) AddCollaborator(ctx context.Context, id string, spec client.CollaboratorSpec) (client.Collaborator, error) {
	what := fmt.Sprintf("adding %s to project %s", spec.User, c.label(id))
	id, err := projectID(what, id)
	if err != nil {
		return client.Collaborator{}, err
	}
	user := strings.TrimSpace(spec.User)
	if user == "" {
		return client.Collaborator{}, badInput(what, "no username given")
	}
	if strings.HasPrefix(user, "@") && !client.IsTeamAccount(user) {
		return client.Collaborator{}, badInput(what, fmt.Sprintf("%q: a team is written @ORG/TEAM", user))
	}
	role := spec.Role
	if role == "" {
		role = client.DefaultProjectRole
	}
	if err := projectRole(what, role); err != nil {
		return client.Collaborator{}, err
	}
	body := map[string]any{"collaborator": user, "role": role}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: path("collaborators", id), Body: body})
	if err != nil {
		return client.Collaborator{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, ""):
				return managersOnly(id), nil
			case is(e, 400, "api_error"):
				if client.IsTeamAccount(user) {
					return fmt.Sprintf("no team %s (team names are exact and case-sensitive)", user), nil
				}
				return fmt.Sprintf("no person or team %s (usernames are exact and case-sensitive; an organization cannot be a collaborator; a team is @ORG/TEAM)", user), nil
			case is(e, 400, "validation_error"):
				return c.whyNotCollaborator(ctx, id, user), nil
			}
			return noProject(id)(e)
		})
	}
	var w wireCollaborator
	if err := decodeOne(resp.Body, "collaborator", &w); err != nil {
		return client.Collaborator{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.collaborator(), nil
}

// whyNotCollaborator tells apart the model rules behind one
// validation_error (already a row, the owner, not in the organization, a
// foreign team) with cheap reads.
func (c *Client) whyNotCollaborator(ctx context.Context, id, user string) string {
	if rows, err := c.Collaborators(ctx, id); err == nil {
		for _, r := range rows {
			if r.User == user {
				return fmt.Sprintf("%s is already a collaborator (%s): use set-role to change the role", user, r.Role)
			}
		}
	}
	p, err := c.Project(ctx, id)
	if err != nil {
		return fmt.Sprintf("%s is already a collaborator, the owner, or not in the owning organization", user)
	}
	if p.Owner == user {
		return fmt.Sprintf("%s owns %s (the owner is always admin and has no row)", user, p.FullName())
	}
	if org, _, ok := client.SplitTeamAccount(user); ok {
		if org != p.Owner {
			return fmt.Sprintf("%s is a team of %s: only teams of %s can be added to %s", user, org, p.Owner, p.FullName())
		}
		return fmt.Sprintf("no team %s in %s", user, p.Owner)
	}
	return fmt.Sprintf("%s is not a member of %s, which owns %s: add them to the organization first (roster members add %s %s)",
		user, p.Owner, p.FullName(), p.Owner, user)
}

// teamRowRefusal is the refusal for changing a team's row: the route
// cannot address @ORG/TEAM (api §9.8), so nothing is sent.
func teamRowRefusal(what, user string) error {
	org, team, _ := client.SplitTeamAccount(user)
	return badInput(what, fmt.Sprintf("a team's row cannot be changed or removed through the QFieldCloud API (its name %s contains \"/\", which no route matches): change it in the web UI, or remove the row by deleting the team (roster teams delete %s/%s)",
		user, org, team))
}

func noRow(id, user string) explainer {
	return func(e *client.APIError) (string, error) {
		if is(e, 404, "object_not_found") {
			return fmt.Sprintf("%s has no collaborator row on project %s, or the project does not exist (usernames are case-sensitive; owners and organization admins have access without a row)", user, id), nil
		}
		if is(e, 403, "") {
			return managersOnly(id), nil
		}
		return noRoute(e)
	}
}

// SetCollaboratorRole changes a person's row. The PATCH holds only role: a
// collaborator field would move the row to another account (api §9.7).
func (c *Client) SetCollaboratorRole(ctx context.Context, id, user, role string) (client.Collaborator, error) {
	what := fmt.Sprintf("changing the role of %s on project %s", user, c.label(id))
	id, err := projectID(what, id)
	if err != nil {
		return client.Collaborator{}, err
	}
	if err := projectRole(what, role); err != nil {
		return client.Collaborator{}, err
	}
	if client.IsTeamAccount(user) {
		return client.Collaborator{}, teamRowRefusal(what, user)
	}
	if user == "" || strings.ContainsAny(user, "/@") {
		return client.Collaborator{}, badInput(what, fmt.Sprintf("%q is not a username", user))
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPatch, Path: path("collaborators", id, seg(user)), Body: map[string]any{"role": role}})
	if err != nil {
		return client.Collaborator{}, fail(what, err, func(e *client.APIError) (string, error) {
			if is(e, 400, "api_error") {
				return fmt.Sprintf("the server refused role %q", role), nil
			}
			return noRow(id, user)(e)
		})
	}
	var w wireCollaborator
	if err := decodeOne(resp.Body, "collaborator", &w); err != nil {
		return client.Collaborator{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.collaborator(), nil
}

// RemoveCollaborator deletes a person's row.
func (c *Client) RemoveCollaborator(ctx context.Context, id, user string) error {
	what := fmt.Sprintf("removing %s from project %s", user, c.label(id))
	id, err := projectID(what, id)
	if err != nil {
		return err
	}
	if client.IsTeamAccount(user) {
		return teamRowRefusal(what, user)
	}
	if user == "" || strings.ContainsAny(user, "/@") {
		return badInput(what, fmt.Sprintf("%q is not a username", user))
	}
	if _, err := c.rc.Do(ctx, rest.Request{Method: http.MethodDelete, Path: path("collaborators", id, seg(user))}); err != nil {
		return fail(what, err, noRow(id, user))
	}
	return nil
}
