package session_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/audit"
	"github.com/roster-cli/roster/internal/session"
)

// world is one machine: a seeded fake, a config dir, a state dir for the
// audit log. Tokens go to credentials.toml (no keyring here).
func world(t *testing.T) (*qfctest.Server, map[string]string) {
	t.Helper()
	srv := qfctest.New(qfctest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	dir := t.TempDir()
	return srv, map[string]string{"ROSTER_CONFIG_DIR": dir + "/cfg", "XDG_STATE_HOME": dir + "/state", "HOME": dir}
}

func auditCount(t *testing.T, env map[string]string) int {
	t.Helper()
	path, err := audit.DefaultPath(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	got, err := audit.New(path, nil).Read(time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(got)
}

// The session a sign-in returns is audited (the first-run TUI sign-in
// once returned a bare client).
func TestLoginSessionIsAudited(t *testing.T) {
	t.Parallel()
	srv, env := world(t)
	o := session.New(session.Options{Getenv: func(k string) string { return env[k] }, HTTPClient: srv.HTTPClient(), Timeout: 10 * time.Second})
	ctx := context.Background()
	res, err := o.Login(ctx, session.LoginRequest{Kind: "qfieldcloud", URL: srv.URL(), Username: "demo", Password: "demo", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.Profile.Username != "demo" || res.Session.Source != "file" {
		t.Fatalf("session %+v", res.Session)
	}
	if _, err := res.Session.Provider.AddMember(ctx, "fieldops", client.MemberSpec{User: "ana"}); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, env); n != 1 {
		t.Fatalf("%d audit entries after one write", n)
	}
}

// A saved profile opened in each mode: audited, refused (nothing sent or
// recorded) under read-only, printed and neither sent nor recorded in a
// dry run.
func TestOpenWrapsOnce(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"plain", "read-only", "dry-run"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv, env := world(t)
			base := session.Options{Getenv: func(k string) string { return env[k] }, HTTPClient: srv.HTTPClient(), Timeout: 10 * time.Second}
			ctx := context.Background()
			if _, err := session.New(base).Login(ctx, session.LoginRequest{Kind: "qfieldcloud", URL: srv.URL(), Username: "demo", Password: "demo", Insecure: true}); err != nil {
				t.Fatal(err)
			}
			var printed bytes.Buffer
			opts := base
			switch mode {
			case "read-only":
				opts.ReadOnly = true
			case "dry-run":
				opts.DryRun = &printed
			}
			o := session.New(opts)
			p, err := o.Select("")
			if err != nil {
				t.Fatal(err)
			}
			s, err := o.Open(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			before := srv.Kit().CountWrites()
			_, err = s.Provider.AddMember(ctx, "fieldops", client.MemberSpec{User: "ana"})
			sent, recorded := srv.Kit().CountWrites()-before, auditCount(t, env)
			switch mode {
			case "plain":
				if err != nil || sent != 1 || recorded != 1 {
					t.Fatalf("err %v, sent %d, recorded %d", err, sent, recorded)
				}
			case "read-only":
				if !errors.Is(err, client.ErrReadOnly) || sent != 0 || recorded != 0 {
					t.Fatalf("err %v, sent %d, recorded %d", err, sent, recorded)
				}
			case "dry-run":
				if sent != 0 || recorded != 0 || !o.DryRun().Take() || printed.Len() == 0 {
					t.Fatalf("err %v, sent %d, recorded %d, printed %q", err, sent, recorded, printed.String())
				}
			}
		})
	}
}

func TestProfileName(t *testing.T) {
	t.Parallel()
	for kind, tc := range map[string][2]string{
		"qfieldcloud": {"https://app.qfield.cloud/api/v1/", "qfieldcloud"},
		"qomon":       {"http://127.0.0.1:8080", "qomon-127.0.0.1-8080"},
	} {
		if got := session.ProfileName(kind, tc[0]); got != tc[1] {
			t.Errorf("ProfileName(%s, %s) = %s, want %s", kind, tc[0], got, tc[1])
		}
	}
}
