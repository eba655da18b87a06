package console

import "net/http"

// route is one API route: its method, its pattern and its handler.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// addRoutes adds routes to mux, each with a 405 (and its Allow header) for other methods.
// Patterns shared by several methods get one 405 handler naming them all.
func addRoutes(mux *http.ServeMux, routes []route) {
	allow := map[string]string{}
	var order []string
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
		m := rt.method
		if m == "GET" {
			m = "GET, HEAD"
		}
		if prev, ok := allow[rt.path]; ok {
			allow[rt.path] = prev + ", " + m
			continue
		}
		allow[rt.path] = m
		order = append(order, rt.path)
	}
	for _, path := range order {
		methods := allow[path]
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			writeErrorCode(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here: use "+methods)
		})
	}
}

// apiNotFound answers every other /api/ path 404 in the API's error shape.
func apiNotFound(mux *http.ServeMux) {
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeErrorCode(w, http.StatusNotFound, "not_found", "no such API route")
	})
}
