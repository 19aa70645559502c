package client

import "context"

// TeamList is a team listing and how much of the truth it holds.
type TeamList struct {
	Teams []Team
	// PublicOnly: the server would not list every team to this token
	// (Qomon GET /teams refused, or missing on an older server), so only
	// the public teams are here; private ones may exist.
	PublicOnly bool
}

// PublicTeamsNote is what to tell a person when a list is PublicOnly.
const PublicTeamsNote = "showing public teams only: this token's role cannot list private teams"

// TeamLister is implemented by providers whose team list may be partial.
type TeamLister interface {
	ListTeams(ctx context.Context, org string) (TeamList, error)
}

// ListTeams lists teams and says whether the list is partial. Wrappers
// that pass reads through (audit, read-only) are looked through.
func ListTeams(ctx context.Context, p Provider, org string) (TeamList, error) {
	if tl, ok := Innermost(p).(TeamLister); ok {
		return tl.ListTeams(ctx, org)
	}
	ts, err := p.Teams(ctx, org)
	return TeamList{Teams: ts}, err
}

// Innermost returns the provider under any wrappers that expose it with
// Unwrap (audit, read-only). Use it only for reads and for checks that
// send nothing: writes must go through the wrappers.
func Innermost(p Provider) Provider {
	for {
		u, ok := p.(interface{ Unwrap() Provider })
		if !ok {
			return p
		}
		p = u.Unwrap()
	}
}
