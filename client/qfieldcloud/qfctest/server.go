// Package qfctest is a faithful fake QFieldCloud server for tests and
// `roster --demo`. It reproduces what the real server does on the routes
// roster uses (api/qfieldcloud.md §8): trailing-slash redirects, HTML 404s,
// JSON and form bodies, token auth and its 401 codes, the permission
// matrix, pagination headers, the member and team rules and their odd
// status codes. It is wrapped in a fakehttp.Kit for latency and faults.
package qfctest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// InMemoryURL is the base URL of a server built WithoutSocket. It is a
// loopback URL on the discard port, so a client that bypasses the in-memory
// transport fails at once instead of reaching anything.
const InMemoryURL = "http://127.0.0.1:9/api/v1/"

const prefix = "/api/v1/"

// Option configures a Server.
type Option func(*Server)

// WithDebug runs the server as with DJANGO DEBUG: error bodies carry
// "debug":{"detail":…}, and a write without its trailing slash gets an
// HTML 500 instead of a 301.
func WithDebug() Option { return func(s *Server) { s.debug = true } }

// WithShuffle returns members, teams, team members and organizations in
// an order that changes after every write, as a database without ORDER BY
// may: it catches clients that depend on order. Between writes the order
// is stable, so paging stays consistent.
func WithShuffle() Option { return func(s *Server) { s.shuffle = true } }

// WithUnstablePages returns the members of GET members/{org}/ in a new
// order on every request that pages (sends limit), as separate queries
// without ORDER BY may: limit/offset pages then skip some members and
// repeat others. The whole list (no limit) is one consistent query.
func WithUnstablePages() Option { return func(s *Server) { s.unstablePages = true } }

// WithLockout sets how many failed logins for one username and address
// lock it out (the server's default is 5); n <= 0 turns the lock-out off.
func WithLockout(n int) Option { return func(s *Server) { s.lockout = n } }

// WithoutSocket builds the server without a listener: use HTTPClient,
// whose in-memory transport serves it, with URL() = InMemoryURL.
func WithoutSocket() Option { return func(s *Server) { s.noSocket = true } }

// WithClock replaces the clock used for token expiry.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	mu      sync.Mutex
	debug   bool
	shuffle bool
	// unstablePages: WithUnstablePages; pageQueries counts paged member
	// queries and seeds their order.
	unstablePages bool
	pageQueries   uint64
	lockout       int
	noSocket      bool
	now           func() time.Time

	accounts  map[string]*account // persons and organizations, by exact username
	folded    map[string]string   // lower-cased username → username, teams included
	members   map[string]*memberList
	teams     map[string][]*team // per organization, in creation order
	tokens    map[string]*token
	failures  map[string]int // lower-cased login + client address
	seq       int            // creation counter (team ids, insertion order)
	epoch     uint64         // bumped by every write; seeds the shuffle
	userCache listCache      // ordered users/ lists of this epoch
	proj      projectState   // projects and collaborator rows (projects.go)

	*fakehttp.Served // URL, HTTPClient, Handler, Kit, Close
}

type account struct {
	username, email, password, first, last string
	typ                                    int // 1 person, 2 organization
	inactive                               bool
	owner                                  string // organizations
	limit                                  int    // organizations: plan member limit, 0 = none
	seq                                    int
}

func (a *account) fullName() string { return strings.TrimSpace(a.first + " " + a.last) }

type membership struct {
	org, user, role string
	public          bool
	seq             int
}

type memberList struct {
	order []*membership
	index map[string]*membership
}

type team struct {
	id        int
	org, name string
	members   []string
	seq       int
}

type token struct {
	user       string
	expires    time.Time
	clientType string
}

// New starts a fake server on a loopback port (unless WithoutSocket).
// Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		lockout:  5,
		now:      time.Now,
		accounts: map[string]*account{},
		folded:   map[string]string{},
		members:  map[string]*memberList{},
		teams:    map[string][]*team{},
		tokens:   map[string]*token{},
		failures: map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	inMemory := ""
	if s.noSocket {
		inMemory = InMemoryURL
	}
	s.Served = fakehttp.Serve(http.HandlerFunc(s.serve), inMemory, prefix)
	return s
}

// ---- errors and responses -------------------------------------------------

