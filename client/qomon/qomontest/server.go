// Package qomontest is a faithful fake of the Qomon API (api/qomon.md §7):
// the routes of §3 at the root, the {data,status} envelope, Bearer tokens
// that select a space and a caller, per-space roles, full-replace team
// writes, private-team visibility, invitations, rate limiting, and test
// hooks. It runs on a loopback port or, for roster --demo, in memory.
package qomontest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// InMemoryURL is URL() for a server built WithoutSocket: any loopback
// address does, the in-memory transport never dials it.
const InMemoryURL = "http://127.0.0.1:9"

// Option configures a Server.
type Option func(*Server)

// WithVariants mixes the other user shapes of api §4.1 into answers: every
// user with an even id or a custom role is sent in the "intro sample"
// shape (mobile, a nested address with housenumber and postalcode, a list
// status, role as a kind string, or role_id for custom roles since a kind
// cannot tell them apart, a numeric-string id, created_at/updated_at).
// An empty e-mail is sent as null in both shapes.
func WithVariants() Option { return func(s *Server) { s.variants = true } }

// WithTeamIDPath accepts PATCH /teams/{id} too (404 by default), with 422
// when the path and body ids differ.
func WithTeamIDPath() Option { return func(s *Server) { s.teamIDPath = true } }

// WithRateLimit allows n requests per token in each window (fixed
// windows starting at a token's first request); request n+1 gets 429.
func WithRateLimit(n int, window time.Duration) Option {
	return func(s *Server) { s.rateN, s.rateWindow = n, window }
}

// WithoutRetryAfter leaves Retry-After off 429 answers, so clients must
// back off on their own.
func WithoutRetryAfter() Option { return func(s *Server) { s.noRetryAfter = true } }

// WithPageCap makes GET /users send at most n users per page whatever
// limit asks (Qomon's maximum page size is undocumented; its search API
// caps per_page at 1000), as a capping server would.
func WithPageCap(n int) Option { return func(s *Server) { s.pageCap = n } }

// WithoutCount leaves data.count out of GET /users answers (whether the
// live server sends it, and what it counts, is unverified).
func WithoutCount() Option { return func(s *Server) { s.noCount = true } }

// WithCountSkew adds d to every data.count of GET /users: a count that
// disagrees with the rows the server actually sends.
func WithCountSkew(d int) Option { return func(s *Server) { s.countSkew = d } }

// WithTeamsStatus makes GET /teams answer status (403: the caller's role
// may not list private teams; 404 or 405: an older server without the
// route). GET /teams/public still answers.
func WithTeamsStatus(status int) Option { return func(s *Server) { s.teamsStatus = status } }

// WithoutCreatedTeam makes POST /teams create the team but answer
// {"data": "OK"}, without the team (the answer's shape is unverified).
func WithoutCreatedTeam() Option { return func(s *Server) { s.noCreatedTeam = true } }

// WithoutSocket builds the server without a listener: use HTTPClient,
// whose in-memory transport serves it, with URL() = InMemoryURL.
func WithoutSocket() Option { return func(s *Server) { s.noSocket = true } }

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	mu           sync.Mutex
	variants     bool
	teamIDPath   bool
	rateN        int
	rateWindow   time.Duration
	noRetryAfter bool
	noSocket     bool
	clock        func() time.Time

	pageCap       int  // WithPageCap
	noCount       bool // WithoutCount
	countSkew     int  // WithCountSkew
	teamsStatus   int  // WithTeamsStatus
	noCreatedTeam bool // WithoutCreatedTeam

	seq        int64 // last id handed out; ids only increase
	accounts   map[int64]*account
	byMail     map[string]*account // lower-cased e-mail
	spaces     map[string]*space   // by name
	spaceOrder []*space
	tokens     map[string]tokenInfo
	tokenOf    map[tokenInfo]string
	buckets    map[string]*bucket
	demoToken  string

	beforeTeamWrite func(id int64)
	breaks          []*breakAfter

	*fakehttp.Served // URL, HTTPClient, Handler, Kit, Close
}

type tokenInfo struct {
	space int64
	user  int64
}

type bucket struct {
	start time.Time
	used  int
}

// breakAfter answers a matching request with status after applying it:
// the server did the work but the client never hears so.
type breakAfter struct {
	method, path string
	status       int
}

// New starts a fake server on a loopback port (unless WithoutSocket),
// holding the fixture spaces (see fixtures.go). Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		clock:    time.Now,
		accounts: map[int64]*account{},
		byMail:   map[string]*account{},
		spaces:   map[string]*space{},
		tokens:   map[string]tokenInfo{},
		tokenOf:  map[tokenInfo]string{},
		buckets:  map[string]*bucket{},
	}
	for _, o := range opts {
		o(s)
	}
	s.seedFixtures()
	inMemory := ""
	if s.noSocket {
		inMemory = InMemoryURL
	}
	s.Served = fakehttp.Serve(http.HandlerFunc(s.serve), inMemory, "")
	return s
}

