package qfctest

import "fmt"

// seedDemoProjects adds the demo world's projects (SeedDemo):
//
//   - fieldops/tree-inventory: teams surveyors (editor) and botanists
//     (reader), kavya a direct reader (a direct row beats her team's
//     editor row), lucas editor, olga reporter;
//   - fieldops/wetland-survey: created by grace, a creator, who got the
//     automatic admin row; hydrology manager, ines reader, pablo editor;
//   - fieldops/trees and fieldops/Trees: names that differ only in case;
//   - fieldops/relevé-2019: a legacy Unicode name, with an incognito
//     support row (hiro);
//   - fieldops/open-data: public, surveyors reporter;
//   - geo-survey/coastline (rosa's creator row, north editor, sam manager)
//     and geo-survey/drone-flights (drones reporter, elena reader);
//   - city-parks/park-benches (demo editor) and city-parks/playgrounds
//     (rangers editor); city-parks gives every member reader by default;
//   - wetland-watch/bird-count: public, birds editor; demo has no role;
//   - demo/notes (a person's project: ben reader, elena editor) and
//     ines/field-notes, where demo is a manager.
//
// ines reaches projects three ways: her team (tree-inventory, open-data),
// her own row (wetland-survey) and as an owner (ines/field-notes).
func (s *Server) seedDemoProjects() {
	type row struct{ user, role string }
	projects := []struct {
		spec ProjectSpec
		rows []row
	}{
		{ProjectSpec{Owner: "fieldops", Name: "tree-inventory", Description: "Urban tree inventory", Featured: true},
			[]row{{"@fieldops/surveyors", "editor"}, {"kavya", "reader"}, {"lucas", "editor"}, {"@fieldops/botanists", "reader"}, {"olga", "reporter"}}},
		{ProjectSpec{Owner: "fieldops", Name: "wetland-survey", Description: "Wetland habitat survey", CreatedBy: "grace"},
			[]row{{"@fieldops/hydrology", "manager"}, {"ines", "reader"}, {"pablo", "editor"}}},
		{ProjectSpec{Owner: "fieldops", Name: "trees", Description: "Street trees, 2024 campaign"},
			[]row{{"jonas", "editor"}}},
		{ProjectSpec{Owner: "fieldops", Name: "Trees", Description: "Park trees (legacy copy)"},
			[]row{{"maria", "reader"}}},
		{ProjectSpec{Owner: "fieldops", Name: "relevé-2019", Description: "Legacy survey, imported before name rules"},
			[]row{{"nils", "editor"}}},
		{ProjectSpec{Owner: "fieldops", Name: "open-data", Description: "Published open data", Public: true},
			[]row{{"@fieldops/surveyors", "reporter"}}},
		{ProjectSpec{Owner: "geo-survey", Name: "coastline", Description: "Coastline erosion monitoring", CreatedBy: "rosa"},
			[]row{{"@geo-survey/north", "editor"}, {"sam", "manager"}}},
		{ProjectSpec{Owner: "geo-survey", Name: "drone-flights", Description: "Drone flight log"},
			[]row{{"@geo-survey/drones", "reporter"}, {"elena", "reader"}}},
		{ProjectSpec{Owner: "city-parks", Name: "park-benches", Description: "Bench maintenance"},
			[]row{{"demo", "editor"}, {"camille", "reader"}}},
		{ProjectSpec{Owner: "city-parks", Name: "playgrounds", Description: "Playground inspections"},
			[]row{{"@city-parks/rangers", "editor"}}},
		{ProjectSpec{Owner: "wetland-watch", Name: "bird-count", Description: "Yearly bird count", Public: true},
			[]row{{"@wetland-watch/birds", "editor"}}},
		{ProjectSpec{Owner: "demo", Name: "notes", Description: "Personal field notes"},
			[]row{{"ben", "reader"}, {"elena", "editor"}}},
		{ProjectSpec{Owner: "ines", Name: "field-notes", Description: "Ines's field notes"},
			[]row{{"demo", "manager"}}},
	}
	for _, p := range projects {
		id := s.createProject(p.spec)
		for _, r := range p.rows {
			s.addCollaborator(id, r.user, r.role, false)
		}
	}
	s.addCollaborator(s.projectIDLocked("fieldops", "relevé-2019"), "hiro", "reader", true)
	s.proj.defaultRole["city-parks"] = "reader"
}

func (s *Server) projectIDLocked(owner, name string) string {
	for _, p := range s.proj.byID {
		if p.owner == owner && p.name == name {
			return p.id
		}
	}
	panic(fmt.Sprintf("qfctest: no project %s/%s", owner, name))
}

// SeedProjects adds n projects to owner ("<prefix>-0001"…), each with
// rows collaborator rows taken in turn from the given persons or teams
// (which must be valid for the owner), and returns their ids.
func (s *Server) SeedProjects(owner, prefix string, n int, rows map[string]string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		id := s.createProject(ProjectSpec{Owner: owner, Name: fmt.Sprintf("%s-%04d", prefix, i)})
		for u, r := range rows {
			s.addCollaborator(id, u, r, false)
		}
		ids = append(ids, id)
	}
	return ids
}

// SeedCollaborators adds every member of org (SeedGenerated makes many)
// as a collaborator of the project, roles in turn, and returns how many
// rows it added.
func (s *Server) SeedCollaborators(projectID, org string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ml := s.members[org]
	if ml == nil {
		panic(fmt.Sprintf("qfctest: no organization %q", org))
	}
	for i, m := range ml.order {
		s.addCollaboratorFast(projectID, m.user, projectRoles[1+i%4])
	}
	s.wrote()
	return len(ml.order)
}

// addCollaboratorFast skips the duplicate scan, for thousands of rows of
// fresh members.
func (s *Server) addCollaboratorFast(projectID, user, role string) {
	p := s.proj.byID[projectID]
	if p == nil {
		panic(fmt.Sprintf("qfctest: no project %q", projectID))
	}
	now := s.now()
	p.rows = append(p.rows, &collab{person: user, role: role, createdBy: p.createdBy, updatedBy: p.createdBy,
		created: now, updated: now, seq: s.next()})
}
