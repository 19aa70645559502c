package qomon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/roster-cli/roster/client"
)

// ModifyTeam applies exactly one change to a team with the safe-write
// steps of api §6. PATCH /teams replaces the whole team, so the body is
// built from a fresh read with every writable field; if the fresh team no
// longer matches seen (the copy the user decided on) nothing is written
// and the error wraps client.ErrConflict with a short diff.
//
// seen names the team by its ID, so it cannot be nil here (a nil seen
// has no team to change: ErrBadInput). A seen holding nothing but the ID
// takes the fresh read as the baseline, as RenameTeam, AddTeamMember and
// the other convenience methods do.
func (c *Client) ModifyTeam(ctx context.Context, _ string, seen *client.Team, change client.TeamChange) (client.Team, error) {
	if seen == nil || strings.TrimSpace(seen.ID) == "" {
		return client.Team{}, badInput("changing a team", "no team given (seen must carry the team's id)")
	}
	if seen.Name == "" && seen.Members == nil && seen.UpdatedAt == nil && seen.CreatedAt == nil {
		return c.modify(ctx, seen.ID, seen.ID, nil, change)
	}
	return c.modify(ctx, seen.ID, cmp.Or(seen.Name, seen.ID), seen, change)
}

// edit is a change ready to apply: the user already resolved to an id.
type edit struct {
	change client.TeamChange
	user   int64
	label  string // for messages: "adding 112 to Nord"
}

// modify changes the team ref (id or name); label names it in messages.
func (c *Client) modify(ctx context.Context, ref, label string, seen *client.Team, ch client.TeamChange) (client.Team, error) {
	what, err := describe(label, ch)
	if err != nil {
		return client.Team{}, err
	}
	e := edit{change: ch, label: what}
	// Resolve the user before the fresh read: the window between read
	// and write stays as short as possible (api §6 step 5).
	if u := first(ch.AddMember, ch.RemoveMember); u != "" {
		if e.user, err = c.userID(ctx, u); err != nil {
			return client.Team{}, fail(what, err)
		}
	}
	var id int64
	if seen != nil {
		n := parseID(seen.ID)
		if !n.OK {
			return client.Team{}, badInput(what, fmt.Sprintf("team id %q is not numeric", seen.ID))
		}
		id = n.N
	} else {
		t, err := c.findTeam(ctx, ref)
		if err != nil {
			return client.Team{}, fail(what, err)
		}
		id = t.id
	}
	// Step 2: read fresh.
	fresh, err := c.getTeam(ctx, id)
	if err != nil {
		return client.Team{}, fail(what, err)
	}
	// Step 3: compare with what the user saw.
	if seen != nil {
		if d := diff(snapshotOf(*seen), snapshotOf(fresh.Team)); d != "" {
			return fresh.Team, fmt.Errorf("%s: team %q was changed by someone else since it was shown (%s); nothing was written: look again and redo the change: %w", what, fresh.Name, d, client.ErrConflict)
		}
	}
	// Step 4: build the body from the fresh copy, with one change.
	body, changed := apply(bodyOf(fresh), e)
	if !changed {
		return fresh.Team, nil
	}
	// Steps 5–7: write, re-read, verify; never resend blindly.
	return c.writeTeam(ctx, what, fresh, body)
}

// describe names the change for messages and checks it is exactly one.
func describe(ref string, ch client.TeamChange) (string, error) {
	n := 0
	var what string
	if ch.Rename != nil {
		n++
		what = fmt.Sprintf("renaming team %s to %q", ref, strings.TrimSpace(*ch.Rename))
	}
	if ch.Private != nil {
		n++
		what = fmt.Sprintf("making team %s %s", ref, map[bool]string{true: "private", false: "public"}[*ch.Private])
	}
	if ch.AddMember != "" {
		n++
		what = fmt.Sprintf("adding %s to team %s", ch.AddMember, ref)
		if ch.Leader {
			what = fmt.Sprintf("adding %s to team %s as a leader", ch.AddMember, ref)
		}
	}
	if ch.RemoveMember != "" {
		n++
		what = fmt.Sprintf("removing %s from team %s", ch.RemoveMember, ref)
		if ch.Leader {
			what = fmt.Sprintf("removing %s from the leaders of team %s", ch.RemoveMember, ref)
		}
	}
	switch {
	case n == 0:
		return "", badInput("changing team "+ref, "no change given")
	case n > 1:
		return "", badInput("changing team "+ref, "give exactly one change at a time")
	case ch.Rename != nil && strings.TrimSpace(*ch.Rename) == "":
		return "", badInput(what, "the new name is empty")
	}
	return what, nil
}

