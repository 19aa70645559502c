package qfieldcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/roster-cli/roster/client"
)

// accountType is the account "type": an integer everywhere except the
// login answer, which sends it as a string (api §2.1).
type accountType int

func (t *accountType) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("account type %q is not a number", s)
		}
		*t = accountType(n)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("account type: %w", err)
	}
	*t = accountType(n)
	return nil
}

func (t accountType) kind() client.AccountType {
	switch t {
	case 1:
		return client.AccountPerson
	case 2:
		return client.AccountOrganization
	case 3:
		return client.AccountTeam
	}
	return ""
}

// wireUser covers the list item, self, other-person and login shapes.
type wireUser struct {
	Username        string      `json:"username"`
	Type            accountType `json:"type"`
	FullName        string      `json:"full_name"`
	Email           string      `json:"email"`
	AvatarURL       *string     `json:"avatar_url"`
	FirstName       string      `json:"first_name"`
	LastName        string      `json:"last_name"`
	UsernameDisplay string      `json:"username_display"`
}

func (w wireUser) user() client.User {
	u := client.User{
		ID:          w.Username,
		Username:    w.Username,
		Email:       w.Email,
		FullName:    strings.TrimSpace(w.FullName),
		FirstName:   w.FirstName,
		LastName:    w.LastName,
		Type:        w.Type.kind(),
		DisplayName: w.UsernameDisplay,
	}
	if w.AvatarURL != nil {
		u.AvatarURL = *w.AvatarURL
	}
	return u
}

// wireLogin is the auth/token/ answer.
type wireLogin struct {
	wireUser
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// wireOrg is an organization (api §4.6).
type wireOrg struct {
	Username             string      `json:"username"`
	Type                 accountType `json:"type"`
	Email                string      `json:"email"`
	AvatarURL            *string     `json:"avatar_url"`
	Members              []string    `json:"members"`
	Owner                string      `json:"organization_owner"`
	MembershipRole       string      `json:"membership_role"`
	MembershipRoleOrigin string      `json:"membership_role_origin"`
	MembershipIsPublic   bool        `json:"membership_is_public"`
	Teams                []string    `json:"teams"`
}

func (w wireOrg) org() client.Organization {
	o := client.Organization{
		Name:                 w.Username,
		Email:                w.Email,
		Owner:                w.Owner,
		PublicMembers:        w.Members,
		Teams:                w.Teams,
		MembershipRole:       w.MembershipRole,
		MembershipRoleOrigin: w.MembershipRoleOrigin,
		MembershipIsPublic:   w.MembershipIsPublic,
	}
	if w.AvatarURL != nil {
		o.AvatarURL = *w.AvatarURL
	}
	return o
}

// wireMember is a membership (api §4.7).
type wireMember struct {
	Organization string `json:"organization"`
	Member       string `json:"member"`
	Role         string `json:"role"`
	IsPublic     bool   `json:"is_public"`
}

func (w wireMember) member() client.Member {
	return client.Member{Organization: w.Organization, User: w.Member, Role: w.Role, RoleID: w.Role, Public: w.IsPublic}
}

// wireTeam is a team (api §4.11). Members is nil on v0.30 servers, which
// did not send it.
type wireTeam struct {
	Team         string   `json:"team"`
	Organization string   `json:"organization"`
	Members      []string `json:"members"`
}

func (w wireTeam) team() client.Team {
	t := client.Team{ID: w.Team, Name: w.Team, Organization: w.Organization, Members: make([]client.TeamMember, 0, len(w.Members))}
	for _, m := range w.Members {
		t.Members = append(t.Members, client.TeamMember{User: m})
	}
	return t
}

// wireTeamMember is a team member list row or add answer (api §4.12).
type wireTeamMember struct {
	Member string `json:"member"`
}

// wireError is the error body (api §3.2).
type wireError struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Debug   json.RawMessage `json:"debug"`
}