// SetClock replaces the clock used for timestamps (created_at,
// updated_at, last_sent). Rate-limit windows keep real time, since
// clients really wait for them.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.clock = now
	s.mu.Unlock()
}

func (s *Server) now() time.Time { return s.clock().UTC().Truncate(time.Second) }

// BeforeTeamWrite sets f (nil clears it) to run whenever a team is read
// by id (GET /teams/{id}), before the answer is built: that read is the
// fresh copy a safe client takes just before writing, so f simulates
// another person's edit landing between the copy the user saw and the
// write. f runs without the server's lock and may call EditTeam.
func (s *Server) BeforeTeamWrite(f func(id int64)) {
	s.mu.Lock()
	s.beforeTeamWrite = f
	s.mu.Unlock()
}

// BreakAfterWrite makes the next request with this method and exact path
// (e.g. "PATCH", "/teams") be applied and then answered with status (a
// 5xx): the write happened but the client cannot know it. A request the
// handler refuses gets its real answer (and uses up the break).
func (s *Server) BreakAfterWrite(method, path string, status int) {
	s.mu.Lock()
	s.breaks = append(s.breaks, &breakAfter{method, path, status})
	s.mu.Unlock()
}

// newToken returns an unguessable token.
func newToken() string {
	var b [20]byte
	rand.Read(b[:])
	return "qmn_" + hex.EncodeToString(b[:])
}

// ---- answers ----------------------------------------------------------------

// call is one request being served.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	segs  []string
	sp    *space
	me    *account
	token string
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ok writes the success envelope.
func ok(c *call, status int, data any) {
	writeJSON(c.w, status, map[string]any{"data": data, "status": "success"})
}

