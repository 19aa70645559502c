package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Dialogs are screens pushed on the stack: they capture every key but
// ctrl+c, esc closes them, and their answer goes back to the screen that
// opened them as a routed message (popMsg.then).

// dialogBox centres a bordered box in the body.
func dialogBox(c *Common, w, h int, body string) string {
	box := c.Styles.Dialog.Render(body)
	return lipgloss.Place(max(w, 1), max(h, 1), lipgloss.Center, lipgloss.Center, box)
}

// confirmDialog asks before something destructive. Cancel has the focus
// when it opens, so enter on the default does nothing harmful.
type confirmDialog struct {
	base
	title, text, action string
	keep                string // the safe button, named by its effect ("Keep")
	focus               int    // 0 = the safe button, 1 = the action
	yes                 tea.Msg
}

func newConfirm(c *Common, title, text, action string, yes tea.Msg) *confirmDialog {
	return &confirmDialog{base: newBase(c), title: title, text: text, action: action, keep: "Cancel", yes: yes}
}

// keeping names the safe button by what it does ("Keep" an invitation
// rather than "Cancel" a cancellation).
func (d *confirmDialog) keeping(label string) *confirmDialog {
	d.keep = label
	return d
}

func (d *confirmDialog) Title() string   { return d.title }
func (d *confirmDialog) Capturing() bool { return true }

func (d *confirmDialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	// No wrap: left (or shift+tab) always lands on the safe button, so a
	// press too many never reaches the action.
	switch k.String() {
	case "left", "h", "shift+tab":
		d.focus = 0
	case "right", "l", "tab":
		d.focus = 1
	case "esc":
		d.c.Toast("cancelled")
		return d.pop(nil)
	case "enter":
		if d.focus == 0 {
			d.c.Toast("cancelled")
			return d.pop(nil)
		}
		return d.pop(d.yes)
	}
	return nil
}

func (d *confirmDialog) View() string {
	st := d.c.Styles
	btn := func(label string, focused bool) string {
		if focused {
			return st.ButtonFocused.Render("[› " + label + " ]")
		}
		return st.Button.Render("[  " + label + " ]")
	}
	inner := max(20, min(d.w-6, 60))
	body := st.Head.Render(clip(d.title, inner)) + "\n\n" +
		lipgloss.NewStyle().Width(inner).Render(d.text) + "\n\n" +
		btn(d.keep, d.focus == 0) + "  " + btn(d.action, d.focus == 1)
	return dialogBox(d.c, d.w, d.h, body)
}

func (d *confirmDialog) ShortHelp() []Hint {
	return []Hint{
		{B: bind([]string{"left", "right"}, "←/→", ""), Desc: "choose"},
		{B: d.c.Keys.Open, Desc: "confirm choice"},
		{B: d.c.Keys.Back, Desc: "cancel"},
	}
}
func (d *confirmDialog) FullHelp() [][]Hint { return [][]Hint{d.ShortHelp()} }

// option is one line of a picker.
type option struct {
	Label, Value, Desc string
}

// pickerDialog chooses one option (a role, a profile).
type pickerDialog struct {
	base
	title   string
	opts    []option
	cursor  int
	current int // the option in force now (marked), -1 = none
	pick    func(option) tea.Msg
}

// newPicker opens on current, the value in force; markCurrent marks it
// "current" (a role), otherwise it is only the preselected default.
func newPicker(c *Common, title string, opts []option, current string, pick func(option) tea.Msg) *pickerDialog {
	p := &pickerDialog{base: newBase(c), title: title, opts: opts, pick: pick, current: -1}
	for i, o := range opts {
		if o.Value == current {
			p.cursor = i
		}
	}
	return p
}

// markCurrent marks the option the cursor opened on as the one in force.
func (p *pickerDialog) markCurrent() *pickerDialog {
	if len(p.opts) > 0 {
		p.current = p.cursor
	}
	return p
}

func (p *pickerDialog) Title() string   { return p.title }
func (p *pickerDialog) Capturing() bool { return true }

func (p *pickerDialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	km := p.c.Keys
	switch {
	case km.Up.Matches(k):
		p.cursor = max(0, p.cursor-1)
	case km.Down.Matches(k):
		p.cursor = min(len(p.opts)-1, p.cursor+1)
	case km.Top.Matches(k):
		p.cursor = 0
	case km.Bottom.Matches(k):
		p.cursor = len(p.opts) - 1
	case km.Back.Matches(k):
		p.c.Toast("cancelled")
		return p.pop(nil)
	case km.Open.Matches(k):
		if len(p.opts) == 0 {
			return p.pop(nil)
		}
		return p.pop(p.pick(p.opts[p.cursor]))
	}
	return nil
}

