package tui

import (
	"strings"
	"testing"
)

// A column no row has a value in is not drawn (QFieldCloud sends no
// names or e-mails for members); it comes back once a row has one.
func TestTableHidesColumnsEmptyInEveryRow(t *testing.T) {
	type row struct{ id, name, mail string }
	tbl := newTable([]Column{{Title: "ID", Min: 4, Max: 10}, {Title: "NAME", Min: 6, Max: 10}, {Title: "E-MAIL", Min: 8, Max: 20}},
		func(r row) string { return r.id },
		func(r row) []string { return []string{r.id, r.name, r.mail} },
		func(r row) string { return r.id })
	tbl.SetHeight(5)
	tbl.SetItems([]row{{id: "ana", mail: "ana@x"}, {id: "ben"}})
	head := strings.SplitN(tbl.View(NewStyles(), 60, "none"), "\n", 2)[0]
	if strings.Contains(head, "NAME") || !strings.Contains(head, "E-MAIL") {
		t.Fatalf("header %q: want E-MAIL without the empty NAME", head)
	}
	tbl.Put(row{id: "ben", name: "Ben"})
	head = strings.SplitN(tbl.View(NewStyles(), 60, "none"), "\n", 2)[0]
	if !strings.Contains(head, "NAME") {
		t.Fatalf("header %q: NAME has a value now", head)
	}
}
