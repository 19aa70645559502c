package plan

import (
	"cmp"
	"fmt"

	"github.com/roster-cli/roster/client"
)

// Op is how a step shows in a plan.
type Op string

const (
	OpAdd    Op = "+"
	OpChange Op = "~"
	OpRemove Op = "-"
)

// Action is what a step sends.
type Action string

const (
	ActMemberAdd        Action = "member.add"
	ActMemberUpdate     Action = "member.update" // role and/or visibility
	ActMemberRemove     Action = "member.remove"
	ActTeamMemberAdd    Action = "team.member.add"
	ActTeamMemberRemove Action = "team.member.remove"
	ActTeamLeaderAdd    Action = "team.leader.add"
	ActTeamLeaderRemove Action = "team.leader.remove"
	ActTeamPrivate      Action = "team.set_private"
	ActCollaboratorAdd  Action = "collaborator.add"
	ActCollaboratorRole Action = "collaborator.set_role"
	ActCollaboratorDel  Action = "collaborator.remove"
)

// Step is one row of a plan: one difference, made by one write unless
// it is Held or Blocked.
type Step struct {
	Op     Op     `json:"op"`
	Action Action `json:"action"`
	// Group is where the step shows: "organization NAME", "space",
	// "team NAME" or "project NAME".
	Group     string `json:"group"`
	Org       string `json:"organization,omitempty"`
	Team      string `json:"team,omitempty"`       // team name
	TeamID    string `json:"team_id,omitempty"`    // the id the API takes
	Project   string `json:"project,omitempty"`    // project name (owned by Org)
	ProjectID string `json:"project_id,omitempty"` // the id the API takes
	// User is the user as the API takes it (QFieldCloud username, Qomon
	// id); Label is how people know them (Qomon: the e-mail).
	User    string `json:"user,omitempty"`
	Label   string `json:"label,omitempty"`
	Role    string `json:"role,omitempty"`    // the role to set (name)
	RoleID  string `json:"role_id,omitempty"` // the role to send
	Public  *bool  `json:"public,omitempty"`
	Private *bool  `json:"private,omitempty"`
	Leader  bool   `json:"leader,omitempty"`
	Before  string `json:"before,omitempty"`
	After   string `json:"after,omitempty"`
	// Held marks a difference apply does not act on: a removal without
	// prune, or a row the file leaves alone by design.
	Held bool `json:"held,omitempty"`
	// Blocked says why the API cannot make this row; such a row is never
	// sent, and never reported as done.
	Blocked string `json:"blocked,omitempty"`
}

// Describe says what the step does in a few words.
func (s Step) Describe() string {
	who := cmp.Or(s.Label, s.User)
	where := s.Group
	switch s.Action {
	case ActMemberAdd:
		return fmt.Sprintf("add %s to %s (%s)", who, where, s.After)
	case ActMemberUpdate:
		return fmt.Sprintf("change %s in %s: %s → %s", who, where, s.Before, s.After)
	case ActMemberRemove:
		return fmt.Sprintf("remove %s from %s", who, where)
	case ActTeamMemberAdd:
		if s.Leader {
			return fmt.Sprintf("add %s to %s as a leader", who, where)
		}
		return fmt.Sprintf("add %s to %s", who, where)
	case ActTeamMemberRemove:
		return fmt.Sprintf("remove %s from %s", who, where)
	case ActTeamLeaderAdd:
		return fmt.Sprintf("make %s a leader of %s", who, where)
	case ActTeamLeaderRemove:
		return fmt.Sprintf("make %s a plain member of %s", who, where)
	case ActTeamPrivate:
		return fmt.Sprintf("make %s %s", where, s.After)
	case ActCollaboratorAdd:
		return fmt.Sprintf("add %s to %s as %s", who, where, s.Role)
	case ActCollaboratorRole:
		return fmt.Sprintf("change %s on %s: %s → %s", who, where, s.Before, s.After)
	case ActCollaboratorDel:
		return fmt.Sprintf("remove %s from %s", who, where)
	}
	return string(s.Action) + " " + who
}

// Options change how a plan is made.
type Options struct {
	// Prune makes removals real steps; without it they are Held.
	Prune bool
}

// Plan is the ordered list of steps that makes the server match a file.
type Plan struct {
	Provider     string `json:"provider"`
	Organization string `json:"organization,omitempty"`
	File         string `json:"file"`
	Steps        []Step `json:"steps"`

	// teams are the server copies the plan was made from, by team id:
	// the baseline a conditional team write checks against.
	teams map[string]*client.Team
}

// Counts are the plan's rows: every difference by kind, then how many of
// them apply leaves for --prune and how many the API cannot make.
type Counts struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
	// Held removals are made only with --prune.
	Held int `json:"held"`
	// Blocked rows cannot be made through the API at all.
	Blocked int `json:"blocked"`
}

// Counts counts the steps.
func (p *Plan) Counts() Counts {
	var c Counts
	for _, s := range p.Steps {
		switch s.Op {
		case OpAdd:
			c.Add++
		case OpChange:
			c.Change++
		case OpRemove:
			c.Remove++
		}
		switch {
		case s.Blocked != "":
			c.Blocked++
		case s.Held:
			c.Held++
		}
	}
	return c
}

// Drift reports whether the server differs from the file in any way,
// whether or not apply would act on it.
func (p *Plan) Drift() bool { return len(p.Steps) > 0 }

// Sends counts the steps apply sends.
func (p *Plan) Sends() int {
	n := 0
	for _, s := range p.Steps {
		if !s.Held && s.Blocked == "" {
			n++
		}
	}
	return n
}

// Unmade counts the steps apply is asked to make and cannot: apply
// reports each as failed.
func (p *Plan) Unmade() int {
	n := 0
	for _, s := range p.Steps {
		if !s.Held && s.Blocked != "" {
			n++
		}
	}
	return n
}
