package qomon

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
)

var testRoles = []client.Role{
	{ID: "57", Name: "Administrateur", Kind: "superadmin", Order: 1},
	{ID: "59", Name: "Équipe salariée", Kind: "admin", Order: 2},
	{ID: "64", Name: "Organisateur", Kind: "manager", Order: 4},
	{ID: "61", Name: "Champ", Kind: "user", Order: 7},
	{ID: "70", Name: "Trésorier", Kind: "custom", Order: 9},
	{ID: "72", Name: "Porte-parole", Kind: "custom", Order: 12},
}

const referenceUser = `{"id": 111, "firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org",
   "phone": "0601020304", "address": "12 rue Haute", "postal": "75001",
   "city": "Paris", "locale": "fr", "birthdate": null,
   "created": "2025-01-10T08:00:00Z", "CreatedAt": "2025-01-10T08:00:00Z",
   "UpdatedAt": "2026-02-02T08:00:00Z", "group_id": [12],
   "status": "available night", "two_factor_enable": false,
   "role_data": {"id": 61, "name": "Champ", "order": 4, "color": "#43a047",
                 "web": false, "mobile": true}}`

const introUser = `{"id": "112", "firstname": "John", "surname": "Doe", "mail": "john.doe@example.com",
  "mobile": "0123456789",
  "address": {"housenumber": "123", "street": "Rue de la paix", "city": "Paris", "country": "France", "postalcode": "75002"},
  "role": "superadmin", "status": ["available week-end", "available night"]}`

