package cmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/internal/sanitize"
)

// maxCell caps a table cell, in terminal columns; longer values end in …
const maxCell = 48

type format int

const (
	formatTable format = iota
	formatJSON
	formatCSV
)

// outputFlags are --json (and --csv where a command offers it).
type outputFlags struct {
	json, csv bool
}

func addJSONFlag(c *cobra.Command, o *outputFlags) {
	c.Flags().BoolVar(&o.json, "json", false, "print one JSON document (stable snake_case fields)")
}

func addListFlags(c *cobra.Command, o *outputFlags) {
	addJSONFlag(c, o)
	c.Flags().BoolVar(&o.csv, "csv", false, "print CSV (RFC 4180) with a header row")
}

func (o outputFlags) format() (format, error) {
	switch {
	case o.json && o.csv:
		return 0, usagef("--json and --csv cannot be used together")
	case o.json:
		return formatJSON, nil
	case o.csv:
		return formatCSV, nil
	}
	return formatTable, nil
}

// column is one declared field of a list: its table header, CSV name and
// value. JSON output marshals the row itself (its json tags).
type column[T any] struct {
	header string
	csv    string
	value  func(T) string
}

// table is an aligned text table. Every cell is sanitised and truncated;
// columns empty in every row (except the first) are dropped, since they
// only say that this provider has no such field.
type table struct {
	headers []string
	rows    [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	keep := make([]bool, len(t.headers))
	for i := range t.headers {
		keep[i] = i == 0
		for _, r := range t.rows {
			if i < len(r) && r[i] != "" {
				keep[i] = true
				break
			}
		}
	}
	// The last column has no neighbour to push away: it may be wider.
	last := 0
	for i, k := range keep {
		if k {
			last = i
		}
	}
	cells := make([][]string, 0, len(t.rows)+1)
	cells = append(cells, t.headers)
	for _, r := range t.rows {
		row := make([]string, len(t.headers))
		for i := range row {
			if i < len(r) {
				w := maxCell
				if i == last {
					w = 2 * maxCell
				}
				row[i] = sanitize.Cell(r[i], w)
			}
		}
		cells = append(cells, row)
	}
	width := make([]int, len(t.headers))
	for _, r := range cells {
		for i, c := range r {
			if keep[i] {
				width[i] = max(width[i], runewidth.StringWidth(c))
			}
		}
	}
	var b bytes.Buffer
	for _, r := range cells {
		var line strings.Builder
		for i, c := range r {
			if !keep[i] {
				continue
			}
			if line.Len() > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c)
			line.WriteString(strings.Repeat(" ", width[i]-runewidth.StringWidth(c)))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// fields prints a key/value block for one object.
type fields struct {
	keys, values []string
}

func (f *fields) add(k, v string) {
	f.keys = append(f.keys, k)
	f.values = append(f.values, v)
}

func (f *fields) write(w io.Writer) error {
	wd := 0
	for i, k := range f.keys {
		if f.values[i] != "" {
			wd = max(wd, runewidth.StringWidth(k))
		}
	}
	var b bytes.Buffer
	for i, k := range f.keys {
		v := f.values[i]
		if v == "" {
			continue
		}
		fmt.Fprintf(&b, "%s:%s %s\n", k, strings.Repeat(" ", wd-runewidth.StringWidth(k)), sanitize.Cell(v, 200))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeJSON prints one JSON document, exact data (no sanitising).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// listWriter writes a list as it arrives: JSON array elements go out page
// by page (a cut array is visibly unterminated); CSV is held until the
// list is complete, since a cut CSV would look whole; a table is aligned
// once all rows are in.
type listWriter[T any] struct {
	w       io.Writer
	format  format
	cols    []column[T]
	n       int
	started bool
	csv     *csv.Writer
	csvBuf  bytes.Buffer
	tbl     table
}

func newListWriter[T any](w io.Writer, f format, cols []column[T]) *listWriter[T] {
	lw := &listWriter[T]{w: w, format: f, cols: cols}
	for _, c := range cols {
		lw.tbl.headers = append(lw.tbl.headers, c.header)
	}
	return lw
}

func (lw *listWriter[T]) start() error {
	if lw.started {
		return nil
	}
	lw.started = true
	switch lw.format {
	case formatJSON:
		_, err := io.WriteString(lw.w, "[")
		return err
	case formatCSV:
		lw.csv = csv.NewWriter(&lw.csvBuf)
		var h []string
		for _, c := range lw.cols {
			h = append(h, c.csv)
		}
		return lw.csv.Write(h)
	}
	return nil
}

// page adds rows; JSON is written at once.
func (lw *listWriter[T]) page(rows []T) error {
	if err := lw.start(); err != nil {
		return err
	}
	for _, r := range rows {
		switch lw.format {
		case formatJSON:
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("  ", "  ")
			if err := enc.Encode(r); err != nil {
				return err
			}
			sep := ",\n  "
			if lw.n == 0 {
				sep = "\n  "
			}
			if _, err := io.WriteString(lw.w, sep+strings.TrimRight(b.String(), "\n")); err != nil {
				return err
			}
		case formatCSV:
			rec := make([]string, len(lw.cols))
			for i, c := range lw.cols {
				rec[i] = c.value(r)
			}
			lw.csv.Write(rec)
		default:
			cells := make([]string, len(lw.cols))
			for i, c := range lw.cols {
				cells[i] = c.value(r)
			}
			lw.tbl.add(cells...)
		}
		lw.n++
	}
	if lw.csv != nil {
		lw.csv.Flush()
		return lw.csv.Error()
	}
	return nil
}

// finish closes the document. It is not called after a failure, so a cut
// JSON array stays visibly unterminated rather than looking complete.
func (lw *listWriter[T]) finish() error {
	if err := lw.start(); err != nil {
		return err
	}
	switch lw.format {
	case formatJSON:
		end := "]\n"
		if lw.n > 0 {
			end = "\n]\n"
		}
		_, err := io.WriteString(lw.w, end)
		return err
	case formatCSV:
		// The whole list, or (finish is not called after a failure)
		// nothing.
		lw.csv.Flush()
		if err := lw.csv.Error(); err != nil {
			return err
		}
		_, err := lw.w.Write(lw.csvBuf.Bytes())
		return err
	}
	if lw.n == 0 {
		return nil
	}
	return lw.tbl.write(lw.w)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
