package qomon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roster-cli/roster/client"
)

// The wire types decode every variant of api §4.1 without ever failing on
// a field's type: each flexible field takes whatever JSON it is given and
// keeps what makes sense. Only a document that is not a JSON object (or
// a user without an id) is an error.

// flexString reads a string, number or bool as text; null and objects
// give "".
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = flexString(scalarText(b))
	return nil
}

// scalarText returns a JSON scalar as text ("" for null, arrays, objects).
func scalarText(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	switch b[0] {
	case '"':
		// The common case, a string without escapes, needs no decoder.
		if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 && utf8.Valid(b) {
			return string(b[1 : len(b)-1])
		}
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	return string(b)
}

// flexInt reads an integer or a numeric string; anything else is absent.
type flexInt struct {
	N  int64
	OK bool
}

func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = parseID(scalarText(b))
	return nil
}

func parseID(s string) flexInt {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return flexInt{v, true}
	}
	// 12.0 from a loose serialiser is still 12.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) && f >= -1<<62 && f <= 1<<62 {
		return flexInt{int64(f), true}
	}
	return flexInt{}
}

// flexBool reads true/false, "true"/"false", 1/0.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.TrimSpace(scalarText(b))) {
	case "true", "1", "yes":
		*v = true
	default:
		*v = false
	}
	return nil
}

// flexList reads a list of scalars or one scalar; empty strings dropped.
type flexList []string

func (l *flexList) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		for _, r := range raw {
			if s := strings.TrimSpace(scalarText(r)); s != "" {
				*l = append(*l, s)
			}
		}
		return nil
	}
	if s := strings.TrimSpace(scalarText(b)); s != "" {
		*l = flexList{s}
	}
	return nil
}

// flexIDs reads [int…] or one int.
type flexIDs []int64

func (l *flexIDs) UnmarshalJSON(b []byte) error {
	var names flexList
	names.UnmarshalJSON(b)
	*l = nil
	for _, s := range names {
		if id := parseID(s); id.OK {
			*l = append(*l, id.N)
		}
	}
	return nil
}

// flexTime reads an RFC 3339 time; anything else is absent.
type flexTime struct{ T *time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	t.T = nil
	s := strings.TrimSpace(scalarText(b))
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.T = &v
			return nil
		}
	}
	return nil
}

// wireAddress is a user's or team's address: a flat string (the street
// line) or an object with any of the writable keys plus read-only parts.
type wireAddress struct {
	Flat   string
	Object map[string]string
}

// addressKeys are the writable keys of a team address (api §3.13), with
// housenumber as reads spell it.
var addressExtra = []string{"addition", "building", "county", "door", "floor", "infos", "state"}

