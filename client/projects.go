package client

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ProjectRoles are QFieldCloud's project roles, highest first. They are
// case-sensitive; reader is the server's default.
var ProjectRoles = []string{"admin", "manager", "editor", "reporter", "reader"}

// DefaultProjectRole is the role a collaborator gets when none is given.
const DefaultProjectRole = "reader"

// ValidProjectRole reports whether r is exactly one of ProjectRoles.
func ValidProjectRole(r string) bool { return ProjectRoleRank(r) > 0 }

// ProjectRoleRank is 1 for admin … 5 for reader, 0 for anything else:
// lower is more.
func ProjectRoleRank(r string) int {
	for i, x := range ProjectRoles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// ProjectRoleList is the roles for messages: "admin, manager, …".
func ProjectRoleList() string { return strings.Join(ProjectRoles, ", ") }

// RoleOrigin says where a person's effective role on a project comes from
// (QFieldCloud's projects_with_roles_vw). The constants are in the
// server's rank order: the first that applies wins.
type RoleOrigin string

const (
	OriginProjectOwner RoleOrigin = "project_owner"       // the person owns the project: admin
	OriginOrgOwner     RoleOrigin = "organization_owner"  // owns the organization that owns it: admin
	OriginOrgAdmin     RoleOrigin = "organization_admin"  // admin member of that organization: admin
	OriginCollaborator RoleOrigin = "collaborator"        // the person's own collaborator row
	OriginTeamMember   RoleOrigin = "team_member"         // a row of a team the person is in
	OriginOrgMember    RoleOrigin = "organization_member" // the organization's default role for members
	OriginPublic       RoleOrigin = "public"              // reader, on a public project
)

// OriginRank orders origins as the server does (1 wins); 0 is unknown.
func OriginRank(o RoleOrigin) int {
	for i, x := range []RoleOrigin{OriginProjectOwner, OriginOrgOwner, OriginOrgAdmin, OriginCollaborator,
		OriginTeamMember, OriginOrgMember, OriginPublic} {
		if x == o {
			return i + 1
		}
	}
	return 0
}

// Project is a QFieldCloud project. UserRole and UserRoleOrigin are the
// signed-in account's effective role, as the server computes it.
type Project struct {
	ID             string     `json:"id"`
	Owner          string     `json:"owner"`
	Name           string     `json:"name"`
	Description    string     `json:"description,omitempty"`
	Private        bool       `json:"private"`
	Type           string     `json:"project_type,omitempty"` // regular, template, shared_datasets
	Status         string     `json:"status,omitempty"`       // ok, busy, failed
	Featured       bool       `json:"is_featured,omitempty"`
	UserRole       string     `json:"user_role,omitempty"`
	UserRoleOrigin RoleOrigin `json:"user_role_origin,omitempty"`
	StorageBytes   int64      `json:"file_storage_bytes,omitempty"`
	CreatedAt      *time.Time `json:"created_at,omitempty"`
	UpdatedAt      *time.Time `json:"updated_at,omitempty"`
}

// FullName is OWNER/NAME.
func (p Project) FullName() string { return p.Owner + "/" + p.Name }

// CanManage reports whether the signed-in account may read and change the
// project's collaborators (an effective admin or manager).
func (p Project) CanManage() bool { return p.UserRole == "admin" || p.UserRole == "manager" }

// Collaborator is one row of a project's collaborator list: a person or a
// team (@ORG/TEAM) with a role. Rows are not everyone with access: owners,
// organization admins, team members and organization-default members
// reach projects without a row of their own.
type Collaborator struct {
	ProjectID string      `json:"project_id"`
	User      string      `json:"collaborator"` // username, or @ORG/TEAM
	Type      AccountType `json:"type"`         // person or team, from the name
	Role      string      `json:"role"`
	CreatedBy string      `json:"created_by,omitempty"`
	UpdatedBy string      `json:"updated_by,omitempty"`
	CreatedAt *time.Time  `json:"created_at,omitempty"`
	UpdatedAt *time.Time  `json:"updated_at,omitempty"`
}

// IsTeam reports whether the row is a team's.
func (c Collaborator) IsTeam() bool { return c.Type == AccountTeam }

// TeamAccount is a team's account name as QFieldCloud spells it in
// collaborator rows: @ORG/TEAM.
func TeamAccount(org, team string) string { return "@" + org + "/" + team }

// SplitTeamAccount reads @ORG/TEAM.
func SplitTeamAccount(name string) (org, team string, ok bool) {
	rest, ok := strings.CutPrefix(name, "@")
	if !ok {
		return "", "", false
	}
	org, team, ok = strings.Cut(rest, "/")
	if !ok || org == "" || team == "" {
		return "", "", false
	}
	return org, team, true
}

// IsTeamAccount reports whether name is spelled as a team (@ORG/TEAM).
func IsTeamAccount(name string) bool { _, _, ok := SplitTeamAccount(name); return ok }

// ProjectQuery selects projects. Owner and Name keep exact
// (case-sensitive) matches only, although the server's filters ignore
// case.
type ProjectQuery struct {
	Owner         string
	Name          string
	IncludePublic bool // also public projects the account has no other role on
	// AnyCase keeps the server's case-insensitive matches of Owner and
	// Name (to name the case variants of a name that was not found).
	AnyCase bool
}

// CollaboratorSpec is a collaborator row to create.
type CollaboratorSpec struct {
	User string // exact username, or @ORG/TEAM
	Role string // "" = reader
}

// ProjectProvider is the projects-and-collaborators part of Provider
// (QFieldCloud; other providers answer ErrUnsupported).
type ProjectProvider interface {
	// Projects lists the projects the account holds a role on, in the
	// server's order (featured first, then owner and name).
	Projects(ctx context.Context, q ProjectQuery) ([]Project, error)
	// Project gets one project by id.
	Project(ctx context.Context, id string) (Project, error)
	// Collaborators lists every row of a project, whole (one request),
	// sorted: persons by username, then teams.
	Collaborators(ctx context.Context, projectID string) ([]Collaborator, error)
	AddCollaborator(ctx context.Context, projectID string, c CollaboratorSpec) (Collaborator, error)
	// SetCollaboratorRole changes only the role of a person's row. A team's
	// row cannot be changed through the API: ErrBadInput, nothing sent.
	SetCollaboratorRole(ctx context.Context, projectID, user, role string) (Collaborator, error)
	// RemoveCollaborator removes a person's row (teams: ErrBadInput, as
	// above).
	RemoveCollaborator(ctx context.Context, projectID, user string) error
}

// uuidRE matches a hyphenated UUID in any case.
var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsProjectID reports whether s looks like a project id (a UUID).
func IsProjectID(s string) bool { return uuidRE.MatchString(s) }

// ResolveProject finds a project from OWNER/NAME or its id. OWNER/NAME is
// looked up in the project list, public projects included; the server's
// filters ignore case while names are unique only case-sensitively, so
// only an exact match counts, and several exact matches are refused.
func ResolveProject(ctx context.Context, p Provider, ref string) (Project, error) {
	what := fmt.Sprintf("finding project %s", ref)
	if IsProjectID(ref) {
		return p.Project(ctx, strings.ToLower(ref))
	}
	owner, name, ok := strings.Cut(ref, "/")
	if !ok || owner == "" || name == "" {
		return Project{}, fmt.Errorf("%s: want OWNER/NAME or the project's id: %w", what, ErrBadInput)
	}
	ps, err := p.Projects(ctx, ProjectQuery{Owner: owner, Name: name, IncludePublic: true, AnyCase: true})
	if err != nil {
		return Project{}, fmt.Errorf("%s: %w", what, err)
	}
	var exact []Project
	var variants []string
	for _, x := range ps {
		if x.Owner == owner && x.Name == name {
			exact = append(exact, x)
		} else if strings.EqualFold(x.Owner, owner) && strings.EqualFold(x.Name, name) {
			variants = append(variants, x.FullName())
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		ids := make([]string, len(exact))
		for i, x := range exact {
			ids[i] = x.ID
		}
		return Project{}, fmt.Errorf("%s: %d projects have this exact name (ids %s): give the id: %w",
			what, len(exact), strings.Join(ids, ", "), &APIError{Kind: ErrInvalid, Message: "ambiguous project name"})
	}
	msg := "no such project, or you cannot see it (names are case-sensitive)"
	if len(variants) > 0 {
		msg = fmt.Sprintf("no project with exactly this name; names differing in case: %s", strings.Join(variants, ", "))
	}
	return Project{}, fmt.Errorf("%s: %w", what, &APIError{Kind: ErrNotFound, Message: msg})
}
