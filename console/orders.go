package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mallsync/mallsync"
)

// claimActions are the return flow actions an agent takes from the order page, and the roles
// that may take them.
var (
	claimActions     = []string{"approve", "reject", "withdraw"}
	claimActionRoles = []Role{RoleAgent, RoleAdmin}
)

// maxReasonRunes caps a rejection's reason.
const maxReasonRunes = 500

// orderRoutes adds the orders' JSON API:
//
//	GET  /api/orders?q=&mall=&limit=                        agent, logistics, admin
//	GET  /api/orders/{mall}/{order}                         agent, logistics, admin
//	POST /api/orders/{mall}/{order}/notes     {"body"}      agent, logistics, admin
//	POST /api/claims/{mall}/{claim}/{action}  {"reason"}    agent, admin (approve, reject, withdraw)
func (c *console) orderRoutes(mux *http.ServeMux) {
	routes := []route{
		{"GET", "/api/orders", c.apiSearch},
		{"GET", "/api/orders/{mall}/{order}", c.apiOrder},
		{"POST", "/api/claims/{mall}/{claim}/{action}", c.apiClaimAction},
	}
	if c.deps.Notes != nil {
		routes = append(routes, route{"POST", "/api/orders/{mall}/{order}/notes", c.apiAddNote})
	}
	addRoutes(mux, routes)
}

// orderPages adds the agents' pages: the search, the order and its claims' actions.
func (c *console) orderPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orders", c.page(orderPageRoles, c.searchPage))
	mux.HandleFunc("GET /orders/{mall}/{order}", c.page(orderPageRoles, c.orderPage))
	mux.HandleFunc("POST /orders/{mall}/{order}/claims/{claim}/{action}", c.page(claimActionRoles, c.claimActionForm))
	if c.deps.Notes != nil {
		mux.HandleFunc("POST /orders/{mall}/{order}/notes", c.page(orderPageRoles, c.noteForm))
	}
}

// allowedRole writes a 403 and returns false when u's role is not in roles.
func (c *console) allowedRole(w http.ResponseWriter, r *http.Request, roles []Role, what string) (User, bool) {
	u, _ := UserFrom(r.Context())
	if !slices.Contains(roles, u.Role) {
		writeError(w, r, c.logger, mallsync.Errorf(mallsync.EFORBIDDEN, "role %s may not %s", u.Role, what))
		return u, false
	}
	return u, true
}

// search runs the query of r (q, mall, limit) for u, masked for u's role.
func (c *console) search(r *http.Request, u User) ([]mallsync.OrderHit, error) {
	qs := r.URL.Query()
	q := mallsync.OrderQuery{Text: qs.Get("q"), Mall: mallsync.MallKey(qs.Get("mall"))}
	if raw := qs.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return nil, mallsync.Errorf(mallsync.EINVALID, "limit %q: expected a whole number from 1 to %d", clip(raw), mallsync.MaxOrderHits)
		}
		q.Limit = n
	}
	if n := len([]rune(q.Text)); n > 100 {
		return nil, mallsync.Errorf(mallsync.EINVALID, "the search text is %d characters long; at most 100", n)
	}
	hits, err := c.deps.Orders.SearchOrders(r.Context(), q)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		hits[i] = maskHit(hits[i], u.Role)
	}
	return hits, nil
}

func (c *console) apiSearch(w http.ResponseWriter, r *http.Request) {
	u, ok := c.allowedRole(w, r, orderPageRoles, "search orders")
	if !ok {
		return
	}
	hits, err := c.search(r, u)
	if err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	out := make([]orderHitJSON, len(hits))
	for i, h := range hits {
		out[i] = toHitJSON(h)
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": out, "count": len(out)})
}

// order reads the order of the path with its claims' flows, masked for u's role.
func (c *console) order(ctx context.Context, r *http.Request, u User) (orderView, error) {
	mall, id := mallsync.MallKey(r.PathValue("mall")), r.PathValue("order")
	d, err := c.deps.Orders.OrderDetail(ctx, mall, id)
	if err != nil {
		return orderView{}, err
	}
	v := orderView{Detail: maskDetail(d, u.Role), Flows: map[string]mallsync.ReturnFlowView{}, FlowErrors: map[string]string{},
		ShowRaw: seesAll(u.Role), MayAct: slices.Contains(claimActionRoles, u.Role), MayNote: c.deps.Notes != nil}
	if c.deps.AdminURL != nil {
		v.AdminURL = c.deps.AdminURL(ctx, d.Platform, d.Mall, d.Order.PlatformOrderID)
	}
	if c.deps.Flows != nil {
		for _, cl := range d.Claims {
			if cl.Kind == mallsync.ClaimCancel {
				continue // cancellations have no return flow
			}
			f, err := c.deps.Flows.ReturnFlow(ctx, d.Mall, cl.PlatformClaimID)
			switch {
			case err == nil:
				v.Flows[cl.PlatformClaimID] = f
			case mallsync.ErrorCode(err) == mallsync.ENOTFOUND:
			default:
				c.logger.WarnContext(ctx, "return flow not read", "mall", string(d.Mall), "claim", cl.PlatformClaimID, "err", err)
				v.FlowErrors[cl.PlatformClaimID] = "the return flow could not be read just now"
			}
		}
	}
	return v, nil
}

func (c *console) apiOrder(w http.ResponseWriter, r *http.Request) {
	u, ok := c.allowedRole(w, r, orderPageRoles, "read orders")
	if !ok {
		return
	}
	v, err := c.order(r.Context(), r, u)
	if err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": toDetailJSONOf(v)})
}

// claimAction takes action on the claim's return flow for u, and records it.
func (c *console) claimAction(r *http.Request, u User, mall mallsync.MallKey, claim, action, reason string) error {
	if !slices.Contains(claimActions, action) {
		return mallsync.Errorf(mallsync.ENOTFOUND, "no claim action %q: approve, reject or withdraw", clip(action))
	}
	if c.deps.Returns == nil {
		return mallsync.Errorf(mallsync.EUNAVAILABLE, "return flows cannot be reached from here")
	}
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, action == "reject", maxReasonRunes); err != nil {
		return err
	}
	var err error
	switch action {
	case "approve":
		err = c.deps.Returns.Approve(r.Context(), mall, claim, u.Name)
	case "reject":
		err = c.deps.Returns.Reject(r.Context(), mall, claim, reason, u.Name)
	case "withdraw":
		err = c.deps.Returns.Withdraw(r.Context(), mall, claim, u.Name)
	}
	if err != nil {
		return err
	}
	c.logger.InfoContext(r.Context(), "claim action", "action", action, "mall", string(mall), "claim", claim, "user", u.Name)
	c.audit.record(r, u, "claim."+action, "claim/"+string(mall)+"/"+claim, map[string]any{"reason": reason})
	return nil
}

