package qomontest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Role is one of a space's roles (api §3.1).
type Role struct {
	ID     int64
	Name   string // localised or custom
	Type   string // superadmin | admin | manager | user | custom
	Order  int    // lower = more privileged, with gaps
	Color  string
	Web    bool
	Mobile bool
}

// User is a person as seeded and as read back: the account plus its role
// in the space it is read from.
type User struct {
	ID          int64
	FirstName   string
	Surname     string
	Mail        string // "" is sent as null
	Phone       string
	Street      string // the flat address line
	HouseNumber string
	Postal      string
	City        string
	Country     string
	Locale      string
	Birthdate   string // RFC 3339 date-time or ""
	Status      []string
	TwoFactor   bool
	Created     time.Time
	Updated     time.Time
	// RoleID is the user's role in the space; when seeding, 0 means Role
	// (a kind or a name) or, if that is empty too, the space's user role.
	RoleID int64
	Role   string
}

// Address is a team's address: the writable parts plus read-only ones.
type Address struct {
	Street, HouseNumber, PostalCode, City, Country string
	// Extra holds the other writable keys (addition, building, county,
	// door, floor, infos, state).
	Extra map[string]string
	// Read-only parts, as geocoding sets them; never writable.
	Latitude, Longitude float64
	PollingStation      string
}

func (a Address) zero() bool {
	return a.Street == "" && a.HouseNumber == "" && a.PostalCode == "" && a.City == "" && a.Country == "" && len(a.Extra) == 0
}

// Team is a team of a space.
type Team struct {
	ID          int64
	Name        string
	Description string
	Private     bool
	HideUsers   bool
	Address     Address
	Users       []int64 // members, in stored order
	Leaders     []int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (t *Team) clone() Team {
	c := *t
	c.Users = slices.Clone(t.Users)
	c.Leaders = slices.Clone(t.Leaders)
	c.Address.Extra = maps.Clone(t.Address.Extra)
	return c
}

func (t *Team) has(id int64) bool {
	return slices.Contains(t.Users, id) || slices.Contains(t.Leaders, id)
}

// Invitation is an invitation to a space (api §3.6).
type Invitation struct {
	ID          int64
	Email       string
	MobilePhone string
	RoleID      int64
	UserID      int64 // set once the address has an account in the space
	CreatedAt   time.Time
	LastSent    time.Time
}

// account is a Qomon account; it may belong to several spaces.
type account struct {
	User
	spaces []int64 // group ids, in joining order
}

type membership struct {
	user   *account
	roleID int64
}

// space is one Qomon space ("group").
type space struct {
	id          int64
	name        string
	roles       []*Role // by order
	members     map[int64]*membership
	order       []int64 // member ids ascending
	sorted      []int64 // cache for sort=true; nil when stale
	teams       map[int64]*Team
	invitations map[int64]*Invitation
}

func (sp *space) role(id int64) *Role {
	for _, r := range sp.roles {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (sp *space) roleOf(user int64) *Role {
	if m := sp.members[user]; m != nil {
		if r := sp.role(m.roleID); r != nil {
			return r
		}
	}
	return &Role{}
}

// roleByText finds a role by kind, then case-insensitive name.
func (sp *space) roleByText(s string) *Role {
	for _, r := range sp.roles {
		if strings.EqualFold(r.Type, s) {
			return r
		}
	}
	for _, r := range sp.roles {
		if strings.EqualFold(r.Name, s) {
			return r
		}
	}
	return nil
}

func (sp *space) addMember(a *account, roleID int64) {
	if sp.members[a.ID] != nil {
		return
	}
	sp.members[a.ID] = &membership{user: a, roleID: roleID}
	i, _ := slices.BinarySearch(sp.order, a.ID)
	sp.order = slices.Insert(sp.order, i, a.ID)
	sp.sorted = nil
	a.spaces = append(a.spaces, sp.id)
}

func (s *Server) next() int64 { s.seq++; return s.seq }

func (s *Server) spaceByID(id int64) *space {
	for _, sp := range s.spaceOrder {
		if sp.id == id {
			return sp
		}
	}
	return nil
}

func (s *Server) mustSpace(name string) *space {
	sp := s.spaces[name]
	if sp == nil {
		panic(fmt.Sprintf("qomontest: no space %q", name))
	}
	return sp
}

// defaultRoles are a French space's roles: localised names, non-contiguous
// ids, gaps in order, and a custom role.
var defaultRoles = []Role{
	{Name: "Administrateur", Type: "superadmin", Order: 1, Color: "#e53935", Web: true, Mobile: true},
	{Name: "Équipe salariée", Type: "admin", Order: 2, Color: "#8e24aa", Web: true, Mobile: true},
	{Name: "Organisateur", Type: "manager", Order: 4, Color: "#1e88e5", Web: true, Mobile: true},
	{Name: "Champ", Type: "user", Order: 7, Color: "#43a047", Web: false, Mobile: true},
	{Name: "Trésorier", Type: "custom", Order: 9, Color: "#fb8c00", Web: true, Mobile: false},
}

// AddSpace creates a space with the given roles (nil: the default French
// roles) and returns its roles with their ids. Role ids skip numbers, as
// in a real database shared by many spaces.
func (s *Server) AddSpace(name string, roles []Role) []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addSpace(name, roles)
}

func (s *Server) addSpace(name string, roles []Role) []Role {
	if s.spaces[name] != nil {
		panic(fmt.Sprintf("qomontest: space %q exists", name))
	}
	if roles == nil {
		roles = defaultRoles
	}
	sp := &space{id: s.next(), name: name, members: map[int64]*membership{}, teams: map[int64]*Team{}, invitations: map[int64]*Invitation{}}
	out := make([]Role, 0, len(roles))
	for _, r := range roles {
		r := r
		s.seq += 2 // gaps: ids are per space and never contiguous
		r.ID = s.next()
		sp.roles = append(sp.roles, &r)
		out = append(out, r)
	}
	slices.SortStableFunc(sp.roles, func(a, b *Role) int { return a.Order - b.Order })
	s.spaces[name] = sp
	s.spaceOrder = append(s.spaceOrder, sp)
	return out
}

// Spaces lists the space names in creation order.
func (s *Server) Spaces() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, sp := range s.spaceOrder {
		out = append(out, sp.name)
	}
	return out
}

// SpaceID returns a space's group id.
func (s *Server) SpaceID(space string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustSpace(space).id
}

// Roles returns a space's roles by order.
func (s *Server) Roles(space string) []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Role
	for _, r := range s.mustSpace(space).roles {
		out = append(out, *r)
	}
	return out
}

