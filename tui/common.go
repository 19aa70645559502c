package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/sanitize"
)

// Common is what every screen shares: the app context, size, styles,
// keymap, session and the status line it reports to. Screens change the
// status only from Update, which runs on the one UI goroutine.
type Common struct {
	Ctx      context.Context
	Width    int
	Height   int // body height
	Styles   *Styles
	Keys     *KeyMap
	ReadOnly bool
	Session  *Session
	Timeout  time.Duration

	nextID int
	nav    []navOp // stack changes asked for by the current Update
	status string  // result of the last finished action; goes at the next key
	err    string  // last error; stays until the next key
	// messages are the status lines of this session, whole (the ! view).
	messages []message

	activity []activity // this session's writes, oldest first (undo, activity view)
	// gen counts this session's successful writes: a screen that loaded
	// before the latest one may show an object as it was, and reloads
	// when it is shown again (one source of truth: the server).
	gen int
	// me is the signed-in person, when known.
	me me
	// sorter collates names for s (one per session: Update only).
	sorter *sorter
	// inflight are the writes sent and not answered yet, oldest first.
	inflight []flight
	// space names the space a token selects (providers without
	// organizations), once the users have told: the API has no name.
	space string

	// now is the clock (fixed in tests, so goldens hold the time of a
	// stale list); spin is the spinner's frame, drawn in bodies that
	// wait for their first answer.
	now  func() time.Time
	spin string
}

// clock returns the time now (Update only: View never reads a clock).
func (c *Common) clock() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

// newID numbers screens and requests, so late answers can be recognised.
func (c *Common) newID() int { c.nextID++; return c.nextID }

// Toast reports the result of an action on the status line.
func (c *Common) Toast(format string, args ...any) {
	c.status = sanitize.Text(fmt.Sprintf(format, args...))
	c.logMessage(c.status, false)
}

// Fail reports an error on the error line; server text is sanitised.
func (c *Common) Fail(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	c.err = sanitize.Text(err.Error())
	c.logMessage(c.err, true)
}

