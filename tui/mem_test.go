package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// memProvider is a small in-memory client.Provider for model tests: it
// has organizations, members and teams, counts calls and can be told to
// refuse an operation.
type memProvider struct {
	client.Unsupported
	mu       sync.Mutex
	users    []client.User
	orgs     []client.Organization
	members  map[string][]client.Member
	teams    map[string][]client.Team
	fail     map[string]error
	calls    []string
	noCaps   map[client.Capability]bool
	pageSize int
}

func newMem() *memProvider {
	p := &memProvider{
		Unsupported: client.Unsupported{Provider: "memsrv"},
		members:     map[string][]client.Member{},
		teams:       map[string][]client.Team{},
		fail:        map[string]error{},
		noCaps:      map[client.Capability]bool{client.CapUserRole: true, client.CapTeamLeaders: true, client.CapTeamPrivate: true, client.CapInvitations: true, client.CapProjects: true},
		pageSize:    50,
	}
	people := [][3]string{
		{"demo", "Dana Moreau", "demo@example.org"},
		{"ana", "Ana Silva", "ana@example.org"},
		{"ben", "Ben Okafor", "ben@example.com"},
		{"chloe", "Chloé Dubois", "chloe@example.net"},
		{"elena", "Elena Petrova", "elena@example.com"},
		{"farid", "Farid Haddad", "farid@example.org"},
		{"quentin", "Quentin Blake", "quentin@example.org"},
	}
	for _, x := range people {
		p.users = append(p.users, client.User{ID: x[0], Username: x[0], FullName: x[1], Email: x[2], Type: client.AccountPerson})
	}
	p.orgs = []client.Organization{
		{Name: "fieldops", Owner: "demo", Email: "ops@example.org", MembershipRole: "admin", MembershipRoleOrigin: "organization_owner", Teams: []string{"surveyors"}},
		{Name: "city-parks", Owner: "ben", MembershipRole: "member", MembershipIsPublic: true},
	}
	p.members["fieldops"] = []client.Member{
		{Organization: "fieldops", User: "ana", Name: "Ana Silva", Email: "ana@example.org", Role: "member"},
		{Organization: "fieldops", User: "ben", Name: "Ben Okafor", Email: "ben@example.com", Role: "member", Public: true},
		{Organization: "fieldops", User: "demo", Name: "Dana Moreau", Email: "demo@example.org", Role: "admin"},
		{Organization: "fieldops", User: "elena", Name: "Elena Petrova", Email: "elena@example.com", Role: "admin"},
	}
	p.members["city-parks"] = []client.Member{
		{Organization: "city-parks", User: "ben", Name: "Ben Okafor", Email: "ben@example.com", Role: "admin"},
		{Organization: "city-parks", User: "demo", Name: "Dana Moreau", Email: "demo@example.org", Role: "member"},
	}
	p.teams["fieldops"] = []client.Team{
		{ID: "surveyors", Name: "surveyors", Organization: "fieldops", Members: []client.TeamMember{{User: "ana", Name: "Ana Silva", Email: "ana@example.org"}}},
		{ID: "botanists", Name: "botanists", Organization: "fieldops"},
	}
	return p
}

func (p *memProvider) Kind() string { return "memsrv" }
func (p *memProvider) Can(c client.Capability) bool {
	return !p.noCaps[c]
}

func (p *memProvider) call(op string) error {
	p.calls = append(p.calls, op)
	return p.fail[op]
}

func (p *memProvider) called(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.calls {
		if c == op {
			n++
		}
	}
	return n
}

func (p *memProvider) CurrentUser(context.Context) (client.User, error) { return p.users[0], nil }

