// Package rest is the HTTP layer both providers share: base URL and
// trailing-slash handling is theirs, but timeouts, the transport policy
// (https unless loopback, no redirects, capped bodies), retries, pacing and
// the redacted debug log live here once.
package rest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/roster-cli/roster/client"
)

// DefaultMaxBody caps a response body. The largest answer roster asks for
// is one unpaged QFieldCloud member or collaborator list: 100,000 rows are
// about 15 MiB. Anything over 32 MiB is a hostile or broken server, and the
// cap is also the most memory one answer can cost (see readBody).
const DefaultMaxBody = 32 << 20

// Config configures a Client.
type Config struct {
	BaseURL    string // absolute; must be https unless the host is loopback
	Token      string
	AuthScheme string // "Token" or "Bearer"
	UserAgent  string
	HTTPClient *http.Client // nil: a private client with sane defaults
	// Timeout bounds one attempt, body included (default 30 s). A read
	// that times out is tried again at most once, so a call gives up
	// within about twice the timeout.
	Timeout time.Duration
	MaxBody int64     // default DefaultMaxBody
	Debug   io.Writer // request log, token redacted; nil = off
	// Retries for reads on network errors and 502/503/504 (default 3
	// retries) and for 429 on any method (default 5 tries).
	MaxRetries     int
	MaxRateRetries int
	// RetryBudget bounds the total time spent waiting between tries
	// (default 30 s).
	RetryBudget time.Duration
	// DecodeError turns a non-2xx response into an *client.APIError.
	DecodeError func(status int, header http.Header, body []byte) *client.APIError
	// Pace, if set, limits the request rate (token bucket).
	Pace *Limiter
	// Sleep is replaced in tests; nil = context-aware time.Sleep.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client sends requests to one base URL with one token.
type Client struct {
	cfg  Config
	base *url.URL
	hc   *http.Client
}

// ErrInsecureURL: plain http to a host that is not loopback.
var ErrInsecureURL = errors.New("plain http:// is only allowed for loopback hosts (localhost, 127.0.0.0/8, ::1); use https://")

// CheckURL parses and vets a base URL.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%s: %w", u.Redacted(), ErrInsecureURL)
		}
	default:
		return nil, fmt.Errorf("bad URL %q: want https://host/…", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("bad URL %q: no host", raw)
	}
	u.User = nil
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// IsLoopback reports whether host is localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New builds a client. The token may be empty (login requests).
func New(cfg Config) (*Client, error) {
	base, err := CheckURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.MaxRateRetries == 0 {
		cfg.MaxRateRetries = 5
	}
	if cfg.RetryBudget <= 0 {
		cfg.RetryBudget = 30 * time.Second
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: DefaultTransport()}
	}
	// Copy so the redirect policy never leaks into a shared client. A 3xx
	// is returned as is: following it would turn a write into a GET
	// (Django's APPEND_SLASH) or carry the token to another host.
	c2 := *hc
	c2.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{cfg: cfg, base: base, hc: &c2}, nil
}

// DefaultTransport is http.DefaultTransport's settings with TLS
// verification always on and enough idle connections per host for the
// concurrent pager.
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	t.TLSClientConfig = nil // never InsecureSkipVerify
	return t
}

// Base returns the base URL.
func (c *Client) Base() *url.URL { u := *c.base; return &u }

// Request is one API call.
type Request struct {
	Method string
	Path   string // joined to the base URL path; already escaped segments
	Query  url.Values
	Body   any // JSON-encoded when not nil
	NoAuth bool
	// Idempotent writes may be retried like reads (e.g. a DELETE the API
	// treats as idempotent). Reads are always idempotent.
	Idempotent bool
}

// Response is a 2xx answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r Request) retriable() bool {
	return r.Method == http.MethodGet || r.Method == http.MethodHead || r.Idempotent
}

