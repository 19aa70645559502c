package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/roster-cli/roster/client"
)

// Wrap records every write sent through p in log, under profile. Reads
// pass straight through. When p is a client.ConditionalTeamWriter the
// result is one too, so safe team writes keep working through the
// wrapper. A write is recorded after it returns, with its outcome; an
// audit log that cannot be written never fails the write itself (the
// write already happened) — the error goes to log.Warn.
func Wrap(p client.Provider, log *Log, profile string) client.Provider {
	w := &auditing{Provider: p, log: log, profile: profile, projects: &projectCache{}}
	if cw, ok := p.(client.ConditionalTeamWriter); ok {
		return &auditingCTW{auditing: w, cw: cw}
	}
	return w
}

type auditing struct {
	client.Provider
	log      *Log
	profile  string
	projects *projectCache // names and rows seen in reads, for readable entries
}

type auditingCTW struct {
	*auditing
	cw client.ConditionalTeamWriter
}

// Unwrap returns the wrapped provider.
func (a *auditing) Unwrap() client.Provider { return a.Provider }

func (a *auditing) record(action, org, target, before, after string, err error) {
	e := Entry{Profile: a.profile, Provider: a.Provider.Kind(), Action: action, Org: org,
		Target: target, Before: before, After: after, Outcome: OK}
	if err != nil {
		e.Outcome = Failed
		e.Error = err.Error()
	}
	if werr := a.log.Append(e); werr != nil && a.log.Warn != nil {
		a.log.Warn(werr)
	}
}

// beforeTimeout bounds the read of a value before a write.
const beforeTimeout = 2 * time.Second

// memberState describes a membership for before/after.
func memberState(m client.Member, withPublic bool) string {
	s := "role=" + m.Role
	if withPublic {
		s += " public=" + strconv.FormatBool(m.Public)
	}
	return s
}

// before reads a membership before a change, best effort: a failed read
// leaves the before value unknown rather than stopping the write.
func (a *auditing) before(ctx context.Context, org, user string) string {
	// Bounded: on a slow server the record may lose its before value, but
	// the write is not held up for long.
	ctx, cancel := context.WithTimeout(ctx, beforeTimeout)
	defer cancel()
	m, err := a.Provider.Member(ctx, org, user)
	if err != nil {
		return ""
	}
	return memberState(m, a.Provider.Can(client.CapMemberPublic))
}

func (a *auditing) SetUserRole(ctx context.Context, user, role string) (client.User, error) {
	before := a.before(ctx, "", user)
	u, err := a.Provider.SetUserRole(ctx, user, role)
	after := "role=" + role
	if err == nil && u.Role != nil {
		after = "role=" + u.Role.Name
	}
	a.record("user.set_role", "", user, before, after, err)
	return u, err
}

func (a *auditing) AddMember(ctx context.Context, org string, m client.MemberSpec) (client.Member, error) {
	got, err := a.Provider.AddMember(ctx, org, m)
	after := memberState(client.Member{Role: m.Role, Public: m.Public}, a.Provider.Can(client.CapMemberPublic))
	if err == nil {
		after = memberState(got, a.Provider.Can(client.CapMemberPublic))
	}
	a.record("member.add", org, m.User, "", after, err)
	return got, err
}

func (a *auditing) UpdateMember(ctx context.Context, org, user string, u client.MemberUpdate) (client.Member, error) {
	before := a.before(ctx, org, user)
	got, err := a.Provider.UpdateMember(ctx, org, user, u)
	var parts []string
	if u.Role != nil {
		parts = append(parts, "role="+*u.Role)
	}
	if u.Public != nil {
		parts = append(parts, "public="+strconv.FormatBool(*u.Public))
	}
	after := strings.Join(parts, " ")
	if err == nil {
		after = memberState(got, a.Provider.Can(client.CapMemberPublic))
	}
	a.record("member.update", org, user, before, after, err)
	return got, err
}

func (a *auditing) RemoveMember(ctx context.Context, org, user string) error {
	before := a.before(ctx, org, user)
	err := a.Provider.RemoveMember(ctx, org, user)
	a.record("member.remove", org, user, before, "removed", err)
	return err
}

