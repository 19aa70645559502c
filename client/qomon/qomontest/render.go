package qomontest

import (
	"slices"
	"strconv"
	"time"
)

// The JSON shapes of api §3 and §4.

type roleJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Order  int    `json:"order"`
	Color  string `json:"color"`
	Web    bool   `json:"web"`
	Mobile bool   `json:"mobile"`
}

func renderRole(r *Role) roleJSON {
	return roleJSON{r.ID, r.Name, r.Type, r.Order, r.Color, r.Web, r.Mobile}
}

// roleData is a user's role_data: the reference schema has no type.
type roleData struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Order  int    `json:"order"`
	Color  string `json:"color"`
	Web    bool   `json:"web"`
	Mobile bool   `json:"mobile"`
}

// refUser is the reference user shape (api §3.2).
type refUser struct {
	ID        int64    `json:"id"`
	Firstname string   `json:"firstname"`
	Surname   string   `json:"surname"`
	Mail      *string  `json:"mail"`
	Phone     string   `json:"phone"`
	Address   string   `json:"address"`
	Postal    string   `json:"postal"`
	City      string   `json:"city"`
	Avatar    string   `json:"avatar"`
	Locale    string   `json:"locale"`
	Birthdate *string  `json:"birthdate"`
	Created   string   `json:"created"`
	CreatedAt string   `json:"CreatedAt"`
	UpdatedAt string   `json:"UpdatedAt"`
	GroupID   []int64  `json:"group_id"`
	Status    string   `json:"status"`
	TwoFactor bool     `json:"two_factor_enable"`
	RoleData  roleData `json:"role_data"`
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// renderUser sends a space's member in the reference shape or, with
// WithVariants and an even id, in the intro sample's shape.
func (s *Server) renderUser(sp *space, m *membership) any {
	a := m.user
	r := sp.role(m.roleID)
	if r == nil {
		r = &Role{ID: m.roleID}
	}
	if s.variants && (a.ID%2 == 0 || r.Type == "custom") {
		v := map[string]any{
			"id":        strconv.FormatInt(a.ID, 10),
			"firstname": a.FirstName,
			"surname":   a.Surname,
			"mail":      nullable(a.Mail),
			"mobile":    a.Phone,
			"address": map[string]any{
				"housenumber": a.HouseNumber, "street": a.Street,
				"postalcode": a.Postal, "city": a.City, "country": a.Country,
			},
			"status":     slices.Clone(a.Status),
			"locale":     a.Locale,
			"created_at": ts(a.Created),
			"updated_at": ts(a.Updated),
		}
		if v["status"] == nil || len(a.Status) == 0 {
			v["status"] = []string{}
		}
		if r.Type == "custom" {
			v["role_id"] = r.ID // a kind string could not tell two custom roles apart
		} else {
			v["role"] = r.Type
		}
		return v
	}
	status := ""
	if len(a.Status) > 0 {
		status = a.Status[0]
	}
	return refUser{
		ID: a.ID, Firstname: a.FirstName, Surname: a.Surname, Mail: nullable(a.Mail),
		Phone: a.Phone, Address: joinStreet(a.HouseNumber, a.Street), Postal: a.Postal, City: a.City,
		Locale: a.Locale, Birthdate: nullable(a.Birthdate),
		Created: ts(a.Created), CreatedAt: ts(a.Created), UpdatedAt: ts(a.Updated),
		GroupID: slices.Clone(a.spaces), Status: status, TwoFactor: a.TwoFactor,
		RoleData: roleData{r.ID, r.Name, r.Order, r.Color, r.Web, r.Mobile},
	}
}

func joinStreet(num, street string) string {
	switch {
	case num == "":
		return street
	case street == "":
		return num
	}
	return num + " " + street
}

// renderAddress is a team address as reads give it: housenumber, plus
// the read-only parts.
func renderAddress(a Address, teamID int64) any {
	if a.zero() {
		return nil
	}
	m := map[string]any{
		"id": teamID*10 + 1, "street": a.Street, "housenumber": a.HouseNumber,
		"postalcode": a.PostalCode, "city": a.City, "country": a.Country,
		"latitude": a.Latitude, "longitude": a.Longitude,
		"location": "", "pollingstation": a.PollingStation, "score": 0,
	}
	for k, v := range a.Extra {
		m[k] = v
	}
	return m
}

// renderTeam is a team with full embedded users (api §4.2).
func (s *Server) renderTeam(sp *space, t *Team) map[string]any {
	users := make([]any, 0, len(t.Users))
	for _, id := range t.Users {
		if m := sp.members[id]; m != nil {
			users = append(users, s.renderUser(sp, m))
		}
	}
	leaders := make([]any, 0, len(t.Leaders))
	for _, id := range t.Leaders {
		if m := sp.members[id]; m != nil {
			leaders = append(leaders, s.renderUser(sp, m))
		}
	}
	return map[string]any{
		"id": t.ID, "name": t.Name, "description": t.Description,
		"private": t.Private, "hide_users": t.HideUsers,
		"address": renderAddress(t.Address, t.ID),
		"users":   users, "leaders": leaders,
		"created_at": ts(t.CreatedAt), "updated_at": ts(t.UpdatedAt),
	}
}

func renderInvitation(sp *space, inv *Invitation) map[string]any {
	m := map[string]any{
		"id": inv.ID, "group_id": sp.id, "email": inv.Email, "mobile_phone": inv.MobilePhone,
		"role_id": inv.RoleID, "created_at": ts(inv.CreatedAt), "last_sent": ts(inv.LastSent),
		"user_id": inv.UserID,
	}
	if r := sp.role(inv.RoleID); r != nil {
		m["role"] = map[string]any{"id": r.ID, "name": r.Name, "order": r.Order}
	}
	return m
}
