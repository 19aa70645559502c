package qomontest

import (
	"fmt"
	"strings"
	"time"
)

// Fixture spaces and callers every New server holds.
const (
	// SpaceParis has every role kind, two custom roles, three teams (two
	// private) and a pending invitation.
	SpaceParis = "Paris Centre"
	// SpaceLyon is a second, small space with its own role ids and names.
	SpaceLyon = "Lyon Sud"

	AdminEmail   = "ada@example.org"     // Paris superadmin
	StaffEmail   = "blaise@example.org"  // Paris admin; leads Quartier Nord
	ManagerEmail = "camille@example.org" // Paris manager; leads Marché
	ChampEmail   = "denis@example.org"   // Paris user role: reads only
	LyonEmail    = "louise@example.org"  // Lyon superadmin
	// LyonOnlyEmail has an account in Lyon only: inviting it from Paris
	// adds it at once.
	LyonOnlyEmail = "andre@example.org"
	// PendingEmail has a pending invitation to Paris and no account.
	PendingEmail = "new@example.org"
)

// Fixture team names in SpaceParis.
const (
	TeamNord     = "Quartier Nord"      // private, hide_users, address, description, a leader
	TeamMarche   = "Marché Saint-Denis" // public
	TeamTresorie = "Trésorerie"         // private; Denis is not a member
)

var fixtureTime = time.Date(2025, 1, 10, 8, 0, 0, 0, time.UTC)

func (s *Server) seedFixtures() {
	s.addSpace(SpaceParis, append(append([]Role(nil), defaultRoles...),
		Role{Name: "Porte-parole", Type: "custom", Order: 12, Color: "#6d4c41", Web: true, Mobile: true}))
	paris := s.spaces[SpaceParis]
	add := func(sp *space, u User) int64 {
		u.Created, u.Updated = fixtureTime, fixtureTime.Add(24*time.Hour)
		if u.Locale == "" {
			u.Locale = "fr"
		}
		return s.addUser(sp, u).ID
	}
	ada := add(paris, User{FirstName: "Ada", Surname: "Lovelace", Mail: AdminEmail, Phone: "0601020304", Street: "rue Haute", HouseNumber: "12", Postal: "75001", City: "Paris", Country: "France", Status: []string{"available night"}, Role: "superadmin"})
	blaise := add(paris, User{FirstName: "Blaise", Surname: "Pascal", Mail: StaffEmail, Phone: "0602030405", Street: "rue des Écoles", Postal: "75005", City: "Paris", Role: "admin"})
	camille := add(paris, User{FirstName: "Camille", Surname: "Claudel", Mail: ManagerEmail, Phone: "0603040506", Street: "quai Bourbon", HouseNumber: "19", Postal: "75004", City: "Paris", Status: []string{"available week-end", "available night"}, Role: "manager"})
	denis := add(paris, User{FirstName: "Denis", Surname: "Diderot", Mail: ChampEmail, Postal: "75006", City: "Paris", Role: "user"})
	emilie := add(paris, User{FirstName: "Émilie", Surname: "du Châtelet", Mail: "emilie@example.org", Phone: "0605060708", City: "Paris", Role: "user"})
	frederic := add(paris, User{FirstName: "Frédéric", Surname: "Chopin", Mail: "frederic@example.org", City: "Paris", Role: "Trésorier"})
	add(paris, User{FirstName: "Gustave", Surname: "Eiffel", Phone: "0607080910", City: "Paris", Role: "user"}) // no e-mail: sent as null
	_ = ada

	s.addSpace(SpaceLyon, []Role{
		{Name: "Administrateur", Type: "superadmin", Order: 1, Color: "#e53935", Web: true, Mobile: true},
		{Name: "Salarié", Type: "admin", Order: 3, Color: "#8e24aa", Web: true, Mobile: true},
		{Name: "Coordinateur", Type: "manager", Order: 5, Color: "#1e88e5", Web: true, Mobile: true},
		{Name: "Militant", Type: "user", Order: 8, Color: "#43a047", Mobile: true},
		{Name: "Référent", Type: "custom", Order: 9, Color: "#fb8c00", Web: true},
	})
	lyon := s.spaces[SpaceLyon]
	louise := add(lyon, User{FirstName: "Louise", Surname: "Labé", Mail: LyonEmail, City: "Lyon", Role: "superadmin"})
	andre := add(lyon, User{FirstName: "André-Marie", Surname: "Ampère", Mail: LyonOnlyEmail, Phone: "0611121314", City: "Lyon", Role: "user"})

	team := func(sp *space, t Team) {
		t.ID = s.next()
		t.CreatedAt, t.UpdatedAt = fixtureTime, fixtureTime.Add(48*time.Hour)
		sp.teams[t.ID] = &t
	}
	team(paris, Team{Name: TeamNord, Description: "Porte-à-porte du quartier nord", Private: true, HideUsers: true,
		Address: Address{Street: "rue Haute", HouseNumber: "12", PostalCode: "75001", City: "Paris", Country: "France",
			Extra: map[string]string{"building": "B", "floor": "2"}, Latitude: 48.8606, Longitude: 2.3376, PollingStation: "Bureau 4"},
		Users: []int64{blaise, denis, emilie}, Leaders: []int64{blaise}})
	team(paris, Team{Name: TeamMarche, Description: "Tractage au marché", Users: []int64{camille, denis}, Leaders: []int64{camille}})
	team(paris, Team{Name: TeamTresorie, Private: true, Users: []int64{frederic}})
	team(lyon, Team{Name: "Croix-Rousse", Users: []int64{louise, andre}, Leaders: []int64{louise}})

	inv := &Invitation{ID: s.next(), Email: PendingEmail, RoleID: paris.roleByText("user").ID, CreatedAt: fixtureTime, LastSent: fixtureTime}
	paris.invitations[inv.ID] = inv
}