func (a *auditing) CreateTeam(ctx context.Context, org string, t client.TeamSpec) (client.Team, error) {
	got, err := a.Provider.CreateTeam(ctx, org, t)
	after := "name=" + t.Name
	if t.Private {
		after += " private=true"
	}
	a.record("team.create", org, t.Name, "", after, err)
	return got, err
}

func (a *auditing) RenameTeam(ctx context.Context, org, team, name string) (client.Team, error) {
	got, err := a.Provider.RenameTeam(ctx, org, team, name)
	a.record("team.rename", org, team, "name="+team, "name="+name, err)
	return got, err
}

func (a *auditing) DeleteTeam(ctx context.Context, org, team string) error {
	err := a.Provider.DeleteTeam(ctx, org, team)
	a.record("team.delete", org, team, "", "deleted", err)
	return err
}

func (a *auditing) AddTeamMember(ctx context.Context, org, team, user string, leader bool) error {
	err := a.Provider.AddTeamMember(ctx, org, team, user, leader)
	after := "member"
	if leader {
		after = "leader"
	}
	a.record("team.member.add", org, team+": "+user, "", after, err)
	return err
}

func (a *auditing) RemoveTeamMember(ctx context.Context, org, team, user string) error {
	err := a.Provider.RemoveTeamMember(ctx, org, team, user)
	a.record("team.member.remove", org, team+": "+user, "member", "removed", err)
	return err
}

func (a *auditing) SetTeamPrivate(ctx context.Context, org, team string, private bool) error {
	err := a.Provider.SetTeamPrivate(ctx, org, team, private)
	a.record("team.set_private", org, team, "private="+strconv.FormatBool(!private), "private="+strconv.FormatBool(private), err)
	return err
}

func (a *auditing) Invite(ctx context.Context, inv []client.InvitationSpec) ([]client.Invitation, error) {
	got, err := a.Provider.Invite(ctx, inv)
	for _, i := range inv {
		after := "invited"
		if i.Role != "" {
			after += " role=" + i.Role
		}
		a.record("invitation.send", "", i.Email, "", after, err)
	}
	return got, err
}

func (a *auditing) CancelInvitation(ctx context.Context, id string) error {
	err := a.Provider.CancelInvitation(ctx, id)
	a.record("invitation.cancel", "", id, "pending", "cancelled", err)
	return err
}

// ModifyTeam records the one change, with the leader/member/visibility
// state from seen as the before value where seen has it.
func (a *auditingCTW) ModifyTeam(ctx context.Context, org string, seen *client.Team, ch client.TeamChange) (client.Team, error) {
	got, err := a.cw.ModifyTeam(ctx, org, seen, ch)
	label := ""
	if seen != nil {
		label = seen.Name
		if label == "" {
			label = seen.ID
		}
	}
	action, target, before, after := describeChange(label, seen, ch)
	a.record(action, org, target, before, after, err)
	return got, err
}

func describeChange(team string, seen *client.Team, ch client.TeamChange) (action, target, before, after string) {
	known := seen != nil && seen.Members != nil
	state := func(user string) string {
		if !known {
			return ""
		}
		for _, m := range seen.Members {
			if m.User == user || (m.Email != "" && strings.EqualFold(m.Email, user)) {
				if m.Leader {
					return "leader"
				}
				return "member"
			}
		}
		return "none"
	}
	switch {
	case ch.Rename != nil:
		b := ""
		if seen != nil && seen.Name != "" {
			b = "name=" + seen.Name
		}
		return "team.rename", team, b, "name=" + *ch.Rename
	case ch.Private != nil:
		b := ""
		if seen != nil && seen.Name != "" {
			b = "private=" + strconv.FormatBool(seen.Private)
		}
		return "team.set_private", team, b, "private=" + strconv.FormatBool(*ch.Private)
	case ch.AddMember != "":
		after := "member"
		if ch.Leader {
			after = "leader"
		}
		return "team.member.add", team + ": " + ch.AddMember, state(ch.AddMember), after
	case ch.RemoveMember != "":
		if ch.Leader {
			return "team.leader.remove", team + ": " + ch.RemoveMember, state(ch.RemoveMember), "member"
		}
		return "team.member.remove", team + ": " + ch.RemoveMember, state(ch.RemoveMember), "removed"
	}
	return "team.modify", team, "", fmt.Sprintf("%+v", ch)
}
