package tui

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// field is one line of a detail view; values are sanitised on display.
type field struct{ K, V string }

// userFields lists every field of a user the provider filled in.
func userFields(u client.User) []field {
	var f []field
	add := func(k, v string) {
		if v != "" {
			f = append(f, field{k, v})
		}
	}
	add("id", u.ID)
	add("username", u.Username)
	add("display name", u.DisplayName)
	add("full name", u.FullName)
	add("first name", u.FirstName)
	add("last name", u.LastName)
	add("e-mail", u.Email)
	add("type", string(u.Type))
	if u.Role != nil {
		add("role", u.Role.Name)
		if u.Role.ID != u.Role.Name {
			add("role id", u.Role.ID)
		}
	}
	add("phone", u.Phone)
	if !u.Address.IsZero() {
		a := u.Address
		add("address", strings.Join(nonEmpty(strings.TrimSpace(a.Street+" "+a.HouseNumber), strings.TrimSpace(a.PostalCode+" "+a.City), a.Country), ", "))
		keys := make([]string, 0, len(a.Extra))
		for k := range a.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add("address "+k, a.Extra[k])
		}
	}
	add("locale", u.Locale)
	add("birthdate", dateOnly(u.Birthdate))
	add("status", strings.Join(u.Status, ", "))
	if u.TwoFactor {
		add("two-factor", "enabled")
	}
	if len(u.GroupIDs) > 0 {
		ids := make([]string, len(u.GroupIDs))
		for i, g := range u.GroupIDs {
			ids[i] = strconv.FormatInt(g, 10)
		}
		add("space ids", strings.Join(ids, ", "))
	}
	add("avatar", u.AvatarURL)
	add("created", stamp(u.CreatedAt))
	add("updated", stamp(u.UpdatedAt))
	return f
}