// URL returns the absolute URL of a path and query.
func (c *Client) URL(path string, q url.Values) *url.URL {
	u := *c.base
	u.Path = strings.TrimSuffix(c.base.Path, "/") + "/" + strings.TrimPrefix(path, "/")
	if c.base.RawPath != "" || strings.Contains(path, "%") {
		u.RawPath = strings.TrimSuffix(c.base.EscapedPath(), "/") + "/" + strings.TrimPrefix(path, "/")
		if p, err := url.PathUnescape(u.RawPath); err == nil {
			u.Path = p
		}
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return &u
}

// Do sends a request and returns its 2xx response, or an error that is an
// *client.APIError (server answers and network failures alike) or the
// context's error wrapped in one.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, fmt.Errorf("encoding request: %w", err)
		}
	}
	u := c.URL(r.Path, r.Query)
	deadline := time.Now().Add(c.cfg.RetryBudget)
	tries, rateTries, timeouts := 0, 0, 0
	for {
		if c.cfg.Pace != nil {
			if err := c.cfg.Pace.Wait(ctx); err != nil {
				return nil, c.netErr(r, err, false)
			}
		}
		resp, sent, err := c.once(ctx, r, u, body)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, c.netErr(r, ctx.Err(), sent && !r.retriable())
			}
			if errors.Is(err, errTooLarge) || badTLS(err) {
				// The server answered, just too much (asking again would
				// only download it again), or its certificate is not
				// trusted (that does not heal by retrying).
				return nil, c.netErr(r, err, false)
			}
			if !r.retriable() && sent {
				return nil, c.netErr(r, err, true)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				// The attempt's own timeout: one more try can help (a
				// slow moment), more only multiply the wait (--timeout
				// promises about twice the timeout at most).
				timeouts++
				if timeouts > 1 {
					return nil, c.netErr(r, err, false)
				}
			}
			tries++
			if tries > c.cfg.MaxRetries {
				return nil, c.netErr(r, err, false)
			}
			wait = backoff(tries)
		case resp.Status == http.StatusTooManyRequests:
			rateTries++
			if rateTries >= c.cfg.MaxRateRetries {
				return nil, c.apiErr(r, resp)
			}
			wait = RetryAfter(resp.Header, time.Now())
			if wait <= 0 {
				wait = rateBackoff(rateTries)
			}
		case resp.Status >= 300 && resp.Status < 400:
			e := c.apiErr(r, resp)
			e.Kind = client.ErrServer
			e.Message = fmt.Sprintf("unexpected redirect (HTTP %d) to %q: roster does not follow redirects; check the server URL", resp.Status, resp.Header.Get("Location"))
			e.Code = ""
			return nil, e
		case resp.Status == 502 || resp.Status == 503 || resp.Status == 504:
			if !r.retriable() {
				e := c.apiErr(r, resp)
				return nil, e
			}
			tries++
			if tries > c.cfg.MaxRetries {
				return nil, c.apiErr(r, resp)
			}
			wait = backoff(tries)
			if ra := RetryAfter(resp.Header, time.Now()); ra > wait {
				wait = ra
			}
		case resp.Status < 200 || resp.Status >= 300:
			return nil, c.apiErr(r, resp)
		default:
			return resp, nil
		}
		if time.Now().Add(wait).After(deadline) {
			if err != nil {
				return nil, c.netErr(r, err, false)
			}
			return nil, c.apiErr(r, resp)
		}
		if dl, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(dl) {
			if err != nil {
				return nil, c.netErr(r, err, false)
			}
			return nil, c.apiErr(r, resp)
		}
		c.debugf("retrying %s %s in %s", r.Method, u.Path, wait.Round(time.Millisecond))
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, c.netErr(r, err, false)
		}
	}
}

