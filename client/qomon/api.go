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

// envelope wraps every request body and almost every answer (api §2.1).
type envelope struct {
	Data json.RawMessage `json:"data"`
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
	var env envelope
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return badAnswer(method, path, resp, err)
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		return badAnswer(method, path, resp, fmt.Errorf("no data"))
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return badAnswer(method, path, resp, err)
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
