package plan

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/roster-cli/roster/client"
)

func isNotFound(err error) bool { return errors.Is(err, client.ErrNotFound) }

// ErrNoAPI marks a step the API cannot make (Step.Blocked).
var ErrNoAPI = errors.New("cannot be made through the API")

// Apply performs the plan's steps in order (Held ones are skipped), one
// write per step, and reports each through done. A Blocked step is not
// sent: done gets an ErrNoAPI and it counts as failed. A failed step does
// not stop the others. It returns how many steps succeeded and failed.
//
// Qomon team steps go through client.ConditionalTeamWriter when p has it:
// each checks the team still is as the plan saw it, so a change made by
// someone else since the plan was computed stops that team's steps with
// client.ErrConflict instead of being overwritten.
func Apply(ctx context.Context, p client.Provider, pl *Plan, done func(Step, error)) (ok, failed int) {
	cw, conditional := p.(client.ConditionalTeamWriter)
	for _, s := range pl.Steps {
		if s.Held {
			continue
		}
		if s.Blocked != "" {
			done(s, fmt.Errorf("%w: %s", ErrNoAPI, s.Blocked))
			failed++
			continue
		}
		if err := ctx.Err(); err != nil {
			done(s, fmt.Errorf("not sent: %w", err))
			failed++
			continue
		}
		var err error
		if conditional && pl.Provider == Qomon && s.TeamID != "" {
			err = pl.modifyTeam(ctx, cw, s)
		} else {
			err = send(ctx, p, s)
		}
		done(s, err)
		if err != nil {
			failed++
		} else {
			ok++
		}
	}
	return ok, failed
}

func send(ctx context.Context, p client.Provider, s Step) error {
	var err error
	switch s.Action {
	case ActMemberAdd:
		_, err = p.AddMember(ctx, s.Org, client.MemberSpec{User: s.User, Role: s.Role, Public: s.Public != nil && *s.Public})
	case ActMemberUpdate:
		u := client.MemberUpdate{Public: s.Public}
		if s.Role != "" {
			role := cmp.Or(s.RoleID, s.Role)
			u.Role = &role
		}
		_, err = p.UpdateMember(ctx, s.Org, s.User, u)
	case ActMemberRemove:
		err = p.RemoveMember(ctx, s.Org, s.User)
	case ActTeamMemberAdd, ActTeamLeaderAdd:
		err = p.AddTeamMember(ctx, s.Org, cmp.Or(s.TeamID, s.Team), s.User, s.Leader || s.Action == ActTeamLeaderAdd)
	case ActTeamMemberRemove:
		err = p.RemoveTeamMember(ctx, s.Org, cmp.Or(s.TeamID, s.Team), s.User)
	case ActTeamPrivate:
		err = p.SetTeamPrivate(ctx, s.Org, cmp.Or(s.TeamID, s.Team), *s.Private)
	case ActCollaboratorAdd:
		_, err = p.AddCollaborator(ctx, s.ProjectID, client.CollaboratorSpec{User: s.User, Role: s.Role})
	case ActCollaboratorRole:
		_, err = p.SetCollaboratorRole(ctx, s.ProjectID, s.User, s.Role)
	case ActCollaboratorDel:
		err = p.RemoveCollaborator(ctx, s.ProjectID, s.User)
	case ActTeamLeaderRemove:
		err = fmt.Errorf("%s: needs a provider with conditional team writes: %w", s.Describe(), client.ErrUnsupported)
	default:
		err = fmt.Errorf("unknown step %q", s.Action)
	}
	return err
}

// modifyTeam sends one team step as a conditional write against the copy
// of the team the plan (or its previous step) saw.
func (pl *Plan) modifyTeam(ctx context.Context, cw client.ConditionalTeamWriter, s Step) error {
	var ch client.TeamChange
	switch s.Action {
	case ActTeamMemberAdd:
		ch = client.TeamChange{AddMember: s.User, Leader: s.Leader}
	case ActTeamLeaderAdd:
		ch = client.TeamChange{AddMember: s.User, Leader: true}
	case ActTeamLeaderRemove:
		ch = client.TeamChange{RemoveMember: s.User, Leader: true}
	case ActTeamMemberRemove:
		ch = client.TeamChange{RemoveMember: s.User}
	case ActTeamPrivate:
		ch = client.TeamChange{Private: s.Private}
	default:
		return fmt.Errorf("unknown team step %q", s.Action)
	}
	seen := pl.teams[s.TeamID]
	if seen == nil {
		seen = &client.Team{ID: s.TeamID}
	}
	got, err := cw.ModifyTeam(ctx, s.Org, seen, ch)
	if err != nil {
		return err
	}
	// The next step on this team checks against what this one left.
	pl.teams[s.TeamID] = &got
	return nil
}
