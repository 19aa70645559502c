package tui

import (
	"context"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

type writeKind int

const (
	writeUpdate writeKind = iota
	writeAdd
	writeRemove
)

// pendingWrite is a change shown before the server confirmed it.
type pendingWrite[T any] struct {
	wid    int
	kind   writeKind
	old    T
	hadOld bool
	what   string
}

// writes tracks a screen's writes in flight, by row key: the row shows the
// new value at once, marked pending; the server's answer replaces it, a
// refusal puts the old value back.
type writes[T any] struct {
	inflight map[string]pendingWrite[T]
	order    []string
	// The inverse of the next write begun (set by inverse, taken by begin).
	undo   *undoOp
	noUndo string
	obj    string // the object of the next write without an inverse
	objRm  bool
}

// deleting names the object the next write (which has no inverse)
// deletes, so earlier inverses on it are marked as no longer applying.
func (w *writes[T]) deleting(obj string) *writes[T] {
	w.obj, w.objRm = obj, true
	return w
}

// inverse sets what undoes the next write begun: op, or nil with the
// reason there is none.
func (w *writes[T]) inverse(op *undoOp, why string) *writes[T] {
	w.undo, w.noUndo = op, why
	return w
}

func newWrites[T any]() writes[T] { return writes[T]{inflight: map[string]pendingWrite[T]{}} }

// writeMsg is the server's answer to one write.
type writeMsg[T any] struct {
	to
	key string
	wid int
	got T
	ok  string // status text on success
	err error

	what  string  // the write, as the status bar named it in flight
	undo  *undoOp // its inverse, if any
	why   string  // why there is none
	obj   string  // without an inverse: the object written
	objRm bool
}

func (m writeMsg[T]) report() (string, error) { return m.ok, m.err }

func (m writeMsg[T]) activity() activity {
	what := m.ok
	if what == "" {
		what = strings.TrimSuffix(m.what, "…")
	}
	return activity{what: what, err: m.err, undo: m.undo, why: m.why, objKey: m.obj, objRemoved: m.objRm, wid: m.wid}
}

// busy names the newest write in flight.
func (w *writes[T]) busy() string {
	for i := len(w.order) - 1; i >= 0; i-- {
		if p, ok := w.inflight[w.order[i]]; ok {
			return p.what
		}
	}
	return ""
}

// pending reports whether a row has a write in flight.
func (w *writes[T]) pending(key string) bool { _, ok := w.inflight[key]; return ok }

// start shows next in place of old (or adds it, or marks old for removal)
// and returns the command that sends the write. Writes run on the app's
// context, not the screen's: leaving the screen must not cut a write off
// halfway and leave its outcome unknown.
func (w *writes[T]) start(b *base, tbl *table[T], old, next T, what string, do func(context.Context) (T, string, error)) tea.Cmd {
	return w.begin(b, tbl, writeUpdate, old, true, next, what, do)
}

func (w *writes[T]) begin(b *base, tbl *table[T], kind writeKind, old T, hadOld bool, next T, what string, do func(context.Context) (T, string, error)) tea.Cmd {
	key := tbl.key(next)
	if kind == writeRemove {
		key = tbl.key(old)
	}
	if prev, ok := w.inflight[key]; ok {
		// A second change to a row still pending: keep the original old
		// value, so a refusal goes back to what the server last said.
		old, hadOld = prev.old, prev.hadOld
	}
	wid := b.c.newID()
	w.inflight[key] = pendingWrite[T]{wid: wid, kind: kind, old: old, hadOld: hadOld, what: what}
	w.order = append(w.order, key)
	if kind != writeRemove {
		tbl.Put(next)
	}
	tbl.SetPending(key, true)
	b.c.flying(wid, what)
	// No status text of its own: the status line names the write in
	// flight (Busy) until its answer replaces it.
	ctx, cancel := b.c.request(b.c.Ctx)
	id := b.id
	undo, why, obj, objRm := w.undo, w.noUndo, w.obj, w.objRm
	if undo == nil && why == "" {
		why = "roster knows no inverse for it"
	}
	w.undo, w.noUndo, w.obj, w.objRm = nil, "", "", false
	return func() tea.Msg {
		defer cancel()
		got, ok, err := do(ctx)
		return writeMsg[T]{to: to{id}, key: key, wid: wid, got: got, ok: ok, err: err, what: what, undo: undo, why: why, obj: obj, objRm: objRm}
	}
}

// done applies the server's answer.
func (w *writes[T]) done(tbl *table[T], c *Common, msg writeMsg[T]) {
	if msg.err != nil {
		c.Fail(msg.err)
	} else {
		c.Toast("%s", msg.ok)
	}
	p, ok := w.inflight[msg.key]
	if !ok || p.wid != msg.wid {
		return // a newer write to this row decides what it shows
	}
	delete(w.inflight, msg.key)
	for i, k := range w.order {
		if k == msg.key {
			w.order = append(w.order[:i:i], w.order[i+1:]...)
			break
		}
	}
	tbl.SetPending(msg.key, false)
	switch {
	case msg.err != nil && p.hadOld:
		tbl.Put(p.old)
	case msg.err != nil:
		tbl.Remove(msg.key)
	case p.kind == writeRemove:
		tbl.Remove(msg.key)
	default:
		tbl.Replace(msg.key, msg.got) // a rename changes the key itself
	}
}

// busyAny reports whether any write is in flight.
func (w *writes[T]) busyAny() bool { return len(w.inflight) > 0 }