func (p *pickerDialog) View() string {
	st := p.c.Styles
	inner := max(20, min(p.w-6, 70))
	// Labels padded to the longest, so descriptions form one column.
	lw := 0
	for _, o := range p.opts {
		lw = max(lw, lipgloss.Width(o.Label))
	}
	lw = min(lw, inner/2)
	lines := []string{st.Head.Render(clip(p.title, inner)), ""}
	// Only a window around the cursor, so long lists fit; a marker says
	// when options are out of view.
	room := max(1, p.h-6)
	start := max(0, min(p.cursor-room/2, len(p.opts)-room))
	end := min(len(p.opts), start+room)
	if start > 0 || end < len(p.opts) {
		room = max(1, room-1) // one line for the marker
		start = max(0, min(p.cursor-room/2, len(p.opts)-room))
		end = min(len(p.opts), start+room)
	}
	for i := start; i < end; i++ {
		o := p.opts[i]
		mark := "  "
		if i == p.cursor {
			mark = "› "
		}
		line := mark + fit(o.Label, lw)
		if p.current >= 0 {
			cur := ""
			if i == p.current {
				cur = "current"
			}
			line += "  " + fit(cur, 7)
		}
		if o.Desc != "" {
			line += "  " + st.Desc.Render(o.Desc)
		}
		line = clip(strings.TrimRight(line, " "), inner)
		if i == p.cursor {
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	if start > 0 || end < len(p.opts) {
		var more []string
		if start > 0 {
			more = append(more, fmt.Sprintf("↑ %d more", start))
		}
		if end < len(p.opts) {
			more = append(more, fmt.Sprintf("↓ %d more", len(p.opts)-end))
		}
		lines = append(lines, st.Dim.Render(clip(strings.Join(more, " · "), inner)))
	}
	return dialogBox(p.c, p.w, p.h, strings.Join(lines, "\n"))
}

func (p *pickerDialog) ShortHelp() []Hint {
	km := p.c.Keys
	return []Hint{hint(km.Up, "", ""), hint(km.Down, "", ""), {B: km.Open, Desc: "choose"}, {B: km.Back, Desc: "cancel"}}
}
func (p *pickerDialog) FullHelp() [][]Hint { return [][]Hint{p.ShortHelp()} }

// suggestFunc looks up completions for what was typed (server search).
type suggestFunc func(ctx context.Context, q string) ([]string, error)

// suggestDelay debounces lookups while typing.
const suggestDelay = 150 * time.Millisecond

type suggestTickMsg struct {
	to
	req int
}

type suggestionsMsg struct {
	to
	req  int
	list []string
	err  error
}

// inputDialog asks for one line of text (a username to add, a team name),
// optionally with suggestions from a server search as the user types.
type inputDialog struct {
	base
	title   string
	input   lineInput
	suggest suggestFunc
	submit  func(string) tea.Msg
	check   func(string) string // what is wrong with a value, "" = fine
	problem string

	req      int
	inflight bool
	sugs     []string
	sugCur   int // -1 = the typed text
	cancel   context.CancelFunc
}

func newInput(c *Common, title, label, value string, suggest suggestFunc, submit func(string) tea.Msg) *inputDialog {
	ti := lineInput{Prompt: label + ": ", Limit: 200}
	ti.SetValue(value)
	return &inputDialog{base: newBase(c), title: title, input: ti, suggest: suggest, submit: submit, sugCur: -1}
}

// validating checks the value on enter: a problem is shown under the
// field and the dialog stays open with the text as typed, so it can be
// corrected instead of retyped after a failed request.
func (d *inputDialog) validating(check func(string) string) *inputDialog {
	d.check = check
	return d
}

func (d *inputDialog) Title() string   { return d.title }
func (d *inputDialog) Capturing() bool { return true }
func (d *inputDialog) Typing() bool    { return true }
func (d *inputDialog) Busy() string {
	if d.inflight {
		return "looking up suggestions…"
	}
	return ""
}

func (d *inputDialog) Init() tea.Cmd {
	if d.suggest != nil && d.input.Value() != "" {
		return d.schedule()
	}
	return nil
}

func (d *inputDialog) schedule() tea.Cmd {
	d.req = d.c.newID()
	req, id := d.req, d.id
	return tea.Tick(suggestDelay, func(time.Time) tea.Msg { return suggestTickMsg{to{id}, req} })
}

func (d *inputDialog) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case suggestTickMsg:
		if msg.req != d.req {
			return nil // typed on since: a newer tick is coming
		}
		q := d.input.Value()
		if strings.TrimSpace(q) == "" {
			d.sugs, d.sugCur = nil, -1
			return nil
		}
		if d.cancel != nil {
			d.cancel()
		}
		ctx, cancel := d.reqCtx()
		d.cancel = cancel
		d.inflight = true
		req, id, fn := d.req, d.id, d.suggest
		return func() tea.Msg {
			defer cancel()
			list, err := fn(ctx, q)
			return suggestionsMsg{to{id}, req, list, err}
		}
	case suggestionsMsg:
		if msg.req != d.req {
			return nil // an answer to an older query
		}
		d.inflight = false
		if msg.err != nil {
			d.c.Fail(msg.err)
			return nil
		}
		// The best suggestion is highlighted, so enter takes it: the
		// one typed exactly, else the first. ↑ past the first goes back
		// to the text as typed.
		d.sugs = msg.list
		d.sugCur = -1
		if len(d.sugs) > 0 {
			d.sugCur = 0
			for i, v := range d.sugs {
				if strings.EqualFold(v, strings.TrimSpace(d.input.Value())) {
					d.sugCur = i
					break
				}
			}
		}
		return nil
	case tea.KeyMsg:
		switch msg.String() {
		case "esc":
			d.c.Toast("cancelled")
			return d.pop(nil)
		case "up":
			if len(d.sugs) > 0 {
				d.sugCur = max(-1, d.sugCur-1)
			}
			return nil
		case "down":
			if len(d.sugs) > 0 {
				d.sugCur = min(len(d.sugs)-1, d.sugCur+1)
			}
			return nil
		case "tab":
			// Complete the text with the highlighted suggestion (the
			// first when none is), and look again from there.
			if len(d.sugs) > 0 {
				d.input.SetValue(d.sugs[max(0, d.sugCur)])
				d.problem = ""
				return d.schedule()
			}
			return nil
		case "enter":
			v := strings.TrimSpace(d.input.Value())
			if d.sugCur >= 0 && d.sugCur < len(d.sugs) {
				v = d.sugs[d.sugCur]
			}
			if v == "" {
				d.problem = "type a value, or esc to cancel"
				return nil
			}
			if d.check != nil {
				if p := d.check(v); p != "" {
					d.problem = p
					return nil
				}
			}
			return d.pop(d.submit(v))
		}
		before := d.input.Value()
		d.input.Update(msg)
		d.problem = ""
		if d.suggest != nil && d.input.Value() != before {
			// The suggestions are for older text until the new lookup
			// answers: enter sends what is typed meanwhile.
			d.sugCur = -1
			return d.schedule()
		}
		return nil
	}
	return nil
}

