package client

// InputChecker is implemented by providers that can refuse a write's
// input without asking the server (a role it does not have). Callers
// check before their first request, reads included, so bad input sends
// nothing (the CLI exits 2).
type InputChecker interface {
	CheckMemberSpec(org string, m MemberSpec) error
	CheckMemberUpdate(org, user string, u MemberUpdate) error
	CheckMemberRemove(org, user string) error
}

// CheckMemberSpec applies p's local rules to a new membership; nil when p
// has none. Wrappers (audit, read-only) are looked through.
func CheckMemberSpec(p Provider, org string, m MemberSpec) error {
	if c, ok := Innermost(p).(InputChecker); ok {
		return c.CheckMemberSpec(org, m)
	}
	return nil
}

// CheckMemberUpdate applies p's local rules to a membership change.
func CheckMemberUpdate(p Provider, org, user string, u MemberUpdate) error {
	if c, ok := Innermost(p).(InputChecker); ok {
		return c.CheckMemberUpdate(org, user, u)
	}
	return nil
}

// CheckMemberRemove applies p's local rules to a removal.
func CheckMemberRemove(p Provider, org, user string) error {
	if c, ok := Innermost(p).(InputChecker); ok {
		return c.CheckMemberRemove(org, user)
	}
	return nil
}
