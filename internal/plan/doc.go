// Package plan reads and writes roster's membership documents (YAML),
// compares one with a server through a client.Provider and produces the
// ordered steps that make the server match it, then applies them row by
// row. It knows nothing of terminals or commands.
package plan

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
)

// Providers a document can describe (names from the registry).
const (
	QFieldCloud = providers.QFieldCloud
	Qomon       = providers.Qomon
)

// Document is the membership a file asks for.
type Document struct {
	File         string // for messages
	Provider     string
	Organization string // QFieldCloud; "" on Qomon (the token selects the space)
	Members      []Member
	Teams        []Team
	// Projects are the organization's projects whose collaborator rows
	// the file describes (QFieldCloud); projects not listed are left
	// alone.
	Projects []Project
	// Notes are what export could not read with this account (projects
	// left out); said on stderr and in the file's header.
	Notes []string
	// membersLine is the line of the members/users key, for errors about
	// the list as a whole.
	membersLine int
}

// Member is one membership: a QFieldCloud organization member, or a
// Qomon space user.
type Member struct {
	// User is the QFieldCloud username, or the Qomon e-mail (or numeric
	// id for a user without one).
	User string
	// Role is the role name; "" leaves an existing role as it is (a new
	// QFieldCloud member gets the server's default, member).
	Role string
	// Public is the QFieldCloud visibility; nil leaves it as it is.
	Public *bool
	Line   int
}

// Team is one team and who is in it.
type Team struct {
	Name string
	// ID picks one of several Qomon teams with the same name.
	ID string
	// Private is the Qomon visibility; nil leaves it as it is.
	Private *bool
	// Members and Leaders: nil leaves them as they are; an empty list
	// means nobody. A leader is a member even if not listed as one.
	Members []Ref
	Leaders []Ref
	Line    int
}

// Project is one of the organization's projects (by its exact name) and
// its collaborator rows.
type Project struct {
	Name string
	// Collaborators: nil leaves the project's rows as they are; an empty
	// list means no rows.
	Collaborators []Collaborator
	Line          int
}

// Collaborator is one collaborator row: a person or a team.
type Collaborator struct {
	// User is the exact username, or @ORG/TEAM for a team.
	User string
	// Role is the project role; "" leaves an existing row's role as it
	// is (a new row gets the server's default, reader).
	Role string
	Line int
}

// Ref names a user at a line of the file.
type Ref struct {
	User string
	Line int
}

// Error is a problem at one place in a file.
type Error struct {
	File  string
	Line  int
	Field string // e.g. members[3].role
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Unwrap makes every file problem a client.ErrBadInput (exit 2).
func (e *Error) Unwrap() error { return client.ErrBadInput }

// Errors is every problem found in a file, in line order.
type Errors []*Error

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems in %s: ", len(es), es[0].File)
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "line %d: %s: %s", e.Line, e.Field, e.Msg)
	}
	return b.String()
}

// Unwrap: Errors is a client.ErrBadInput.
func (es Errors) Unwrap() error { return client.ErrBadInput }

func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
	return es
}

// parser collects errors while walking the YAML tree.
type parser struct {
	file string
	errs Errors
}

func (p *parser) fail(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// mapping returns the key/value pairs of a mapping node in order, checking
// every key is one of allowed and none repeats.
func (p *parser) mapping(n *yaml.Node, field string, allowed ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.fail(n, field, "want a mapping (key: value lines), got %s", kindName(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(field, k.Value)
		switch {
		case !contains(allowed, k.Value):
			p.fail(k, name, "unknown field (allowed: %s)", strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.fail(k, name, "given twice")
		default:
			// Keep the key's line on the value for messages about it.
			if v.Line == 0 {
				v.Line = k.Line
			}
			out[k.Value] = v
		}
	}
	return out
}

func (p *parser) str(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.fail(n, field, "want a text value, got %s", kindName(n))
		return "", false
	}
	v := strings.TrimSpace(n.Value)
	if v == "" {
		p.fail(n, field, "is empty")
		return "", false
	}
	return v, true
}

func (p *parser) boolean(n *yaml.Node, field string) *bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return &b
		}
	}
	p.fail(n, field, "want true or false, got %q", n.Value)
	return nil
}