// problem writes an RFC 7807 error, as the live server does (api §7.5).
func problem(w http.ResponseWriter, status int, detail string) {
	body, _ := json.Marshal(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// ---- serving ----------------------------------------------------------------

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// 401 comes before routing: an unknown path with a bad token is 401.
	tok, info, authErr := s.authenticate(r)
	if authErr != "" {
		s.rateHeaders(w, "")
		w.Header().Set("WWW-Authenticate", `Bearer realm="qomon"`)
		problem(w, http.StatusUnauthorized, authErr)
		return
	}
	wait, limited := s.spend(tok)
	s.rateHeaders(w, tok)
	if limited {
		if !s.noRetryAfter {
			w.Header().Set("Retry-After", retryAfter(wait))
		}
		problem(w, http.StatusTooManyRequests, "rate limit exceeded: too many requests for this token")
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	h, allowed := route(segs, r.Method, s.teamIDPath)
	if h == nil && allowed == "" {
		problem(w, http.StatusNotFound, "no route for "+r.URL.Path)
		return
	}
	if h == nil {
		w.Header().Set("Allow", allowed)
		problem(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s", r.Method, r.URL.Path))
		return
	}
	// The team-read hook runs before the lock: it may edit the team.
	if r.Method == http.MethodGet && len(segs) == 2 && segs[0] == "teams" && segs[1] != "public" {
		s.mu.Lock()
		f := s.beforeTeamWrite
		s.mu.Unlock()
		if id, err := strconv.ParseInt(segs[1], 10, 64); err == nil && f != nil {
			f(id)
		}
	}
	var brk *breakAfter
	var rec *httptest.ResponseRecorder
	w2 := w
	s.mu.Lock()
	for i, b := range s.breaks {
		if b.method == r.Method && b.path == r.URL.Path {
			brk = b
			s.breaks = append(s.breaks[:i:i], s.breaks[i+1:]...)
			rec = httptest.NewRecorder()
			w2 = rec
			break
		}
	}
	c := &call{w: w2, r: r, segs: segs, token: tok}
	c.sp = s.spaceByID(info.space)
	c.me = s.accounts[info.user]
	if c.sp == nil || c.me == nil || c.sp.members[info.user] == nil {
		s.mu.Unlock()
		problem(w, http.StatusUnauthorized, "the token's user is no longer in this space")
		return
	}
	h(s, c)
	s.mu.Unlock()
	if brk == nil {
		return
	}
	if rec.Code >= 300 {
		// Refused, so nothing was applied: the real answer goes out.
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	problem(w, brk.status, "the server failed after applying the request")
}

// authenticate checks the Bearer token; a non-empty message is a 401.
func (s *Server) authenticate(r *http.Request) (string, tokenInfo, string) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", tokenInfo{}, "missing Authorization header"
	}
	scheme, tok, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", tokenInfo{}, "the Authorization header must be: Bearer <token>"
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", tokenInfo{}, "empty token"
	}
	s.mu.Lock()
	info, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok {
		return "", tokenInfo{}, "invalid token"
	}
	return tok, info, ""
}

const (
	defaultBurst = 100
	defaultRate  = 10.0
)

// rateHeaders sets the three x-ratelimit-* headers (api §2.5) on every
// answer.
func (s *Server) rateHeaders(w http.ResponseWriter, tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	burst, rate := defaultBurst, defaultRate
	remaining := defaultBurst
	if s.rateN > 0 && s.rateWindow > 0 {
		burst, rate = s.rateN, float64(s.rateN)/s.rateWindow.Seconds()
		remaining = s.rateN
		if b := s.buckets[tok]; tok != "" && b != nil && time.Since(b.start) < s.rateWindow {
			remaining = max(0, s.rateN-b.used)
		}
	}
	h := w.Header()
	h.Set("x-ratelimit-limit", fmt.Sprintf("burst:%d;rate:%.1f", burst, rate))
	h.Set("x-ratelimit-cost", "1")
	h.Set("x-ratelimit-remaining", strconv.Itoa(remaining))
}

// spend counts a request against its token's window; limited means 429,
// with wait the time left in the window.
func (s *Server) spend(tok string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateN <= 0 || s.rateWindow <= 0 {
		return 0, false
	}
	now := time.Now()
	b := s.buckets[tok]
	if b == nil || now.Sub(b.start) >= s.rateWindow {
		b = &bucket{start: now}
		s.buckets[tok] = b
	}
	if b.used >= s.rateN {
		return b.start.Add(s.rateWindow).Sub(now), true
	}
	b.used++
	return 0, false
}

// retryAfter spells a wait in seconds: whole seconds (rounded up) as the
// header's grammar wants, except that sub-second windows, which exist
// only in tests, get a decimal so tests stay fast.
func retryAfter(d time.Duration) string {
	if d >= time.Second {
		return strconv.Itoa(int(math.Ceil(d.Seconds())))
	}
	ms := int(math.Ceil(float64(d) / float64(time.Millisecond)))
	return strconv.FormatFloat(float64(max(ms, 1))/1000, 'f', -1, 64)
}

type handler func(s *Server, c *call)

// route maps a path and method to its handler. A known path with the
// wrong method gives (nil, allowed methods); an unknown path (nil, "").
func route(segs []string, method string, teamIDPath bool) (handler, string) {
	pick := func(m map[string]handler) (handler, string) {
		if h, ok := m[method]; ok {
			return h, ""
		}
		var allowed []string
		for _, k := range []string{"GET", "POST", "PATCH", "DELETE"} {
			if _, ok := m[k]; ok {
				allowed = append(allowed, k)
			}
		}
		return nil, strings.Join(allowed, ", ")
	}
	isID := func(s string) bool {
		n, err := strconv.ParseInt(s, 10, 64)
		return err == nil && n > 0 && s == strconv.FormatInt(n, 10)
	}
	switch {
	case len(segs) == 1 && segs[0] == "roles":
		return pick(map[string]handler{"GET": (*Server).listRoles})
	case len(segs) == 1 && segs[0] == "users":
		return pick(map[string]handler{"GET": (*Server).listUsers})
	case len(segs) == 2 && segs[0] == "users" && segs[1] == "role":
		return pick(map[string]handler{"PATCH": (*Server).setRole})
	case len(segs) == 2 && segs[0] == "users" && segs[1] == "invitation":
		return pick(map[string]handler{"GET": (*Server).listInvitations, "POST": (*Server).invite})
	case len(segs) == 3 && segs[0] == "users" && segs[1] == "invitation" && isID(segs[2]):
		return pick(map[string]handler{"DELETE": (*Server).cancelInvitation})
	case len(segs) == 2 && segs[0] == "users" && isID(segs[1]):
		return pick(map[string]handler{"GET": (*Server).getUser, "PATCH": (*Server).patchUser})
	case len(segs) == 1 && segs[0] == "teams":
		return pick(map[string]handler{"GET": (*Server).listTeams, "POST": (*Server).createTeam, "PATCH": (*Server).patchTeams})
	case len(segs) == 2 && segs[0] == "teams" && segs[1] == "public":
		return pick(map[string]handler{"GET": (*Server).publicTeams})
	case len(segs) == 2 && segs[0] == "teams" && isID(segs[1]):
		m := map[string]handler{"GET": (*Server).getTeam}
		if teamIDPath {
			m["PATCH"] = (*Server).patchTeamID
		}
		return pick(m)
	}
	return nil, ""
}

// ---- request helpers ----------------------------------------------------------

// body reads {"data": …}; on failure it has answered 400.
func body(c *call, out any) bool {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(c.r.Body)
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		problem(c.w, http.StatusBadRequest, "request body is not valid JSON: "+err.Error())
		return false
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		problem(c.w, http.StatusBadRequest, `request body must be wrapped: {"data": {...}}`)
		return false
	}
	d := json.NewDecoder(bytes.NewReader(env.Data))
	d.UseNumber()
	if err := d.Decode(out); err != nil {
		problem(c.w, http.StatusUnprocessableEntity, "invalid data: "+err.Error())
		return false
	}
	return true
}

// canWrite: a `user`-role caller may not write (fake choice, api §7.4).
func (s *Server) canWrite(c *call) bool {
	if c.sp.roleOf(c.me.ID).Type == "user" {
		problem(c.w, http.StatusForbidden, "your role does not allow this action")
		return false
	}
	return true
}

func pathID(c *call, i int) int64 {
	n, _ := strconv.ParseInt(c.segs[i], 10, 64)
	return n
}