// doing adds what was being done to err, unless err already starts with
// it: the provider clients wrap their errors with the action, and
// "listing users: listing users: …" reads badly.
func doing(what string, err error) error {
	if err == nil {
		return nil
	}
	if strings.HasPrefix(strings.ToLower(err.Error()), strings.ToLower(what)+":") {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Provider is the session's provider.
func (c *Common) Provider() client.Provider { return c.Session.Provider }

// request returns a context for one request of a screen: bounded by the
// per-request timeout and cancelled when the screen goes.
func (c *Common) request(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, c.Timeout)
}

// notOn is the reason for an action the provider has no API for.
func (c *Common) notOn(cp client.Capability) string {
	if c.Session == nil || c.Session.Provider.Can(cp) {
		return ""
	}
	return "not available on " + c.Session.Provider.Kind()
}

// Screen is one page of the app or a dialog. The root routes keys to the
// top screen of the active stack and async results to their owner by id.
type Screen interface {
	ID() int
	Title() string
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	// ShortHelp and FullHelp list the keys the screen handles, with the
	// reasons for those that cannot act now.
	ShortHelp() []Hint
	FullHelp() [][]Hint
	// Capturing is true while a text input or dialog has the keys: only
	// ctrl+c stays global.
	Capturing() bool
	// Back handles esc before the root pops the screen (clearing a
	// filter); true = consumed.
	Back() (bool, tea.Cmd)
	// Busy names the request in flight, "" when idle.
	Busy() string
	// Copy is the text y copies (selected row's e-mail or id).
	Copy() string
	// Reload refetches (ctrl+r).
	Reload() tea.Cmd
	// Close cancels the screen's requests; it is being left.
	Close()
}

// base carries what every screen has: its id, common and context.
type base struct {
	id     int
	seen   int // c.gen when the screen last (re)loaded
	c      *Common
	ctx    context.Context
	cancel context.CancelFunc
	w, h   int
}

func newBase(c *Common) base {
	ctx, cancel := context.WithCancel(c.Ctx)
	return base{id: c.newID(), seen: c.gen, c: c, ctx: ctx, cancel: cancel}
}

// behind reports whether a write succeeded since the screen loaded;
// caughtUp records that it is reloading now.
func (b *base) behind() bool { return b.seen < b.c.gen }
func (b *base) caughtUp()    { b.seen = b.c.gen }

// generational is every screen (they embed base).
type generational interface {
	behind() bool
	caughtUp()
}

func (b *base) ID() int                                       { return b.id }
func (b *base) Init() tea.Cmd                                 { return nil }
func (b *base) SetSize(w, h int)                              { b.w, b.h = w, h }
func (b *base) Capturing() bool                               { return false }
func (b *base) Back() (bool, tea.Cmd)                         { return false, nil }
func (b *base) Busy() string                                  { return "" }
func (b *base) Copy() string                                  { return "" }
func (b *base) Reload() tea.Cmd                               { return nil }
func (b *base) Close()                                        { b.cancel() }
func (b *base) ShortHelp() []Hint                             { return nil }
func (b *base) FullHelp() [][]Hint                            { return nil }
func (b *base) reqCtx() (context.Context, context.CancelFunc) { return b.c.request(b.ctx) }

// loader is a screen's reload: the request whose answer it waits for, so
// the answer to an older reload is dropped, and what the answers so far
// allow the screen to claim. A list is in one of three states: loading
// (no answer yet: a spinner, no counts), failed (no good answer: the
// error and how to retry) or loaded (rows, "none" only after a good
// answer with zero rows); a failed reload keeps the last good rows,
// marked stale with the time of that answer.
type loader struct {
	req     int
	loading bool
	doing   string    // what is loading, for the body and the status line
	loaded  bool      // a good answer came (at least once)
	at      time.Time // when the last good answer came
	failed  string    // the last answer's error (sanitised); "" after a good one
	cut     bool      // the failed listing had already replaced rows: they are incomplete
	paging  bool      // pages of a listing are arriving: the count is not final
}

// begin marks a new request in flight; doing names it.
func (l *loader) begin(req int, doing string) {
	l.req, l.loading, l.doing = req, true, doing
}

// load starts a new request for l and returns the command running get with
// the request's context; get tags its message with t and req.
func (b *base) load(l *loader, doing string, get func(ctx context.Context, t to, req int) tea.Msg) tea.Cmd {
	l.begin(b.c.newID(), doing)
	ctx, cancel := b.reqCtx()
	t, req := to{b.id}, l.req
	return func() tea.Msg {
		defer cancel()
		return get(ctx, t, req)
	}
}

// answered reports whether req is the newest request and, if so, ends the
// loading state.
func (l *loader) answered(req int) bool {
	if req != l.req {
		return false
	}
	l.loading = false
	return true
}

// settle records the outcome of l's answer: a good one (err nil) stamps
// the time; a failure keeps whatever rows were there, reports the error
// and returns false. A cancelled request (the screen went) changes
// nothing.
func (c *Common) settle(l *loader, err error) bool {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return false
		}
		c.Fail(err)
		l.failed = sanitize.Text(err.Error())
		return false
	}
	l.loaded, l.at, l.failed, l.cut = true, c.clock(), "", false
	return true
}

// orgWriteReason is why a write needing cp is refused in an organization
// where the signed-in person has myRole ("" when unknown: the server
// decides), known before anything is sent.
func (c *Common) orgWriteReason(cp client.Capability, myRole string) string {
	if r := c.notOn(cp); r != "" {
		return r
	}
	if myRole != "" && myRole != "admin" {
		return "needs organization admin"
	}
	return c.spaceWriteReason()
}

// routed is a message for one screen: the root delivers it to the screen
// with that id wherever it is, and drops it when the screen is gone.
type routed interface{ screen() int }

// to tags a message with its screen.
type to struct{ ID int }

func (t to) screen() int { return t.ID }

// reporter is a write's result: when its screen is gone the root still
// shows the outcome.
type reporter interface {
	report() (ok string, err error)
}

// navOp is a change of the stack a screen asks for during its Update:
// push a screen (a dialog, a detail view) or close itself (pop) and then
// deliver a message to the screen below. The root applies them right after
// that Update, before the next key, so a fast "a" then "q" types q into
// the dialog instead of quitting.
type navOp struct {
	from int    // the screen asking; ignored unless it is on top
	push Screen // nil = pop
	then tea.Msg
}

// push opens s on top of this screen.
func (b *base) push(s Screen) tea.Cmd {
	b.c.nav = append(b.c.nav, navOp{from: b.id, push: s})
	return nil
}

// pop closes this screen (a dialog) and then delivers then, if not nil.
func (b *base) pop(then tea.Msg) tea.Cmd {
	b.c.nav = append(b.c.nav, navOp{from: b.id, then: then})
	return nil
}

// san sanitises server text before it reaches the terminal.
func san(v string) string { return sanitize.Text(v) }
