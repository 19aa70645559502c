package client_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/roster-cli/roster/client"
)

// trap is a provider that fails the test if any call reaches it: its
// embedded Provider is nil, so every method not defined here panics, and
// the panic is caught and reported by the caller below.
type trap struct {
	client.Provider
	t *testing.T
}

func (tr trap) Kind() string { return "trap" }

// ModifyTeam makes trap a ConditionalTeamWriter, as Qomon is: the
// read-only wrapper must not let a caller reach it by a type assertion.
func (tr trap) ModifyTeam(context.Context, string, *client.Team, client.TeamChange) (client.Team, error) {
	tr.t.Error("ModifyTeam reached the provider through ReadOnly")
	return client.Team{}, nil
}

// reads are the Provider methods that send no change; every other method
// is a write and must be refused.
var reads = []string{
	"Kind", "Can", "CurrentUser", "Logout",
	"Users", "User", "Roles", "Organizations", "Organization",
	"Members", "Member", "Teams", "Team", "Invitations",
	"Projects", "Project", "Collaborators",
}

// writes is the known list, so that a new Provider method is classified on
// purpose rather than forwarded by accident.
var writes = []string{
	"SetUserRole", "AddMember", "UpdateMember", "RemoveMember",
	"CreateTeam", "RenameTeam", "DeleteTeam", "AddTeamMember", "RemoveTeamMember",
	"SetTeamPrivate", "Invite", "CancelInvitation",
	"AddCollaborator", "SetCollaboratorRole", "RemoveCollaborator",
}

func TestReadOnlyRefusesEveryWrite(t *testing.T) {
	t.Parallel()
	iface := reflect.TypeFor[client.Provider]()
	ro := client.ReadOnly(trap{t: t})
	if !client.IsReadOnly(ro) || client.IsReadOnly(trap{t: t}) {
		t.Fatal("IsReadOnly is wrong")
	}
	if _, ok := ro.(client.ConditionalTeamWriter); ok {
		t.Error("ReadOnly(p) exposes ModifyTeam: a conditional team write would bypass it")
	}
	v := reflect.ValueOf(ro)
	tested := 0
	for i := range iface.NumMethod() {
		m := iface.Method(i)
		if slices.Contains(reads, m.Name) {
			continue
		}
		if !slices.Contains(writes, m.Name) {
			t.Errorf("Provider.%s is new: add it to reads or writes here (and to ReadOnly if it writes)", m.Name)
			continue
		}
		tested++
		t.Run(m.Name, func(t *testing.T) {
			fn := v.MethodByName(m.Name)
			args := make([]reflect.Value, fn.Type().NumIn())
			for j := range args {
				at := fn.Type().In(j)
				if at == reflect.TypeFor[context.Context]() {
					args[j] = reflect.ValueOf(context.Background())
				} else {
					args[j] = reflect.Zero(at)
				}
			}
			var out []reflect.Value
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s reached the wrapped provider (%v): ReadOnly must refuse it first", m.Name, r)
					}
				}()
				out = fn.Call(args)
			}()
			err, _ := out[len(out)-1].Interface().(error)
			if !errors.Is(err, client.ErrReadOnly) {
				t.Fatalf("%s: got %v, want ErrReadOnly", m.Name, err)
			}
			if err.Error() == client.ErrReadOnly.Error() {
				t.Errorf("%s: %q does not say what was refused", m.Name, err)
			}
		})
	}
	if tested != len(writes) {
		t.Errorf("tested %d writes, know %d: a write method left Provider?", tested, len(writes))
	}
}

// Reads still pass through the wrapper.
func TestReadOnlyForwardsReads(t *testing.T) {
	t.Parallel()
	ro := client.ReadOnly(trap{t: t})
	if ro.Kind() != "trap" {
		t.Fatalf("Kind() = %q", ro.Kind())
	}
	// A read the trap does not define reaches it (and panics on the nil
	// Provider): proof that reads are forwarded, not refused.
	defer func() {
		if recover() == nil {
			t.Fatal("Users was not forwarded to the provider")
		}
	}()
	ro.Users(context.Background(), client.UserQuery{}, nil)
}
