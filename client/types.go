// Package client holds the domain types, typed errors and the Provider
// interface shared by roster's QFieldCloud and Qomon clients. It knows
// nothing about terminals, configuration or environment variables: a
// provider is given a base URL, a token and an *http.Client.
package client

import "time"

// AccountType says what kind of account a QFieldCloud user row is.
type AccountType string

const (
	AccountPerson       AccountType = "person"
	AccountOrganization AccountType = "organization"
	AccountTeam         AccountType = "team"
)

// User is a person (or, on QFieldCloud search, any account). Fields a
// provider does not know stay empty. ID is the stable key used in every
// other call: the username on QFieldCloud, the numeric id on Qomon.
type User struct {
	ID          string      `json:"id"`
	Username    string      `json:"username,omitempty"`
	Email       string      `json:"email,omitempty"`
	FullName    string      `json:"full_name,omitempty"`
	FirstName   string      `json:"first_name,omitempty"`
	LastName    string      `json:"last_name,omitempty"`
	Type        AccountType `json:"type,omitempty"`
	DisplayName string      `json:"display_name,omitempty"` // QFieldCloud username_display
	AvatarURL   string      `json:"avatar_url,omitempty"`

	// Qomon profile fields.
	Role      *Role      `json:"role,omitempty"`
	Phone     string     `json:"phone,omitempty"`
	Address   Address    `json:"address,omitempty"`
	Locale    string     `json:"locale,omitempty"`
	Birthdate string     `json:"birthdate,omitempty"`
	Status    []string   `json:"status,omitempty"`
	TwoFactor bool       `json:"two_factor_enabled,omitempty"`
	GroupIDs  []int64    `json:"group_ids,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Address is a postal address, normalised from the providers' variants.
type Address struct {
	Street      string `json:"street,omitempty"`
	HouseNumber string `json:"house_number,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	City        string `json:"city,omitempty"`
	Country     string `json:"country,omitempty"`
	// Extra holds the other writable parts (addition, building, county,
	// door, floor, infos, state) keyed by their API names, so a
	// read-modify-write can send them back untouched.
	Extra map[string]string `json:"extra,omitempty"`
}

// IsZero reports whether the address holds nothing.
func (a Address) IsZero() bool {
	return a.Street == "" && a.HouseNumber == "" && a.PostalCode == "" && a.City == "" && a.Country == "" && len(a.Extra) == 0
}

// Name returns the best human name for a user.
func (u User) Name() string {
	switch {
	case u.FullName != "":
		return u.FullName
	case u.FirstName != "" || u.LastName != "":
		return trimJoin(u.FirstName, u.LastName)
	case u.Username != "":
		return u.Username
	case u.Email != "":
		return u.Email
	}
	return u.ID
}

func trimJoin(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// Role is a role a member can hold. On QFieldCloud the ID and Name are both
// the role string (admin, creator, member); on Qomon roles are per space.
type Role struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"` // Qomon type: superadmin|admin|manager|user|custom
	// Description says what the role may do, for help text (QFieldCloud's
	// fixed roles; Qomon roles have none).
	Description string `json:"description,omitempty"`
	Order       int    `json:"order,omitempty"`
	Color       string `json:"color,omitempty"`
	Web         bool   `json:"web,omitempty"`
	Mobile      bool   `json:"mobile,omitempty"`
}

// Organization is a QFieldCloud organization (a Qomon space has no API
// object of its own).
type Organization struct {
	Name                 string   `json:"name"`
	Email                string   `json:"email,omitempty"`
	AvatarURL            string   `json:"avatar_url,omitempty"`
	Owner                string   `json:"owner,omitempty"`
	PublicMembers        []string `json:"public_members,omitempty"`
	Teams                []string `json:"teams,omitempty"`
	MembershipRole       string   `json:"membership_role,omitempty"`
	MembershipRoleOrigin string   `json:"membership_role_origin,omitempty"`
	MembershipIsPublic   bool     `json:"membership_is_public"`
}

// Member is one person's membership of an organization or space.
type Member struct {
	Organization string `json:"organization,omitempty"`
	User         string `json:"user"` // username (QFieldCloud) or user id (Qomon)
	Email        string `json:"email,omitempty"`
	Name         string `json:"name,omitempty"`
	Role         string `json:"role"`
	RoleID       string `json:"role_id,omitempty"`
	Public       bool   `json:"is_public"`
}

// Team is a team of an organization (QFieldCloud) or a space (Qomon).
type Team struct {
	ID           string       `json:"id"`   // Qomon numeric id; QFieldCloud short name
	Name         string       `json:"name"` // display name (short name on QFieldCloud)
	Organization string       `json:"organization,omitempty"`
	Description  string       `json:"description,omitempty"`
	Private      bool         `json:"private"`
	HideUsers    bool         `json:"hide_users,omitempty"`
	Address      Address      `json:"address,omitempty"`
	Members      []TeamMember `json:"members"`
	CreatedAt    *time.Time   `json:"created_at,omitempty"`
	UpdatedAt    *time.Time   `json:"updated_at,omitempty"`
}

// TeamMember is a member of a team.
type TeamMember struct {
	User   string `json:"user"` // username (QFieldCloud) or user id (Qomon)
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Leader bool   `json:"leader,omitempty"`
}

// Invitation is a pending (or accepted) Qomon invitation.
type Invitation struct {
	ID        string     `json:"id"`
	Email     string     `json:"email"`
	Phone     string     `json:"phone,omitempty"`
	RoleID    string     `json:"role_id,omitempty"`
	RoleName  string     `json:"role,omitempty"`
	UserID    string     `json:"user_id,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	LastSent  *time.Time `json:"last_sent,omitempty"`
}

// Session is the result of a password login.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      User
}