func (p *parser) refs(n *yaml.Node, field string) []Ref {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return []Ref{}
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, field, "want a list, got %s", kindName(n))
		return nil
	}
	out := []Ref{}
	seen := map[string]bool{}
	for i, c := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		u, ok := p.str(c, f)
		if !ok {
			continue
		}
		if seen[strings.ToLower(u)] {
			p.fail(c, f, "%s is listed twice", strconv.Quote(u))
			continue
		}
		seen[strings.ToLower(u)] = true
		out = append(out, Ref{User: u, Line: c.Line})
	}
	return out
}

// Parse reads a document; file names it in errors. Every problem found is
// reported at once, as Errors, each with its line and field.
func Parse(file string, data []byte) (*Document, error) {
	p := &parser{file: file}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Errors{{File: file, Line: 1, Field: "document", Msg: "the file is empty (roster export writes one)"}}
	}
	top := p.mapping(root.Content[0], "", "provider", "organization", "members", "users", "teams", "projects")
	if top == nil {
		return nil, p.errs.err()
	}
	d := &Document{File: file}
	if n := top["provider"]; n == nil {
		p.fail(root.Content[0], "provider", "missing (qfieldcloud or qomon)")
	} else if v, ok := p.str(n, "provider"); ok {
		if v != QFieldCloud && v != Qomon {
			p.fail(n, "provider", "want qfieldcloud or qomon, got %q", v)
		}
		d.Provider = v
	}
	if n := top["organization"]; n != nil {
		if d.Provider == Qomon {
			p.fail(n, "organization", "a Qomon token selects the space: drop this field")
		} else if v, ok := p.str(n, "organization"); ok {
			d.Organization = v
		}
	} else if d.Provider == QFieldCloud {
		p.fail(root.Content[0], "organization", "missing: which QFieldCloud organization this file describes")
	}
	listKey, otherKey := "members", "users"
	if d.Provider == Qomon {
		listKey, otherKey = "users", "members"
	}
	if n := top[otherKey]; n != nil && d.Provider != "" {
		p.fail(n, otherKey, "a %s file lists %s, not %s", d.Provider, listKey, otherKey)
	}
	if n := top[listKey]; n != nil {
		d.membersLine = n.Line
		d.Members = p.members(n, listKey, d.Provider)
	}
	if n := top["teams"]; n != nil {
		d.Teams = p.teams(n, d.Provider)
	}
	if n := top["projects"]; n != nil {
		if d.Provider == Qomon {
			p.fail(n, "projects", "Qomon has no projects: drop this field")
		} else {
			d.Projects = p.projects(n)
		}
	}
	return d, p.errs.err()
}

func (p *parser) projects(n *yaml.Node) []Project {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "projects", "want a list, got %s", kindName(n))
		return nil
	}
	out := []Project{}
	// Project names are unique per owner only case-sensitively
	// (fieldops/trees and fieldops/Trees can coexist): compare exactly.
	seen := map[string]int{}
	for i, c := range n.Content {
		f := fmt.Sprintf("projects[%d]", i+1)
		m := p.mapping(c, f, "name", "collaborators")
		if m == nil {
			continue
		}
		pr := Project{Line: c.Line}
		if v := m["name"]; v == nil {
			p.fail(c, f+".name", "missing")
			continue
		} else if pr.Name, _ = p.str(v, f+".name"); pr.Name == "" {
			continue
		}
		if prev, dup := seen[pr.Name]; dup {
			p.fail(m["name"], f+".name", "project %s is already listed at line %d", strconv.Quote(pr.Name), prev)
			continue
		}
		seen[pr.Name] = c.Line
		if v := m["collaborators"]; v != nil {
			pr.Collaborators = p.collaborators(v, f+".collaborators")
		}
		out = append(out, pr)
	}
	return out
}