// Demo spaces (SeedDemo).
const (
	DemoSpace      = "Campagne Municipale"
	DemoSmallSpace = "Association Quartier Libre"
	DemoAdminEmail = "claire.martin@campagne.example"
)

var (
	demoFirst = []string{"Claire", "Julien", "Sophie", "Thomas", "Camille", "Nicolas", "Léa", "Mathieu", "Chloé", "Antoine",
		"Manon", "Hugo", "Inès", "Lucas", "Sarah", "Louis", "Emma", "Gabriel", "Zoé", "Arthur",
		"Jade", "Raphaël", "Louise", "Nathan", "Alice", "Théo", "Lina", "Paul", "Rose", "Adam",
		"Anna", "Maël", "Juliette", "Noah", "Margaux", "Yanis", "Élise", "Karim", "Fatou", "Mehdi"}
	demoLast = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
		"Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
		"Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
		"Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Diallo", "Benali"}
	demoStatus = []string{"available week-end", "available night", "available weekdays", ""}
	demoCities = []string{"Montreuil", "Bagnolet", "Vincennes", "Romainville"}
)

func demoMail(first, last, domain string) string {
	clean := func(s string) string {
		r := strings.NewReplacer("é", "e", "è", "e", "ë", "e", "ï", "i", "î", "i", "ç", "c", "à", "a", "ô", "o", " ", "-")
		return strings.ToLower(r.Replace(strings.ToLower(s)))
	}
	return clean(first) + "." + clean(last) + "@" + domain
}

