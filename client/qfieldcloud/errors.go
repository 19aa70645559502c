package qfieldcloud

import (
	"errors"
	"fmt"

	"github.com/roster-cli/roster/client"
)

// explainer turns a server error into a cause a person can act on, and
// may correct its kind where the status is misleading (QFieldCloud says
// 403 for an unknown name). "" keeps the general explanation.
type explainer func(e *client.APIError) (why string, kind error)

// fail wraps err with what was being done, replacing the server's fixed
// message ("Permission denied") with a readable cause. errors.Is on the
// kinds and errors.As to *client.APIError keep working.
func fail(what string, err error, explain explainer) error {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return fmt.Errorf("%s: %w", what, err)
	}
	cp := *ae
	var why string
	var kind error
	if explain != nil && cp.Status != 0 {
		why, kind = explain(&cp)
	}
	if why == "" {
		why = general(&cp)
	}
	if why != "" {
		cp.Message = why
	}
	if kind != nil {
		cp.Kind = kind
	}
	return fmt.Errorf("%s: %w", what, &cp)
}

// general explains the codes that mean the same on every endpoint.
func general(e *client.APIError) string {
	switch e.Code {
	case "not_authenticated":
		return "not signed in (no token was sent): run roster auth login"
	case "authentication_failed":
		return "the server refused the credentials: run roster auth login"
	case "token_authentication_failed":
		return "the token is unknown or expired (signing out elsewhere expires it too): run roster auth login"
	case "too_many_failed_login_attempts":
		return "too many failed logins: wait 30 minutes"
	case "permission_denied_inactive", "inactive_subscription", "permission_denied_plan_insufficient":
		return "the organization's subscription does not allow this (" + e.Code + ")"
	case "organization_has_max_number_of_members":
		return "the organization has reached its plan's member limit"
	case "unknown_error":
		return "the server crashed on this request"
	}
	return ""
}

// is reports whether e has the status and code.
func is(e *client.APIError, status int, code string) bool {
	return e.Status == status && (code == "" || e.Code == code)
}

// noOrg explains the 403 QFieldCloud gives for an unknown organization on
// endpoints any signed-in person may read.
func noOrg(org string) explainer {
	return func(e *client.APIError) (string, error) {
		if is(e, 403, "permission_denied") {
			return fmt.Sprintf("no organization %s (names are case-sensitive)", org), client.ErrNotFound
		}
		return "", nil
	}
}

// adminOnly explains a 403 on a write: the caller is not an admin, or the
// organization does not exist (the server does not say which).
func adminOnly(org, what string) string {
	return fmt.Sprintf("only organization admins can change %s of %s (or %s does not exist)", what, org, org)
}

// badInput is a refusal before anything was sent.
func badInput(what, why string) error {
	return fmt.Errorf("%s: %s: %w", what, why, client.ErrBadInput)
}
