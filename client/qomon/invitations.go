package qomon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/roster-cli/roster/client"
)

// Invitations lists the space's invitations (pending and accepted).
func (c *Client) Invitations(ctx context.Context) ([]client.Invitation, error) {
	var out struct {
		Invitations []wireInvitation `json:"invitations"`
	}
	if err := c.call(ctx, get, "users/invitation", nil, nil, &out); err != nil {
		return nil, fail("listing invitations", err)
	}
	roles := c.cachedRoles(ctx)
	invs := make([]client.Invitation, 0, len(out.Invitations))
	for _, w := range out.Invitations {
		invs = append(invs, w.invitation(roles))
	}
	return invs, nil
}

// invitationBody is one entry of POST /users/invitation (api §3.7).
type invitationBody struct {
	Email  string `json:"email"`
	RoleID *int64 `json:"role_id,omitempty"`
}

// Invite invites people by e-mail, each with an optional role (id, kind
// or name; "" = the space's default). Everything is checked before one
// request is sent. A known Qomon account joins the space at once.
func (c *Client) Invite(ctx context.Context, specs []client.InvitationSpec) ([]client.Invitation, error) {
	what := "sending invitations"
	if len(specs) == 1 {
		what = "inviting " + specs[0].Email
	}
	if len(specs) == 0 {
		return nil, badInput(what, "no e-mail address given")
	}
	var roles []client.Role
	entries := make([]invitationBody, 0, len(specs))
	for _, s := range specs {
		email := strings.TrimSpace(s.Email)
		if !validEmail(email) {
			return nil, badInput(what, fmt.Sprintf("%q is not an e-mail address", s.Email))
		}
		e := invitationBody{Email: email}
		if strings.TrimSpace(s.Role) != "" {
			if roles == nil {
				var err error
				if roles, err = c.fetchRoles(ctx); err != nil {
					return nil, fail(what+": reading the space's roles", err)
				}
			}
			r, err := matchRole(what, s.Role, roles)
			if err != nil {
				return nil, err
			}
			id, _ := strconv.ParseInt(r.ID, 10, 64)
			e.RoleID = &id
		}
		entries = append(entries, e)
	}
	var out struct {
		Invitations json.RawMessage `json:"invitations"`
		Invitation  json.RawMessage `json:"invitation"`
		Email       json.RawMessage `json:"email"`
	}
	var raw json.RawMessage
	if err := c.call(ctx, post, "users/invitation", nil, map[string]any{"invitations": entries}, &raw); err != nil {
		return nil, fail(what, err)
	}
	// The answer is {msg, invitations: [..]}, or one object in an older
	// version of the API: accept both (and the invitation itself).
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fail(what, &client.APIError{Kind: client.ErrServer, Message: "unexpected answer from Qomon: " + err.Error(), Method: post, Path: "users/invitation"})
	}
	var list []wireInvitation
	switch {
	case len(out.Invitations) > 0:
		list = decodeOneOrMany(out.Invitations)
	case len(out.Invitation) > 0:
		list = decodeOneOrMany(out.Invitation)
	case len(out.Email) > 0:
		list = decodeOneOrMany(raw)
	}
	if roles == nil {
		roles = c.cachedRoles(ctx)
	}
	invs := make([]client.Invitation, 0, len(list))
	for _, w := range list {
		invs = append(invs, w.invitation(roles))
	}
	return invs, nil
}

// decodeOneOrMany reads a list of invitations or one object.
func decodeOneOrMany(raw json.RawMessage) []wireInvitation {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var l []wireInvitation
		if json.Unmarshal(raw, &l) == nil {
			return l
		}
		return nil
	}
	var one wireInvitation
	if json.Unmarshal(raw, &one) == nil && (one.ID.OK || one.Email != "") {
		return []wireInvitation{one}
	}
	return nil
}

// validEmail accepts a bare address (no display name).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// CancelInvitation cancels a pending invitation. It does not remove
// someone who already accepted (api §3.8).
func (c *Client) CancelInvitation(ctx context.Context, id string) error {
	what := "cancelling invitation " + id
	n := parseID(id)
	if !n.OK || strings.ContainsAny(id, ".eE+") {
		return badInput(what, "an invitation id is a number (see roster invitations list)")
	}
	if err := c.call(ctx, del, "users/invitation/"+itoa(n.N), nil, nil, nil); err != nil {
		return fail(what, err)
	}
	return nil
}
