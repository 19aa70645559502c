package client

import (
	"io"
	"net/http"
	"time"
)

// Config is what a provider client is built from. The caller resolves it
// (profile, env, keyring); the client never reads the environment.
type Config struct {
	URL        string        // base URL; normalised by the provider
	Token      string        // may be empty for a login client
	HTTPClient *http.Client  // nil: a private client with safe defaults
	Timeout    time.Duration // per request attempt; 0 = 30 s
	MaxBody    int64         // response body cap in bytes; 0 = rest.DefaultMaxBody
	Debug      io.Writer     // request log with the token redacted; nil = off
	Version    string        // roster's version, for the User-Agent
	// Username of the signed-in account, when known (saves a request on
	// QFieldCloud, whose organization list is per user).
	Username string
}
