package qfctest

import (
	"fmt"
	"strings"
)

// demoPeople are the persons of SeedDemo: username, first and last name,
// e-mail domain. Every password is the username, except demo's ("demo").
var demoPeople = [][4]string{
	{"demo", "Dana", "Moreau", "example.org"},
	{"ana", "Ana", "Silva", "example.org"},
	{"ben", "Ben", "Okafor", "example.com"},
	{"chloe", "Chloé", "Dubois", "example.net"},
	{"david", "David", "Kowalski", "example.org"},
	{"elena", "Elena", "Petrova", "example.com"},
	{"farid", "Farid", "Haddad", "example.org"},
	{"grace", "Grace", "Mensah", "example.net"},
	{"hiro", "Hiroshi", "Tanaka", "example.org"},
	{"ines", "Inês", "Carvalho", "example.com"},
	{"jonas", "Jonas", "Lindqvist", "example.org"},
	{"kavya", "Kavya", "Iyer", "example.net"},
	{"lucas", "Lucas", "Martin", "example.org"},
	{"maria", "María", "González", "example.com"},
	{"nils", "Nils", "Berger", "example.org"},
	{"olga", "Olga", "Nowak", "example.net"},
	{"pablo", "Pablo", "Ruiz", "example.org"},
	{"qiang", "Qiang", "Li", "example.com"},
	{"rosa", "Rosa", "Bianchi", "example.org"},
	{"sam", "Samuel", "Adeyemi", "example.net"},
	{"tereza", "Tereza", "Novotná", "example.org"},
	{"umar", "Umar", "Farouk", "example.com"},
	{"vera", "Vera", "Schmidt", "example.org"},
	{"wei", "Wei", "Chen", "example.net"},
	{"ximena", "Ximena", "Rojas", "example.org"},
	{"yusuf", "Yusuf", "Demir", "example.com"},
	{"zoe", "Zoé", "Lambert", "example.org"},
	{"amara", "Amara", "Nwosu", "example.net"},
	{"bruno", "Bruno", "Costa", "example.org"},
	{"camille", "Camille", "Girard", "example.com"},
	{"dmitri", "Dmitri", "Volkov", "example.org"},
	{"esther", "Esther", "Cohen", "example.net"},
	{"felix", "Felix", "Huber", "example.org"},
	{"gita", "Gita", "Sharma", "example.com"},
	{"henrik", "Henrik", "Larsen", "example.org"},
	{"isla", "Isla", "MacLeod", "example.net"},
	{"jakub", "Jakub", "Wiśniewski", "example.org"},
	{"keiko", "Keiko", "Sato", "example.com"},
	{"liam", "Liam", "O'Brien", "example.org"},
	{"mei", "Mei", "Wong", "example.net"},
	{"noor", "Noor", "Khan", "example.org"},
	{"former", "Frank", "Olsen", "example.com"}, // inactive
}

