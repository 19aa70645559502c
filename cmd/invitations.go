package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newInvitationsCmd() *cobra.Command {
	c := groupCmd("invitations", "List, send and cancel invitations (Qomon)")
	var lo outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List invitations",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.invitationsList(c.Context(), lo)
		}),
	}
	addJSONFlag(list, &lo)

	var role string
	send := &cobra.Command{
		Use:   "send EMAIL...",
		Short: "Invite people by e-mail (they enter their names themselves)",
		Args:  argsBetween(1, -1, "EMAIL..."),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.invitationsSend(c.Context(), args, role)
		}),
	}
	send.Flags().StringVar(&role, "role", "", "role of the invitees: a role name or role_id (default: the space's default role)")

	var yes bool
	cancel := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a pending invitation (asks first; --yes without a terminal)",
		Args:  argsBetween(1, 1, "ID"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.invitationsCancel(c.Context(), args[0], yes)
		}),
	}
	cancel.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	addDryRunFlag(send, &a.dryRunFlag)
	addDryRunFlag(cancel, &a.dryRunFlag)
	c.AddCommand(list, send, cancel)
	return c
}

func (a *app) invitationsList(ctx context.Context, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	if err := s.require(client.CapInvitations, "listing invitations"); err != nil {
		return err
	}
	invs, err := s.prov.Invitations(ctx)
	when := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04") }
	cols := []column[client.Invitation]{
		{"ID", "id", func(i client.Invitation) string { return i.ID }},
		{"EMAIL", "email", func(i client.Invitation) string { return i.Email }},
		{"ROLE", "role", func(i client.Invitation) string { return orID(i.RoleName, i.RoleID) }},
		{"SENT", "last_sent", func(i client.Invitation) string {
			if i.LastSent == nil {
				return ""
			}
			return when(i.LastSent.UTC())
		}},
		{"ACCEPTED BY", "user_id", func(i client.Invitation) string { return i.UserID }},
	}
	if err := printList(a, f, "invitations", cols, all(invs, err)); err != nil {
		return wrap("listing invitations", err)
	}
	return nil
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func (a *app) invitationsSend(ctx context.Context, emails []string, role string) error {
	if err := a.writeGuard("sending invitations"); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	if err := s.require(client.CapInvitations, "sending invitations"); err != nil {
		return err
	}
	// One request per address, so each gets its own result.
	return a.eachTarget(emails, func(e string) (string, error) {
		got, err := s.prov.Invite(ctx, []client.InvitationSpec{{Email: e, Role: role}})
		if err = a.write(err); err != nil {
			return "", err
		}
		if len(got) > 0 && got[0].UserID != "" && got[0].UserID != "0" {
			return fmt.Sprintf("%s already has an account: added to the space (user %s)", quote(e), got[0].UserID), nil
		}
		if len(got) > 0 && got[0].ID != "" {
			return fmt.Sprintf("Invited %s (invitation %s)", quote(e), got[0].ID), nil
		}
		return fmt.Sprintf("Invited %s", quote(e)), nil
	}, func(e string) string { return "inviting " + quote(e) })
}

func (a *app) invitationsCancel(ctx context.Context, id string, yes bool) error {
	action := "cancelling invitation " + quote(id)
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	if err := s.require(client.CapInvitations, action); err != nil {
		return err
	}
	if err := a.confirm(yes, "Cancel invitation "+quote(id)); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if err := a.write(s.prov.CancelInvitation(ctx, id)); err != nil {
		return wrap(action, err)
	}
	a.done("Cancelled invitation %s", quote(id))
	return nil
}