// apply makes the one change on a body built from the fresh team.
// changed is false when the team already is as asked.
func apply(b teamBody, e edit) (teamBody, bool) {
	ch := e.change
	has := func(l []idRef, id int64) bool {
		return slices.ContainsFunc(l, func(r idRef) bool { return r.ID == id })
	}
	drop := func(l []idRef, id int64) []idRef {
		return slices.DeleteFunc(slices.Clone(l), func(r idRef) bool { return r.ID == id })
	}
	switch {
	case ch.Rename != nil:
		name := strings.TrimSpace(*ch.Rename)
		if b.Name == name {
			return b, false
		}
		b.Name = name
	case ch.Private != nil:
		if b.Private == *ch.Private {
			return b, false
		}
		b.Private = *ch.Private
	case ch.AddMember != "":
		changed := false
		if !has(b.Users, e.user) {
			b.Users = append(slices.Clone(b.Users), idRef{e.user})
			changed = true
		}
		// Leaders stay in users too (api §3.13: unverified whether the
		// server requires it, so roster keeps both).
		if ch.Leader && !has(b.Leaders, e.user) {
			b.Leaders = append(slices.Clone(b.Leaders), idRef{e.user})
			changed = true
		}
		return b, changed
	case ch.RemoveMember != "":
		changed := has(b.Leaders, e.user)
		b.Leaders = drop(b.Leaders, e.user)
		if !ch.Leader {
			changed = changed || has(b.Users, e.user)
			b.Users = drop(b.Users, e.user)
		}
		return b, changed
	}
	return b, true
}

// writeTeam sends the body and makes sure of the outcome (api §6 5–7).
func (c *Client) writeTeam(ctx context.Context, what string, fresh team, body teamBody) (client.Team, error) {
	for attempt := 0; ; attempt++ {
		err := c.patchTeam(ctx, fresh.id, body)
		if err == nil {
			after, rerr := c.getTeam(ctx, fresh.id)
			if rerr != nil {
				return client.Team{}, fail(what+": the change was sent, but re-reading the team failed (list it to check)", rerr)
			}
			if d := diff(snapshotOfBody(body), snapshotOfLists(after)); d != "" {
				return after.Team, fmt.Errorf("%s: the server accepted the change, but the team now reads differently from what was sent (changed by someone else or by the server; nothing was reverted): %s: %w", what, d, client.ErrConflict)
			}
			return after.Team, nil
		}
		if !uncertain(err) {
			return client.Team{}, fail(what, err)
		}
		// The write may or may not have happened: look before resending.
		after, rerr := c.getTeam(ctx, fresh.id)
		if rerr != nil {
			return client.Team{}, fail(what+": re-reading the team after an unclear answer failed too, so the outcome is unknown (list it to check)", errors.Join(err, rerr))
		}
		if diff(snapshotOfBody(body), snapshotOfLists(after)) == "" {
			return after.Team, nil
		}
		if attempt == 0 && diff(snapshotOfLists(fresh), snapshotOfLists(after)) == "" {
			continue // untouched: the write did not happen, so sending it once more is safe
		}
		if attempt > 0 && diff(snapshotOfLists(fresh), snapshotOfLists(after)) == "" {
			return after.Team, fail(what+": the write failed twice and the team is unchanged", err)
		}
		d := diff(snapshotOfLists(fresh), snapshotOfLists(after))
		return after.Team, fmt.Errorf("%s: the answer was lost and the team has since changed otherwise (%s); nothing was resent: look again: %w", what, d, client.ErrConflict)
	}
}

// uncertain: the write was sent but its fate is unknown (timeout, lost
// connection, 5xx); a 429 was already retried by the transport.
func uncertain(err error) bool {
	if errors.Is(err, client.ErrOutcomeUnknown) || errors.Is(err, client.ErrServer) {
		return true
	}
	var ae *client.APIError
	return errors.As(err, &ae) && ae.Status >= 500
}

// patchTeam sends PATCH /teams, falling back to PATCH /teams/{id} only
// when the first path does not exist (404/405; api §3.13).
func (c *Client) patchTeam(ctx context.Context, id int64, body teamBody) error {
	c.mu.Lock()
	idPath := c.teamIDPath
	c.mu.Unlock()
	payload := map[string]any{"team": body}
	if !idPath {
		err := c.call(ctx, patch, "teams", nil, payload, nil)
		if !isStatus(err, 404, 405) {
			return err
		}
	}
	err := c.call(ctx, patch, "teams/"+itoa(id), nil, payload, nil)
	if err == nil && !idPath {
		c.mu.Lock()
		c.teamIDPath = true
		c.mu.Unlock()
	}
	return err
}

