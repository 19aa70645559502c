package qfieldcloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/paging"
	"github.com/roster-cli/roster/client/rest"
)

// Login exchanges a username (or an e-mail, when login contains "@") and
// a password for a token. It sends no Authorization header: a stale token
// would make the server refuse the login (api §2.1).
func Login(ctx context.Context, cfg client.Config, login, password string) (client.Session, error) {
	what := fmt.Sprintf("signing in to QFieldCloud as %s", login)
	if strings.TrimSpace(login) == "" {
		return client.Session{}, badInput(what, "no username or e-mail given")
	}
	if password == "" {
		return client.Session{}, badInput(what, "no password given")
	}
	cfg.Token = ""
	rc, err := newREST(cfg)
	if err != nil {
		return client.Session{}, fmt.Errorf("%s: %w", what, err)
	}
	body := map[string]string{"password": password}
	if strings.Contains(login, "@") {
		body["email"] = login
	} else {
		body["username"] = login
	}
	resp, err := rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: "auth/token/", Body: body, NoAuth: true})
	if err != nil {
		return client.Session{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 401, "authentication_failed"):
				return "wrong username or password (or the account is inactive, or not a person)", nil
			case is(e, 400, "api_error"):
				return "the server refused the login form (is the password empty?)", nil
			}
			return "", nil
		})
	}
	var w wireLogin
	if err := decodeOne(resp.Body, "login answer", &w); err != nil {
		return client.Session{}, fmt.Errorf("%s: %w", what, err)
	}
	if w.Token == "" {
		return client.Session{}, fmt.Errorf("%s: %w", what, &client.APIError{Kind: client.ErrServer, Message: "the server's login answer holds no token"})
	}
	s := client.Session{Token: w.Token, User: w.user()}
	if w.ExpiresAt != "" {
		if t, err := time.Parse(time.RFC3339Nano, w.ExpiresAt); err == nil {
			s.ExpiresAt = t
		}
	}
	return s, nil
}

// CurrentUser checks the token with GET auth/user/.
func (c *Client) CurrentUser(ctx context.Context) (client.User, error) {
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: "auth/user/"})
	if err != nil {
		return client.User{}, fail("checking the QFieldCloud token", err, nil)
	}
	var w wireUser
	if err := decodeOne(resp.Body, "account", &w); err != nil {
		return client.User{}, fmt.Errorf("checking the QFieldCloud token: %w", err)
	}
	c.mu.Lock()
	if c.username == "" {
		c.username = w.Username
	}
	c.mu.Unlock()
	return w.user(), nil
}

// Logout ends the session on the server. QFieldCloud then expires every
// token of the account (QField, QFieldSync, other roster installs), so
// callers should only do this when asked to.
func (c *Client) Logout(ctx context.Context) error {
	if _, err := c.rc.Do(ctx, rest.Request{Method: http.MethodPost, Path: "auth/logout/"}); err != nil {
		return fail("signing out of QFieldCloud", err, nil)
	}
	return nil
}

// totalCount reads X-Total-Count; -1 when absent (no valid limit sent).
func totalCount(h http.Header) int {
	v := h.Get("X-Total-Count")
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// pagingOptions: the first page brings rows and the total; the rest come
// in at most Concurrency pages in parallel, delivered in order.
func pagingOptions(max int) paging.Options {
	return paging.Options{TotalExact: true, Max: max}
}

// Users lists and searches accounts (GET users/). The server filters by
// username substring, organization and account type; ExcludeTeam is
// applied here. Rows come in server order, each username once.
func (c *Client) Users(ctx context.Context, q client.UserQuery, emit client.Emit[client.User]) error {
	const what = "listing QFieldCloud users"
	v := url.Values{}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	switch {
	case q.Org != "" && q.ExcludeOrg != "":
		return badInput(what, "an organization filter and an organization exclusion cannot be combined (the API takes one organization)")
	case q.Org != "":
		v.Set("organization", q.Org)
		v.Set("invert", "1")
	case q.ExcludeOrg != "":
		v.Set("organization", q.ExcludeOrg)
	}
	if q.PersonsOnly {
		// The server parses these with int(): "true" would be a 500.
		v.Set("exclude_organizations", "1")
		v.Set("exclude_teams", "1")
	}
	var drop map[string]bool
	if q.ExcludeTeam != "" {
		org, team, ok := strings.Cut(q.ExcludeTeam, "/")
		if !ok || org == "" || team == "" {
			return badInput(what, fmt.Sprintf("team %q: want ORG/TEAM", q.ExcludeTeam))
		}
		t, err := c.Team(ctx, org, team)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		drop = make(map[string]bool, len(t.Members))
		for _, m := range t.Members {
			drop[m.User] = true
		}
	}
	if q.Org != "" {
		// invert=1 keeps the organization's own account too; the flag
		// promises its owner and members, so the account is dropped.
		if drop == nil {
			drop = map[string]bool{}
		}
		drop[q.Org] = true
	}
	opt := pagingOptions(0)
	if drop == nil {
		opt.Max = q.Limit // no local filter: the pager may stop at the limit
	}
	org := q.Org + q.ExcludeOrg
	seen := map[string]bool{}
	capped := paging.Capped(q.Limit, emit)
	err := paging.Fetch(ctx, opt, c.usersPage(v), func(rows []client.User) error {
		out := rows[:0:0]
		for _, u := range rows {
			if seen[u.Username] || drop[u.Username] {
				continue
			}
			seen[u.Username] = true
			out = append(out, u)
		}
		if len(out) == 0 {
			return nil
		}
		return capped(out)
	})
	if err != nil {
		var ae *client.APIError
		if !errors.As(err, &ae) {
			return err // the caller's emit error, as is
		}
		return fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 404, "object_not_found") && org != "":
				return fmt.Sprintf("no organization %s (names are case-sensitive)", org), nil
			case is(e, 400, "validation_error"):
				return "the server refused the filter", nil
			}
			return "", nil
		})
	}
	return nil
}

