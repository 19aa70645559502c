package client

import (
	"context"
	"fmt"
)

// Unsupported answers ErrUnsupported for every action. Providers embed it
// and override what their API can do, so a new Provider method never
// silently does nothing.
type Unsupported struct {
	// Provider is named in the error, e.g. "qomon".
	Provider string
}

func (u Unsupported) no(action string) error {
	return fmt.Errorf("%s: %s has no API for this: %w", action, u.Provider, ErrUnsupported)
}

func (u Unsupported) Logout(context.Context) error { return u.no("logout") }
func (u Unsupported) Users(context.Context, UserQuery, Emit[User]) error {
	return u.no("listing users")
}
func (u Unsupported) User(context.Context, string) (User, error) {
	return User{}, u.no("getting a user")
}
func (u Unsupported) SetUserRole(context.Context, string, string) (User, error) {
	return User{}, u.no("changing a user's role in the space")
}
func (u Unsupported) Roles(context.Context) ([]Role, error) { return nil, u.no("listing roles") }
func (u Unsupported) Organizations(context.Context) ([]Organization, error) {
	return nil, u.no("listing organizations")
}
func (u Unsupported) Organization(context.Context, string) (Organization, error) {
	return Organization{}, u.no("getting an organization")
}
func (u Unsupported) Members(context.Context, string, Emit[Member]) error {
	return u.no("listing members")
}
func (u Unsupported) Member(context.Context, string, string) (Member, error) {
	return Member{}, u.no("getting a member")
}
func (u Unsupported) AddMember(context.Context, string, MemberSpec) (Member, error) {
	return Member{}, u.no("adding a member")
}
func (u Unsupported) UpdateMember(context.Context, string, string, MemberUpdate) (Member, error) {
	return Member{}, u.no("changing a member")
}
func (u Unsupported) RemoveMember(context.Context, string, string) error {
	return u.no("removing a member")
}
func (u Unsupported) Teams(context.Context, string) ([]Team, error) {
	return nil, u.no("listing teams")
}
func (u Unsupported) Team(context.Context, string, string) (Team, error) {
	return Team{}, u.no("getting a team")
}
func (u Unsupported) CreateTeam(context.Context, string, TeamSpec) (Team, error) {
	return Team{}, u.no("creating a team")
}
func (u Unsupported) RenameTeam(context.Context, string, string, string) (Team, error) {
	return Team{}, u.no("renaming a team")
}
func (u Unsupported) DeleteTeam(context.Context, string, string) error {
	return u.no("deleting a team")
}
func (u Unsupported) AddTeamMember(context.Context, string, string, string, bool) error {
	return u.no("adding a team member")
}
func (u Unsupported) RemoveTeamMember(context.Context, string, string, string) error {
	return u.no("removing a team member")
}
func (u Unsupported) SetTeamPrivate(context.Context, string, string, bool) error {
	return u.no("changing a team's visibility")
}
func (u Unsupported) Invitations(context.Context) ([]Invitation, error) {
	return nil, u.no("listing invitations")
}
func (u Unsupported) Invite(context.Context, []InvitationSpec) ([]Invitation, error) {
	return nil, u.no("sending invitations")
}
func (u Unsupported) CancelInvitation(context.Context, string) error {
	return u.no("cancelling an invitation")
}
func (u Unsupported) Projects(context.Context, ProjectQuery) ([]Project, error) {
	return nil, u.no("listing projects")
}
func (u Unsupported) Project(context.Context, string) (Project, error) {
	return Project{}, u.no("getting a project")
}
func (u Unsupported) Collaborators(context.Context, string) ([]Collaborator, error) {
	return nil, u.no("listing collaborators")
}
func (u Unsupported) AddCollaborator(context.Context, string, CollaboratorSpec) (Collaborator, error) {
	return Collaborator{}, u.no("adding a collaborator")
}
func (u Unsupported) SetCollaboratorRole(context.Context, string, string, string) (Collaborator, error) {
	return Collaborator{}, u.no("changing a collaborator's role")
}
func (u Unsupported) RemoveCollaborator(context.Context, string, string) error {
	return u.no("removing a collaborator")
}