func (p *memProvider) Users(ctx context.Context, q client.UserQuery, emit client.Emit[client.User]) error {
	p.mu.Lock()
	if err := p.call("Users"); err != nil {
		p.mu.Unlock()
		return err
	}
	var rows []client.User
	for _, u := range p.users {
		if strings.Contains(u.Username, q.Search) {
			rows = append(rows, u)
		}
	}
	if q.Limit > 0 && len(rows) > q.Limit {
		rows = rows[:q.Limit]
	}
	size := p.pageSize
	p.mu.Unlock()
	for len(rows) > 0 {
		n := min(size, len(rows))
		if err := emit(rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (p *memProvider) User(_ context.Context, id string) (client.User, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.users {
		if u.ID == id {
			return u, nil
		}
	}
	return client.User{}, fmt.Errorf("getting user %s: %w", id, client.ErrNotFound)
}

func (p *memProvider) Roles(context.Context) ([]client.Role, error) {
	return []client.Role{{ID: "admin", Name: "admin"}, {ID: "creator", Name: "creator"}, {ID: "member", Name: "member"}}, nil
}

func (p *memProvider) Organizations(context.Context) ([]client.Organization, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]client.Organization(nil), p.orgs...), p.call("Organizations")
}

func (p *memProvider) Members(_ context.Context, org string, emit client.Emit[client.Member]) error {
	p.mu.Lock()
	rows := append([]client.Member(nil), p.members[org]...)
	err := p.call("Members")
	p.mu.Unlock()
	if err != nil {
		return err
	}
	return emit(rows)
}

func (p *memProvider) AddMember(_ context.Context, org string, m client.MemberSpec) (client.Member, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("AddMember"); err != nil {
		return client.Member{}, err
	}
	got := client.Member{Organization: org, User: m.User, Role: "member"}
	for _, u := range p.users {
		if u.Username == m.User {
			got.Name, got.Email = u.FullName, u.Email
		}
	}
	p.members[org] = append(p.members[org], got)
	return got, nil
}

func (p *memProvider) UpdateMember(_ context.Context, org, user string, u client.MemberUpdate) (client.Member, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("UpdateMember"); err != nil {
		return client.Member{}, err
	}
	for i, m := range p.members[org] {
		if m.User == user {
			if u.Role != nil {
				m.Role = *u.Role
			}
			p.members[org][i] = m
			return m, nil
		}
	}
	return client.Member{}, client.ErrNotFound
}

func (p *memProvider) RemoveMember(_ context.Context, org, user string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("RemoveMember"); err != nil {
		return err
	}
	ms := p.members[org]
	for i, m := range ms {
		if m.User == user {
			p.members[org] = append(ms[:i:i], ms[i+1:]...)
			return nil
		}
	}
	return client.ErrNotFound
}

func (p *memProvider) Teams(_ context.Context, org string) ([]client.Team, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ts := append([]client.Team(nil), p.teams[org]...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return ts, p.call("Teams")
}

func (p *memProvider) Team(_ context.Context, org, team string) (client.Team, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.teams[org] {
		if t.ID == team {
			return t, nil
		}
	}
	return client.Team{}, client.ErrNotFound
}

func (p *memProvider) CreateTeam(_ context.Context, org string, s client.TeamSpec) (client.Team, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("CreateTeam"); err != nil {
		return client.Team{}, err
	}
	t := client.Team{ID: s.Name, Name: s.Name, Organization: org}
	p.teams[org] = append(p.teams[org], t)
	return t, nil
}

func (p *memProvider) RenameTeam(_ context.Context, org, team, name string) (client.Team, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("RenameTeam"); err != nil {
		return client.Team{}, err
	}
	for i, t := range p.teams[org] {
		if t.ID == team {
			t.ID, t.Name = name, name
			p.teams[org][i] = t
			return t, nil
		}
	}
	return client.Team{}, client.ErrNotFound
}

func (p *memProvider) DeleteTeam(_ context.Context, org, team string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("DeleteTeam"); err != nil {
		return err
	}
	ts := p.teams[org]
	for i, t := range ts {
		if t.ID == team {
			p.teams[org] = append(ts[:i:i], ts[i+1:]...)
			return nil
		}
	}
	return client.ErrNotFound
}

func (p *memProvider) AddTeamMember(_ context.Context, org, team, user string, _ bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("AddTeamMember"); err != nil {
		return err
	}
	for i, t := range p.teams[org] {
		if t.ID == team {
			p.teams[org][i].Members = append(t.Members, client.TeamMember{User: user})
			return nil
		}
	}
	return client.ErrNotFound
}

func (p *memProvider) RemoveTeamMember(_ context.Context, org, team, user string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.call("RemoveTeamMember"); err != nil {
		return err
	}
	for i, t := range p.teams[org] {
		if t.ID == team {
			var keep []client.TeamMember
			for _, x := range t.Members {
				if x.User != user {
					keep = append(keep, x)
				}
			}
			p.teams[org][i].Members = keep
			return nil
		}
	}
	return client.ErrNotFound
}

// harness drives the root model synchronously: it runs every command and
// feeds its message back, except spinner ticks (timers) which it drops.
type harness struct {
	t    *testing.T
	m    *Model
	quit bool
	// hold keeps messages instead of delivering them, to reorder answers.
	held []tea.Msg
	hold bool
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	if opts.Out == nil {
		opts.Out = &strings.Builder{}
	}
	h := &harness{t: t, m: newModel(opts)}
	t.Cleanup(h.m.cancel)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.run(h.m.Init())
	return h
}

func memSession(p client.Provider) *Session {
	return &Session{Profile: "test", Kind: p.Kind(), URL: "http://127.0.0.1/", Source: "env", Username: "demo", Provider: p}
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	for _, msg := range collect(cmd) {
		if h.hold {
			h.held = append(h.held, msg)
			continue
		}
		h.deliver(msg)
	}
}

func (h *harness) deliver(msg tea.Msg) {
	h.t.Helper()
	if _, ok := msg.(tea.QuitMsg); ok {
		h.quit = true
		return
	}
	h.send(msg)
}

// step delivers the held messages once, holding what they cause.
func (h *harness) step() {
	h.t.Helper()
	msgs := h.held
	h.held = nil
	for _, m := range msgs {
		h.send(m)
	}
}

// release delivers the held messages in order and stops holding.
func (h *harness) release() {
	h.t.Helper()
	msgs := h.held
	h.held, h.hold = nil, false
	for _, m := range msgs {
		h.deliver(m)
	}
}

// collect runs cmd and its batches, dropping spinner ticks.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collect(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

// typeText sends each rune as a key, as a terminal does.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (h *harness) view() string { return h.m.View() }

func (h *harness) mustSee(want ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			h.t.Fatalf("view lacks %q:\n%s", w, v)
		}
	}
}

func (h *harness) mustNotSee(bad ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range bad {
		if strings.Contains(v, w) {
			h.t.Fatalf("view has %q:\n%s", w, v)
		}
	}
}

func (h *harness) topTitle() string { return h.m.top().Title() }
