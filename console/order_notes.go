package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/mallsync/mallsync"
)

// maxOrderNoteRunes caps a note on an order.
const maxOrderNoteRunes = 2000

// addNote leaves u's note on the order of the path, and records it.
func (c *console) addNote(r *http.Request, u User, body string) error {
	body = strings.TrimSpace(body)
	if err := checkText("body", body, true, maxOrderNoteRunes); err != nil {
		return err
	}
	mall, order := mallsync.MallKey(r.PathValue("mall")), r.PathValue("order")
	if err := c.deps.Notes.AddOrderNote(r.Context(), mall, order, mallsync.OrderNote{Author: u.Name, Body: body}); err != nil {
		return err
	}
	c.logger.InfoContext(r.Context(), "order note", "mall", string(mall), "order", order, "user", u.Name)
	c.audit.record(r, u, "order.note", "order/"+string(mall)+"/"+order, nil)
	return nil
}

func (c *console) apiAddNote(w http.ResponseWriter, r *http.Request) {
	u, ok := c.allowedRole(w, r, orderPageRoles, "leave notes on orders")
	if !ok {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeBody(r, &in, false); err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	if err := c.addNote(r, u, in.Body); err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	v, err := c.order(r.Context(), r, u)
	if err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"notes": toDetailJSONOf(v).Notes})
}

func (c *console) noteForm(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	err := c.addNote(r, u, r.PostFormValue("body"))
	if err == nil {
		http.Redirect(w, r, orderPath(mallsync.MallKey(r.PathValue("mall")), r.PathValue("order"))+"?done="+url.QueryEscape("메모를 남겼습니다 · note added"), http.StatusSeeOther)
		return
	}
	he, ok := errorTable[mallsync.ErrorCode(err)]
	if !ok || he.status >= 500 || he.status == http.StatusNotFound {
		c.pages.fail(w, r, err)
		return
	}
	c.orderPageWithError(w, r, u, he.status, err)
}
