package qomon

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/roster-cli/roster/client"
)

// maxRawMessage bounds how much of a non-JSON error body is quoted.
const maxRawMessage = 200

// DecodeError turns a non-2xx answer into an *client.APIError (api §2.4):
// the kind comes from the HTTP status alone; the message is the body's
// detail, else title, else message, else the raw text, truncated. The
// body's status may be a number or a string and is never trusted.
func DecodeError(status int, _ http.Header, body []byte) *client.APIError {
	e := &client.APIError{Kind: client.KindForStatus(status), Status: status}
	var b struct {
		Detail  json.RawMessage `json:"detail"`
		Title   json.RawMessage `json:"title"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(body, &b) == nil {
		detail, title, msg := text(b.Detail), text(b.Title), text(b.Message)
		switch {
		case detail != "":
			e.Message, e.Detail = detail, title
		case title != "":
			e.Message = title
		case msg != "":
			e.Message = msg
		}
		if e.Message != "" {
			e.Message = truncate(e.Message)
			return e
		}
	}
	raw := strings.TrimSpace(string(body))
	if raw != "" && !looksLikeHTML(raw) && !strings.HasPrefix(raw, "{") {
		e.Message = truncate(raw)
	}
	if e.Message == "" {
		e.Message = defaultMessage(status)
	}
	return e
}

// text reads a JSON string (or any scalar) as text; objects are ignored.
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func looksLikeHTML(s string) bool {
	l := strings.ToLower(s[:min(len(s), 64)])
	return strings.HasPrefix(l, "<!doctype") || strings.HasPrefix(l, "<html") || strings.HasPrefix(l, "<")
}

func truncate(s string) string {
	if len(s) <= maxRawMessage {
		return s
	}
	cut := maxRawMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// defaultMessage explains a status when the body says nothing useful.
func defaultMessage(status int) string {
	switch {
	case status == 401:
		return "the token was refused (unknown, revoked or for another server): run roster auth login"
	case status == 403:
		return "your role in this space does not allow this"
	case status == 404:
		return "not found"
	case status == 429:
		return "rate limited by Qomon: wait a little and try again"
	case status >= 500:
		return fmt.Sprintf("Qomon server error (HTTP %d %s)", status, http.StatusText(status))
	}
	return fmt.Sprintf("request refused (HTTP %d %s)", status, http.StatusText(status))
}

// fail wraps err with what was being done ("adding bob to Nord: …").
func fail(what string, err error) error {
	return fmt.Errorf("%s: %w", what, err)
}

// badInput is a refusal before anything was sent.
func badInput(what, why string) error {
	return fmt.Errorf("%s: %s: %w", what, why, client.ErrBadInput)
}

// unsupported explains an action the Qomon API has no endpoint for.
func unsupported(action, hint string) error {
	msg := fmt.Sprintf("%s: qomon has no API for this", action)
	if hint != "" {
		msg += " (" + hint + ")"
	}
	return fmt.Errorf("%s: %w", msg, client.ErrUnsupported)
}

// isStatus reports whether err is an API error with one of the statuses.
func isStatus(err error, statuses ...int) bool {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, s := range statuses {
		if ae.Status == s {
			return true
		}
	}
	return false
}