var messages = map[string]string{
	"not_authenticated":                      "Not authenticated",
	"authentication_failed":                  "Authentication failed",
	"token_authentication_failed":            "Token authentication failed",
	"too_many_failed_login_attempts":         "Too many failed login attempts",
	"permission_denied":                      "Permission denied",
	"organization_has_max_number_of_members": "Organization has the maximum number of members",
	"object_not_found":                       "Object not found",
	"validation_error":                       "Validation error",
	"api_error":                              "API Error",
	"unknown_error":                          "Unknown error",
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Vary", "Accept, Cookie")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

// fail writes the {code,message} error body; detail is shown only in
// DEBUG mode, as the real server does. 401s carry no WWW-Authenticate.
func (s *Server) fail(w http.ResponseWriter, status int, code string, detail any) {
	body := map[string]any{"code": code, "message": messages[code]}
	if s.debug && detail != nil {
		body["debug"] = map[string]any{"view": "roster-fake", "detail": detail}
	}
	writeJSON(w, status, body)
}

func htmlPage(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>%s</title>\n</head>\n<body>\n  <h1>%s</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n", title, title)
}

// ---- routing ---------------------------------------------------------------

type call struct {
	w    http.ResponseWriter
	r    *http.Request
	segs []string
	me   *account // nil: anonymous
	body map[string]any
	form bool
}

type view func(s *Server, c *call)

// route finds the view for a path's segments (after /api/v1/).
func route(segs []string) view {
	for _, p := range segs {
		if p == "" {
			return nil
		}
	}
	n := len(segs)
	if segs[0] == "projects" || segs[0] == "collaborators" {
		return projectRoute(segs)
	}
	switch {
	case n == 2 && segs[0] == "auth" && (segs[1] == "token" || segs[1] == "login"):
		return (*Server).login
	case n == 2 && segs[0] == "auth" && segs[1] == "logout":
		return (*Server).logout
	case n == 2 && segs[0] == "auth" && segs[1] == "user":
		return (*Server).authUser
	case n == 1 && segs[0] == "users":
		return (*Server).users
	case n == 2 && segs[0] == "users":
		return (*Server).user
	case n == 3 && segs[0] == "users" && segs[2] == "organizations":
		return (*Server).userOrgs
	case n == 2 && segs[0] == "members":
		return (*Server).memberList
	case n == 3 && segs[0] == "members":
		return (*Server).member
	case n == 3 && segs[0] == "organizations" && segs[2] == "teams":
		return (*Server).teamList
	case n == 4 && segs[0] == "organizations" && segs[2] == "teams":
		return (*Server).team
	case n == 5 && segs[0] == "organizations" && segs[2] == "teams" && segs[4] == "members":
		return (*Server).teamMemberList
	case n == 6 && segs[0] == "organizations" && segs[2] == "teams" && segs[4] == "members":
		return (*Server).teamMember
	}
	return nil
}

func splitPath(escaped string) ([]string, bool) {
	rest, ok := strings.CutPrefix(escaped, prefix)
	if !ok {
		return nil, false
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return nil, false
	}
	// Django routes the decoded path: an escaped "/" (%2F) in a name
	// splits it like a real one, so such a name matches no route (an
	// HTML 404), as on the real server.
	decoded, err := url.PathUnescape(rest)
	if err != nil {
		return nil, false
	}
	return strings.Split(decoded, "/"), true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	escaped := r.URL.EscapedPath()
	segs, ok := splitPath(escaped)
	var v view
	if ok {
		v = route(segs)
	}
	if v == nil {
		htmlPage(w, http.StatusNotFound, "Not Found")
		return
	}
	if !strings.HasSuffix(escaped, "/") {
		// Django's APPEND_SLASH: a redirect, or under DEBUG a crash for
		// writes, which would lose their body.
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			if s.debug {
				htmlPage(w, http.StatusInternalServerError, "RuntimeError at "+escaped)
				return
			}
		}
		loc := escaped + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &call{w: w, r: r, segs: segs}
	if !s.authenticate(c) {
		return
	}
	v(s, c)
}

// authenticate applies DRF's token authentication, which runs on every
// view, the login view included (api §2.3).
func (s *Server) authenticate(c *call) bool {
	h := c.r.Header.Get("Authorization")
	f := strings.Fields(h)
	if len(f) == 0 || !strings.EqualFold(f[0], "token") {
		return true // anonymous (a bare Bearer too)
	}
	if len(f) != 2 {
		s.fail(c.w, 401, "authentication_failed", "Invalid token header.")
		return false
	}
	t, ok := s.tokens[f[1]]
	if !ok || !s.now().Before(t.expires) {
		s.fail(c.w, 401, "token_authentication_failed", "Invalid token.")
		return false
	}
	a := s.accounts[t.user]
	if a == nil || a.inactive {
		s.fail(c.w, 401, "token_authentication_failed", "User inactive or deleted.")
		return false
	}
	c.me = a
	return true
}

// needAuth answers 401 for anonymous callers.
func (s *Server) needAuth(c *call) bool {
	if c.me == nil {
		s.fail(c.w, 401, "not_authenticated", "Authentication credentials were not provided.")
		return false
	}
	return true
}

func (s *Server) notAllowed(c *call) {
	s.fail(c.w, http.StatusMethodNotAllowed, "api_error", fmt.Sprintf("Method \"%s\" not allowed.", c.r.Method))
}

// parseBody reads a JSON, form or multipart body into c.body. On failure
// it has answered 400/415 already.
func (s *Server) parseBody(c *call) bool {
	c.body = map[string]any{}
	raw, err := io.ReadAll(io.LimitReader(c.r.Body, 8<<20))
	if err != nil {
		s.fail(c.w, 400, "api_error", "could not read the body")
		return false
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return true
	}
	ct, params, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			s.fail(c.w, 400, "api_error", "JSON parse error - "+err.Error())
			return false
		}
		c.body = m
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(raw))
		if err != nil {
			s.fail(c.w, 400, "api_error", "Form parse error")
			return false
		}
		c.form = true
		for k, v := range vals {
			c.body[k] = v[len(v)-1]
		}
	case "multipart/form-data":
		c.r.Body = io.NopCloser(strings.NewReader(string(raw)))
		c.r.Header.Set("Content-Type", mime.FormatMediaType(ct, params))
		if err := c.r.ParseMultipartForm(8 << 20); err != nil {
			s.fail(c.w, 400, "api_error", "Multipart form parse error - "+err.Error())
			return false
		}
		c.form = true
		for k, v := range c.r.MultipartForm.Value {
			c.body[k] = v[len(v)-1]
		}
	default:
		s.fail(c.w, http.StatusUnsupportedMediaType, "api_error", fmt.Sprintf("Unsupported media type \"%s\" in request.", ct))
		return false
	}
	return true
}

