package qfieldcloud

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// Members lists an organization's members (the owner is not one) in one
// request. The server keeps members in no order (no ORDER BY, api §3.3),
// so limit/offset pages, each its own query, may skip some members and
// repeat others; without limit the server sends the whole list from one
// query, a consistent snapshot in one round trip.
func (c *Client) Members(ctx context.Context, org string, emit client.Emit[client.Member]) error {
	what := fmt.Sprintf("listing members of %s", org)
	if org == "" {
		return badInput(what, "no organization given")
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("members", seg(org))})
	if err != nil {
		return fail(what, err, noOrg(org))
	}
	rows, err := DecodeMembers(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// One query cannot repeat a row; a username twice is a broken answer.
	seen := make(map[string]bool, len(rows))
	for _, m := range rows {
		if seen[m.User] {
			return fmt.Errorf("%s: %w", what, &client.APIError{Kind: client.ErrServer,
				Message: fmt.Sprintf("unexpected answer from QFieldCloud: member %s is listed twice", m.User)})
		}
		seen[m.User] = true
	}
	if len(rows) == 0 {
		return nil
	}
	return emit(rows)
}

// Member gets one membership.
func (c *Client) Member(ctx context.Context, org, user string) (client.Member, error) {
	what := fmt.Sprintf("getting %s's membership of %s", user, org)
	if org == "" || user == "" {
		return client.Member{}, badInput(what, "an organization and a username are needed")
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("members", seg(org), seg(user))})
	if err != nil {
		return client.Member{}, fail(what, err, func(e *client.APIError) (string, error) {
			if is(e, 404, "") {
				return fmt.Sprintf("%s is not a member of %s (usernames are case-sensitive; the owner has no membership)", user, org), nil
			}
			return noOrg(org)(e)
		})
	}
	var w wireMember
	if err := decodeOne(resp.Body, "membership", &w); err != nil {
		return client.Member{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.member(), nil
}

func roleCheck(what, role string) error {
	if !validRole(role) {
		return badInput(what, fmt.Sprintf("unknown role %q (QFieldCloud roles: admin, creator, member)", role))
	}
	return nil
}

func memberLimit(org string) string {
	return fmt.Sprintf("%s has reached its plan's member limit", org)
}

var _ client.InputChecker = (*Client)(nil)

// CheckMemberSpec refuses, without a request, what AddMember would
// refuse before sending (client.InputChecker).
func (c *Client) CheckMemberSpec(org string, m client.MemberSpec) error {
	what := fmt.Sprintf("adding %s to %s", m.User, org)
	if org == "" || m.User == "" {
		return badInput(what, "an organization and a username are needed")
	}
	if err := usernameCheck(what, m.User); err != nil {
		return err
	}
	if m.Role != "" {
		return roleCheck(what, m.Role)
	}
	return nil
}

// usernameCheck refuses an e-mail where the server takes only a username
// (usernames never hold "@"; api §3.1, §4.9).
func usernameCheck(what, user string) error {
	if strings.Contains(user, "@") {
		return badInput(what, fmt.Sprintf("%s looks like an e-mail: QFieldCloud takes the exact username here (roster users list --search finds it)", user))
	}
	return nil
}

// CheckMemberRemove refuses, without a request, what RemoveMember would
// refuse before sending (client.InputChecker).
func (c *Client) CheckMemberRemove(org, user string) error {
	what := fmt.Sprintf("removing %s from %s", user, org)
	if org == "" || user == "" {
		return badInput(what, "an organization and a username are needed")
	}
	return usernameCheck(what, user)
}

// CheckMemberUpdate refuses, without a request, what UpdateMember would
// refuse before sending (client.InputChecker).
func (c *Client) CheckMemberUpdate(org, user string, u client.MemberUpdate) error {
	what := fmt.Sprintf("changing %s in %s", user, org)
	if org == "" || user == "" {
		return badInput(what, "an organization and a username are needed")
	}
	if err := usernameCheck(what, user); err != nil {
		return err
	}
	if u.Role != nil {
		if err := roleCheck(what, *u.Role); err != nil {
			return err
		}
	}
	if u.Role == nil && u.Public == nil {
		return badInput(what, "nothing to change")
	}
	return nil
}

// AddMember adds a person to an organization, with role "member" unless
// told otherwise.
func (c *Client) AddMember(ctx context.Context, org string, m client.MemberSpec) (client.Member, error) {
	what := fmt.Sprintf("adding %s to %s", m.User, org)
	if err := c.CheckMemberSpec(org, m); err != nil {
		return client.Member{}, err
	}
	role := m.Role
	if role == "" {
		role = "member"
	}
	// Never send "organization": the server lets it override the URL.
	body := map[string]any{"member": m.User, "role": role, "is_public": m.Public}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: path("members", seg(org)), Body: body})
	if err != nil {
		return client.Member{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "members"), nil
			case is(e, 403, "organization_has_max_number_of_members"):
				return memberLimit(org), nil
			case is(e, 404, ""):
				return fmt.Sprintf("no account %s (usernames are exact and case-sensitive; e-mails are not accepted here)", m.User), nil
			case is(e, 400, "api_error"):
				return fmt.Sprintf("the server refused role %q or the visibility flag", role), nil
			case is(e, 400, "validation_error"):
				return c.whyNotAdded(ctx, org, m.User), nil
			}
			return "", nil
		})
	}
	var w wireMember
	if err := decodeOne(resp.Body, "membership", &w); err != nil {
		return client.Member{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.member(), nil
}

// whyNotAdded tells apart the model rules behind one validation_error
// (already a member, the owner, not a person) with two cheap reads.
func (c *Client) whyNotAdded(ctx context.Context, org, user string) string {
	if _, err := c.Member(ctx, org, user); err == nil {
		return fmt.Sprintf("%s is already a member of %s", user, org)
	}
	if o, err := c.Organization(ctx, org); err == nil && o.Owner == user {
		return fmt.Sprintf("%s owns %s (the owner is always an admin and cannot be added as a member)", user, org)
	}
	if u, err := c.User(ctx, user); err == nil && u.Type != "" && u.Type != client.AccountPerson {
		return fmt.Sprintf("%s is %s account, not a person: only persons can be members", user, article(u.Type))
	}
	return fmt.Sprintf("%s is already a member or the owner of %s, or is not a person", user, org)
}

// UpdateMember changes a member's role and/or visibility (PATCH).
func (c *Client) UpdateMember(ctx context.Context, org, user string, u client.MemberUpdate) (client.Member, error) {
	what := fmt.Sprintf("changing %s in %s", user, org)
	if err := c.CheckMemberUpdate(org, user, u); err != nil {
		return client.Member{}, err
	}
	body := map[string]any{}
	if u.Role != nil {
		body["role"] = *u.Role
	}
	if u.Public != nil {
		body["is_public"] = *u.Public
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPatch, Path: path("members", seg(org), seg(user)), Body: body})
	if err != nil {
		return client.Member{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "members"), nil
			case is(e, 403, "organization_has_max_number_of_members"):
				return memberLimit(org) + " (QFieldCloud then blocks role and visibility changes too)", nil
			case is(e, 404, ""):
				return fmt.Sprintf("%s is not a member of %s (the owner's role cannot change)", user, org), nil
			case is(e, 400, "api_error"):
				return "the server refused the role or the visibility flag", nil
			}
			return "", nil
		})
	}
	var w wireMember
	if err := decodeOne(resp.Body, "membership", &w); err != nil {
		return client.Member{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.member(), nil
}

// RemoveMember removes a member; the server also drops them from the
// organization's teams.
func (c *Client) RemoveMember(ctx context.Context, org, user string) error {
	what := fmt.Sprintf("removing %s from %s", user, org)
	if err := c.CheckMemberRemove(org, user); err != nil {
		return err
	}
	_, err := c.rc.Do(ctx, rest.Request{Method: http.MethodDelete, Path: path("members", seg(org), seg(user))})
	if err != nil {
		return fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 403, "permission_denied"):
				return adminOnly(org, "members"), nil
			case is(e, 404, ""):
				return fmt.Sprintf("%s is not a member of %s (the owner cannot be removed)", user, org), nil
			}
			return "", nil
		})
	}
	return nil
}

func article(t client.AccountType) string {
	if t == client.AccountOrganization {
		return "an organization"
	}
	return "a " + string(t)
}