// once sends one attempt. sent reports whether the request may have
// reached the server (false only when the connection was never made).
func (c *Client) once(ctx context.Context, r Request, u *url.URL, body []byte) (*Response, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), rd)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if !r.NoAuth && c.cfg.Token != "" {
		req.Header.Set("Authorization", c.cfg.AuthScheme+" "+c.cfg.Token)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.debugf("%s %s: %v (%s)", r.Method, u.Redacted(), c.redact(err.Error()), time.Since(start).Round(time.Millisecond))
		return nil, !neverSent(err), err
	}
	defer resp.Body.Close()
	data, err := readBody(ctx, resp.Body, resp.ContentLength, c.cfg.MaxBody)
	if errors.Is(err, errTooLarge) {
		c.debugf("%s %s: %d, body over the cap", r.Method, u.Redacted(), resp.StatusCode)
		return nil, true, &tooLarge{c.cfg.MaxBody}
	}
	if err != nil {
		c.debugf("%s %s: %d, body cut: %v", r.Method, u.Redacted(), resp.StatusCode, err)
		return nil, true, fmt.Errorf("reading the response: %w", err)
	}
	c.debugf("%s %s → %d, %d bytes (%s)", r.Method, u.Redacted(), resp.StatusCode, len(data), time.Since(start).Round(time.Millisecond))
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, true, nil
}

var errTooLarge = errors.New("response body too large")

// tooLarge is errTooLarge with the cap, in words.
type tooLarge struct{ max int64 }

func (e *tooLarge) Error() string {
	return fmt.Sprintf("response larger than %s (roster's limit for one answer)", size(e.max))
}
func (e *tooLarge) Is(target error) bool { return target == errTooLarge }

// readBody reads a response body of at most max bytes, and never holds
// more than that: a Content-Length over the cap is refused unread, a known
// length is read into one buffer of that size, and an unknown one into
// chunks joined once at the end (io.ReadAll's doubling would copy the body
// over and over and hold up to twice the cap). The context is checked
// between reads, so a body that keeps coming stops at the attempt's
// deadline even when every single read succeeds.
func readBody(ctx context.Context, r io.Reader, length, max int64) ([]byte, error) {
	if length > max {
		return nil, errTooLarge
	}
	if length >= 0 {
		// One byte more than announced tells a body that runs on.
		buf := make([]byte, 0, length+1)
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if int64(len(buf)) > max {
				return nil, errTooLarge
			}
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return nil, err
			}
			if len(buf) == cap(buf) {
				// More than the Content-Length said: net/http stops such
				// a body, a raw reader may not. Go on under the cap.
				return readChunks(ctx, r, buf, max)
			}
		}
	}
	return readChunks(ctx, r, nil, max)
}

const maxChunk = 1 << 20

