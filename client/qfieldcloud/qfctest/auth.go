package qfctest

import (
	"net"
	"net/http"
	"strings"
)

// clientType derives a token's client type from the User-Agent (api §2.4).
func clientType(ua string) string {
	l := strings.ToLower(ua)
	switch {
	case strings.HasPrefix(l, "qfield|"):
		return "qfield"
	case strings.HasPrefix(l, "sdk|"):
		return "sdk"
	case strings.HasPrefix(l, "cli|"):
		return "cli"
	case strings.Contains(ua, "QGIS/3"):
		return "qfieldsync"
	case strings.HasPrefix(ua, "Mozilla/"):
		return "browser"
	}
	return "unknown"
}

func (s *Server) login(c *call) {
	if c.r.Method != http.MethodPost {
		if c.me == nil {
			s.needAuth(c)
			return
		}
		s.notAllowed(c)
		return
	}
	// A token sent along was already checked (a stale one is a 401); a
	// valid one does not matter.
	if !s.parseBody(c) {
		return
	}
	password, hasPw := c.str("password")
	if !hasPw {
		s.fail(c.w, 400, "api_error", map[string]any{"password": []string{"This field is required."}})
		return
	}
	email, _ := c.str("email")
	username, _ := c.str("username")
	login := username
	if email != "" {
		login = email
	}
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		host = c.r.RemoteAddr
	}
	key := strings.ToLower(login) + "|" + host
	if s.lockout > 0 && s.failures[key] >= s.lockout {
		s.fail(c.w, 401, "too_many_failed_login_attempts", "Account locked: too many login attempts. Contact an admin to unlock your account.")
		return
	}
	var a *account
	switch {
	case email != "":
		for _, x := range s.accounts {
			if x.typ == 1 && strings.EqualFold(x.email, email) {
				a = x
				break
			}
		}
	case username != "":
		// Usernames are unique regardless of case, so this finds one.
		if x := s.accounts[s.folded[strings.ToLower(username)]]; x != nil && x.typ == 1 {
			a = x
		}
	}
	if a == nil || a.inactive || a.password != password {
		s.failures[key]++
		s.fail(c.w, 401, "authentication_failed", "Unable to log in with provided credentials.")
		return
	}
	delete(s.failures, key)
	ct := clientType(c.r.Header.Get("User-Agent"))
	switch ct {
	case "qfield", "qfieldsync", "unknown":
		// A new token of these types replaces the older ones (api §2.4).
		s.expireTokens(a.username, ct)
	}
	k := s.mint(a.username, ct)
	writeJSON(c.w, 200, map[string]any{
		"token":      k,
		"expires_at": s.tokens[k].expires.Format("2006-01-02T15:04:05.000000-07:00"),
		"username":   a.username,
		"type":       "1",
		"email":      a.email,
		"avatar_url": nil,
		"first_name": a.first,
		"last_name":  a.last,
		"full_name":  a.fullName(),
	})
}

func (s *Server) logout(c *call) {
	if c.r.Method != http.MethodPost && c.r.Method != http.MethodGet {
		s.notAllowed(c)
		return
	}
	if c.me != nil {
		s.expireTokens(c.me.username, "")
	}
	writeJSON(c.w, 200, map[string]any{"detail": "Successfully logged out."})
}

func selfJSON(a *account) map[string]any {
	return map[string]any{
		"username": a.username, "type": 1, "full_name": a.fullName(), "email": a.email,
		"avatar_url": nil, "first_name": a.first, "last_name": a.last,
	}
}

func (s *Server) authUser(c *call) {
	if !s.needAuth(c) {
		return
	}
	if c.r.Method != http.MethodGet {
		s.notAllowed(c)
		return
	}
	writeJSON(c.w, 200, selfJSON(c.me))
}