func (c *console) apiClaimAction(w http.ResponseWriter, r *http.Request) {
	u, ok := c.allowedRole(w, r, claimActionRoles, "act on claims")
	if !ok {
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeBody(r, &in, true); err != nil {
		writeError(w, r, c.logger, err)
		return
	}
	mall, claim := mallsync.MallKey(r.PathValue("mall")), r.PathValue("claim")
	if err := c.claimAction(r, u, mall, claim, r.PathValue("action"), in.Reason); err != nil {
		writeRefusal(w, r, c.logger, err)
		return
	}
	body := map[string]any{"done": r.PathValue("action")}
	if c.deps.Flows != nil {
		if f, err := c.deps.Flows.ReturnFlow(r.Context(), mall, claim); err == nil {
			body["flow"] = f
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// searchData is the search page's data.
type searchData struct {
	Q    string
	Hits []mallsync.OrderHit
	Err  string
}

func (d searchData) pageError() string { return d.Err }

func (c *console) searchPage(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	d := searchData{Q: r.URL.Query().Get("q")}
	status := http.StatusOK
	if strings.TrimSpace(d.Q) != "" {
		hits, err := c.search(r, u)
		if err != nil {
			he, ok := errorTable[mallsync.ErrorCode(err)]
			if !ok || he.status >= 500 {
				c.pages.fail(w, r, err)
				return
			}
			status, d.Err = he.status, mallsync.ErrorMessage(err)
		}
		d.Hits = hits
	}
	c.pages.render(w, r, status, "orders", d)
}

func (c *console) orderPage(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	v, err := c.order(r.Context(), r, u)
	if err != nil {
		c.pages.fail(w, r, err)
		return
	}
	c.pages.render(w, r, http.StatusOK, "order", v)
}

// claimDone are the messages of the order page after an action.
var claimDone = map[string]string{
	"approve":  "승인했습니다 · approved",
	"reject":   "거부했습니다 · rejected",
	"withdraw": "철회했습니다 · withdrawn",
}

func (c *console) claimActionForm(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	mall, claim, action := mallsync.MallKey(r.PathValue("mall")), r.PathValue("claim"), r.PathValue("action")
	err := c.claimAction(r, u, mall, claim, action, r.PostFormValue("reason"))
	back := orderPath(mall, r.PathValue("order"))
	if err == nil {
		http.Redirect(w, r, back+"?done="+url.QueryEscape(claimDone[action]), http.StatusSeeOther)
		return
	}
	status := http.StatusInternalServerError
	switch mallsync.ErrorCode(err) {
	case mallsync.EINVALID:
		status = http.StatusUnprocessableEntity
	case mallsync.ECONFLICT, mallsync.ENOTFOUND:
		status = http.StatusConflict
	case mallsync.EFORBIDDEN:
		status = http.StatusForbidden
	case mallsync.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	default:
		c.pages.fail(w, r, err)
		return
	}
	c.orderPageWithError(w, r, u, status, err)
}

// orderPageWithError shows the order page again with the reason an action was refused.
func (c *console) orderPageWithError(w http.ResponseWriter, r *http.Request, u User, status int, err error) {
	v, rerr := c.order(r.Context(), r, u)
	if rerr != nil {
		c.pages.fail(w, r, rerr)
		return
	}
	v.Err = mallsync.ErrorMessage(err)
	c.pages.render(w, r, status, "order", v)
}