// memberFields lists a membership's fields.
func memberFields(m client.Member) []field {
	f := []field{{"member of", m.Organization}, {"user", m.User}}
	if m.Name != "" {
		f = append(f, field{"name", m.Name})
	}
	if m.Email != "" {
		f = append(f, field{"e-mail", m.Email})
	}
	f = append(f, field{"role", m.Role})
	if m.RoleID != "" && m.RoleID != m.Role {
		f = append(f, field{"role id", m.RoleID})
	}
	f = append(f, field{"public", yesNo(m.Public)})
	if m.Organization == "" {
		f = f[1:]
	}
	return f
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// dateOnly shows a date-time that is only a date (a birthdate) as the date,
// in the one format the TUI uses; other text as it came.
func dateOnly(v string) string {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	return v
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func nonEmpty(v ...string) []string {
	out := v[:0:0]
	for _, s := range v {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// detailScreen shows every field of one object: what the list had at once,
// then the server's full answer.
type detailScreen struct {
	base
	title   string
	head    []field // fields known up front (the membership)
	fields  []field
	copy    string
	fetch   func(ctx context.Context) ([]field, error)
	req     int
	loading bool
	offset  int
	part    detailPart // a section under the fields, loaded on its own
	// edit opens the role change of the object from its details (e),
	// through the list that opened them (parent); editWhy says why it
	// cannot. live gives fields as the list has them now, replacing the
	// same fields shown, so a change made from here shows at once.
	edit    func() tea.Cmd
	editWhy func() string
	parent  int
	live    func() []field
}

// editing lets e change the object from its details, through the list
// screen parent (its dialogs open over the details).
func (d *detailScreen) editing(parent int, edit func() tea.Cmd, why func() string, live func() []field) *detailScreen {
	d.parent, d.edit, d.editWhy, d.live = parent, edit, why, live
	return d
}

// opener is a screen opened by a list whose dialogs may open over it.
func (d *detailScreen) opener() int { return d.parent }

// detailPart is a section under a detail's fields with a request of its
// own (a user's projects), so a slow or failed one neither delays nor
// hides the fields.
type detailPart interface {
	reload(b *base) tea.Cmd
	update(c *Common, msg tea.Msg) bool // true: the message was its answer
	lines(c *Common, w int) []string
	busy() string
}

// with adds a section under the fields.
func (d *detailScreen) with(p detailPart) *detailScreen {
	d.part = p
	return d
}

type detailMsg struct {
	to
	req    int
	fields []field
	err    error
}

func newDetail(c *Common, title string, head, fields []field, copyText string, fetch func(context.Context) ([]field, error)) *detailScreen {
	return &detailScreen{base: newBase(c), title: title, head: head, fields: fields, copy: copyText, fetch: fetch}
}

func (d *detailScreen) Title() string { return d.title }
func (d *detailScreen) Copy() string  { return d.copy }
func (d *detailScreen) Init() tea.Cmd { return d.Reload() }
func (d *detailScreen) Busy() string {
	if d.loading {
		return "loading " + d.title + "…"
	}
	if d.part != nil {
		return d.part.busy()
	}
	return ""
}

func (d *detailScreen) Reload() tea.Cmd {
	var more tea.Cmd
	if d.part != nil {
		more = d.part.reload(&d.base)
	}
	if d.fetch == nil {
		return more
	}
	d.req = d.c.newID()
	d.loading = true
	ctx, cancel := d.reqCtx()
	req, id, fetch := d.req, d.id, d.fetch
	return tea.Batch(func() tea.Msg {
		defer cancel()
		f, err := fetch(ctx)
		return detailMsg{to{id}, req, f, err}
	}, more)
}

func (d *detailScreen) Update(msg tea.Msg) tea.Cmd {
	if d.part != nil && d.part.update(d.c, msg) {
		return nil
	}
	switch msg := msg.(type) {
	case detailMsg:
		if msg.req != d.req {
			return nil
		}
		d.loading = false
		if msg.err != nil {
			d.c.Fail(msg.err)
			return nil
		}
		d.fields = msg.fields
	case tea.KeyMsg:
		km := d.c.Keys
		switch {
		case km.Up.Matches(msg):
			d.offset = max(0, d.offset-1)
		case km.Down.Matches(msg):
			d.offset = min(max(0, d.lines()-d.h), d.offset+1)
		case km.Top.Matches(msg):
			d.offset = 0
		case km.Edit.Matches(msg) && d.edit != nil:
			return d.edit()
		}
	}
	return nil
}

func (d *detailScreen) lines() int {
	n := len(d.head) + len(d.fields)
	if len(d.head) > 0 {
		n++
	}
	if d.part != nil {
		n += 1 + len(d.part.lines(d.c, d.w))
	}
	return n
}

func (d *detailScreen) View() string {
	st := d.c.Styles
	var rows []string
	var now map[string]string
	if d.live != nil {
		now = map[string]string{}
		for _, f := range d.live() {
			now[f.K] = f.V
		}
	}
	emit := func(fs []field) {
		for _, f := range fs {
			if v, ok := now[f.K]; ok {
				f.V = v
			}
			rows = append(rows, st.Label.Render(fit(f.K, 14))+"  "+clip(san(f.V), d.w-16))
		}
	}
	emit(d.head)
	if len(d.head) > 0 {
		rows = append(rows, "")
	}
	emit(d.fields)
	if len(rows) == 0 {
		rows = append(rows, st.Dim.Render("loading…"))
	}
	if d.part != nil {
		rows = append(rows, "")
		rows = append(rows, d.part.lines(d.c, d.w)...)
	}
	end := min(len(rows), d.offset+d.h)
	return padLines(strings.Join(rows[min(d.offset, end):end], "\n"), d.h)
}

func (d *detailScreen) ShortHelp() []Hint {
	km := d.c.Keys
	h := []Hint{hint(km.Up, "", ""), hint(km.Down, "", "")}
	if e, ok := d.editHint(); ok {
		h = append(h, e)
	}
	return append(h, Hint{B: km.Copy, Desc: "copy"}, Hint{B: km.Back, Desc: "back"})
}

// editHint offers e where the details can change the role.
func (d *detailScreen) editHint() (Hint, bool) {
	if d.edit == nil {
		return Hint{}, false
	}
	why := ""
	if d.editWhy != nil {
		why = d.editWhy()
	}
	return hint(d.c.Keys.Edit, "change role", why), true
}

func (d *detailScreen) FullHelp() [][]Hint {
	km := d.c.Keys
	return [][]Hint{
		{hint(km.Up, "", ""), hint(km.Down, "", ""), hint(km.Top, "", "")},
		d.editHints(),
		{hint(km.Copy, "copy "+clip(san(d.copy), 40), d.copyReason()), hint(km.Reload, "", ""), hint(km.Back, "", "")},
	}
}

func (d *detailScreen) editHints() []Hint {
	if e, ok := d.editHint(); ok {
		return []Hint{e}
	}
	return nil
}

// copyReason: nothing to copy until the detail knows a value.
func (d *detailScreen) copyReason() string {
	if d.copy == "" {
		return "nothing to copy here"
	}
	return ""
}
