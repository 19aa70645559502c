package qfctest

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// User seeds a person account.
type User struct {
	Username  string
	Email     string
	Password  string
	FirstName string
	LastName  string
	Inactive  bool
}

// Member is a membership as the fake stores it.
type Member struct {
	Org    string
	User   string
	Role   string
	Public bool
}

// Team is a team and its members (usernames, in the stored order).
type Team struct {
	ID      int
	Org     string
	Name    string
	Members []string
}

// The seeding helpers panic on misuse (a duplicate name, an unknown org):
// they build test fixtures, where a wrong fixture is a bug in the test.

func (s *Server) claim(name string) {
	l := strings.ToLower(name)
	if _, taken := s.folded[l]; taken {
		panic(fmt.Sprintf("qfctest: username %q is taken (usernames are unique regardless of case)", name))
	}
	s.folded[l] = name
}

func (s *Server) next() int { s.seq++; return s.seq }

// AddUser adds a person.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addUser(u)
}

func (s *Server) addUser(u User) {
	s.claim(u.Username)
	s.accounts[u.Username] = &account{username: u.Username, email: u.Email, password: u.Password,
		first: u.FirstName, last: u.LastName, inactive: u.Inactive, typ: 1, seq: s.next()}
	s.wrote()
}

// AddOrg adds an organization owned by an existing person.
func (s *Server) AddOrg(name, owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addOrg(name, owner)
}

func (s *Server) addOrg(name, owner string) {
	if o := s.accounts[owner]; o == nil || o.typ != 1 {
		panic(fmt.Sprintf("qfctest: owner %q of %q is not a person", owner, name))
	}
	s.claim(name)
	s.accounts[name] = &account{username: name, typ: 2, owner: owner, seq: s.next()}
	s.members[name] = &memberList{index: map[string]*membership{}}
	s.wrote()
}

func (s *Server) org(name string) *account {
	a := s.accounts[name]
	if a == nil || a.typ != 2 {
		return nil
	}
	return a
}

func (s *Server) mustOrg(name string) *account {
	o := s.org(name)
	if o == nil {
		panic(fmt.Sprintf("qfctest: no organization %q", name))
	}
	return o
}

// SetMemberLimit gives an organization's plan a member limit (owner
// included); 0 removes it.
func (s *Server) SetMemberLimit(org string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustOrg(org).limit = n
}

// AddMember adds a membership directly, bypassing the API's rules except
// that the user must be a person other than the owner.
func (s *Server) AddMember(org, user, role string, public bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addMember(org, user, role, public)
}

func (s *Server) addMember(org, user, role string, public bool) {
	o := s.mustOrg(org)
	if a := s.accounts[user]; a == nil || a.typ != 1 || user == o.owner {
		panic(fmt.Sprintf("qfctest: %q cannot be a member of %q", user, org))
	}
	ml := s.members[org]
	if ml.index[user] != nil {
		panic(fmt.Sprintf("qfctest: %q is already a member of %q", user, org))
	}
	m := &membership{org: org, user: user, role: role, public: public, seq: s.next()}
	ml.order = append(ml.order, m)
	ml.index[user] = m
	s.wrote()
}

// AddTeam adds a team with members (which must be persons).
func (s *Server) AddTeam(org, name string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTeam(org, name, members...)
}

const tokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func newKey() string {
	b := make([]byte, 100)
	rand.Read(b)
	for i := range b {
		b[i] = tokenChars[int(b[i])%len(tokenChars)]
	}
	return string(b)
}

// Token mints a valid token (100 characters) for a person.
func (s *Server) Token(username string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[username]; a == nil || a.typ != 1 {
		panic(fmt.Sprintf("qfctest: no person %q", username))
	}
	return s.mint(username, "cli")
}

// tokenLife is the server's default token lifetime (720 h).
const tokenLife = 720 * time.Hour

func (s *Server) mint(username, clientType string) string {
	k := newKey()
	s.tokens[k] = &token{user: username, expires: s.now().Add(tokenLife), clientType: clientType}
	return k
}

// ExpireTokens expires every token of a person, as logout does.
func (s *Server) ExpireTokens(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireTokens(username, "")
}

// expireTokens expires the user's tokens of one client type ("" = all).
func (s *Server) expireTokens(username, clientType string) {
	for k, t := range s.tokens {
		if t.user == username && (clientType == "" || t.clientType == clientType) {
			delete(s.tokens, k)
		}
	}
}

// Members returns an organization's memberships in stored order.
func (s *Server) Members(org string) []Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	ml := s.members[org]
	if ml == nil {
		return nil
	}
	out := make([]Member, len(ml.order))
	for i, m := range ml.order {
		out[i] = Member{Org: m.org, User: m.user, Role: m.role, Public: m.public}
	}
	return out
}

// Teams returns an organization's teams with their members.
func (s *Server) Teams(org string) []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Team
	for _, t := range s.teams[org] {
		out = append(out, Team{ID: t.id, Org: t.org, Name: t.name, Members: append([]string(nil), t.members...)})
	}
	return out
}

// Users returns every person's username.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for n, a := range s.accounts {
		if a.typ == 1 {
			out = append(out, n)
		}
	}
	return out
}