func (d *inputDialog) View() string {
	st := d.c.Styles
	inner := max(24, min(d.w-6, 60))
	lines := []string{st.Head.Render(clip(d.title, inner)), "", d.input.View(inner, true)}
	if d.problem != "" {
		for _, l := range strings.Split(wrapText(d.problem, inner), "\n") {
			lines = append(lines, st.Error.Render(l))
		}
	}
	if d.suggest != nil && d.sugCur >= 0 && d.sugCur < len(d.sugs) {
		lines = append(lines, st.Dim.Render(clip("enter takes: "+san(d.sugs[d.sugCur]), inner)))
	}
	if len(d.sugs) > 0 {
		lines = append(lines, "", st.Label.Render("suggestions (↑/↓ choose, tab completes):"))
		room := max(1, min(len(d.sugs), d.h-10))
		for i, v := range d.sugs[:room] {
			mark := "  "
			if i == d.sugCur {
				mark = "› "
			}
			line := clip(mark+san(v), inner)
			if i == d.sugCur {
				line = st.Selected.Render(line)
			}
			lines = append(lines, line)
		}
	}
	return dialogBox(d.c, d.w, d.h, strings.Join(lines, "\n"))
}

func (d *inputDialog) ShortHelp() []Hint {
	km := d.c.Keys
	h := []Hint{{B: km.Open, Desc: "ok"}, {B: km.Back, Desc: "cancel"}}
	if d.suggest != nil {
		h = append(h, Hint{B: bind([]string{"up", "down"}, "↑/↓", ""), Desc: "pick a suggestion"},
			Hint{B: bind([]string{"tab"}, "tab", ""), Desc: "complete"})
	}
	return h
}
func (d *inputDialog) FullHelp() [][]Hint { return [][]Hint{d.ShortHelp()} }
func (d *inputDialog) Close() {
	if d.cancel != nil {
		d.cancel()
	}
	d.base.Close()
}
