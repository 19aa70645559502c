package client

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel kinds. An *APIError matches exactly one of them with errors.Is.
var (
	ErrUnauthenticated = errors.New("not authenticated")
	ErrForbidden       = errors.New("permission denied")
	ErrNotFound        = errors.New("not found")
	ErrInvalid         = errors.New("invalid request")
	ErrLimitReached    = errors.New("limit reached")
	ErrRateLimited     = errors.New("rate limited")
	ErrServer          = errors.New("server error")
	ErrNetwork         = errors.New("network error")
	// ErrUnsupported: the provider has no API for this action.
	ErrUnsupported = errors.New("not supported by this provider")
	// ErrReadOnly: the client was built read-only and refused a write
	// before sending anything.
	ErrReadOnly = errors.New("read-only mode: writes are disabled")
	// ErrConflict: the object changed on the server between roster's read
	// and its write; nothing was written.
	ErrConflict = errors.New("changed on the server meanwhile")
	// ErrOutcomeUnknown: a write was sent but its answer was lost (timeout,
	// connection reset). It may or may not have been applied.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrBadInput: the caller's input was refused before anything was sent
	// (unknown role, invalid team name, …). The CLI exits 2 on it.
	ErrBadInput = errors.New("bad input")
)

// APIError is an error answer from a server, or a failure to get one.
type APIError struct {
	Kind    error  // one of the sentinels above
	Status  int    // HTTP status, 0 for network errors
	Code    string // server error code (QFieldCloud "code"), if any
	Message string // server message, sanitised of nothing: callers sanitise on output
	Detail  string // extra detail (QFieldCloud debug.detail, Qomon title), if any
	Method  string
	Path    string // request path without query
	Err     error  // underlying error for network failures
}

func (e *APIError) Error() string {
	var b strings.Builder
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Kind.Error())
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Kind.Error())
	}
	if e.Detail != "" && e.Detail != e.Message {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " [HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		b.WriteString("]")
	}
	return b.String()
}

// Is lets errors.Is(err, client.ErrForbidden) work.
func (e *APIError) Is(target error) bool { return target == e.Kind }

// Unwrap exposes the network error, if any.
func (e *APIError) Unwrap() error { return e.Err }

// KindForStatus maps an HTTP status to an error kind.
func KindForStatus(status int) error {
	switch {
	case status == 401:
		return ErrUnauthenticated
	case status == 403:
		return ErrForbidden
	case status == 404 || status == 410:
		return ErrNotFound
	case status == 429:
		return ErrRateLimited
	case status >= 400 && status < 500:
		return ErrInvalid
	default:
		return ErrServer
	}
}

// PartialError reports a multi-target operation where some targets failed.
type PartialError struct {
	Done   []string
	Failed map[string]error
	Order  []string // failed targets in the order tried
}

func (e *PartialError) Error() string {
	var parts []string
	for _, t := range e.Order {
		parts = append(parts, fmt.Sprintf("%s: %v", t, e.Failed[t]))
	}
	return fmt.Sprintf("%d of %d failed: %s", len(e.Order), len(e.Order)+len(e.Done), strings.Join(parts, "; "))
}