// RoleID finds a space's role by kind (first match) or name.
func (s *Server) RoleID(space, kindOrName string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustSpace(space).roleByText(kindOrName)
	if r == nil {
		panic(fmt.Sprintf("qomontest: space %q has no role %q", space, kindOrName))
	}
	return r.ID
}

// AddUser adds a person to a space and returns them with their id. An
// e-mail that already has an account (in another space) joins that
// account to this space.
func (s *Server) AddUser(space string, u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUser(s.mustSpace(space), u)
}

func (s *Server) addUser(sp *space, u User) User {
	roleID := u.RoleID
	if roleID == 0 {
		kind := u.Role
		if kind == "" {
			kind = "user"
		}
		r := sp.roleByText(kind)
		if r == nil {
			panic(fmt.Sprintf("qomontest: space %q has no role %q", sp.name, kind))
		}
		roleID = r.ID
	} else if sp.role(roleID) == nil {
		panic(fmt.Sprintf("qomontest: role %d is not in space %q", roleID, sp.name))
	}
	a := s.byMail[strings.ToLower(u.Mail)]
	if a == nil || u.Mail == "" {
		a = &account{User: u}
		if a.ID == 0 {
			a.ID = s.next()
		} else if a.ID > s.seq {
			s.seq = a.ID
		}
		if a.Created.IsZero() {
			a.Created = s.now()
		}
		if a.Updated.IsZero() {
			a.Updated = a.Created
		}
		a.Status = slices.Clone(u.Status)
		a.RoleID, a.Role = 0, ""
		s.accounts[a.ID] = a
		if u.Mail != "" {
			s.byMail[strings.ToLower(u.Mail)] = a
		}
	}
	sp.addMember(a, roleID)
	return s.userView(sp, a)
}

