package access

import (
	"context"
	"fmt"
	"sync"

	"github.com/roster-cli/roster/client"
)

// StepKind is what one offboarding step removes.
type StepKind string

const (
	StepCollaborator StepKind = "collaborator" // the person's own row on a project
	StepTeam         StepKind = "team"         // membership of a team
	StepMember       StepKind = "member"       // membership of an organization
)

// Step is one removal, in the order Offboard makes them: project rows,
// then teams, then organizations (leaving an organization would drop its
// rows and teams anyway, but one by one each has its own result and audit
// entry).
type Step struct {
	Kind      StepKind `json:"kind"`
	Org       string   `json:"organization,omitempty"`
	ProjectID string   `json:"project_id,omitempty"`
	Project   string   `json:"project,omitempty"` // OWNER/NAME
	Team      string   `json:"team,omitempty"`    // short name
	Before    string   `json:"before,omitempty"`  // the role being removed
}

// Describe names the step for people.
func (s Step) Describe(user string) string {
	switch s.Kind {
	case StepCollaborator:
		return fmt.Sprintf("remove %s's row (%s) from project %s", user, s.Before, s.Project)
	case StepTeam:
		return fmt.Sprintf("remove %s from team %s/%s", user, s.Org, s.Team)
	}
	return fmt.Sprintf("remove %s from organization %s (%s)", user, s.Org, s.Before)
}

// ByHand is the command or place that finishes the step when the API
// refused it.
func (s Step) ByHand(user string) string {
	switch s.Kind {
	case StepCollaborator:
		return fmt.Sprintf("roster collaborators remove %s %s --yes, or the project's settings in the web UI", s.Project, user)
	case StepTeam:
		return fmt.Sprintf("roster teams remove-member %s/%s %s --yes", s.Org, s.Team, user)
	}
	return fmt.Sprintf("roster members remove %s %s --yes", s.Org, user)
}

// Left is access the plan cannot remove through the API, with the way to
// finish by hand.
type Left struct {
	What string `json:"what"`
	Why  string `json:"why"`
	Fix  string `json:"fix"`
}

// Plan is one person's offboarding.
type Plan struct {
	User  string `json:"user"`
	Steps []Step `json:"steps"`
	Left  []Left `json:"left"`
}

// PlanOffboard turns a report into the removals that end the person's
// access in its scope, and lists what they cannot end.
func PlanOffboard(r *Report) *Plan {
	pl := &Plan{User: r.User, Steps: []Step{}, Left: []Left{}}
	inScope := map[string]bool{}
	for _, o := range r.Orgs {
		inScope[o] = true
	}
	member := map[string]Membership{}
	for _, m := range r.Memberships {
		member[m.Org] = m
	}
	for _, p := range r.Projects {
		if p.Row != "" {
			pl.Steps = append(pl.Steps, Step{Kind: StepCollaborator, Org: p.Owner, ProjectID: p.ID, Project: p.FullName(), Before: p.Row})
		}
		switch {
		case p.Origin == client.OriginProjectOwner:
			pl.Left = append(pl.Left, Left{What: "project " + p.FullName(),
				Why: r.User + " owns it (an owner is always admin and has no row)",
				Fix: "transfer the project to another owner, or delete it, in the QFieldCloud web UI"})
		}
		for _, t := range p.TeamRows {
			org, _, _ := client.SplitTeamAccount(t.Team)
			if !inScope[org] {
				pl.Left = append(pl.Left, Left{What: "project " + p.FullName() + " through team " + t.Team,
					Why: fmt.Sprintf("%s is outside the organizations checked", org),
					Fix: fmt.Sprintf("roster offboard %s --org %s, or remove them from the team in %s", r.User, org, org)})
			}
		}
	}
	for _, m := range r.Memberships {
		for _, t := range m.Teams {
			pl.Steps = append(pl.Steps, Step{Kind: StepTeam, Org: m.Org, Team: t})
		}
	}
	for _, m := range r.Memberships {
		switch m.Role {
		case "owner":
			pl.Left = append(pl.Left, Left{What: "organization " + m.Org,
				Why: r.User + " owns it: the owner is always admin of it and of all its projects",
				Fix: "transfer the organization's ownership in the QFieldCloud web UI (the API cannot)"})
		case "":
		default:
			pl.Steps = append(pl.Steps, Step{Kind: StepMember, Org: m.Org, Before: m.Role})
		}
	}
	for _, u := range r.Unchecked {
		pl.Left = append(pl.Left, Left{What: "project " + u.Project,
			Why: "not checked: " + u.Why,
			Fix: "ask one of its admins to run roster collaborators list " + u.Project})
	}
	return pl
}

// Result is the outcome of one step.
type Result struct {
	Step Step
	Err  error
}

// Apply makes the steps: project rows at most limit at a time (1 keeps
// them strictly one after the other), then teams and organizations one by
// one. report gets every result in plan order. Apply never stops at a
// failure: each step is independent.
func Apply(ctx context.Context, p client.Provider, pl *Plan, limit int, report func(Result)) []Result {
	if limit <= 0 || limit > MaxInFlight {
		limit = MaxInFlight
	}
	results := make([]Result, len(pl.Steps))
	done := make([]chan struct{}, len(pl.Steps))
	for i := range done {
		done[i] = make(chan struct{})
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	run := func(i int) {
		st := pl.Steps[i]
		results[i] = Result{Step: st, Err: applyStep(ctx, p, pl.User, st)}
		close(done[i])
	}
	for i, st := range pl.Steps {
		if st.Kind != StepCollaborator {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			run(i)
		}()
	}
	for i, st := range pl.Steps {
		if st.Kind != StepCollaborator {
			// Teams and organizations after every row: leaving an
			// organization would make its rows unreachable for the report.
			wg.Wait()
			run(i)
		}
		<-done[i]
		if report != nil {
			report(results[i])
		}
	}
	wg.Wait()
	return results
}

func applyStep(ctx context.Context, p client.Provider, user string, st Step) error {
	switch st.Kind {
	case StepCollaborator:
		return p.RemoveCollaborator(ctx, st.ProjectID, user)
	case StepTeam:
		return p.RemoveTeamMember(ctx, st.Org, st.Team, user)
	case StepMember:
		return p.RemoveMember(ctx, st.Org, user)
	}
	return fmt.Errorf("unknown step %q", st.Kind)
}