// snapshot is what a conflict check compares (api §6 step 1).
type snapshot struct {
	name, description  string
	private, hideUsers bool
	address            client.Address
	users, leaders     []string // sorted: compared as sets
	updated            *time.Time
}

func sortedSet(l []string) []string {
	l = slices.Clone(l)
	slices.Sort(l)
	return slices.Compact(l)
}

func idStrings(l []int64) []string {
	out := make([]string, len(l))
	for i, id := range l {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// snapshotOf reads a team as shown: members and leaders from Members.
func snapshotOf(t client.Team) snapshot {
	s := snapshot{name: t.Name, description: t.Description, private: t.Private, hideUsers: t.HideUsers, address: t.Address, updated: t.UpdatedAt}
	var us, ls []string
	for _, m := range t.Members {
		us = append(us, m.User)
		if m.Leader {
			ls = append(ls, m.User)
		}
	}
	s.users, s.leaders = sortedSet(us), sortedSet(ls)
	return s
}

// snapshotOfLists reads a decoded team with its raw id lists, no time.
func snapshotOfLists(t team) snapshot {
	return snapshot{name: t.Name, description: t.Description, private: t.Private, hideUsers: t.HideUsers, address: t.Address,
		users: sortedSet(idStrings(t.users)), leaders: sortedSet(idStrings(t.leaders))}
}

// snapshotOfBody reads what was sent.
func snapshotOfBody(b teamBody) snapshot {
	s := snapshot{name: b.Name, description: b.Description, private: b.Private, hideUsers: b.HideUsers}
	a := b.Address
	s.address = client.Address{Street: a["street"], HouseNumber: a["house_number"], PostalCode: a["postalcode"], City: a["city"], Country: a["country"]}
	for _, k := range addressExtra {
		if v := a[k]; v != "" {
			if s.address.Extra == nil {
				s.address.Extra = map[string]string{}
			}
			s.address.Extra[k] = v
		}
	}
	var us, ls []string
	for _, r := range b.Users {
		us = append(us, strconv.FormatInt(r.ID, 10))
	}
	for _, r := range b.Leaders {
		ls = append(ls, strconv.FormatInt(r.ID, 10))
	}
	s.users, s.leaders = sortedSet(us), sortedSet(ls)
	return s
}

// diff lists what differs from a to b, briefly; "" means equal. The
// update time counts only when both sides have one.
func diff(a, b snapshot) string {
	var parts []string
	str := func(field, x, y string) {
		if x != y {
			parts = append(parts, fmt.Sprintf("%s %q → %q", field, x, y))
		}
	}
	str("name", a.name, b.name)
	str("description", a.description, b.description)
	if a.private != b.private {
		parts = append(parts, fmt.Sprintf("private %t → %t", a.private, b.private))
	}
	if a.hideUsers != b.hideUsers {
		parts = append(parts, fmt.Sprintf("hide_users %t → %t", a.hideUsers, b.hideUsers))
	}
	if !sameAddress(a.address, b.address) {
		parts = append(parts, fmt.Sprintf("address %q → %q", addressLine(a.address), addressLine(b.address)))
	}
	if d := setDiff(a.users, b.users); d != "" {
		parts = append(parts, "members "+d)
	}
	if d := setDiff(a.leaders, b.leaders); d != "" {
		parts = append(parts, "leaders "+d)
	}
	if len(parts) == 0 && a.updated != nil && b.updated != nil && !a.updated.Equal(*b.updated) {
		parts = append(parts, fmt.Sprintf("updated at %s", b.updated.Format(time.RFC3339)))
	}
	return strings.Join(parts, "; ")
}

func sameAddress(a, b client.Address) bool {
	return a.Street == b.Street && a.HouseNumber == b.HouseNumber && a.PostalCode == b.PostalCode &&
		a.City == b.City && a.Country == b.Country && maps.Equal(a.Extra, b.Extra)
}

func addressLine(a client.Address) string {
	var p []string
	for _, s := range []string{a.HouseNumber, a.Street, a.PostalCode, a.City, a.Country} {
		if s != "" {
			p = append(p, s)
		}
	}
	for _, k := range addressExtra {
		if v := a.Extra[k]; v != "" {
			p = append(p, k+" "+v)
		}
	}
	return strings.Join(p, " ")
}

// setDiff says "+3 −5" for sorted id sets.
func setDiff(a, b []string) string {
	var plus, minus []string
	for _, x := range b {
		if _, ok := slices.BinarySearch(a, x); !ok {
			plus = append(plus, "+"+x)
		}
	}
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			minus = append(minus, "−"+x)
		}
	}
	return strings.Join(append(plus, minus...), " ")
}