// SeedDemo adds a realistic campaign space (~40 volunteers, every role
// kind, five teams public and private with leaders, pending invitations)
// and a second small space. DemoToken is its superadmin's token.
func (s *Server) SeedDemo() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spaces[DemoSpace] != nil {
		return
	}
	roles := append(append([]Role(nil), defaultRoles...),
		Role{Name: "Référent quartier", Type: "custom", Order: 11, Color: "#00897b", Web: true, Mobile: true})
	s.addSpace(DemoSpace, roles)
	sp := s.spaces[DemoSpace]
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 40 {
		first, last := demoFirst[i], demoLast[i]
		kind := "user"
		switch {
		case i == 0:
			kind = "superadmin"
		case i < 3:
			kind = "admin"
		case i < 8:
			kind = "manager"
		case i%9 == 4:
			kind = "Trésorier"
		case i%11 == 5:
			kind = "Référent quartier"
		}
		mail := demoMail(first, last, "campagne.example")
		if i == 0 {
			mail = DemoAdminEmail
		}
		st := demoStatus[i%len(demoStatus)]
		var status []string
		if st != "" {
			status = []string{st}
		}
		created := base.Add(time.Duration(i) * 37 * time.Hour)
		u := s.addUser(sp, User{
			FirstName: first, Surname: last, Mail: mail,
			Phone: fmt.Sprintf("06%08d", 12345678+i*7919), Street: "rue de la République", HouseNumber: fmt.Sprint(1 + i*3),
			Postal: fmt.Sprintf("931%02d", i%4*10), City: demoCities[i%len(demoCities)], Country: "France", Locale: "fr",
			Status: status, Created: created, Updated: created.Add(72 * time.Hour), Role: kind,
		})
		ids = append(ids, u.ID)
	}
	team := func(name, desc string, private, hide bool, addr Address, users []int64, leaders ...int64) {
		t := Team{ID: s.next(), Name: name, Description: desc, Private: private, HideUsers: hide, Address: addr,
			Users: users, Leaders: leaders, CreatedAt: base.Add(24 * time.Hour), UpdatedAt: base.Add(30 * 24 * time.Hour)}
		sp.teams[t.ID] = &t
	}
	team("Porte-à-porte Centre", "Tournées du samedi matin", false, false,
		Address{Street: "place Jean Jaurès", HouseNumber: "1", PostalCode: "93100", City: "Montreuil", Country: "France", Latitude: 48.8617, Longitude: 2.4432},
		ids[3:13], ids[3], ids[8])
	team("Tractage Marchés", "Marchés de Croix-de-Chavaux et Paul Bert", false, true, Address{}, ids[13:22], ids[4])
	team("Phoning", "Appels aux sympathisants", false, false, Address{}, ids[20:28], ids[5])
	team("Comité de campagne", "Stratégie et budget", true, false,
		Address{Street: "rue de Paris", HouseNumber: "48", PostalCode: "93100", City: "Montreuil", Country: "France", Extra: map[string]string{"floor": "1", "door": "B"}},
		append([]int64{ids[0]}, ids[1:4]...), ids[0], ids[1])
	team("Jeunes", "", true, true, Address{}, ids[28:36], ids[6])
	now := base.Add(40 * 24 * time.Hour)
	for i, mail := range []string{"yasmine.haddad@mail.example", "pierre.lemoine@mail.example", "aicha.traore@mail.example"} {
		inv := &Invitation{ID: s.next(), Email: mail, RoleID: sp.roleByText("user").ID, CreatedAt: now.Add(time.Duration(i) * time.Hour), LastSent: now.Add(time.Duration(i) * time.Hour)}
		if i == 1 {
			inv.RoleID = sp.roleByText("manager").ID
		}
		sp.invitations[inv.ID] = inv
	}
	s.demoToken = s.token(sp, s.accounts[ids[0]])

	s.addSpace(DemoSmallSpace, nil)
	small := s.spaces[DemoSmallSpace]
	var sids []int64
	for i := range 6 {
		first, last := demoFirst[39-i], demoLast[39-i]
		kind := "user"
		if i == 0 {
			kind = "superadmin"
		}
		// The space's admin is also in the campaign: one account, two spaces.
		mail := demoMail(first, last, "quartier.example")
		if i == 0 {
			mail = DemoAdminEmail
		}
		sids = append(sids, s.addUser(small, User{FirstName: first, Surname: last, Mail: mail, City: "Montreuil", Locale: "fr", Role: kind, Created: base, Updated: base}).ID)
	}
	t := Team{ID: s.next(), Name: "Jardin partagé", Users: sids[1:], Leaders: []int64{sids[1]}, CreatedAt: base, UpdatedAt: base}
	small.teams[t.ID] = &t
}

// DemoToken is the campaign superadmin's token (after SeedDemo).
func (s *Server) DemoToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.demoToken
}

// SeedGenerated adds n generated users to a space (created with the
// default roles if missing): fast enough for 100,000.
func (s *Server) SeedGenerated(space string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spaces[space] == nil {
		s.addSpace(space, nil)
	}
	sp := s.spaces[space]
	user := sp.roleByText("user").ID
	manager := sp.roleByText("manager").ID
	now := s.now()
	domain := strings.ToLower(strings.ReplaceAll(space, " ", "-")) + ".example"
	sp.order = append(make([]int64, 0, len(sp.order)+n), sp.order...)
	for i := range n {
		first, last := demoFirst[i%len(demoFirst)], demoLast[(i/len(demoFirst))%len(demoLast)]
		a := &account{User: User{
			ID: s.next(), FirstName: first, Surname: last,
			Mail:  fmt.Sprintf("%s.%s.%d@%s", strings.ToLower(first[:1]), strings.ToLower(last), i, domain),
			Phone: fmt.Sprintf("07%08d", i), City: demoCities[i%len(demoCities)], Locale: "fr", Created: now, Updated: now,
		}}
		s.accounts[a.ID] = a
		s.byMail[strings.ToLower(a.Mail)] = a
		role := user
		if i%50 == 0 {
			role = manager
		}
		// Ids only increase, so appending keeps sp.order sorted.
		sp.members[a.ID] = &membership{user: a, roleID: role}
		sp.order = append(sp.order, a.ID)
		a.spaces = []int64{sp.id}
	}
	sp.sorted = nil
}