func TestDecodeUserVariants(t *testing.T) {
	t.Parallel()
	day := func(s string) *time.Time { v, _ := time.Parse(time.RFC3339, s); return &v }
	for _, tc := range []struct {
		name string
		json string
		want func(u client.User) string // "" = fine, else what is wrong
	}{
		{"reference shape", referenceUser, func(u client.User) string {
			return check(u.ID == "111" && u.FirstName == "Ada" && u.LastName == "Lovelace" && u.Email == "ada@example.org" &&
				u.Phone == "0601020304" && u.Address.Street == "12 rue Haute" && u.Address.PostalCode == "75001" &&
				u.Address.City == "Paris" && u.Locale == "fr" && u.Birthdate == "" && len(u.Status) == 1 &&
				u.Status[0] == "available night" && len(u.GroupIDs) == 1 && u.GroupIDs[0] == 12 &&
				u.Role.ID == "61" && u.Role.Name == "Champ" && u.Role.Kind == "user" &&
				u.CreatedAt.Equal(*day("2025-01-10T08:00:00Z")) && u.UpdatedAt.Equal(*day("2026-02-02T08:00:00Z")))
		}},
		{"intro sample shape", introUser, func(u client.User) string {
			return check(u.ID == "112" && u.Phone == "0123456789" && u.Address.Street == "Rue de la paix" &&
				u.Address.HouseNumber == "123" && u.Address.City == "Paris" && u.Address.Country == "France" &&
				u.Address.PostalCode == "75002" && u.Role.ID == "57" && u.Role.Name == "Administrateur" &&
				len(u.Status) == 2 && u.Status[1] == "available night")
		}},
		{"mail null", `{"id":1,"mail":null}`, func(u client.User) string { return check(u.Email == "") }},
		{"numeric-string id", `{"id":" 42 "}`, func(u client.User) string { return check(u.ID == "42") }},
		{"float id", `{"id":42.0}`, func(u client.User) string { return check(u.ID == "42") }},
		{"phone wins over mobile", `{"id":1,"phone":"1","mobile":"2","mobile_phone":"3"}`, func(u client.User) string { return check(u.Phone == "1") }},
		{"mobile over mobile_phone", `{"id":1,"mobile":"2","mobile_phone":"3"}`, func(u client.User) string { return check(u.Phone == "2") }},
		{"mobile_phone last", `{"id":1,"mobile_phone":"3"}`, func(u client.User) string { return check(u.Phone == "3") }},
		{"postal over postalcode over address", `{"id":1,"postal":"A","postalcode":"B","address":{"postalcode":"C"}}`, func(u client.User) string { return check(u.Address.PostalCode == "A") }},
		{"postalcode over address", `{"id":1,"postalcode":"B","address":{"postalcode":"C"}}`, func(u client.User) string { return check(u.Address.PostalCode == "B") }},
		{"address postalcode", `{"id":1,"address":{"postalcode":"C"}}`, func(u client.User) string { return check(u.Address.PostalCode == "C") }},
		{"house_number spelling", `{"id":1,"address":{"house_number":"7","street":"rue"}}`, func(u client.User) string { return check(u.Address.HouseNumber == "7") }},
		{"top-level city wins", `{"id":1,"city":"Lyon","address":{"city":"Paris"}}`, func(u client.User) string { return check(u.Address.City == "Lyon") }},
		{"empty top-level city does not", `{"id":1,"city":"","address":{"city":"Paris"}}`, func(u client.User) string { return check(u.Address.City == "Paris") }},
		{"status empty string", `{"id":1,"status":""}`, func(u client.User) string { return check(len(u.Status) == 0) }},
		{"status null", `{"id":1,"status":null}`, func(u client.User) string { return check(len(u.Status) == 0) }},
		{"created_at fallback", `{"id":1,"created_at":"2024-05-01T00:00:00Z","updated_at":"2024-06-01T00:00:00+02:00"}`, func(u client.User) string {
			return check(u.CreatedAt != nil && u.CreatedAt.Equal(*day("2024-05-01T00:00:00Z")) && u.UpdatedAt != nil)
		}},
		{"created before CreatedAt", `{"id":1,"created":"2024-01-01T00:00:00Z","CreatedAt":"2023-01-01T00:00:00Z"}`, func(u client.User) string {
			return check(u.CreatedAt.Equal(*day("2024-01-01T00:00:00Z")))
		}},
		{"bad time ignored", `{"id":1,"created":"yesterday"}`, func(u client.User) string { return check(u.CreatedAt == nil) }},
		{"role_data over role_id and role", `{"id":1,"role_data":{"id":64},"role_id":61,"role":"superadmin"}`, func(u client.User) string { return check(u.Role.Name == "Organisateur") }},
		{"role_id number", `{"id":1,"role_id":70}`, func(u client.User) string { return check(u.Role.Name == "Trésorier" && u.Role.Kind == "custom") }},
		{"role_id string", `{"id":1,"role_id":"70"}`, func(u client.User) string { return check(u.Role.Name == "Trésorier") }},
		{"role number", `{"id":1,"role":59}`, func(u client.User) string { return check(u.Role.Kind == "admin") }},
		{"role object", `{"id":1,"role":{"id":64,"name":"x"}}`, func(u client.User) string { return check(u.Role.Name == "Organisateur") }},
		{"role kind string", `{"id":1,"role":"manager"}`, func(u client.User) string { return check(u.Role.ID == "64") }},
		{"role name, any case", `{"id":1,"role":"champ"}`, func(u client.User) string { return check(u.Role.ID == "61") }},
		{"ambiguous custom kind is unknown", `{"id":1,"role":"custom"}`, func(u client.User) string { return check(u.Role.Name == "unknown" && u.Role.Kind == "custom") }},
		{"unknown role id", `{"id":1,"role_id":999}`, func(u client.User) string { return check(u.Role.Name == "unknown" && u.Role.ID == "999") }},
		{"role_data not in /roles keeps its name", `{"id":1,"role_data":{"id":5,"name":"Ancien"}}`, func(u client.User) string { return check(u.Role.Name == "Ancien" && u.Role.ID == "5") }},
		{"no role", `{"id":1}`, func(u client.User) string { return check(u.Role != nil && u.Role.Name == "unknown") }},
		{"unknown keys and wrong types", `{"id":1,"firstname":123,"surname":{"x":1},"mail":["a"],"two_factor_enable":"true","group_id":"12","extra":{"deep":[1,2]}}`, func(u client.User) string {
			return check(u.FirstName == "123" && u.LastName == "" && u.Email == "" && u.TwoFactor && len(u.GroupIDs) == 1)
		}},
		{"email fallback", `{"id":1,"email":"e@example.org"}`, func(u client.User) string { return check(u.Email == "e@example.org") }},
		{"address extras kept", `{"id":1,"address":{"street":"s","floor":"2","latitude":4.5}}`, func(u client.User) string {
			return check(u.Address.Extra["floor"] == "2" && len(u.Address.Extra) == 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := DecodeUser([]byte(tc.json), testRoles)
			if err != nil {
				t.Fatal(err)
			}
			if msg := tc.want(u); msg != "" {
				t.Errorf("%s: %+v role %+v", msg, u, u.Role)
			}
		})
	}
}

func check(ok bool) string {
	if ok {
		return ""
	}
	return "unexpected decode"
}

func TestDecodeUserErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `null`, `[]`, `"x"`, `{"id":"abc"}`, `{"firstname":"no id"}`, `{"id":1`, `{"id":1}}`} {
		if _, err := DecodeUser([]byte(in), nil); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	// Without /roles, a role still decodes from role_data, never failing.
	u, err := DecodeUser([]byte(referenceUser), nil)
	if err != nil || u.Role.Name != "Champ" {
		t.Errorf("%v %+v", err, u.Role)
	}
}