func (p *parser) collaborators(n *yaml.Node, field string) []Collaborator {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return []Collaborator{}
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, field, "want a list, got %s", kindName(n))
		return nil
	}
	out := []Collaborator{}
	seen := map[string]int{}
	for i, c := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		m := p.mapping(c, f, "user", "role")
		if m == nil {
			continue
		}
		e := Collaborator{Line: c.Line}
		un := m["user"]
		if un == nil {
			p.fail(c, f+".user", "missing (a username, or @ORG/TEAM for a team)")
			continue
		}
		u, ok := p.str(un, f+".user")
		if !ok {
			continue
		}
		if prev, dup := seen[strings.ToLower(u)]; dup {
			p.fail(un, f+".user", "%s is already listed at line %d", strconv.Quote(u), prev)
			continue
		}
		seen[strings.ToLower(u)] = c.Line
		e.User = u
		if r := m["role"]; r != nil {
			e.Role, _ = p.str(r, f+".role")
		}
		out = append(out, e)
	}
	return out
}

func (p *parser) members(n *yaml.Node, field, provider string) []Member {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, field, "want a list, got %s", kindName(n))
		return nil
	}
	userKey, keys := "user", []string{"user", "role", "public"}
	if provider == Qomon {
		userKey, keys = "email", []string{"email", "id", "role"}
	}
	var out []Member
	seen := map[string]int{}
	for i, c := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		m := p.mapping(c, f, keys...)
		if m == nil {
			continue
		}
		e := Member{Line: c.Line}
		un := m[userKey]
		if provider == Qomon && m["id"] != nil {
			if un != nil {
				p.fail(m["id"], f+".id", "give email or id, not both")
				continue
			}
			un = m["id"]
		}
		if un == nil {
			p.fail(c, f+"."+userKey, "missing")
			continue
		}
		u, ok := p.str(un, f+"."+userKey)
		if !ok {
			continue
		}
		e.User = u
		if prev, dup := seen[strings.ToLower(u)]; dup {
			p.fail(un, f+"."+userKey, "%s is already listed at line %d", strconv.Quote(u), prev)
			continue
		}
		seen[strings.ToLower(u)] = c.Line
		if r := m["role"]; r != nil {
			e.Role, _ = p.str(r, f+".role")
		}
		if v := m["public"]; v != nil {
			e.Public = p.boolean(v, f+".public")
		}
		out = append(out, e)
	}
	return out
}

func (p *parser) teams(n *yaml.Node, provider string) []Team {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "teams", "want a list, got %s", kindName(n))
		return nil
	}
	keys := []string{"name", "members"}
	if provider == Qomon {
		keys = []string{"name", "id", "private", "members", "leaders"}
	}
	var out []Team
	seen := map[string]int{}
	for i, c := range n.Content {
		f := fmt.Sprintf("teams[%d]", i+1)
		m := p.mapping(c, f, keys...)
		if m == nil {
			continue
		}
		t := Team{Line: c.Line}
		if v := m["name"]; v == nil {
			p.fail(c, f+".name", "missing")
		} else {
			t.Name, _ = p.str(v, f+".name")
		}
		if v := m["id"]; v != nil {
			t.ID, _ = p.str(v, f+".id")
		}
		key := t.Name
		if t.ID != "" {
			key = "#" + t.ID
		}
		if prev, dup := seen[key]; dup && key != "" {
			p.fail(c, f, "team %s is already listed at line %d", strconv.Quote(cmp.Or(t.ID, t.Name)), prev)
			continue
		}
		seen[key] = c.Line
		if v := m["private"]; v != nil {
			t.Private = p.boolean(v, f+".private")
		}
		if v := m["members"]; v != nil {
			t.Members = p.refs(v, f+".members")
		}
		if v := m["leaders"]; v != nil {
			t.Leaders = p.refs(v, f+".leaders")
		}
		out = append(out, t)
	}
	return out
}