func (c *Client) usersPage(q url.Values) paging.Page[client.User] {
	return func(ctx context.Context, offset, limit int) ([]client.User, int, error) {
		resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: "users/", Query: pageQuery(q, offset, limit)})
		if err != nil {
			return nil, 0, err
		}
		rows, err := DecodeUsers(resp.Body)
		return rows, totalCount(resp.Header), err
	}
}

func pageQuery(q url.Values, offset, limit int) url.Values {
	v := make(url.Values, len(q)+2)
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("limit", strconv.Itoa(limit))
	v.Set("offset", strconv.Itoa(offset))
	return v
}

// User gets one account by its exact (case-sensitive) username.
func (c *Client) User(ctx context.Context, id string) (client.User, error) {
	what := fmt.Sprintf("getting user %s", id)
	if id == "" {
		return client.User{}, badInput(what, "no username given")
	}
	if err := addressable(what, "account", id, "team accounts are @ORG/TEAM: use roster teams get ORG/TEAM"); err != nil {
		return client.User{}, err
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("users", seg(id))})
	if err != nil {
		return client.User{}, fail(what, err, func(e *client.APIError) (string, error) {
			// Any signed-in person may read any account: a 403 means the
			// name is unknown (api §4.3).
			if is(e, 403, "permission_denied") {
				return fmt.Sprintf("no user %s (usernames are case-sensitive)", id), client.ErrNotFound
			}
			return "", nil
		})
	}
	var w wireUser
	if err := decodeOne(resp.Body, "account", &w); err != nil {
		return client.User{}, fmt.Errorf("%s: %w", what, err)
	}
	return w.user(), nil
}

// Organizations lists the organizations the signed-in person owns or
// belongs to, sorted by name.
func (c *Client) Organizations(ctx context.Context) ([]client.Organization, error) {
	const what = "listing your QFieldCloud organizations"
	me, err := c.me(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("users", seg(me), "organizations")})
	if err != nil {
		return nil, fail(what, err, func(e *client.APIError) (string, error) {
			if is(e, 403, "permission_denied") {
				return fmt.Sprintf("the token does not belong to %s (check the profile's username)", me), nil
			}
			return "", nil
		})
	}
	var rows []wireOrg
	if err := decodeOne(resp.Body, "organization list", &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make([]client.Organization, len(rows))
	for i, r := range rows {
		out[i] = r.org()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Organization gets one organization; only its owner and members may.
func (c *Client) Organization(ctx context.Context, name string) (client.Organization, error) {
	what := fmt.Sprintf("getting organization %s", name)
	if name == "" {
		return client.Organization{}, badInput(what, "no organization given")
	}
	resp, err := c.rc.Do(ctx, rest.Request{Method: http.MethodGet, Path: path("users", seg(name))})
	if err != nil {
		return client.Organization{}, fail(what, err, func(e *client.APIError) (string, error) {
			switch {
			case is(e, 404, "object_not_found"):
				return fmt.Sprintf("you are not a member of %s", name), client.ErrForbidden
			case is(e, 403, "permission_denied"):
				return fmt.Sprintf("no organization %s (names are case-sensitive)", name), client.ErrNotFound
			}
			return "", nil
		})
	}
	var w wireOrg
	if err := decodeOne(resp.Body, "organization", &w); err != nil {
		return client.Organization{}, fmt.Errorf("%s: %w", what, err)
	}
	if w.Type != 2 {
		return client.Organization{}, fmt.Errorf("%s: %w", what, &client.APIError{Kind: client.ErrNotFound, Message: fmt.Sprintf("%s is not an organization", name)})
	}
	return w.org(), nil
}
