package tui

import (
	"cmp"
	"strings"

	"github.com/roster-cli/roster/client"
)

// userRow is what the Users screen keeps of one user: the fields it shows
// and acts on, packed back to back in one string. A client.User holds a
// dozen strings, an address and timestamps (about 360 bytes before its
// text); at 100,000 rows that was most of the screen's memory. The detail
// view reads the whole user from the server when opened.
type userRow struct {
	s   string
	end [numUserFields - 1]uint32 // where each field but the last ends in s
}

// The packed fields, in order.
const (
	ufID          = iota // the provider's id, exact (used in requests)
	ufHandle             // username, else the id
	ufName               // the name to show next to the handle
	ufEmail              // exact (y copies it)
	ufRole               // role name, else the account type
	ufRoleID             // role id, "" without a role
	numUserFields        // count
)

func packUser(u client.User) userRow {
	kind, roleID := string(u.Type), ""
	if u.Role != nil {
		kind, roleID = u.Role.Name, u.Role.ID
	}
	name := u.Name()
	if name == u.Username {
		name = u.DisplayName
	}
	return packFields(u.ID, cmp.Or(u.Username, u.ID), name, u.Email, kind, roleID)
}

func packFields(f ...string) userRow {
	var r userRow
	var b strings.Builder
	n := 0
	for _, v := range f {
		n += len(v)
	}
	b.Grow(n)
	for i, v := range f {
		b.WriteString(v)
		if i < len(r.end) {
			r.end[i] = uint32(b.Len())
		}
	}
	r.s = b.String()
	return r
}

func (r userRow) field(i int) string {
	start, end := uint32(0), uint32(len(r.s))
	if i > 0 {
		start = r.end[i-1]
	}
	if i < len(r.end) {
		end = r.end[i]
	}
	return r.s[start:end]
}

func (r userRow) id() string     { return r.field(ufID) }
func (r userRow) handle() string { return r.field(ufHandle) }
func (r userRow) name() string   { return r.field(ufName) }
func (r userRow) email() string  { return r.field(ufEmail) }
func (r userRow) role() string   { return r.field(ufRole) }
func (r userRow) roleID() string { return r.field(ufRoleID) }

// withRole is the row with another role.
func (r userRow) withRole(role client.Role) userRow {
	return packFields(r.id(), r.handle(), r.name(), r.email(), role.Name, role.ID)
}

// label names the user in messages: the name, else the handle.
func (r userRow) label() string { return cmp.Or(r.name(), r.handle()) }

func userRowCells(r userRow) []string {
	return []string{san(r.handle()), san(r.name()), san(r.email()), san(r.role())}
}

// userRowHay is what the filter searches: handle, name, e-mail and role.
func userRowHay(r userRow) string {
	return strings.ToLower(r.handle() + "\x00" + r.name() + "\x00" + r.email() + "\x00" + r.role())
}

// rowFields are the fields the list knows, shown until the server's full
// answer arrives.
func rowFields(r userRow) []field {
	return nonEmptyFields([]field{
		{"id", r.id()}, {"username", r.handle()}, {"name", r.name()}, {"e-mail", r.email()}, {"role", r.role()},
	})
}

// Sort orders of a fully loaded (locally filtered) user list.
type userSort int

const (
	sortServer userSort = iota // as the server listed them
	sortName
	sortRole
	sortID
)

func (s userSort) String() string {
	return [...]string{"as listed", "name", "role", "id"}[s]
}

// next cycles name → role → id → name.
func (s userSort) next() userSort {
	if s == sortID {
		return sortName
	}
	return s + 1
}

// sortKeys makes the collation keys of a row for order s, cached by row
// (a local list re-sorts as each page arrives: only new or changed rows
// are collated again).
type sortKeys struct {
	so    *sorter
	order userSort
	cache map[string]cachedKeys
}

type cachedKeys struct {
	s    string // the packed row the keys were made from
	keys [][]byte
}

func (k *sortKeys) of(r userRow) [][]byte {
	if c, ok := k.cache[r.id()]; ok && c.s == r.s {
		return c.keys
	}
	var keys [][]byte
	switch k.order {
	case sortName:
		keys = [][]byte{k.so.key(r.label()), idKey(r.id())}
	case sortRole:
		keys = [][]byte{k.so.key(r.role()), k.so.key(r.label())}
	case sortID:
		keys = [][]byte{idKey(r.id())}
	}
	k.cache[r.id()] = cachedKeys{s: r.s, keys: keys}
	return keys
}

// idKey orders numeric ids as numbers (9 before 10), others after them
// as text.
func idKey(id string) []byte {
	if isDigits(id) && len(id) < 255 {
		return append([]byte{byte(len(id))}, id...)
	}
	return append([]byte{255}, id...)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
