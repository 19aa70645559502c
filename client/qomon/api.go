package qomon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// dataInto decodes an answer's "data" straight into out, from the
// answer's own bytes: a json.RawMessage would copy the whole list first,
// holding it twice.
type dataInto struct {
	out  any
	seen bool // a non-null "data" was there
}

func (d *dataInto) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	d.seen = true
	return json.Unmarshal(b, d.out)
}

// call sends one request and decodes the answer's data into out (nil:
// ignore it).
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	req := rest.Request{Method: method, Path: path, Query: q}
	if body != nil {
		req.Body = dataBody{body}
	}
	resp, err := c.rc.Do(ctx, req)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return decodeData(method, path, resp, out)
}

// dataBody marshals as {"data": …} with the lower-case key the API wants.
type dataBody struct {
	V any `json:"data"`
}

// decodeData reads {"data": …} into out. A 2xx answer that is not the
// documented JSON is a server error, never a panic or a silent empty list.
func decodeData(method, path string, resp *rest.Response, out any) error {
	data := &dataInto{out: out}
	env := struct {
		Data *dataInto `json:"data"`
	}{data}
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return badAnswer(method, path, resp, err)
	}
	if !data.seen {
		return badAnswer(method, path, resp, fmt.Errorf("no data"))
	}
	return nil
}

// decodeBare reads an answer that is not wrapped (GET /teams/public).
func decodeBare(method, path string, resp *rest.Response, out any) error {
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return badAnswer(method, path, resp, err)
	}
	return nil
}

func badAnswer(method, path string, resp *rest.Response, err error) error {
	what := "not the expected JSON"
	if ct := resp.Header.Get("Content-Type"); ct != "" && !isJSONType(ct) {
		what = "not JSON (" + ct + ")"
	}
	return &client.APIError{
		Kind:    client.ErrServer,
		Status:  resp.Status,
		Message: fmt.Sprintf("unexpected answer from Qomon: %s: %v", what, err),
		Method:  method,
		Path:    path,
	}
}

func isJSONType(ct string) bool {
	return bytes.Contains([]byte(ct), []byte("json"))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var (
	get   = http.MethodGet
	post  = http.MethodPost
	patch = http.MethodPatch
	del   = http.MethodDelete
)

func restGet(path string) rest.Request { return rest.Request{Method: get, Path: path} }
