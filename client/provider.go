package client

import (
	"context"
)

// Capability names something a provider may or may not be able to do.
// Callers ask Can before offering an action; a provider answers
// ErrUnsupported for anything it cannot do.
type Capability string

const (
	CapPasswordLogin  Capability = "password_login"    // exchange username/password for a token
	CapServerLogout   Capability = "server_logout"     // a logout endpoint exists
	CapUserSearch     Capability = "user_search"       // server-side search of users
	CapUserRole       Capability = "user_role"         // users set-role (one role per user in the space)
	CapOrganizations  Capability = "organizations"     // list and get organizations
	CapMemberAdd      Capability = "member_add"        // add a member directly
	CapMemberRemove   Capability = "member_remove"     // remove a member
	CapMemberRole     Capability = "member_role"       // change a member's role
	CapMemberPublic   Capability = "member_public"     // member visibility flag
	CapTeamCreate     Capability = "team_create"       // create a team
	CapTeamRename     Capability = "team_rename"       // rename a team
	CapTeamDelete     Capability = "team_delete"       // delete a team
	CapTeamMembers    Capability = "team_members"      // add and remove team members
	CapTeamLeaders    Capability = "team_leaders"      // team leaders
	CapTeamPrivate    Capability = "team_private"      // private/public teams
	CapInvitations    Capability = "invitations"       // list, send, cancel invitations
	CapOneTeamPerUser Capability = "one_team_per_user" // server quirk: a person can be in only one team
	CapProjects       Capability = "projects"          // projects and their collaborators (QFieldCloud)
)

// UserQuery selects users. Fields a provider cannot filter on server-side
// are applied locally by the provider.
type UserQuery struct {
	Search      string // substring (QFieldCloud: of the username; Qomon: name or e-mail, locally)
	Org         string // keep only this organization's owner and members
	ExcludeOrg  string // drop this organization, its owner and members
	ExcludeTeam string // drop members of this team ("ORG/TEAM" on QFieldCloud)
	PersonsOnly bool   // drop organizations and teams (QFieldCloud)
	Sort        bool   // ask the server to sort alphabetically (Qomon)
	Limit       int    // stop after this many rows (0 = all)
}

// MemberSpec describes a membership to create.
type MemberSpec struct {
	User   string // username (QFieldCloud) or id/e-mail (Qomon)
	Role   string // role id or name; "" = the provider's default
	Public bool
}

// MemberUpdate is a change to a membership; nil fields stay unchanged.
type MemberUpdate struct {
	Role   *string
	Public *bool
}

// TeamSpec describes a team to create.
type TeamSpec struct {
	Name        string
	Description string
	Private     bool
}

// InvitationSpec is one invitation to send.
type InvitationSpec struct {
	Email string
	Role  string // role id or name; "" = the space's default
}

// Emit receives one page of results, in server order. Returning an error
// stops the listing.
type Emit[T any] func(page []T) error

// Provider is one service roster manages, bound to one account's token.
// Every method takes a context; none keeps state that a later call relies
// on except caches that a fresh read replaces. org is ignored by providers
// whose token selects the space (Qomon).
type Provider interface {
	// Kind is "qfieldcloud" or "qomon".
	Kind() string
	// Can says whether the provider supports an action.
	Can(Capability) bool

	// CurrentUser is a cheap authenticated request: it checks the token.
	CurrentUser(ctx context.Context) (User, error)
	// Logout ends the session on the server where the API has a way to.
	Logout(ctx context.Context) error

	// Users lists users page by page, in server order.
	Users(ctx context.Context, q UserQuery, emit Emit[User]) error
	// User gets one user by id, username or e-mail.
	User(ctx context.Context, id string) (User, error)
	// SetUserRole gives a user a role in the space (Qomon).
	SetUserRole(ctx context.Context, user, role string) (User, error)
	// Roles lists the roles members can hold.
	Roles(ctx context.Context) ([]Role, error)

	Organizations(ctx context.Context) ([]Organization, error)
	Organization(ctx context.Context, name string) (Organization, error)

	// Members lists an organization's (or the space's) members page by page.
	Members(ctx context.Context, org string, emit Emit[Member]) error
	Member(ctx context.Context, org, user string) (Member, error)
	AddMember(ctx context.Context, org string, m MemberSpec) (Member, error)
	UpdateMember(ctx context.Context, org, user string, u MemberUpdate) (Member, error)
	RemoveMember(ctx context.Context, org, user string) error

	Teams(ctx context.Context, org string) ([]Team, error)
	// Team gets one team by id or exact name.
	Team(ctx context.Context, org, team string) (Team, error)
	CreateTeam(ctx context.Context, org string, t TeamSpec) (Team, error)
	RenameTeam(ctx context.Context, org, team, name string) (Team, error)
	DeleteTeam(ctx context.Context, org, team string) error
	// AddTeamMember adds a user (as a leader where the provider has them).
	AddTeamMember(ctx context.Context, org, team, user string, leader bool) error
	// RemoveTeamMember removes a user from a team (and from its leaders).
	RemoveTeamMember(ctx context.Context, org, team, user string) error
	// SetTeamPrivate changes a team's visibility (Qomon).
	SetTeamPrivate(ctx context.Context, org, team string, private bool) error

	Invitations(ctx context.Context) ([]Invitation, error)
	Invite(ctx context.Context, inv []InvitationSpec) ([]Invitation, error)
	CancelInvitation(ctx context.Context, id string) error

	ProjectProvider
}

// CollectUsers gathers every page of Users into one slice.
func CollectUsers(ctx context.Context, p Provider, q UserQuery) ([]User, error) {
	var all []User
	err := p.Users(ctx, q, func(page []User) error { all = append(all, page...); return nil })
	return all, err
}

// CollectMembers gathers every page of Members into one slice.
func CollectMembers(ctx context.Context, p Provider, org string) ([]Member, error) {
	var all []Member
	err := p.Members(ctx, org, func(page []Member) error { all = append(all, page...); return nil })
	return all, err
}

// TeamChange is exactly one change to a team, for providers whose team
// writes replace the whole team (Qomon): they read the team fresh, apply
// only this, and send every other field back untouched.
type TeamChange struct {
	Rename       *string
	Private      *bool
	AddMember    string // user id or e-mail
	RemoveMember string // user id or e-mail; also drops them from the leaders
	Leader       bool   // with AddMember: also make them a leader; alone with RemoveMember: only drop the leadership
}

// ConditionalTeamWriter is implemented by providers whose team writes are
// full replacements. ModifyTeam refuses with ErrConflict (nothing written)
// when the team on the server no longer matches seen, the copy the user
// decided on. seen == nil takes the fresh read as the baseline.
type ConditionalTeamWriter interface {
	ModifyTeam(ctx context.Context, org string, seen *Team, change TeamChange) (Team, error)
}

// TeamNamer is implemented by providers with rules for team names, so a
// caller (the TUI's dialog) can refuse a name before sending anything.
type TeamNamer interface {
	ValidateTeamName(name string) error
}

// CheckTeamName applies p's team name rules, looking through wrappers
// that expose Unwrap (the audit log); nil when p has no rules.
func CheckTeamName(p Provider, name string) error {
	for p != nil {
		if n, ok := p.(TeamNamer); ok {
			return n.ValidateTeamName(name)
		}
		u, ok := p.(interface{ Unwrap() Provider })
		if !ok {
			return nil
		}
		p = u.Unwrap()
	}
	return nil
}