// str reads a string field; present says whether the key was sent.
func (c *call) str(key string) (v string, present bool) {
	x, ok := c.body[key]
	if !ok || x == nil {
		return "", ok
	}
	switch t := x.(type) {
	case string:
		return t, true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return fmt.Sprint(x), true
}

// boolField parses a DRF BooleanField; ok=false means invalid.
func (c *call) boolField(key string) (v, present, ok bool) {
	x, present := c.body[key]
	if !present {
		return false, false, true
	}
	switch t := x.(type) {
	case bool:
		return t, true, true
	case float64:
		if t == 0 || t == 1 {
			return t == 1, true, true
		}
	case string:
		switch strings.ToLower(t) {
		case "true", "1", "yes", "on", "y", "t":
			return true, true, true
		case "false", "0", "no", "off", "n", "f", "":
			return false, true, true
		}
	}
	return false, true, false
}

// ---- pagination -------------------------------------------------------------

// paginate writes rows as §3.3 says: the whole bare array unless a valid
// limit is given; then the slice and X-Total-Count / X-Next-Page /
// X-Previous-Page with sorted query keys.
func paginate[T any](c *call, rows []T) {
	q := c.r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		writeJSON(c.w, 200, nonNil(rows))
		return
	}
	offset, err := strconv.Atoi(q.Get("offset"))
	if err != nil || offset < 0 {
		offset = 0
	}
	n := len(rows)
	page := []T{}
	if offset < n {
		page = rows[offset:min(n, offset+limit)]
	}
	h := c.w.Header()
	h.Set("X-Total-Count", strconv.Itoa(n))
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(limit))
		if off > 0 {
			v.Set("offset", strconv.Itoa(off))
		} else {
			v.Del("offset")
		}
		scheme := "http"
		if c.r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + c.r.Host + c.r.URL.EscapedPath() + "?" + v.Encode() // Encode sorts keys
	}
	if offset+limit < n {
		h.Set("X-Next-Page", link(offset+limit))
	}
	if offset > 0 {
		h.Set("X-Previous-Page", link(offset-limit))
	}
	writeJSON(c.w, 200, page)
}

func nonNil[T any](rows []T) []T {
	if rows == nil {
		return []T{}
	}
	return rows
}

// ---- order ---------------------------------------------------------------

// arrange sorts items by creation (insertion order), or by a hash of the
// write epoch when shuffling.
func arrange[T any](s *Server, items []T, seq func(T) int, key func(T) string) {
	if !s.shuffle {
		sort.SliceStable(items, func(i, j int) bool { return seq(items[i]) < seq(items[j]) })
		return
	}
	h := func(k string) uint64 {
		f := fnv.New64a()
		fmt.Fprintf(f, "%d/%s", s.epoch, k)
		return f.Sum64()
	}
	sort.SliceStable(items, func(i, j int) bool { return h(key(items[i])) < h(key(items[j])) })
}

func (s *Server) wrote() { s.epoch++ }