// marshalProjects writes the projects by name (byte order: names differ
// in case only as separate projects), each with its rows by user.
func (d *Document) marshalProjects(str func(string) *yaml.Node, pair func(*yaml.Node, string, *yaml.Node)) *yaml.Node {
	ps := append([]Project(nil), d.Projects...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	plist := &yaml.Node{Kind: yaml.SequenceNode}
	for _, pr := range ps {
		e := &yaml.Node{Kind: yaml.MappingNode}
		pair(e, "name", str(pr.Name))
		if pr.Collaborators != nil {
			cs := append([]Collaborator(nil), pr.Collaborators...)
			sort.SliceStable(cs, func(i, j int) bool { return strings.ToLower(cs[i].User) < strings.ToLower(cs[j].User) })
			clist := &yaml.Node{Kind: yaml.SequenceNode}
			for _, c := range cs {
				ce := &yaml.Node{Kind: yaml.MappingNode}
				pair(ce, "user", str(c.User))
				if c.Role != "" {
					pair(ce, "role", str(c.Role))
				}
				clist.Content = append(clist.Content, ce)
			}
			if len(cs) == 0 {
				clist.Style = yaml.FlowStyle
			}
			pair(e, "collaborators", clist)
		}
		plist.Content = append(plist.Content, e)
	}
	if len(ps) == 0 {
		plist.Style = yaml.FlowStyle
	}
	return plist
}

// yamlError turns a YAML syntax error ("yaml: line 4: …") into an Error.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				line, msg = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	return &Error{File: file, Line: line, Field: "YAML", Msg: msg}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Marshal writes the document as YAML under a header comment (each line
// of header becomes a "# " line), in a stable order: members by user,
// teams by name, team members by user.
func (d *Document) Marshal(header string) ([]byte, error) {
	// The !!str tag makes the encoder quote text YAML would read as
	// another type (yes, 12, ~).
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
	boolean := func(b bool) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
	}
	pair := func(m *yaml.Node, k string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
	}
	list := func(refs []Ref) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode}
		us := make([]string, len(refs))
		for i, r := range refs {
			us[i] = r.User
		}
		sort.Strings(us)
		for _, u := range us {
			n.Content = append(n.Content, str(u))
		}
		if len(us) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	}
	top := &yaml.Node{Kind: yaml.MappingNode}
	pair(top, "provider", str(d.Provider))
	if d.Provider == QFieldCloud {
		pair(top, "organization", str(d.Organization))
	}
	ms := append([]Member(nil), d.Members...)
	sort.SliceStable(ms, func(i, j int) bool { return strings.ToLower(ms[i].User) < strings.ToLower(ms[j].User) })
	mlist := &yaml.Node{Kind: yaml.SequenceNode}
	for _, m := range ms {
		e := &yaml.Node{Kind: yaml.MappingNode}
		key := "user"
		if d.Provider == Qomon {
			key = "email"
			if !strings.Contains(m.User, "@") {
				key = "id"
			}
		}
		pair(e, key, str(m.User))
		if m.Role != "" {
			pair(e, "role", str(m.Role))
		}
		if m.Public != nil {
			pair(e, "public", boolean(*m.Public))
		}
		mlist.Content = append(mlist.Content, e)
	}
	if len(ms) == 0 {
		mlist.Style = yaml.FlowStyle
	}
	listKey := "members"
	if d.Provider == Qomon {
		listKey = "users"
	}
	pair(top, listKey, mlist)
	ts := append([]Team(nil), d.Teams...)
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Name != ts[j].Name {
			return ts[i].Name < ts[j].Name
		}
		return ts[i].ID < ts[j].ID
	})
	tlist := &yaml.Node{Kind: yaml.SequenceNode}
	for _, t := range ts {
		e := &yaml.Node{Kind: yaml.MappingNode}
		pair(e, "name", str(t.Name))
		if t.ID != "" {
			pair(e, "id", str(t.ID))
		}
		if t.Private != nil {
			pair(e, "private", boolean(*t.Private))
		}
		if t.Members != nil {
			pair(e, "members", list(t.Members))
		}
		if t.Leaders != nil {
			pair(e, "leaders", list(t.Leaders))
		}
		tlist.Content = append(tlist.Content, e)
	}
	if len(ts) == 0 {
		tlist.Style = yaml.FlowStyle
	}
	pair(top, "teams", tlist)
	if d.Provider == QFieldCloud && d.Projects != nil {
		pair(top, "projects", d.marshalProjects(str, pair))
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	if header != "" {
		var hb strings.Builder
		for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
			hb.WriteString(strings.TrimRight("# "+l, " ") + "\n")
		}
		doc.HeadComment = strings.TrimRight(hb.String(), "\n")
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("writing YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing YAML: %w", err)
	}
	return b.Bytes(), nil
}
