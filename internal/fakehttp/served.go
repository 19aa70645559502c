package fakehttp

import (
	"net/http"
	"net/http/httptest"
)

// Served is a fake server's handler behind a Kit, either on a loopback
// port or in memory only (no socket: `roster --demo`). Both fake servers
// embed it for URL, HTTPClient, Handler, Kit and Close.
type Served struct {
	kit     *Kit
	handler http.Handler
	srv     *httptest.Server
	url     string
}

// Serve starts h behind a new Kit. With inMemoryURL != "" no socket is
// opened and URL() is inMemoryURL; otherwise URL() is the loopback
// server's address followed by path.
func Serve(h http.Handler, inMemoryURL, path string) *Served {
	s := &Served{kit: &Kit{}, handler: h}
	if inMemoryURL != "" {
		s.url = inMemoryURL
		return s
	}
	s.srv = httptest.NewServer(s.kit.Wrap(h))
	s.url = s.srv.URL + path
	return s
}

// URL is the server's base URL.
func (s *Served) URL() string { return s.url }

// HTTPClient returns a client that reaches the server in memory, without
// a socket, through the kit (latency and faults apply).
func (s *Served) HTTPClient() *http.Client {
	return &http.Client{Transport: s.kit.Transport(s.handler)}
}

// Handler is the bare handler, without the kit.
func (s *Served) Handler() http.Handler { return s.handler }

// Kit gives access to latency, the request log and fault injection.
func (s *Served) Kit() *Kit { return s.kit }

// Close releases stalled requests and stops the listener.
func (s *Served) Close() {
	s.kit.Close()
	if s.srv != nil {
		s.srv.Close()
	}
}
