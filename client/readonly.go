package client

import (
	"context"
	"fmt"
)

// ReadOnly wraps a provider so that every write is refused before any
// request is sent, whoever calls it (CLI, TUI, apply).
func ReadOnly(p Provider) Provider { return readOnly{p} }

type readOnly struct{ Provider }

// Unwrap returns the wrapped provider, for reads (see Innermost).
func (r readOnly) Unwrap() Provider { return r.Provider }

func refuse(action string) error { return fmt.Errorf("%s: %w", action, ErrReadOnly) }

// IsReadOnly reports whether p was wrapped by ReadOnly.
func IsReadOnly(p Provider) bool { _, ok := p.(readOnly); return ok }

func (readOnly) SetUserRole(context.Context, string, string) (User, error) {
	return User{}, refuse("changing a role")
}
func (readOnly) AddMember(context.Context, string, MemberSpec) (Member, error) {
	return Member{}, refuse("adding a member")
}
func (readOnly) UpdateMember(context.Context, string, string, MemberUpdate) (Member, error) {
	return Member{}, refuse("changing a member")
}
func (readOnly) RemoveMember(context.Context, string, string) error {
	return refuse("removing a member")
}
func (readOnly) CreateTeam(context.Context, string, TeamSpec) (Team, error) {
	return Team{}, refuse("creating a team")
}
func (readOnly) RenameTeam(context.Context, string, string, string) (Team, error) {
	return Team{}, refuse("renaming a team")
}
func (readOnly) DeleteTeam(context.Context, string, string) error { return refuse("deleting a team") }
func (readOnly) AddTeamMember(context.Context, string, string, string, bool) error {
	return refuse("adding a team member")
}
func (readOnly) RemoveTeamMember(context.Context, string, string, string) error {
	return refuse("removing a team member")
}
func (readOnly) SetTeamPrivate(context.Context, string, string, bool) error {
	return refuse("changing a team's visibility")
}
func (readOnly) Invite(context.Context, []InvitationSpec) ([]Invitation, error) {
	return nil, refuse("sending invitations")
}
func (readOnly) CancelInvitation(context.Context, string) error {
	return refuse("cancelling an invitation")
}
func (readOnly) AddCollaborator(context.Context, string, CollaboratorSpec) (Collaborator, error) {
	return Collaborator{}, refuse("adding a collaborator")
}
func (readOnly) SetCollaboratorRole(context.Context, string, string, string) (Collaborator, error) {
	return Collaborator{}, refuse("changing a collaborator's role")
}
func (readOnly) RemoveCollaborator(context.Context, string, string) error {
	return refuse("removing a collaborator")
}