// SeedDemo builds a small, realistic world (persons' passwords equal their
// usernames; demo's password is "demo"):
//
//   - fieldops (owner demo): 12 members incl. admins elena and farid,
//     creators grace and hiro; teams surveyors, botanists, hydrology.
//   - geo-survey (owner ana): demo is an admin; 10 members; teams north,
//     south, drones.
//   - city-parks (owner ben): demo is a plain (public) member; 9 members;
//     teams rangers, arborists.
//   - wetland-watch (owner chloe): demo does not belong; 6 members and at
//     its plan's member limit (7), so adds and changes get 403; teams
//     birds, water-quality.
//
// Every person is in at most one team on the whole server, as QFieldCloud
// enforces. The projects and their collaborators are listed at
// seedDemoProjects. "former" is an inactive account that cannot log in.
func (s *Server) SeedDemo() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range demoPeople {
		pw := p[0]
		s.addUser(User{Username: p[0], FirstName: p[1], LastName: p[2], Email: p[0] + "@" + p[3], Password: pw, Inactive: p[0] == "former"})
	}
	type m struct {
		user, role string
		public     bool
	}
	orgs := []struct {
		name, owner string
		members     []m
		teams       map[string][]string
		order       []string
		limit       int
	}{
		{"fieldops", "demo", []m{
			{"elena", "admin", true}, {"farid", "admin", false}, {"grace", "creator", true}, {"hiro", "creator", false},
			{"ines", "member", true}, {"jonas", "member", false}, {"kavya", "member", true}, {"lucas", "member", false},
			{"maria", "member", false}, {"nils", "member", true}, {"olga", "member", false}, {"pablo", "member", false},
		}, map[string][]string{"surveyors": {"ines", "jonas", "kavya"}, "botanists": {"lucas", "maria"}, "hydrology": {"nils"}},
			[]string{"surveyors", "botanists", "hydrology"}, 0},
		{"geo-survey", "ana", []m{
			{"demo", "admin", true}, {"qiang", "admin", false}, {"rosa", "creator", true}, {"sam", "member", false},
			{"tereza", "member", true}, {"umar", "member", false}, {"vera", "member", false}, {"wei", "member", true},
			{"elena", "member", false}, {"olga", "creator", false},
		}, map[string][]string{"north": {"sam", "tereza"}, "south": {"umar", "vera"}, "drones": {"wei", "ana"}},
			[]string{"north", "south", "drones"}, 0},
		{"city-parks", "ben", []m{
			{"demo", "member", true}, {"ximena", "admin", true}, {"yusuf", "member", false}, {"zoe", "member", true},
			{"amara", "creator", false}, {"bruno", "member", false}, {"camille", "member", true}, {"dmitri", "member", false},
			{"pablo", "member", false},
		}, map[string][]string{"rangers": {"yusuf", "zoe", "bruno"}, "arborists": {"camille"}},
			[]string{"rangers", "arborists"}, 0},
		{"wetland-watch", "chloe", []m{
			{"esther", "admin", true}, {"felix", "member", false}, {"gita", "member", true}, {"henrik", "member", false},
			{"isla", "creator", false}, {"jakub", "member", true},
		}, map[string][]string{"birds": {"felix", "gita", "chloe"}, "water-quality": {"henrik", "isla"}},
			[]string{"birds", "water-quality"}, 7},
	}
	for _, o := range orgs {
		s.addOrg(o.name, o.owner)
		for _, x := range o.members {
			s.addMember(o.name, x.user, x.role, x.public)
		}
		for _, t := range o.order {
			s.addTeam(o.name, t, o.teams[t]...)
		}
		s.accounts[o.name].limit = o.limit
		s.accounts[o.name].email = "contact@" + o.name + ".example.org"
	}
	s.seedDemoProjects()
}

// SeedGenerated adds n generated members to org (created with a generated
// owner if missing), fast enough for 100,000. Usernames are
// "<org>-m000001"…; every 3rd member is public, every 25th a creator,
// every 50th an admin.
func (s *Server) SeedGenerated(org string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.org(org) == nil {
		owner := org + "-owner"
		s.addUser(User{Username: owner, FirstName: "Owner", LastName: "Of " + org, Email: owner + "@example.org", Password: owner})
		s.addOrg(org, owner)
	}
	ml := s.members[org]
	first := []string{"Ana", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Inês", "Jonas"}
	last := []string{"Silva", "Okafor", "Dubois", "Kowalski", "Petrova", "Haddad", "Mensah", "Tanaka", "Carvalho", "Lindqvist"}
	start := len(ml.order)
	for i := start + 1; i <= start+n; i++ {
		name := fmt.Sprintf("%s-m%06d", org, i)
		s.claim(name)
		s.seq++
		s.accounts[name] = &account{username: name, typ: 1, email: strings.ToLower(name) + "@example.org", password: name,
			first: first[i%len(first)], last: last[(i/len(first))%len(last)], seq: s.seq}
		role := "member"
		switch {
		case i%50 == 0:
			role = "admin"
		case i%25 == 0:
			role = "creator"
		}
		s.seq++
		m := &membership{org: org, user: name, role: role, public: i%3 == 0, seq: s.seq}
		ml.order = append(ml.order, m)
		ml.index[name] = m
	}
	s.wrote()
}

func (s *Server) addTeam(org, name string, members ...string) {
	s.mustOrg(org)
	s.claim(accountName(org, name))
	t := &team{org: org, name: name, seq: s.next()}
	t.id = t.seq
	for _, m := range members {
		if a := s.accounts[m]; a == nil || a.typ != 1 {
			panic(fmt.Sprintf("qfctest: team member %q is not a person", m))
		}
		t.members = append(t.members, m)
	}
	s.teams[org] = append(s.teams[org], t)
	s.wrote()
}
