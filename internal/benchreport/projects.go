package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// projectsBench measures the collaborator list of a 2,000-row project and
// `roster access` over an organization with 200 projects, each next to
// the official CLI's way: 20 rows per request, one request after another,
// project after project.
func projectsBench(add func(...string)) {
	// A project with 2,000 collaborators.
	s := newServer("crowd", 2000)
	id := s.fake.CreateProject(qfctest.ProjectSpec{Owner: "crowd", Name: "census"})
	n := s.fake.SeedCollaborators(id, "crowd")
	s.fake.Kit().SetLatency(*latency)
	m := measure(s, "collaborators", "list", "crowd/census", "--json")
	byID := measure(s, "collaborators", "list", id, "--json")
	seqWall, seqRows, seqReqs := sequential(s, "collaborators/"+id+"/", 0)
	add(fmt.Sprintf("`collaborators list --json`, %d collaborators, %s latency", n, *latency),
		fmt.Sprintf("%s, %d requests in %d round trips (resolve OWNER/NAME + the whole list), peak RSS %s", ms(m.wall), m.requests, m.rounds, mb(m.rssKB)),
		fmt.Sprintf("sequential 20/request: %s, %d requests, %d rows", ms(seqWall), seqReqs, seqRows),
		fmt.Sprintf("%.1f× faster", float64(seqWall)/float64(m.wall)))
	add(fmt.Sprintf("`collaborators list ID --json`, %d collaborators, %s latency", n, *latency),
		fmt.Sprintf("%s, %s in %s, %d bytes out", ms(byID.wall), count(byID.requests, "request"), count(byID.rounds, "round trip"), byID.bytes),
		"goal: one request, ≤ 1 RTT + transfer",
		fmt.Sprintf("%.1f× faster", float64(seqWall)/float64(byID.wall)))
	s.close()

	// access over 200 projects: the person has a row on every 4th, a team
	// row reaches them on the others.
	const projects = 200
	s = newServer("survey", 40)
	person := "survey-m000001"
	s.fake.AddTeam("survey", "crew", person, "survey-m000002", "survey-m000003")
	for i := 0; i < projects; i++ {
		rows := map[string]string{"@survey/crew": "reader", "survey-m000010": "editor", "survey-m000011": "reporter"}
		if i%4 == 0 {
			rows[person] = "editor"
		}
		s.fake.SeedProjects("survey", fmt.Sprintf("site%03d", i), 1, rows)
	}
	s.fake.Kit().SetLatency(*latency)
	a := measure(s, "access", person, "--org", "survey", "--json")
	first, last, peak := s.tm.span()
	// The SDK-style loop: the project list, then each project's
	// collaborators, 20 rows per request, one after another.
	start := time.Now()
	_, _, listReqs := sequential(s, "projects/", 0)
	reqs := listReqs
	for _, p := range s.fake.Projects() {
		if p.Owner != "survey" {
			continue
		}
		_, _, r := sequential(s, "collaborators/"+p.ID+"/", 0)
		reqs += r
	}
	seq := time.Since(start)
	verdict := "within"
	if a.wall > 2*time.Second {
		verdict = "OVER"
	}
	add(fmt.Sprintf("`access USER --org ORG --json`, %d projects, %s latency", projects, *latency),
		fmt.Sprintf("%s (%s the 2 s goal), %d requests, at most %d in flight; %s from the first request to the last answer", ms(a.wall), verdict, a.requests, peak, ms(last.Sub(first))),
		fmt.Sprintf("sequential per-project loop: %s, %d requests", ms(seq), reqs),
		fmt.Sprintf("%.1f× faster", float64(seq)/float64(a.wall)))
	s.close()
}

// span is when the first request started, the last ended, and the most
// requests in flight at once.
func (t *timing) span() (first, last time.Time, peak int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	type ev struct {
		at time.Time
		d  int
	}
	var evs []ev
	for i, r := range t.reqs {
		if i == 0 || r[0].Before(first) {
			first = r[0]
		}
		if r[1].After(last) {
			last = r[1]
		}
		evs = append(evs, ev{r[0], 1}, ev{r[1], -1})
	}
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].at.Equal(evs[j].at) {
			return evs[i].d < evs[j].d
		}
		return evs[i].at.Before(evs[j].at)
	})
	n := 0
	for _, e := range evs {
		n += e.d
		peak = max(peak, n)
	}
	return first, last, peak
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