func (a *wireAddress) UnmarshalJSON(b []byte) error {
	*a = wireAddress{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		a.Flat = strings.TrimSpace(scalarText(b))
		return nil
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	a.Object = make(map[string]string, len(raw))
	for k, v := range raw {
		if s := strings.TrimSpace(scalarText(v)); s != "" {
			a.Object[strings.ToLower(k)] = s
		}
	}
	return nil
}

// address normalises either form; postal and city come from the owner's
// top-level fields when present (api §4.1).
func (a wireAddress) address() client.Address {
	if a.Object == nil {
		return client.Address{Street: a.Flat}
	}
	o := a.Object
	addr := client.Address{
		Street:      o["street"],
		HouseNumber: first(o["housenumber"], o["house_number"]),
		PostalCode:  first(o["postalcode"], o["postal"], o["postal_code"]),
		City:        o["city"],
		Country:     o["country"],
	}
	for _, k := range addressExtra {
		if v := o[k]; v != "" {
			if addr.Extra == nil {
				addr.Extra = map[string]string{}
			}
			addr.Extra[k] = v
		}
	}
	return addr
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// wireRole is a role as /roles, role_data and invitations give it.
type wireRole struct {
	ID     flexInt    `json:"id"`
	Name   flexString `json:"name"`
	Type   flexString `json:"type"`
	Order  flexInt    `json:"order"`
	Color  flexString `json:"color"`
	Web    flexBool   `json:"web"`
	Mobile flexBool   `json:"mobile"`
}

func (r wireRole) role() client.Role {
	role := client.Role{
		Name:   string(r.Name),
		Kind:   string(r.Type),
		Order:  int(r.Order.N),
		Color:  string(r.Color),
		Web:    bool(r.Web),
		Mobile: bool(r.Mobile),
	}
	if r.ID.OK {
		role.ID = strconv.FormatInt(r.ID.N, 10)
	}
	return role
}

// roleRef is a role given as role_data, role_id or role: an object (its
// id counts), a number (an id) or a string (an id, a kind or a name).
type roleRef struct {
	Set    bool
	Object *wireRole
	Text   string
}

func (r *roleRef) UnmarshalJSON(b []byte) error {
	*r = roleRef{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var w wireRole
		if json.Unmarshal(b, &w) == nil {
			r.Object, r.Set = &w, true
		}
		return nil
	}
	if s := strings.TrimSpace(scalarText(b)); s != "" {
		r.Text, r.Set = s, true
	}
	return nil
}

// wireUser holds every user field of every variant. encoding/json
// matches keys case-insensitively, so created, CreatedAt and created_at
// stay distinct only through their underscores; that is all we need.
type wireUser struct {
	ID          flexInt     `json:"id"`
	Firstname   flexString  `json:"firstname"`
	Surname     flexString  `json:"surname"`
	Mail        flexString  `json:"mail"`
	Email       flexString  `json:"email"`
	Phone       flexString  `json:"phone"`
	Mobile      flexString  `json:"mobile"`
	MobilePhone flexString  `json:"mobile_phone"`
	Address     wireAddress `json:"address"`
	Postal      flexString  `json:"postal"`
	Postalcode  flexString  `json:"postalcode"`
	City        flexString  `json:"city"`
	Country     flexString  `json:"country"`
	Avatar      flexString  `json:"avatar"`
	Locale      flexString  `json:"locale"`
	Birthdate   flexString  `json:"birthdate"`
	Created     flexTime    `json:"created"`
	CreatedAt   flexTime    `json:"CreatedAt"`
	CreatedAt2  flexTime    `json:"created_at"`
	Updated     flexTime    `json:"updated"`
	UpdatedAt   flexTime    `json:"UpdatedAt"`
	UpdatedAt2  flexTime    `json:"updated_at"`
	GroupID     flexIDs     `json:"group_id"`
	Status      flexList    `json:"status"`
	TwoFactor   flexBool    `json:"two_factor_enable"`
	RoleData    roleRef     `json:"role_data"`
	RoleID      roleRef     `json:"role_id"`
	Role        roleRef     `json:"role"`
}

// errNoID: a user (or team) the server sent without a usable id.
var errNoID = errors.New("no numeric id")

// DecodeUser decodes one user of any shape of api §4.1 and resolves its
// role against roles (the space's GET /roles). It is a pure function:
// unknown keys are ignored, wrongly typed fields are left empty, and a
// role that cannot be resolved is named "unknown". It fails only when
// data is not a JSON object or the user has no numeric id.
func DecodeUser(data []byte, roles []client.Role) (client.User, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return client.User{}, fmt.Errorf("decoding a user: not a JSON object")
	}
	var w wireUser
	if err := json.Unmarshal(data, &w); err != nil {
		return client.User{}, fmt.Errorf("decoding a user: %w", err)
	}
	return w.user(roles)
}

func (w *wireUser) user(roles []client.Role) (client.User, error) {
	if !w.ID.OK {
		return client.User{}, fmt.Errorf("decoding a user: %w", errNoID)
	}
	u := client.User{
		ID:        strconv.FormatInt(w.ID.N, 10),
		FirstName: strings.TrimSpace(string(w.Firstname)),
		LastName:  strings.TrimSpace(string(w.Surname)),
		Email:     strings.TrimSpace(first(string(w.Mail), string(w.Email))),
		Phone:     strings.TrimSpace(first(string(w.Phone), string(w.Mobile), string(w.MobilePhone))),
		AvatarURL: string(w.Avatar),
		Locale:    string(w.Locale),
		Birthdate: string(w.Birthdate),
		Status:    []string(w.Status),
		TwoFactor: bool(w.TwoFactor),
		GroupIDs:  []int64(w.GroupID),
		CreatedAt: firstTime(w.Created, w.CreatedAt, w.CreatedAt2),
		UpdatedAt: firstTime(w.Updated, w.UpdatedAt, w.UpdatedAt2),
	}
	u.Address = w.Address.address()
	if p := first(string(w.Postal), string(w.Postalcode)); p != "" {
		u.Address.PostalCode = p
	}
	if c := strings.TrimSpace(string(w.City)); c != "" {
		u.Address.City = c
	}
	if c := strings.TrimSpace(string(w.Country)); c != "" && u.Address.Country == "" {
		u.Address.Country = c
	}
	role := resolveUserRole(w, roles)
	u.Role = &role
	return u, nil
}

func firstTime(ts ...flexTime) *time.Time {
	for _, t := range ts {
		if t.T != nil {
			return t.T
		}
	}
	return nil
}

// unknownRole is how an unresolvable role is shown (never an error).
const unknownRole = "unknown"

// resolveUserRole applies api §4.1: role_data.id, else role_id, else
// role (number = id; string = kind or name; object = its id).
func resolveUserRole(w *wireUser, roles []client.Role) client.Role {
	for _, ref := range []roleRef{w.RoleData, w.RoleID, w.Role} {
		if !ref.Set {
			continue
		}
		if ref.Object != nil {
			if ref.Object.ID.OK {
				id := strconv.FormatInt(ref.Object.ID.N, 10)
				if r, ok := roleByID(roles, id); ok {
					return r
				}
				// Not in /roles (deleted meanwhile, or /roles unread):
				// the embedded copy is the best we have.
				r := ref.Object.role()
				if r.Name == "" {
					r.Name = unknownRole
				}
				return r
			}
			if ref.Object.Type != "" || ref.Object.Name != "" {
				if r, ok := roleByText(roles, first(string(ref.Object.Type), string(ref.Object.Name))); ok {
					return r
				}
			}
			continue
		}
		if id := parseID(ref.Text); id.OK {
			if r, ok := roleByID(roles, strconv.FormatInt(id.N, 10)); ok {
				return r
			}
			return client.Role{ID: strconv.FormatInt(id.N, 10), Name: unknownRole}
		}
		if r, ok := roleByText(roles, ref.Text); ok {
			return r
		}
		// A kind string with no /roles to match: keep the kind.
		if isKind(ref.Text) {
			return client.Role{Name: unknownRole, Kind: strings.ToLower(ref.Text)}
		}
		return client.Role{Name: unknownRole}
	}
	return client.Role{Name: unknownRole}
}

func isKind(s string) bool {
	switch strings.ToLower(s) {
	case "superadmin", "admin", "manager", "user", "custom":
		return true
	}
	return false
}

func roleByID(roles []client.Role, id string) (client.Role, bool) {
	for _, r := range roles {
		if r.ID == id {
			return r, true
		}
	}
	return client.Role{}, false
}

// roleByText matches a kind first, then a name (case-insensitive); only
// a unique match counts.
func roleByText(roles []client.Role, s string) (client.Role, bool) {
	var hit []client.Role
	for _, r := range roles {
		if r.Kind != "" && strings.EqualFold(r.Kind, s) {
			hit = append(hit, r)
		}
	}
	if len(hit) == 0 {
		for _, r := range roles {
			if strings.EqualFold(r.Name, s) {
				hit = append(hit, r)
			}
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	return client.Role{}, false
}

// userPage is GET /users's payload.
type userPage struct {
	Count flexInt    `json:"count"`
	Users []wireUser `json:"users"`
}

// idRef is a {"id": n} list entry (team writes) or a full user (reads).
type idRef struct {
	ID int64 `json:"id"`
}

// wireTeam is a team as reads return it.
type wireTeam struct {
	ID          flexInt     `json:"id"`
	Name        flexString  `json:"name"`
	Description flexString  `json:"description"`
	Private     flexBool    `json:"private"`
	HideUsers   flexBool    `json:"hide_users"`
	Address     wireAddress `json:"address"`
	Users       []wireUser  `json:"users"`
	Leaders     []wireUser  `json:"leaders"`
	CreatedAt   flexTime    `json:"created_at"`
	UpdatedAt   flexTime    `json:"updated_at"`
}

// team is a decoded team plus what a safe write needs: the member and
// leader ids in server order.
type team struct {
	client.Team
	id      int64
	users   []int64
	leaders []int64
}

func (w *wireTeam) team(roles []client.Role) (team, error) {
	if !w.ID.OK {
		return team{}, fmt.Errorf("decoding a team: %w", errNoID)
	}
	t := team{id: w.ID.N, Team: client.Team{
		ID:          strconv.FormatInt(w.ID.N, 10),
		Name:        string(w.Name),
		Description: string(w.Description),
		Private:     bool(w.Private),
		HideUsers:   bool(w.HideUsers),
		Address:     w.Address.address(),
		CreatedAt:   w.CreatedAt.T,
		UpdatedAt:   w.UpdatedAt.T,
		Members:     []client.TeamMember{},
	}}
	lead := map[int64]bool{}
	for i := range w.Leaders {
		if w.Leaders[i].ID.OK && !lead[w.Leaders[i].ID.N] {
			lead[w.Leaders[i].ID.N] = true
			t.leaders = append(t.leaders, w.Leaders[i].ID.N)
		}
	}
	seen := map[int64]bool{}
	add := func(wu *wireUser) {
		if !wu.ID.OK || seen[wu.ID.N] {
			return
		}
		seen[wu.ID.N] = true
		u, _ := wu.user(roles)
		t.Members = append(t.Members, client.TeamMember{User: u.ID, Name: u.Name(), Email: u.Email, Leader: lead[wu.ID.N]})
	}
	for i := range w.Users {
		if w.Users[i].ID.OK && !seen[w.Users[i].ID.N] {
			t.users = append(t.users, w.Users[i].ID.N)
		}
		add(&w.Users[i])
	}
	// A leader missing from users is still shown as a (leading) member.
	for i := range w.Leaders {
		add(&w.Leaders[i])
	}
	return t, nil
}

// wireInvitation is one invitation (api §3.6).
type wireInvitation struct {
	ID          flexInt    `json:"id"`
	Email       flexString `json:"email"`
	MobilePhone flexString `json:"mobile_phone"`
	RoleID      flexInt    `json:"role_id"`
	Role        roleRef    `json:"role"`
	CreatedAt   flexTime   `json:"created_at"`
	LastSent    flexTime   `json:"last_sent"`
	UserID      flexInt    `json:"user_id"`
}

func (w wireInvitation) invitation(roles []client.Role) client.Invitation {
	inv := client.Invitation{
		Email:     string(w.Email),
		Phone:     string(w.MobilePhone),
		CreatedAt: w.CreatedAt.T,
		LastSent:  w.LastSent.T,
	}
	if w.ID.OK {
		inv.ID = strconv.FormatInt(w.ID.N, 10)
	}
	if w.UserID.OK && w.UserID.N != 0 {
		inv.UserID = strconv.FormatInt(w.UserID.N, 10)
	}
	var rid string
	switch {
	case w.RoleID.OK:
		rid = strconv.FormatInt(w.RoleID.N, 10)
	case w.Role.Object != nil && w.Role.Object.ID.OK:
		rid = strconv.FormatInt(w.Role.Object.ID.N, 10)
	}
	inv.RoleID = rid
	if r, ok := roleByID(roles, rid); ok && rid != "" {
		inv.RoleName = r.Name
	} else if w.Role.Object != nil && w.Role.Object.Name != "" {
		inv.RoleName = string(w.Role.Object.Name)
	} else if rid != "" || w.Role.Set {
		inv.RoleName = unknownRole
	}
	return inv
}