func readChunks(ctx context.Context, r io.Reader, first []byte, max int64) ([]byte, error) {
	var chunks [][]byte
	total := int64(len(first))
	if len(first) > 0 {
		chunks = append(chunks, first)
	}
	next := 32 << 10
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk := make([]byte, next)
		n, err := fill(ctx, r, chunk)
		if n > 0 {
			chunks = append(chunks, chunk[:n])
			total += int64(n)
			if total > max {
				return nil, errTooLarge
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if next < maxChunk {
			next *= 2
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// fill reads until buf is full, the body ends (io.EOF) or fails. Unlike
// io.ReadFull it keeps a body cut short (io.ErrUnexpectedEOF from the
// transport) apart from a clean end.
func fill(ctx context.Context, r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// size says a byte count the way people read it.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// badTLS reports a failed TLS handshake: an untrusted or mismatched
// certificate, or a server that does not speak TLS on that port.
func badTLS(err error) bool {
	var cv *tls.CertificateVerificationError
	var rh tls.RecordHeaderError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &ua) ||
		errors.As(err, &he) || errors.As(err, &ci) ||
		// net/http turns a RecordHeaderError into this unwrapped text.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}

// neverSent reports whether err proves the request never left (the
// connection was refused or the name did not resolve).
func neverSent(err error) bool {
	if badTLS(err) {
		// The handshake failed: no request byte was written.
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) apiErr(r Request, resp *Response) *client.APIError {
	var e *client.APIError
	if c.cfg.DecodeError != nil {
		e = c.cfg.DecodeError(resp.Status, resp.Header, resp.Body)
	}
	if e == nil {
		e = &client.APIError{Kind: client.KindForStatus(resp.Status), Status: resp.Status}
	}
	if e.Kind == nil {
		e.Kind = client.KindForStatus(resp.Status)
	}
	e.Status = resp.Status
	e.Method, e.Path = r.Method, r.Path
	// A server (or proxy) may echo the request headers in its error page.
	e.Message, e.Detail = c.redact(e.Message), c.redact(e.Detail)
	return e
}

func (c *Client) netErr(r Request, err error, unknown bool) *client.APIError {
	e := &client.APIError{Kind: client.ErrNetwork, Method: r.Method, Path: r.Path, Err: newRedactErr(err, c.cfg.Token)}
	switch {
	case errors.Is(err, errTooLarge):
		e.Kind = client.ErrServer
		e.Message = err.Error()
	case badTLS(err):
		e.Message = "TLS handshake failed, the server is not trusted (roster always verifies certificates): " + newRedactErr(err, c.cfg.Token).Error()
	case errors.Is(err, context.Canceled):
		e.Message = "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		e.Message = fmt.Sprintf("no answer within %s (--timeout)", c.cfg.Timeout)
	}
	if unknown {
		e.Kind = client.ErrOutcomeUnknown
		if e.Message == "" {
			e.Message = "connection lost"
		}
		e.Message += "; the change may or may not have been made: list again to check before retrying"
	}
	return e
}

// redactErr hides the token if a lower layer ever echoes it. The token
// sits in a closure, not a field, so that even %#v cannot print it.
type redactErr struct {
	err    error
	redact func(string) string
}

func newRedactErr(err error, token string) redactErr {
	return redactErr{err, func(s string) string {
		if token == "" {
			return s
		}
		return strings.ReplaceAll(s, token, "[redacted]")
	}}
}

func (r redactErr) Error() string { return r.redact(r.err.Error()) }
func (r redactErr) Unwrap() error { return r.err }

func (c *Client) redact(s string) string {
	if c.cfg.Token != "" {
		s = strings.ReplaceAll(s, c.cfg.Token, "[redacted]")
	}
	return s
}

func (c *Client) debugf(format string, args ...any) {
	if c.cfg.Debug == nil {
		return
	}
	fmt.Fprintln(c.cfg.Debug, "debug: "+c.redact(fmt.Sprintf(format, args...)))
}

// backoff: exponential with full jitter, 200 ms base, 5 s cap.
func backoff(try int) time.Duration {
	d := 200 * time.Millisecond << (try - 1)
	if d > 5*time.Second || d <= 0 {
		d = 5 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

// rateBackoff: 0.5, 1, 2, 4 s, cap 8 s, with jitter (Qomon's rule, polite
// for any server that sends 429 without Retry-After).
func rateBackoff(try int) time.Duration {
	d := 500 * time.Millisecond << (try - 1)
	if d > 8*time.Second || d <= 0 {
		d = 8 * time.Second
	}
	return d + rand.N(d/4+1)
}

// RetryAfter reads Retry-After (seconds or HTTP date), else
// x-ratelimit-reset-style hints are ignored; 0 means absent.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		d := time.Duration(n * float64(time.Second))
		if d > time.Minute {
			d = time.Minute
		}
		return d
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			return 0
		}
		if d > time.Minute {
			d = time.Minute
		}
		return d
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Limiter is a small token bucket: Rate requests per second with a burst.
type Limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// NewLimiter returns a bucket that starts full.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// Wait blocks until a request may be sent or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		if !l.last.IsZero() {
			l.tokens += now.Sub(l.last).Seconds() * l.rate
			if l.tokens > l.burst {
				l.tokens = l.burst
			}
		}
		l.last = now
		if l.tokens >= 1 {
			l.tokens--
			l.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		l.mu.Unlock()
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}
