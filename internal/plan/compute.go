package plan

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-cli/roster/client"
)

// Compute compares d with the server and returns the plan. Everything the
// file names is checked first: an unknown user, role or team, or a wrong
// provider or organization, is an Errors (client.ErrBadInput) and no plan.
//
// Each provider's plan is made in three steps: read (every request, and
// nothing else), index (the server's state keyed as the file names it) and
// diff (the file against the index, no IO), so the comparison is tested
// without a server.
func Compute(ctx context.Context, p client.Provider, d *Document, opt Options) (*Plan, error) {
	if d.Provider != p.Kind() {
		return nil, Errors{{File: d.File, Line: 1, Field: "provider", Msg: fmt.Sprintf("the file describes %s, but the profile is a %s account", d.Provider, p.Kind())}}
	}
	switch d.Provider {
	case QFieldCloud:
		srv, err := readQFieldCloud(ctx, p, d)
		if err != nil {
			return nil, fmt.Errorf("planning %s: %w", d.Organization, err)
		}
		return diffQFieldCloud(d, indexQFieldCloud(srv), opt)
	case Qomon:
		srv, err := readQomon(ctx, p, d)
		if err != nil {
			return nil, fmt.Errorf("planning the space: %w", err)
		}
		return diffQomon(d, indexQomon(srv), opt)
	}
	return nil, fmt.Errorf("planning: provider %q has no document format: %w", d.Provider, client.ErrUnsupported)
}

func (d *Document) errorf(line int, field, format string, args ...any) *Error {
	return &Error{File: d.File, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// matchRole finds a role by id, then kind, then name (case-insensitive).
func matchRole(role string, roles []client.Role) (client.Role, string) {
	for _, r := range roles {
		if r.ID == role {
			return r, ""
		}
	}
	for _, same := range []func(client.Role) bool{
		func(r client.Role) bool { return r.Kind != "" && strings.EqualFold(r.Kind, role) },
		func(r client.Role) bool { return strings.EqualFold(r.Name, role) },
	} {
		var hit []client.Role
		for _, r := range roles {
			if same(r) {
				hit = append(hit, r)
			}
		}
		switch {
		case len(hit) == 1:
			return hit[0], ""
		case len(hit) > 1:
			return client.Role{}, fmt.Sprintf("role %q is ambiguous: give the role id", role)
		}
	}
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	return client.Role{}, fmt.Sprintf("unknown role %q (roles: %s)", role, strings.Join(names, ", "))
}

func visibility(public bool) string {
	if public {
		return "public"
	}
	return "private"
}

func teamVisibility(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

func memberField(d *Document, i int) string {
	if d.Provider == Qomon {
		return fmt.Sprintf("users[%d]", i+1)
	}
	return fmt.Sprintf("members[%d]", i+1)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// Numeric ids sort as numbers, for a stable, natural order.
	sort.Slice(out, func(i, j int) bool {
		a, ea := strconv.ParseInt(out[i], 10, 64)
		b, eb := strconv.ParseInt(out[j], 10, 64)
		if ea == nil && eb == nil {
			return a < b
		}
		return out[i] < out[j]
	})
	return out
}

func concat(lists ...[]Step) []Step {
	out := []Step{}
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