func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(referenceUser))
	f.Add([]byte(introUser))
	f.Add([]byte(`{"id":"7","mail":null,"role":"custom","status":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := DecodeUser(data, testRoles)
		if err != nil {
			return
		}
		if u.ID == "" || strings.TrimLeft(u.ID, "-0123456789") != "" {
			t.Fatalf("id %q", u.ID)
		}
		if u.Role == nil || u.Role.Name == "" {
			t.Fatalf("role %+v", u.Role)
		}
		// Decoding is deterministic.
		again, _ := DecodeUser(data, testRoles)
		a, _ := json.Marshal(u)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Fatalf("not deterministic")
		}
	})
}

// userPageJSON builds a GET /users payload of n users, half of them in
// the variant shape.
func userPageJSON(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"data":{"count":%d,"users":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%2 == 0 {
			b.WriteString(strings.Replace(referenceUser, `"id": 111`, fmt.Sprintf(`"id": %d`, 1000+i), 1))
		} else {
			b.WriteString(strings.Replace(introUser, `"id": "112"`, fmt.Sprintf(`"id": "%d"`, 1000+i), 1))
		}
	}
	b.WriteString(`]},"status":"success"}`)
	return []byte(b.String())
}

func BenchmarkDecodeUserPage(b *testing.B) {
	data := userPageJSON(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var env struct {
			Data userPage `json:"data"`
		}
		if err := json.Unmarshal(data, &env); err != nil {
			b.Fatal(err)
		}
		for i := range env.Data.Users {
			if _, err := env.Data.Users[i].user(testRoles); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestDecodeError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 300)
	for _, tc := range []struct {
		status int
		body   string
		kind   error
		msg    string
	}{
		{404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"team 99 not found"}`, client.ErrNotFound, "team 99 not found"},
		{422, `{"title":"Unprocessable Entity","status":"422"}`, client.ErrInvalid, "Unprocessable Entity"},
		{400, `{"status":"fail","message":"bad thing"}`, client.ErrInvalid, "bad thing"},
		{401, `{"status":"fail"}`, client.ErrUnauthenticated, "token was refused"},
		{403, ``, client.ErrForbidden, "role in this space"},
		{429, `{"detail":"slow down"}`, client.ErrRateLimited, "slow down"},
		{502, "<html><body>Bad Gateway</body></html>", client.ErrServer, "HTTP 502"},
		{500, "plain failure", client.ErrServer, "plain failure"},
		{500, long, client.ErrServer, "…"},
		// The status decides, whatever the body says.
		{404, `{"status":200,"detail":"fine"}`, client.ErrNotFound, "fine"},
		{409, `{"detail":{"nested":true},"title":"Conflict"}`, client.ErrInvalid, "Conflict"},
	} {
		e := DecodeError(tc.status, nil, []byte(tc.body))
		if e.Kind != tc.kind || !strings.Contains(e.Message, tc.msg) || len(e.Message) > 2*maxRawMessage+10 {
			t.Errorf("%d %.40q: %v %q", tc.status, tc.body, e.Kind, e.Message)
		}
	}
}