// userView is an account as seen from a space.
func (s *Server) userView(sp *space, a *account) User {
	u := a.User
	u.Status = slices.Clone(a.Status)
	if m := sp.members[a.ID]; m != nil {
		u.RoleID = m.roleID
		if r := sp.role(m.roleID); r != nil {
			u.Role = r.Name
		}
	}
	return u
}

// Users returns a space's users by id.
func (s *Server) Users(space string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	out := make([]User, 0, len(sp.order))
	for _, id := range sp.order {
		out = append(out, s.userView(sp, sp.members[id].user))
	}
	return out
}

// UserByMail returns a space's user by e-mail.
func (s *Server) UserByMail(space, mail string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	a := s.byMail[strings.ToLower(mail)]
	if a == nil || sp.members[a.ID] == nil {
		return User{}, false
	}
	return s.userView(sp, a), true
}

// Token returns the token of a space's user (the same one on every call).
func (s *Server) Token(space, userEmail string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	a := s.byMail[strings.ToLower(userEmail)]
	if a == nil || sp.members[a.ID] == nil {
		panic(fmt.Sprintf("qomontest: %s is not in space %q", userEmail, space))
	}
	return s.token(sp, a)
}

func (s *Server) token(sp *space, a *account) string {
	key := tokenInfo{sp.id, a.ID}
	if t, ok := s.tokenOf[key]; ok {
		return t
	}
	t := newToken()
	s.tokens[t] = key
	s.tokenOf[key] = t
	return t
}

// AddTeam adds a team to a space and returns it with its id and times.
// Its users and leaders must be in the space.
func (s *Server) AddTeam(space string, t Team) Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	for _, id := range append(slices.Clone(t.Users), t.Leaders...) {
		if sp.members[id] == nil {
			panic(fmt.Sprintf("qomontest: user %d is not in space %q", id, space))
		}
	}
	c := t.clone()
	c.ID = s.next()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	sp.teams[c.ID] = &c
	return c.clone()
}

// Team returns a team of a space.
func (s *Server) Team(space string, id int64) (Team, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.mustSpace(space).teams[id]
	if t == nil {
		return Team{}, false
	}
	return t.clone(), true
}

// Teams returns a space's teams by id.
func (s *Server) Teams(space string) []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	out := make([]Team, 0, len(sp.teams))
	for _, id := range slices.Sorted(maps.Keys(sp.teams)) {
		out = append(out, sp.teams[id].clone())
	}
	return out
}

// EditTeam changes a team as another person would (any space), bumping
// its updated_at. It reports whether the team exists.
func (s *Server) EditTeam(id int64, f func(*Team)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range s.spaceOrder {
		if t := sp.teams[id]; t != nil {
			c := t.clone()
			f(&c)
			c.ID = id
			c.UpdatedAt = s.bump(t.UpdatedAt)
			sp.teams[id] = &c
			return true
		}
	}
	return false
}

// bump returns a write's time: now, but always after prev, so that every
// write changes updated_at even within one second or with a frozen clock.
func (s *Server) bump(prev time.Time) time.Time {
	now := s.now()
	if !now.After(prev) {
		now = prev.Add(time.Second)
	}
	return now
}

// AddInvitation adds a pending invitation (RoleID 0: the user role).
func (s *Server) AddInvitation(space string, inv Invitation) Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	if inv.RoleID == 0 {
		inv.RoleID = sp.roleByText("user").ID
	}
	inv.ID = s.next()
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.now()
	}
	if inv.LastSent.IsZero() {
		inv.LastSent = inv.CreatedAt
	}
	c := inv
	sp.invitations[c.ID] = &c
	return c
}

// Invitations returns a space's invitations by id.
func (s *Server) Invitations(space string) []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(space)
	var out []Invitation
	for _, id := range slices.Sorted(maps.Keys(sp.invitations)) {
		out = append(out, *sp.invitations[id])
	}
	return out
}

// IDString is the team's id as text, as clients name it.
func (t Team) IDString() string { return strconv.FormatInt(t.ID, 10) }