// DecodeUsers decodes a users/ list page.
func DecodeUsers(body []byte) ([]client.User, error) {
	var rows []wireUser
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badJSON("user list", err)
	}
	out := make([]client.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// DecodeMembers decodes a members/{org}/ list page.
func DecodeMembers(body []byte) ([]client.Member, error) {
	var rows []wireMember
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badJSON("member list", err)
	}
	out := make([]client.Member, len(rows))
	for i, r := range rows {
		out[i] = r.member()
	}
	return out, nil
}

// DecodeTeams decodes a team list.
func DecodeTeams(body []byte) ([]client.Team, error) {
	var rows []wireTeam
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badJSON("team list", err)
	}
	out := make([]client.Team, len(rows))
	for i, r := range rows {
		out[i] = r.team()
	}
	return out, nil
}

func decodeOne(body []byte, what string, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return badJSON(what, err)
	}
	return nil
}

// badJSON is a 2xx answer roster cannot read: a broken server or proxy.
func badJSON(what string, err error) error {
	return &client.APIError{Kind: client.ErrServer, Message: fmt.Sprintf("the server's %s is not valid JSON (%v)", what, err)}
}

// codeKinds maps the server's error codes to roster's kinds (api §3.2).
var codeKinds = map[string]error{
	"not_authenticated":                      client.ErrUnauthenticated,
	"authentication_failed":                  client.ErrUnauthenticated,
	"token_authentication_failed":            client.ErrUnauthenticated,
	"too_many_failed_login_attempts":         client.ErrUnauthenticated,
	"permission_denied":                      client.ErrForbidden,
	"permission_denied_inactive":             client.ErrForbidden,
	"inactive_subscription":                  client.ErrForbidden,
	"permission_denied_plan_insufficient":    client.ErrForbidden,
	"organization_has_max_number_of_members": client.ErrLimitReached,
	"object_not_found":                       client.ErrNotFound,
	"validation_error":                       client.ErrInvalid,
	"api_error":                              client.ErrInvalid,
	"unknown_error":                          client.ErrServer,
}

// NoTeamAPI is the message for an HTML 404: the route does not exist.
const NoTeamAPI = "no such API route (HTML 404): check the server URL; team endpoints need QFieldCloud ≥ 0.30"

// DecodeError turns a non-2xx answer into an *client.APIError: the JSON
// {code,message,debug} body, or a readable message for the HTML pages of
// Django (unknown route, DEBUG crash) and reverse proxies.
func DecodeError(status int, header http.Header, body []byte) *client.APIError {
	e := &client.APIError{Status: status, Kind: client.KindForStatus(status)}
	var w wireError
	if json.Unmarshal(body, &w) == nil && w.Code != "" {
		e.Code = w.Code
		e.Message = w.Message
		if k, ok := codeKinds[w.Code]; ok {
			e.Kind = k
		}
		e.Detail = debugDetail(w.Debug)
		return e
	}
	html := strings.Contains(strings.ToLower(header.Get("Content-Type")), "html") ||
		bytes.Contains(bytes.ToLower(body[:min(len(body), 512)]), []byte("<html"))
	switch {
	case status == http.StatusNotFound && html:
		e.Message = NoTeamAPI
	case status == 502 || status == 503 || status == 504:
		e.Message = "server unavailable: the proxy in front of QFieldCloud answered with an error page"
	case status == http.StatusInternalServerError && html:
		e.Message = "the server crashed on this request (an HTML error page)"
	case status >= 500:
		e.Message = "the server failed with an unreadable answer"
	default:
		e.Message = fmt.Sprintf("unexpected answer (HTTP %d %s)", status, http.StatusText(status))
	}
	return e
}

// debugDetail extracts debug.detail, a string or a DRF error object, as
// one line.
func debugDetail(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var d struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(raw, &d) != nil || len(d.Detail) == 0 || string(d.Detail) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(d.Detail, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, d.Detail) == nil {
		return buf.String()
	}
	return ""
}
